"""The start categories every district gets: seeded when a district is created (a
``post_save`` receiver registered in :class:`~hilfenetz.exchange.apps.ExchangeConfig`), and put
back by :func:`ensure_start_categories`. Migrations keep frozen copies of this data."""

# slug, German name, translations (en, ar, fa, uk, tr)
START_CATEGORIES = [
    (
        "sachspenden",
        "Sachspenden",
        {
            "en": "Material donations",
            "ar": "تبرعات عينية",
            "fa": "اهدای کالا",
            "uk": "Речові пожертви",
            "tr": "Ayni bağışlar",
        },
    ),
    (
        "begleitung-beratung",
        "Begleitung und Beratung",
        {
            "en": "Escort and counselling",
            "ar": "مرافقة واستشارة",
            "fa": "همراهی و مشاوره",
            "uk": "Супровід і консультації",
            "tr": "Refakat ve danışmanlık",
        },
    ),
    (
        "fahrdienste-transport",
        "Fahrdienste und Transport",
        {
            "en": "Driving and transport",
            "ar": "التوصيل والنقل",
            "fa": "رانندگی و حمل‌ونقل",
            "uk": "Поїздки й транспорт",
            "tr": "Sürüş ve taşıma",
        },
    ),
    (
        "freizeit",
        "Freizeit",
        {
            "en": "Leisure",
            "ar": "أوقات الفراغ",
            "fa": "اوقات فراغت",
            "uk": "Дозвілля",
            "tr": "Boş zaman",
        },
    ),
    (
        "familie-kinder",
        "Familie und Kinder",
        {
            "en": "Family and children",
            "ar": "الأسرة والأطفال",
            "fa": "خانواده و کودکان",
            "uk": "Сім'я та діти",
            "tr": "Aile ve çocuklar",
        },
    ),
    (
        "sprache",
        "Sprache",
        {"en": "Language", "ar": "اللغة", "fa": "زبان", "uk": "Мова", "tr": "Dil"},
    ),
    (
        "bildung",
        "Bildung",
        {"en": "Education", "ar": "التعليم", "fa": "آموزش", "uk": "Освіта", "tr": "Eğitim"},
    ),
    (
        "projekte-ideen",
        "Projekte und Ideen",
        {
            "en": "Projects and ideas",
            "ar": "مشاريع وأفكار",
            "fa": "پروژه‌ها و ایده‌ها",
            "uk": "Проєкти та ідеї",
            "tr": "Projeler ve fikirler",
        },
    ),
    (
        "arbeit-ausbildung",
        "Arbeit und Ausbildung",
        {
            "en": "Work and training",
            "ar": "العمل والتدريب المهني",
            "fa": "کار و کارآموزی",
            "uk": "Робота й навчання",
            "tr": "İş ve meslek eğitimi",
        },
    ),
    (
        "wohnen",
        "Wohnen",
        {"en": "Housing", "ar": "السكن", "fa": "مسکن", "uk": "Житло", "tr": "Konut"},
    ),
]


def ensure_start_categories(district) -> list:
    """Create the start categories ``district`` lacks (a new district, an emptied test
    database, a district that deleted some of them); return the ones created."""
    from hilfenetz.exchange.models import Category

    existing = set(Category.objects.filter(district=district).values_list("slug", flat=True))
    return Category.objects.bulk_create(
        [
            Category(
                district=district,
                slug=slug,
                name=name,
                translations={code: {"name": text} for code, text in names.items()},
                position=position * 10,
            )
            for position, (slug, name, names) in enumerate(START_CATEGORIES, 1)
            if slug not in existing
        ]
    )


def seed_new_district(sender, instance, created, raw=False, **kwargs):
    """``post_save`` of District: a new district starts with the start categories (not while
    loading fixtures, which bring their own rows)."""
    if created and not raw:
        ensure_start_categories(instance)
