from django.urls import reverse

from hilfenetz.core.tests.access import Case, expect

CASES = [
    Case("core:home", lambda w: reverse("core:home"), expect(200)),
    Case("core:legal", lambda w: reverse("core:legal"), expect(200)),
    Case("core:healthz", lambda w: reverse("core:healthz"), expect(200)),
]
