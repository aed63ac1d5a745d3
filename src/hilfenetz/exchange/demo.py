"""Fictional needs and offers for the demo, in several languages. Every text is invented."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hilfenetz.core import search
from hilfenetz.core.demo import DemoContext, step
from hilfenetz.exchange.categories import ensure_start_categories
from hilfenetz.exchange.models import (
    Category,
    ConsentRecord,
    Conversation,
    Listing,
    ListingEvent,
    Message,
    Pledge,
    Status,
)
from hilfenetz.exchange.similarity import embed_listing

# (category slug, kind, language, title, description, quantity, unit)
TEXTS = [
    (
        "sachspenden",
        "need",
        "de",
        "Kinderwagen gesucht",
        "Für ein Neugeborenes suchen wir einen gut erhaltenen Kinderwagen.",
        1,
        "Stück",
    ),
    (
        "sachspenden",
        "offer",
        "de",
        "Winterjacken abzugeben",
        "Mehrere warme Winterjacken in den Größen S bis L, frisch gewaschen.",
        6,
        "Stück",
    ),
    (
        "sachspenden",
        "need",
        "uk",
        "Потрібен пилосос",
        "Шукаємо робочий пилосос для квартири.",
        1,
        "шт.",
    ),
    (
        "sachspenden",
        "offer",
        "tr",
        "Bulaşık makinesi hediye",
        "Çalışan bir bulaşık makinesi ücretsiz verilecek.",
        1,
        "",
    ),
    (
        "begleitung-beratung",
        "need",
        "ar",
        "مرافقة إلى موعد في الدائرة",
        "نحتاج إلى شخص يرافقنا إلى موعد في مكتب الأجانب ويساعد في الترجمة.",
        None,
        "",
    ),
    (
        "begleitung-beratung",
        "offer",
        "de",
        "Begleitung zu Behördenterminen",
        "Ich begleite gern zu Terminen beim Jobcenter oder Landratsamt, vormittags.",
        None,
        "",
    ),
    (
        "fahrdienste-transport",
        "need",
        "de",
        "Transport eines Kleiderschranks",
        "Ein zerlegter Schrank muss innerhalb des Ortes transportiert werden.",
        None,
        "",
    ),
    (
        "fahrdienste-transport",
        "offer",
        "en",
        "Van available on Saturdays",
        "I can help with small moves and transports on Saturday mornings.",
        None,
        "",
    ),
    (
        "freizeit",
        "offer",
        "de",
        "Gemeinsam Fußball spielen",
        "Jeden Mittwochabend kicken wir auf dem Bolzplatz, alle sind willkommen.",
        None,
        "",
    ),
    (
        "freizeit",
        "need",
        "fa",
        "همراه برای پیاده‌روی",
        "دنبال کسی هستیم که آخر هفته‌ها با ما پیاده‌روی کند.",
        None,
        "",
    ),
    (
        "familie-kinder",
        "need",
        "uk",
        "Допомога з домашніми завданнями",
        "Шукаємо допомогу з німецькою мовою для дитини 10 років.",
        None,
        "",
    ),
    (
        "familie-kinder",
        "offer",
        "de",
        "Babysachen Größe 56 bis 74",
        "Eine Kiste mit Bodys, Stramplern und Mützen.",
        1,
        "Kiste",
    ),
    (
        "sprache",
        "offer",
        "de",
        "Sprachcafé am Dienstag",
        "Wir üben Deutsch bei Kaffee und Kuchen, ohne Anmeldung.",
        None,
        "",
    ),
    (
        "sprache",
        "need",
        "ar",
        "أبحث عن شريك لتعلم الألمانية",
        "أريد ممارسة اللغة الألمانية مرة في الأسبوع.",
        None,
        "",
    ),
    (
        "bildung",
        "need",
        "fa",
        "کمک برای آمادگی امتحان",
        "برای امتحان B1 به کمک نیاز دارم.",
        None,
        "",
    ),
    (
        "bildung",
        "offer",
        "en",
        "Maths tutoring",
        "Retired teacher offers maths tutoring for pupils, grades 5 to 10.",
        None,
        "",
    ),
    (
        "projekte-ideen",
        "offer",
        "de",
        "Idee: Gemeinschaftsgarten",
        "Wer macht mit bei einem Gemeinschaftsgarten hinter dem Gemeindehaus?",
        None,
        "",
    ),
    (
        "arbeit-ausbildung",
        "need",
        "tr",
        "Staj yeri arıyorum",
        "Elektrik alanında staj yeri arıyorum.",
        None,
        "",
    ),
    (
        "arbeit-ausbildung",
        "offer",
        "de",
        "Bewerbungen gemeinsam schreiben",
        "Ich helfe beim Lebenslauf und Anschreiben.",
        None,
        "",
    ),
    (
        "wohnen",
        "need",
        "de",
        "Zweizimmerwohnung gesucht",
        "Eine kleine Familie sucht eine Wohnung, gern auch renovierungsbedürftig.",
        None,
        "",
    ),
    (
        "wohnen",
        "offer",
        "de",
        "Möbel für die erste Wohnung",
        "Tisch, vier Stühle und ein Regal können abgeholt werden.",
        3,
        "Teile",
    ),
    (
        "sachspenden",
        "need",
        "en",
        "Bicycles for two teenagers",
        "Two teenagers need bicycles to get to school.",
        2,
        "bikes",
    ),
]
PER_MUNICIPALITY = 6
REPLIES = ["Ich kann helfen, wann passt es Ihnen?", "I can help, when suits you?", "Gern, danke!"]


@step(50, "Needs and offers of the help exchange")
def listings(ctx: DemoContext):
    rng = ctx.rng
    ensure_start_categories(ctx.district)
    categories = {c.slug: c for c in Category.objects.for_district(ctx.district)}
    people = ctx.users["volunteers"] + ctx.users["help_seekers"]
    coordinators = ctx.users["municipal_coordinators"]
    organisations = ctx.organisations
    now = timezone.now()
    today = timezone.localdate()
    batch = []
    for municipality in ctx.municipalities:
        for _ in range(PER_MUNICIPALITY):
            slug, kind, language, title, description, quantity, unit = rng.choice(TEXTS)
            author = rng.choice(people)
            organisation = None
            if rng.random() < 0.2:
                organisation = rng.choice(organisations)
                author = organisation.memberships.first().user
            published = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23))
            status = rng.choices(
                [Status.PUBLISHED, Status.FULFILLED, Status.PENDING, Status.EXPIRED],
                weights=[80, 10, 5, 5],
            )[0]
            batch.append(
                Listing(
                    kind=kind,
                    category=categories[slug],
                    municipality=municipality,
                    language=language,
                    title=title,
                    description=f"{description} (Demo)",
                    quantity=quantity,
                    unit=unit,
                    remaining=quantity,
                    transport_needed=rng.random() < 0.2,
                    valid_until=today + timedelta(days=rng.randint(1, 21)),
                    status=status,
                    author=author,
                    organisation=organisation,
                    published_at=None if status == Status.PENDING else published,
                )
            )
    for coordinator in coordinators:
        consent = ConsentRecord.objects.create(
            recorded_by=coordinator, agreement="Demo: mündlich im Beratungsgespräch zugestimmt."
        )
        batch.append(
            Listing(
                kind="need",
                category=categories["sachspenden"],
                municipality=coordinator.home_municipality,
                language="de",
                title="Bettwäsche und Handtücher für eine Familie",
                description="Eingestellt von der Koordination im Auftrag einer Familie. (Demo)",
                valid_until=today + timedelta(days=14),
                status=Status.PUBLISHED,
                author=coordinator,
                consent=consent,
                published_at=now,
            )
        )
    created = Listing.objects.bulk_create(batch)
    ListingEvent.objects.bulk_create(
        ListingEvent(listing=listing, to_status=listing.status, actor=listing.author)
        for listing in created
    )
    search.index_all(created)
    pledges, conversations = [], 0
    helpers = ctx.users["volunteers"]
    for listing in rng.sample(created, k=len(created) // 4):
        if listing.status != Status.PUBLISHED:
            continue
        helper = rng.choice([h for h in helpers if h.pk != listing.author_id])
        if listing.kind == "need" and listing.quantity:
            pledges.append(Pledge(listing=listing, helper=helper, quantity=1))
            Listing.objects.filter(pk=listing.pk).update(remaining=listing.quantity - 1)
        conversation = Conversation.objects.create(listing=listing, helper=helper)
        Message.objects.bulk_create(
            [
                Message(conversation=conversation, sender=helper, body=REPLIES[0]),
                Message(
                    conversation=conversation,
                    sender=listing.author,
                    body=REPLIES[2],
                    language=listing.author.preferred_language,
                ),
            ]
        )
        conversations += 1
    Pledge.objects.bulk_create(pledges)
    ctx.data["listings"] = created
    ctx.progress(f"{len(created)} listings, {len(pledges)} pledges, {conversations} conversations")
    # The worker computes the vectors for cross-language matching in the background.
    ids = [listing.pk for listing in created]
    transaction.on_commit(lambda: [embed_listing.enqueue(pk) for pk in ids])
    ctx.progress(f"{len(ids)} listings queued for multilingual matching")
