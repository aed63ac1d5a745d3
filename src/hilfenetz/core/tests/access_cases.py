from django.urls import reverse

from hilfenetz.core.tests.access import Case, expect

CASES = [
    Case("core:home", lambda w: reverse("core:home"), expect(200)),
    Case("core:legal", lambda w: reverse("core:legal"), expect(200)),
    Case("core:healthz", lambda w: reverse("core:healthz"), expect(200)),
    # Without the bearer token only for the administrator (core/tests/test_metrics.py).
    Case("core:metrics", lambda w: reverse("core:metrics"), expect(403, administrator=200)),
]
