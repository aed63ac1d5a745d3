from django.urls import reverse

from hilfenetz.core.tests.access import LOGIN, Case, Effect, expect, unchanged
from hilfenetz.engagement.models import Intent, Onboarding, StandardsAcknowledgement


def helpers(w):
    return Onboarding.objects.filter(intent=Intent.HELP).count()


def acknowledgements(w):
    return StandardsAcknowledgement.objects.count()


CASES = [
    Case("engagement:start", lambda w: reverse("engagement:start"), expect(302, anonymous=LOGIN)),
    Case(
        "engagement:welcome", lambda w: reverse("engagement:welcome"), expect(200, anonymous=LOGIN)
    ),
    Case(
        "engagement:welcome",
        lambda w: reverse("engagement:welcome"),
        expect(302, anonymous=LOGIN),
        method="POST",
        data=lambda w: {"step": "intent", "intent": "help"},
        effect=Effect(helpers, after=lambda n: n + 1),
    ),
    Case(
        "engagement:welcome",
        lambda w: reverse("engagement:welcome"),
        expect(200, anonymous=LOGIN),
        method="POST",
        data=lambda w: {"step": "intent", "intent": "everything"},
        label="invalid",
        effect=unchanged(helpers),
    ),
    Case(
        "engagement:standards",
        lambda w: reverse("engagement:standards"),
        expect(200, anonymous=LOGIN),
    ),
    # Nobody acknowledges a version they were not shown.
    Case(
        "engagement:standards",
        lambda w: reverse("engagement:standards"),
        expect(302, anonymous=LOGIN),
        method="POST",
        data=lambda w: {"version": "0.0"},
        effect=unchanged(acknowledgements),
    ),
]
