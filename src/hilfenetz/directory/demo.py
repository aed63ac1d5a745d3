"""Fictional directory data for the demo: every office, person and phone number is invented."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from hilfenetz.core.demo import DemoContext, step
from hilfenetz.core.models import Topic
from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    Office,
    OfficeKind,
    OrganisationProfile,
    TeamArea,
    TeamMember,
)

TOPIC_LANGUAGES = ("en", "ar", "fa", "uk", "tr")
# The German name, then the names in TOPIC_LANGUAGES.
TOPICS = [
    ("Sprache", "Language", "اللغة", "زبان", "Мова", "Dil"),
    ("Wohnen", "Housing", "السكن", "مسکن", "Житло", "Konut"),
    ("Arbeit", "Work", "العمل", "کار", "Робота", "İş"),
    (
        "Begleitung zu Ämtern",
        "Going to public offices",
        "المرافقة إلى الدوائر الرسمية",
        "همراهی به ادارات",
        "Супровід до установ",
        "Resmi dairelere eşlik",
    ),
    (
        "Kinder und Familie",
        "Children and family",
        "الأطفال والأسرة",
        "کودکان و خانواده",
        "Діти та сім'я",
        "Çocuk ve aile",
    ),
    (
        "Freizeit und Sport",
        "Leisure and sport",
        "الترفيه والرياضة",
        "اوقات فراغت و ورزش",
        "Дозвілля та спорт",
        "Boş zaman ve spor",
    ),
    ("Gesundheit", "Health", "الصحة", "سلامت", "Здоров'я", "Sağlık"),
    (
        "Fahrräder und Mobilität",
        "Bicycles and mobility",
        "الدراجات والتنقل",
        "دوچرخه و جابه‌جایی",
        "Велосипеди та мобільність",
        "Bisiklet ve ulaşım",
    ),
]
CONTACT_NAMES = [
    "Petra Demo-Lindner",
    "Ahmet Beispiel",
    "Katrin Muster",
    "Jens Fiktiv",
    "Lea Erfunden",
    "Stefan Platzhalter",
    "Miriam Probe",
    "Hakan Exempel",
]
FUNCTIONS = [
    "Koordination Ehrenamt",
    "Integrationsmanagement",
    "Sachgebietsleitung Integration",
]


@step(40, "Directory: coordination offices, topics, profiles and competence teams")
def directory(ctx: DemoContext):
    rng = ctx.rng
    now = timezone.now()
    topics = [
        Topic.objects.create(
            name=name,
            slug=slugify(name),
            translations={
                code: {"name": text} for code, text in zip(TOPIC_LANGUAGES, names, strict=True)
            },
        )
        for name, *names in TOPICS
    ]
    municipalities = list(ctx.municipalities)
    offices = []
    index = 0
    while index < len(municipalities):
        # Every fifth office serves two neighbouring municipalities.
        served = municipalities[index : index + (2 if len(offices) % 5 == 4 else 1)]
        index += len(served)
        first = served[0]
        name = "Koordinationsstelle " + " / ".join(m.name for m in served)
        office = Office.objects.create(
            district=ctx.district,
            name=name,
            slug=slugify(name)[:190],
            street=f"Rathausplatz {rng.randint(1, 20)}",
            postcode=f"7{rng.randint(3000, 3999)}",
            city=first.name,
            opening_hours="Mo–Do 9–12 Uhr, Di 14–18 Uhr",
            phone=f"0711 555-{rng.randint(100, 999)}",
            email=f"ehrenamt@{first.slug}.demo.example",
            languages=rng.choice(["Deutsch, Englisch", "Deutsch, Türkisch", "Deutsch, Arabisch"]),
            verified_at=now - timedelta(days=rng.randint(0, 300)),
        )
        office.municipalities.set(served)
        for position in range(rng.randint(1, 2)):
            ContactPerson.objects.create(
                office=office,
                name=rng.choice(CONTACT_NAMES),
                function=rng.choice(FUNCTIONS),
                phone=office.phone,
                email=office.email,
                consent_given=position == 0 or rng.random() < 0.5,
                consent_date=timezone.localdate(),
                position=position,
            )
        offices.append(office)
    district_office = Office.objects.create(
        district=ctx.district,
        kind=OfficeKind.DISTRICT,
        name="Landratsamt – Stabsstelle Ehrenamt Geflüchtete (Demo)",
        slug="landratsamt-ehrenamt-demo",
        street="Musterstraße 1",
        postcode="73728",
        city="Esslingen am Neckar",
        phone="0711 555-000",
        fax="0711 555-009",
        email="ehrenamt@landkreis.demo.example",
        verified_at=now,
    )
    for position, (name, function) in enumerate(
        [
            ("Dr. Erika Demo", "Amtsleitung"),
            ("Max Beispielmann", "Kreiskoordination Flüchtlingsarbeit"),
            ("Lenkungskreis (Demo)", "Lenkungskreis"),
        ]
    ):
        ContactPerson.objects.create(
            office=district_office,
            name=name,
            function=function,
            email="ehrenamt@landkreis.demo.example",
            consent_given=True,
            consent_date=timezone.localdate(),
            position=position,
        )
    for organisation in ctx.organisations:
        profile = OrganisationProfile.objects.create(
            organisation=organisation,
            how_to_reach="Treffen jeden ersten Montag im Monat, 19 Uhr, im Gemeindehaus.",
            verified_at=now - timedelta(days=rng.randint(0, 400)),
        )
        profile.topics.set(rng.sample(topics, k=2))
    volunteers = ctx.users["volunteers"]
    for area in TeamArea:
        team = CompetenceTeam.objects.create(
            district=ctx.district,
            area=area,
            description="Fiktives Kompetenzteam der Kreisarbeitsgemeinschaft (KAG) „Netzwerk Flüchtlinge“.",
            verified_at=now,
        )
        for volunteer in rng.sample(volunteers, k=4):
            TeamMember.objects.create(
                team=team,
                name=volunteer.display_name,
                affiliation="Helferkreis (Demo)",
                consent_given=rng.random() < 0.7,
            )
    ctx.data["offices"] = offices
    _imported_working_groups(ctx)
    ctx.progress(f"{len(offices) + 1} offices, {len(topics)} topics, {len(TeamArea)} teams")


def _imported_working_groups(ctx: DemoContext):
    """An import of two working groups by a municipal coordinator, to look at and undo
    (Import in the directory's menu, then the import's page)."""
    from hilfenetz.directory import services

    coordinator = ctx.users["municipal_coordinators"][0]
    place = coordinator.home_municipality.name
    rows = [
        {"name": "Helferkreis Asyl (Demo-Import)", "municipality": place, "has_speaker": "ja"},
        {"name": "Sprachcafé (Demo-Import)", "municipality": place, "kind": "initiative"},
    ]
    run = services.start_organisation_import(coordinator, ctx.district, rows, "update")
    services.continue_import(run.pk)  # the queued task finds it done
    ctx.progress(f"import of organisations #{run.pk}: {len(rows)} rows")
