from django.urls import reverse

from hilfenetz.core.tests.access import Case, expect

CASES = [
    Case(
        "api-v1:list_municipalities", lambda w: reverse("api-v1:list_municipalities"), expect(200)
    ),
]
