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
    Frequency,
    Listing,
    ListingEvent,
    Message,
    Pledge,
    PledgeStatus,
    Ride,
    SavedSearch,
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
# Listings of the past months per municipality: fulfilled, expired or withdrawn, with the
# answers and promises that led there.
HISTORY_PER_MUNICIPALITY = 3
# The towns with a municipal coordinator are the larger ones and had a busier past: enough for
# figures per town that are more than "fewer than 5" (the district's figures page).
HISTORY_PER_COORDINATED_TOWN = 60
REPLIES = ["Ich kann helfen, wann passt es Ihnen?", "I can help, when suits you?", "Gern, danke!"]
LATER_REPLIES = ["Passt Samstag um 10 Uhr?", "Ja, bis dann!", "Hat alles geklappt, vielen Dank!"]


def _before(rng, moment, max_days):
    return moment - timedelta(days=rng.randint(0, max_days), hours=rng.randint(0, 23))


def _author(rng, people, organisations, since):
    """Someone (or an organisation's first member) registered before ``since``."""
    if rng.random() < 0.2:
        organisation = rng.choice(organisations)
        author = organisation.memberships.first().user
        if author.date_joined < since:
            return author, organisation
    return rng.choice([p for p in people if p.date_joined < since]), None


def _listing(rng, categories, municipality, author, organisation, status, published, valid_until):
    slug, kind, language, title, description, quantity, unit = rng.choice(TEXTS)
    return Listing(
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
        valid_until=valid_until,
        status=status,
        author=author,
        organisation=organisation,
        published_at=None if status == Status.PENDING else published,
        # Not saved by bulk_create (auto_now_add): _backdate writes it afterwards.
        created_at=published - timedelta(minutes=rng.randint(5, 120)),
    )


def _create_in_the_past(model, objects, *fields):
    """``bulk_create`` keeping the past times the demo gave ``fields``, which
    ``auto_now_add``/``auto_now`` would set to today."""
    times = [[getattr(obj, name) for name in fields] for obj in objects]
    created = model.objects.bulk_create(objects, batch_size=500)
    for obj, values in zip(created, times, strict=True):
        for name, value in zip(fields, values, strict=True):
            setattr(obj, name, value)
    model.objects.bulk_update(created, list(fields), batch_size=500)
    return created


@step(50, "Needs and offers of the help exchange")
def listings(ctx: DemoContext):
    rng = ctx.rng
    ensure_start_categories(ctx.district)
    categories = {c.slug: c for c in Category.objects.for_district(ctx.district)}
    newcomer = ctx.users["volunteers"][-1]  # registered two days ago (accounts demo)
    people = [p for p in ctx.users["volunteers"] + ctx.users["help_seekers"] if p != newcomer]
    coordinators = ctx.users["municipal_coordinators"]
    organisations = ctx.organisations
    now = timezone.now()
    today = timezone.localdate()
    batch, closed_at = [], {}
    coordinated = {coordinator.home_municipality_id for coordinator in coordinators}
    for municipality in ctx.municipalities:
        for _ in range(PER_MUNICIPALITY):
            published = _before(rng, now, 20)
            author, organisation = _author(rng, people, organisations, published)
            status = rng.choices([Status.PUBLISHED, Status.PENDING], weights=[95, 5])[0]
            valid_until = today + timedelta(days=rng.randint(1, 21))
            batch.append(
                _listing(
                    rng,
                    categories,
                    municipality,
                    author,
                    organisation,
                    status,
                    published,
                    valid_until,
                )
            )
        past = (
            HISTORY_PER_COORDINATED_TOWN
            if municipality.pk in coordinated
            else HISTORY_PER_MUNICIPALITY
        )
        for _ in range(past):
            published = now - timedelta(days=rng.randint(30, 180), hours=rng.randint(0, 23))
            author, organisation = _author(rng, people, organisations, published)
            status = rng.choices(
                [Status.FULFILLED, Status.EXPIRED, Status.WITHDRAWN], weights=[60, 25, 15]
            )[0]
            valid_until = (published + timedelta(days=21)).date()
            listing = _listing(
                rng, categories, municipality, author, organisation, status, published, valid_until
            )
            batch.append(listing)
            closed_at[id(listing)] = (
                published + timedelta(days=21, hours=1)
                if status == Status.EXPIRED
                else published + timedelta(days=rng.randint(1, 18), hours=rng.randint(0, 23))
            )
    # The newcomer's first offer waits for a coordinator: the moderation queue's example.
    batch.append(
        _listing(
            rng,
            categories,
            newcomer.home_municipality or ctx.municipalities[0],
            newcomer,
            None,
            Status.PENDING,
            newcomer.date_joined + timedelta(hours=3),
            today + timedelta(days=21),
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
                created_at=now,
            )
        )
    events = []
    for listing in batch:
        closed_time = closed_at.get(id(listing))
        listing.updated_at = closed_time or listing.published_at or listing.created_at
        events.append(
            ListingEvent(
                listing=listing,
                to_status=Status.PENDING if listing.status == Status.PENDING else Status.PUBLISHED,
                actor=listing.author,
                created_at=listing.published_at or listing.created_at,
            )
        )
        if closed_time is not None:
            events.append(
                ListingEvent(
                    listing=listing,
                    from_status=Status.PUBLISHED,
                    to_status=listing.status,
                    actor=None if listing.status == Status.EXPIRED else listing.author,
                    created_at=closed_time,
                )
            )
    created = _create_in_the_past(Listing, batch, "created_at", "updated_at")
    ListingEvent.objects.bulk_create(events)
    search.index_all(created)
    helpers = [h for h in ctx.users["volunteers"] if h != newcomer]
    pledges, conversations, messages = [], [], []
    for listing in created:
        closed_time = closed_at.get(id(listing))
        answered = listing.status == Status.FULFILLED or (
            listing.status in (Status.PUBLISHED, Status.EXPIRED, Status.WITHDRAWN)
            and rng.random() < 0.3
        )
        if not answered:
            continue
        until = closed_time or now
        helper = rng.choice([h for h in helpers if h.pk != listing.author_id])
        started = listing.published_at + (until - listing.published_at) * rng.uniform(0.05, 0.5)
        if listing.kind == "need" and listing.quantity:
            done = listing.status == Status.FULFILLED
            pledges.append(
                Pledge(
                    listing=listing,
                    helper=helper,
                    quantity=listing.quantity if done else 1,
                    status=PledgeStatus.FULFILLED if done else PledgeStatus.ACTIVE,
                    created_at=started,
                )
            )
            listing.remaining = 0 if done else listing.quantity - 1
        conversation = Conversation(listing=listing, helper=helper, created_at=started)
        conversations.append(conversation)
        lines = [REPLIES[0], REPLIES[2]]
        if listing.status == Status.FULFILLED:
            lines += LATER_REPLIES
        step_time = (until - started) / (len(lines) + 1)
        for number, body in enumerate(lines):
            from_helper = number % 2 == 0
            messages.append(
                Message(
                    conversation=conversation,
                    sender=helper if from_helper else listing.author,
                    body=body,
                    language="de" if from_helper else listing.author.preferred_language,
                    created_at=started + step_time * number,
                )
            )
    _create_in_the_past(Conversation, conversations, "created_at")
    _create_in_the_past(Message, messages, "created_at")
    _create_in_the_past(Pledge, pledges, "created_at")
    Listing.objects.bulk_update([p.listing for p in pledges], ["remaining"], batch_size=500)
    ctx.data["listings"] = created
    fulfilled = sum(listing.status == Status.FULFILLED for listing in created)
    ctx.progress(
        f"{len(created)} listings ({fulfilled} fulfilled in the past months), "
        f"{len(pledges)} pledges, {len(conversations)} conversations, {len(messages)} messages"
    )
    # The worker computes the vectors for cross-language matching in the background.
    ids = [listing.pk for listing in created]
    transaction.on_commit(lambda: [embed_listing.enqueue(pk) for pk in ids])
    ctx.progress(f"{len(ids)} listings queued for multilingual matching")


@step(55, "Transport for needs: a driver, ride offers and a ride promised for a promise")
def transport(ctx: DemoContext):
    """A help-seeker's need with transport needed: one volunteer promised the goods, another,
    who said they can drive in that area and offers rides, promised to bring them. A second
    such need has a promise whose transport is still open."""
    categories = {c.slug: c for c in Category.objects.for_district(ctx.district)}
    seeker = ctx.users["help_seekers"][0]
    giver, driver, second_giver = ctx.users["volunteers"][:3]
    place = seeker.home_municipality or ctx.municipalities[0]
    now = timezone.now()
    today = timezone.localdate()

    def listing(author, kind, slug, title, description, quantity=None, transport=False):
        return Listing(
            kind=kind,
            category=categories[slug],
            municipality=place,
            language="de",
            title=title,
            description=f"{description} (Demo)",
            quantity=quantity,
            unit="Stück" if quantity else "",
            remaining=0 if quantity else None,
            transport_needed=transport,
            valid_until=today + timedelta(days=14),
            status=Status.PUBLISHED,
            author=author,
            published_at=now - timedelta(days=2),
        )

    bed, washer, rides = Listing.objects.bulk_create(
        [
            listing(
                seeker,
                "need",
                "sachspenden",
                "Kinderbett mit Matratze gesucht",
                "Für unsere Tochter suchen wir ein Kinderbett. Wir haben kein Auto.",
                1,
                transport=True,
            ),
            listing(
                seeker,
                "need",
                "sachspenden",
                "Waschmaschine gesucht",
                "Eine funktionierende Waschmaschine; sie müsste gebracht werden.",
                1,
                transport=True,
            ),
            listing(
                driver,
                "offer",
                "fahrdienste-transport",
                "Fahrten und kleine Transporte mit meinem Kombi",
                "Ich fahre abends und am Wochenende, auch Möbel bis 1,80 m.",
            ),
        ]
    )
    ListingEvent.objects.bulk_create(
        ListingEvent(listing=item, actor=item.author, to_status=Status.PUBLISHED)
        for item in (bed, washer, rides)
    )
    search.index_all([bed, washer, rides])
    promised = Pledge.objects.create(listing=bed, helper=giver, quantity=1)
    Pledge.objects.create(listing=washer, helper=second_giver, quantity=1)
    Ride.objects.create(pledge=promised, driver=driver)
    SavedSearch.objects.create(
        user=driver, drives=True, area=place.area, frequency=Frequency.IMMEDIATELY
    )
    ids = [bed.pk, washer.pk, rides.pk]
    transaction.on_commit(lambda: [embed_listing.enqueue(pk) for pk in ids])
    ctx.progress(
        f"2 needs with transport needed in {place.name} by {seeker.email}, promised by "
        f"{giver.email} and {second_giver.email}; {driver.email} drives in {place.area.name}"
    )
