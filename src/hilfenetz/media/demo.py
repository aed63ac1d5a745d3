"""Fictional media for the demo: brochures generated as real PDFs in six languages (Arabic and
Persian shaped right to left), a short generated video with captions in three languages, an
audio item, Leichte Sprache, a sign-language place, the district's documents and download
counts. Everything goes through the services, so every file is checked like an upload."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from hilfenetz.core.demo import DemoContext, step
from hilfenetz.core.models import Topic
from hilfenetz.media import samples, services
from hilfenetz.media.models import DownloadCount, Kind
from hilfenetz.media.services import Upload

WELCOME = {
    "de": (
        "Willkommen im Landkreis",
        [
            "Diese Broschüre erklärt die ersten Schritte nach der Ankunft.",
            "In jeder Gemeinde gibt es eine Koordinationsstelle. Dort hilft man Ihnen weiter.",
            "Ehrenamtliche begleiten Sie zu Ämtern, helfen beim Deutschlernen und bei der Wohnungssuche.",
            "Alle Angebote auf Hilfenetz sind kostenlos.",
        ],
    ),
    "en": (
        "Welcome to the district",
        [
            "This brochure explains the first steps after arriving.",
            "Every municipality has a coordination office. The people there help you further.",
            "Volunteers go with you to offices, help you learn German and look for a flat.",
            "Everything on Hilfenetz is free of charge.",
        ],
    ),
    "ar": (
        "مرحبا بكم في المقاطعة",
        [
            "يشرح هذا الكتيب الخطوات الأولى بعد الوصول.",
            "في كل بلدية مكتب تنسيق. يساعدك الموظفون هناك.",
            "يرافقك المتطوعون إلى الدوائر ويساعدونك في تعلم الألمانية والبحث عن سكن.",
            "كل العروض على هيلفه نتس مجانية.",
        ],
    ),
    "fa": (
        "به شهرستان خوش آمدید",
        [
            "این بروشور گام‌های نخست پس از رسیدن را توضیح می‌دهد.",
            "در هر شهرداری یک دفتر هماهنگی هست. کارکنان آنجا به شما کمک می‌کنند.",
            "داوطلبان شما را به ادارات همراهی می‌کنند و در یادگیری آلمانی و پیدا کردن خانه کمک می‌کنند.",
            "همه خدمات هیلفه‌نتس رایگان است.",
        ],
    ),
    "uk": (
        "Ласкаво просимо до району",
        [
            "Ця брошура пояснює перші кроки після прибуття.",
            "У кожній громаді є координаційний офіс. Там вам допоможуть.",
            "Волонтери супроводжують вас до установ, допомагають вивчати німецьку та шукати житло.",
            "Усі пропозиції на Hilfenetz безкоштовні.",
        ],
    ),
    "tr": (
        "İlçeye hoş geldiniz",
        [
            "Bu broşür, varıştan sonraki ilk adımları açıklar.",
            "Her belediyede bir koordinasyon ofisi vardır. Oradaki kişiler size yardımcı olur.",
            "Gönüllüler sizi resmi dairelere götürür, Almanca öğrenmenize ve ev aramanıza yardım eder.",
            "Hilfenetz'teki tüm teklifler ücretsizdir.",
        ],
    ),
}
VIDEO_CAPTIONS = {
    "de": ["Hilfenetz verbindet alle, die helfen.", "Hier finden Sie Ihre Ansprechperson."],
    "fa": ["هیلفه‌نتس همه یاری‌دهندگان را به هم وصل می‌کند.", "اینجا فرد مسئول خود را پیدا می‌کنید."],
    "uk": ["Hilfenetz об'єднує всіх, хто допомагає.", "Тут ви знайдете свою контактну особу."],
}
STANDARDS = [
    "Ehrenamtliche arbeiten freiwillig und unentgeltlich; sie ersetzen keine Fachkräfte.",
    "Jede Initiative hat eine Ansprechperson bei der kommunalen Koordinationsstelle.",
    "Persönliche Daten Geflüchteter werden nur mit deren Einverständnis weitergegeben.",
    "Ehrenamtliche erhalten Schulungen, Austausch und bei Bedarf Supervision.",
    "Konflikte werden früh mit der Koordinationsstelle besprochen.",
]
HANDBOOK = [
    "Kapitel 1: Ankommen – Aufnahme, Anschlussunterbringung und erste Wege.",
    "Kapitel 2: Sprache – Integrationskurse, Sprachcafés und Lernpatenschaften.",
    "Kapitel 3: Arbeit und Ausbildung – Anerkennung, Praktika, Jobcenter.",
    "Kapitel 4: Gesundheit – Arztbesuche, Dolmetschen, psychosoziale Hilfe.",
    "Kapitel 5: Ehrenamt – Versicherung, Auslagen, Grenzen und Selbstschutz.",
    "Kapitel 6: Adressen – die Koordinationsstellen sind im Hilfenetz-Verzeichnis immer aktuell.",
]
EASY = [
    "Hilfenetz ist eine Internet-Seite.",
    "Dort finden Sie Hilfe.",
    "Und Sie können anderen helfen.",
    "Das kostet kein Geld.",
]


def _upload(name: str, data: bytes, language: str, captions=None) -> Upload:
    return Upload(language=language, file=ContentFile(data, name=name), captions=captions)


@step(60, "Media centre: brochures, handbook, video with captions, audio, Leichte Sprache")
def media(ctx: DemoContext):
    district = ctx.district
    author = ctx.users["district_coordinator"]
    topics = list(Topic.objects.all())
    rng = ctx.rng
    created = []

    def add(**kwargs):
        kwargs.setdefault("topics", rng.sample(topics, min(2, len(topics))))
        item = services.create_item(author, district=district, **kwargs)
        created.append(item)
        ctx.progress(f"  {item}")
        return item

    add(
        kind=Kind.BROCHURE,
        platform_document="offices",
        language="de",
        title="Liste der kommunalen Koordinationsstellen",
        description="Immer aktuell: erzeugt aus dem Verzeichnis, in jeder Sprache.",
        audiences=["volunteers", "refugees", "organisations"],
    )
    add(
        kind=Kind.FLYER,
        platform_document="volunteer_standards",
        language="de",
        title="Standards Bürgerschaftliches Engagement",
        description="Zusammenarbeit mit Ehrenamtlichen in der Flüchtlings- und Integrationsarbeit.",
        audiences=["volunteers", "organisations", "coordinators"],
        licence="Landkreis (Demo); Weitergabe und Druck erlaubt.",
        upload=_upload(
            "standards.pdf",
            samples.brochure_pdf("Standards Bürgerschaftliches Engagement", STANDARDS),
            "de",
        ),
    )
    add(
        kind=Kind.HANDBOOK,
        platform_document="refugee_handbook",
        language="de",
        title="Handbuch Flüchtlingsarbeit",
        description="Das Handbuch des Landkreises für haupt- und ehrenamtlich Tätige.",
        audiences=["volunteers", "coordinators"],
        upload=_upload(
            "handbuch.pdf", samples.brochure_pdf("Handbuch Flüchtlingsarbeit", HANDBOOK), "de"
        ),
    )
    title, paragraphs = WELCOME["de"]
    welcome = add(
        kind=Kind.BROCHURE,
        language="de",
        title=title,
        description=paragraphs[0],
        audiences=["refugees"],
        upload=_upload("willkommen.pdf", samples.brochure_pdf(title, paragraphs, "de"), "de"),
    )
    for language, (title, paragraphs) in WELCOME.items():
        if language == "de":
            continue
        services.add_language(
            author,
            welcome,
            language=language,
            title=title,
            description=paragraphs[0],
            upload=_upload(
                f"welcome-{language}.pdf",
                samples.brochure_pdf(title, paragraphs, language),
                language,
            ),
        )
    tracks = {
        language: ContentFile(samples.captions(lines), name=f"{language}.vtt")
        for language, lines in VIDEO_CAPTIONS.items()
    }
    video = add(
        kind=Kind.VIDEO,
        language="de",
        title="Hilfenetz in zwei Minuten",
        description="Ein kurzes Erklärvideo (Demo: ein Testbild) mit Untertiteln auf Deutsch, Persisch und Ukrainisch.",
        transcript=" ".join(VIDEO_CAPTIONS["de"]),
        audiences=["refugees", "volunteers"],
        upload=_upload("video.mp4", samples.sample_video(4), "de", captions=tracks),
    )
    for language, lines in VIDEO_CAPTIONS.items():
        if language != "de":  # the title and transcript in the caption languages too
            services.add_language(
                author, video, language=language, title=lines[0], transcript=" ".join(lines)
            )
    add(
        kind=Kind.AUDIO,
        language="ar",
        title="نصائح للمواعيد في الدوائر الرسمية",
        description="تسجيل صوتي قصير (عرض توضيحي: نغمة).",
        transcript="خذ معك جميع الأوراق. اطلب مترجما إذا احتجت.",
        audiences=["refugees"],
        upload=_upload("tipps.m4a", samples.sample_audio(4), "ar"),
    )
    add(
        kind=Kind.BROCHURE,
        language="de",
        title="Hilfenetz in Leichter Sprache",
        description="Ein Heft in Leichter Sprache.",
        easy_language=True,
        audiences=["refugees"],
        upload=_upload(
            "leichte-sprache.pdf", samples.brochure_pdf("Hilfenetz in Leichter Sprache", EASY), "de"
        ),
    )
    add(
        kind=Kind.VIDEO,
        language="de",
        title="Hilfenetz in Deutscher Gebärdensprache",
        description="Platz für das Video in DGS (Demo: ein Testbild mit deutschen Untertiteln).",
        sign_language=True,
        audiences=["refugees", "volunteers"],
        upload=_upload(
            "dgs.mp4",
            samples.sample_video(3),
            "de",
            captions={
                "de": ContentFile(samples.captions(["Willkommen bei Hilfenetz."]), name="de.vtt")
            },
        ),
    )
    add(
        kind=Kind.LINK,
        language="de",
        title="Mein Weg nach Deutschland (Beispiel-Link)",
        description="Ein Verweis auf eine andere Website (Demo: example.org).",
        audiences=["refugees"],
        upload=Upload(language="de", url="https://www.example.org/mein-weg"),
    )
    organisation = ctx.organisations[0] if ctx.data.get("organisations") else None
    if organisation is not None:
        # An organisation's flyer waiting for moderation, as the district asks for it.
        admin = organisation.memberships.admins().first()
        if admin is not None:
            services.create_item(
                admin.user,
                district=district,
                organisation=organisation,
                municipality=organisation.municipality,
                kind=Kind.FLYER,
                language="de",
                title=f"Sprachcafé – {organisation.name}",
                audiences=["refugees"],
                upload=_upload(
                    "sprachcafe.pdf",
                    samples.brochure_pdf(
                        "Sprachcafé", ["Jeden Dienstag, 16 Uhr, im Gemeindehaus."]
                    ),
                    "de",
                ),
            )
    today = timezone.localdate()
    counts = [
        DownloadCount(
            item=item,
            language=language,
            day=today - timedelta(days=day),
            count=rng.randint(1, 9),
        )
        for item in created
        for language in item.languages()[:3]
        # a year of downloads, so that the figures of past quarters show them too
        for day in rng.sample(range(365), 40)
    ]
    DownloadCount.objects.bulk_create(counts)
    ctx.data["media_items"] = created
    ctx.progress(f"{len(created)} media items, {len(counts)} days of download counts")
