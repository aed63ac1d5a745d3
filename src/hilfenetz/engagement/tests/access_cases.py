from datetime import date, timedelta

from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.tests.access import LOGIN, Case, Effect, expect, unchanged
from hilfenetz.engagement.models import (
    ConductCertificate,
    Intent,
    Onboarding,
    StandardsAcknowledgement,
)


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
    # One's own confirmation only: the addresses name nobody.
    Case(
        "engagement:confirmation",
        lambda w: reverse("engagement:confirmation"),
        expect(200, anonymous=LOGIN),
    ),
    Case(
        "engagement:confirmation_pdf",
        lambda w: reverse("engagement:confirmation_pdf") + "?language=ar",
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


def extend_world(world):
    volunteer = UserFactory(display_name="Volunteer here", home_municipality=world.here)
    Onboarding.objects.create(user=volunteer, intent=Intent.HELP)
    certificate = ConductCertificate.objects.create(
        user=volunteer,
        municipality=world.here,
        seen_on=date(2025, 3, 1),
        seen_by=world.users["coordinator_here"],
        due_on=date(2030, 3, 1),
    )
    world.extra.update(
        volunteer_here=volunteer,
        volunteer_other=UserFactory(display_name="Volunteer other", home_municipality=world.other),
        certificate_here=certificate,
    )


def certificates_of(name):
    return lambda w: ConductCertificate.objects.filter(user=getattr(w, name)).count()


def person_certificate(name):
    return lambda w: reverse("engagement:person_certificate", args=[getattr(w, name).pk])


RECORDERS_HERE = {"coordinator_here", "district_coordinator", "administrator"}
RECORDERS_OTHER = {"coordinator_other", "district_coordinator", "administrator"}

CASES += [
    Case(
        "engagement:my_certificates",
        lambda w: reverse("engagement:my_certificates"),
        expect(200, anonymous=LOGIN),
    ),
    Case(
        "engagement:person_certificate",
        person_certificate("volunteer_here"),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_HERE, 200)),
    ),
    Case(
        "engagement:person_certificate",
        person_certificate("volunteer_other"),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_OTHER, 200)),
        label="other municipality",
    ),
    Case(
        "engagement:person_certificate",
        person_certificate("volunteer_here"),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_HERE, 302)),
        method="POST",
        data=lambda w: {"seen_on": date.today().isoformat()},
        effect=Effect(certificates_of("volunteer_here"), after=lambda n: n + 1),
    ),
    Case(
        "engagement:person_certificate",
        person_certificate("volunteer_here"),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_HERE, 200)),
        method="POST",
        data=lambda w: {"seen_on": (date.today() + timedelta(days=3)).isoformat()},
        label="future date",
        effect=unchanged(certificates_of("volunteer_here")),
    ),
]


def messages_to(name):
    return lambda w: OutboundMail.objects.filter(to=getattr(w, name).email).count()


COORDINATORS = {"coordinator_here", "coordinator_other", "district_coordinator", "administrator"}

CASES += [
    Case(
        "engagement:overview",
        lambda w: reverse("engagement:overview"),
        expect(403, anonymous=LOGIN, **dict.fromkeys(COORDINATORS, 200)),
    ),
    Case(
        "engagement:write",
        lambda w: reverse("engagement:write", args=[w.volunteer_here.pk]),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_HERE, 200)),
    ),
    Case(
        "engagement:write",
        lambda w: reverse("engagement:write", args=[w.volunteer_here.pk]),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_HERE, 302)),
        method="POST",
        data=lambda w: {"message": "Hallo, wie geht es Ihnen?"},
        effect=Effect(messages_to("volunteer_here"), after=lambda n: n + 1),
    ),
    Case(
        "engagement:write",
        lambda w: reverse("engagement:write", args=[w.volunteer_here.pk]),
        expect(403, anonymous=LOGIN, **dict.fromkeys(RECORDERS_HERE, 200)),
        method="POST",
        data=lambda w: {"message": "   "},
        label="empty",
        effect=unchanged(messages_to("volunteer_here")),
    ),
]
