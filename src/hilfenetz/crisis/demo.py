"""Crisis mode in the demo: the district's prepared templates (crisis mode stays off) and a
few volunteers who asked to be told when it starts. Every name is invented."""

from hilfenetz.core.demo import DemoContext, step
from hilfenetz.crisis.models import AlertRequest, CrisisTemplate, TemplateCategory

# German name, translations (en, ar, fa, uk, tr), categories as (slug, German, translations)
TEMPLATES = [
    (
        "Ankunft vieler Menschen",
        (
            "Arrival of many people",
            "وصول أعداد كبيرة من الناس",
            "ورود افراد بسیار",
            "Прибуття багатьох людей",
            "Çok sayıda insanın gelişi",
        ),
        [
            (
                "notunterkunft",
                "Notunterkunft",
                (
                    "Emergency accommodation",
                    "سكن طارئ",
                    "اسکان اضطراری",
                    "Екстрене житло",
                    "Acil konaklama",
                ),
            ),
            (
                "dolmetschen",
                "Dolmetschen",
                ("Interpreting", "الترجمة الفورية", "ترجمه شفاهی", "Усний переклад", "Tercümanlık"),
            ),
            (
                "erstausstattung",
                "Erstausstattung",
                (
                    "Basic household items",
                    "مستلزمات أساسية",
                    "وسایل اولیه خانه",
                    "Перше облаштування",
                    "İlk ihtiyaç eşyaları",
                ),
            ),
            ("wohnen", "Wohnen", ("Housing", "السكن", "مسکن", "Житло", "Konut")),
        ],
    ),
    (
        "Hochwasser",
        ("Flood", "فيضان", "سیل", "Повінь", "Sel"),
        [
            (
                "aufraeumen",
                "Aufräumen nach dem Hochwasser",
                (
                    "Clearing up after the flood",
                    "التنظيف بعد الفيضان",
                    "پاک‌سازی پس از سیل",
                    "Прибирання після повені",
                    "Sel sonrası temizlik",
                ),
            ),
            (
                "trocknungsgeraete",
                "Trocknungsgeräte",
                (
                    "Dehumidifiers",
                    "أجهزة التجفيف",
                    "دستگاه‌های خشک‌کن",
                    "Осушувачі",
                    "Kurutma cihazları",
                ),
            ),
            (
                "notunterkunft",
                "Notunterkunft",
                (
                    "Emergency accommodation",
                    "سكن طارئ",
                    "اسکان اضطراری",
                    "Екстрене житло",
                    "Acil konaklama",
                ),
            ),
        ],
    ),
]
CODES = ("en", "ar", "fa", "uk", "tr")


def _translations(names) -> dict:
    return {code: {"name": name} for code, name in zip(CODES, names, strict=True)}


@step(75, "Crisis mode: prepared templates, and volunteers who asked for the alert")
def crisis(ctx: DemoContext):
    for name, names, categories in TEMPLATES:
        template = CrisisTemplate.objects.create(
            district=ctx.district, name=name, translations=_translations(names)
        )
        TemplateCategory.objects.bulk_create(
            TemplateCategory(
                template=template, slug=slug, name=german, translations=_translations(texts)
            )
            for slug, german, texts in categories
        )
    volunteers = ctx.users["volunteers"][:5]
    AlertRequest.objects.bulk_create(AlertRequest(user=person) for person in volunteers)
    ctx.progress(
        f"{len(TEMPLATES)} crisis templates (crisis mode off), "
        f"{len(volunteers)} volunteers asked for the crisis alert"
    )
