"""Fictional people and organisations for the demo. Every name here is invented."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from hilfenetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    User,
)
from hilfenetz.core.demo import DemoContext, step
from hilfenetz.regions.models import CoordinatorRole, District
from hilfenetz.regions.services import default_district_file, load_district_file

DEMO_PASSWORD = "hilfenetz-demo"  # noqa: S105 - printed in the README, demo data only
# Administrators and district coordinators need a second factor: the demo ones share this
# authenticator-app secret (base32, in the README) so testers can log in with any TOTP app.
DEMO_TOTP_SECRET = "HILFENETZDEMO234HILFENETZDEMO234"  # noqa: S105 - demo data only

VOLUNTEER_NAMES = [
    "Anna B.",
    "Jonas",
    "Leonie K.",
    "Mehmet",
    "Sabine aus Plochingen",
    "Tobias R.",
    "Ute",
    "Klaus-Dieter",
    "Mira",
    "Paul S.",
    "Hannah",
    "Emre Y.",
    "Friederike",
    "Lukas",
    "Sevgi",
    "Jan-Erik",
    "Greta W.",
    "Ingrid",
    "Matthias",
    "Selin",
    "Valentina",
    "Oskar",
    "Birgit M.",
    "Rainer",
    "Aylin",
    "Thea",
    "Kai",
    "Nora L.",
    "Dragan",
    "Miriam",
]
HELP_SEEKER_NAMES = [
    "Amal",
    "Yusuf",
    "Olena",
    "Farid",
    "Mariam",
    "Taras",
    "Zahra",
    "Hamid",
    "Iryna",
    "Samira",
    "Dawit",
    "Roya",
]
# Dawit reads Tigrinya and Hamid Dari: the demo shows the languages added last at work too
HELP_SEEKER_LANGUAGES = ["ar", "ar", "uk", "fa", "ar", "uk", "fa", "prs", "uk", "ar", "ti", "fa"]

ORGANISATION_PATTERNS = [
    ("Helferkreis Asyl {m}", OrganisationKind.WORKING_GROUP),
    ("Freundeskreis Flüchtlinge {m}", OrganisationKind.WORKING_GROUP),
    ("Sprachcafé {m}", OrganisationKind.INITIATIVE),
    ("Fahrradwerkstatt {m}", OrganisationKind.INITIATIVE),
    ("Sportverein TSV {m}", OrganisationKind.ASSOCIATION),
    ("Kleiderkammer {m}", OrganisationKind.WELFARE),
    ("Bäckerei Morgenrot {m}", OrganisationKind.COMPANY),
    ("Stadtverwaltung {m}", OrganisationKind.MUNICIPALITY),
]


def _history(rng, now, oldest_days, newest_days):
    """When someone registered (between ``oldest_days`` and ``newest_days`` ago) and last
    logged in (within the last weeks, never before registering): a demo of people who have
    used the platform for months, not of accounts made today, whose listings would all wait
    for moderation."""
    joined = now - timedelta(
        days=rng.randint(newest_days, oldest_days),
        hours=rng.randint(0, 23),
        minutes=rng.randint(0, 59),
    )
    last_login = max(joined, now - timedelta(days=rng.randint(0, 21), hours=rng.randint(0, 23)))
    return {"date_joined": joined, "last_login": last_login}


def _person(email, name, language="de", municipality=None, password_hash=None, history=None):
    user = User.objects.create(
        email=email,
        display_name=name,
        preferred_language=language,
        home_municipality=municipality,
        password=password_hash,
        **(history or {}),
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@step(10, "District, areas and municipalities")
def geography(ctx: DemoContext):
    report = load_district_file(default_district_file())
    district = District.objects.get(pk=report.district.pk)
    ctx.data["district"] = district
    ctx.data["municipalities"] = list(
        district.municipalities.select_related("area").order_by("name")
    )
    ctx.progress(
        f"{district}: {len(ctx.municipalities)} municipalities in {district.areas.count()} areas"
    )


@step(20, "People for every role")
def people(ctx: DemoContext):
    password = make_password(DEMO_PASSWORD)
    rng = ctx.rng
    now = timezone.now()
    by_name = {m.name: m for m in ctx.municipalities}
    users = {}
    users["admin"] = _person(
        "admin@hilfenetz.example",
        "Admin",
        password_hash=password,
        history=_history(rng, now, 450, 420),
    )
    users["admin"].is_superuser = users["admin"].is_staff = True
    users["admin"].save(update_fields=["is_superuser", "is_staff"])
    users["district_coordinator"] = _person(
        "kreis@hilfenetz.example",
        "Kreiskoordination (Demo)",
        password_hash=password,
        history=_history(rng, now, 410, 380),
    )
    CoordinatorRole.objects.create(user=users["district_coordinator"], district=ctx.district)
    for user in (users["admin"], users["district_coordinator"]):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    coordinators = []
    for slug, town in [
        ("esslingen", "Esslingen am Neckar"),
        ("kirchheim", "Kirchheim unter Teck"),
        ("nuertingen", "Nürtingen"),
        ("filderstadt", "Filderstadt"),
        ("ostfildern", "Ostfildern"),
        ("wendlingen", "Wendlingen am Neckar"),
    ]:
        municipality = by_name[town]
        user = _person(
            f"koordination.{slug}@hilfenetz.example",
            f"Koordination {town} (Demo)",
            municipality=municipality,
            password_hash=password,
            history=_history(rng, now, 380, 200),
        )
        CoordinatorRole.objects.create(user=user, municipality=municipality)
        coordinators.append(user)
    users["municipal_coordinators"] = coordinators
    volunteers = []
    for i, name in enumerate(VOLUNTEER_NAMES):
        # The last volunteer registered two days ago, so moderation has someone to wait for.
        newcomer = i == len(VOLUNTEER_NAMES) - 1
        volunteers.append(
            _person(
                f"ehrenamt{i + 1}@hilfenetz.example",
                name,
                language=rng.choice(["de", "de", "de", "en", "tr"]),
                municipality=rng.choice(ctx.municipalities),
                password_hash=password,
                history=_history(rng, now, 2, 2) if newcomer else _history(rng, now, 400, 30),
            )
        )
    users["volunteers"] = volunteers
    seekers = []
    for i, (name, language) in enumerate(
        zip(HELP_SEEKER_NAMES, HELP_SEEKER_LANGUAGES, strict=True)
    ):
        seekers.append(
            _person(
                f"hilfesuchend{i + 1}@hilfenetz.example",
                name,
                language=language,
                municipality=rng.choice(ctx.municipalities),
                password_hash=password,
                history=_history(rng, now, 240, 20),
            )
        )
    users["help_seekers"] = seekers
    ctx.data["users"] = users
    ctx.progress(
        f"1 admin, 1 district coordinator, {len(coordinators)} municipal coordinators, "
        f"{len(volunteers)} volunteers, {len(seekers)} help-seekers (password: {DEMO_PASSWORD})"
    )


@step(30, "Organisations and working groups in all four areas")
def organisations(ctx: DemoContext):
    rng = ctx.rng
    volunteers = ctx.users["volunteers"]
    created = []
    for index, municipality in enumerate(ctx.municipalities):
        patterns = rng.sample(ORGANISATION_PATTERNS, k=2 if index % 3 else 3)
        for pattern, kind in patterns:
            organisation = Organisation.objects.create(
                district=ctx.district,
                municipality=municipality,
                name=pattern.format(m=municipality.name),
                slug=slugify(f"{pattern.split(' {')[0]}-{municipality.slug}"),
                kind=kind,
                has_speaker=kind != OrganisationKind.WORKING_GROUP or rng.random() < 0.6,
                description="Fiktiver Demo-Eintrag: Wir treffen uns regelmäßig und freuen uns über neue Mitstreiterinnen und Mitstreiter.",
                public_email=f"kontakt@{municipality.slug}.demo.example",
            )
            members = rng.sample(volunteers, k=3)
            for position, user in enumerate(members):
                Membership.objects.create(
                    organisation=organisation,
                    user=user,
                    role=MembershipRole.ADMIN if position == 0 else MembershipRole.MEMBER,
                    status=MembershipStatus.ACTIVE,
                )
            created.append(organisation)
        if index % 10 == 9:
            ctx.progress(f"{len(created)} organisations so far")
    requester = volunteers[-1]
    Membership.objects.get_or_create(
        organisation=created[0], user=requester, defaults={"status": MembershipStatus.REQUESTED}
    )
    ctx.data["organisations"] = created
    ctx.progress(f"{len(created)} organisations")
