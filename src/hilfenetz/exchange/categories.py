"""The start categories every district gets: seeded when a district is created (a
``post_save`` receiver registered in :class:`~hilfenetz.exchange.apps.ExchangeConfig`), and put
back by :func:`ensure_start_categories`. Migrations keep frozen copies of this data."""

# slug, German name, translations (every other language of the interface)
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
            "prs": "کمک\u200cهای جنسی",
            "ps": "جنسي مرستې",
            "ru": "Вещевые пожертвования",
            "kmr": "Bexşînên tiştan",
            "ti": "ውህብቶ ኣቕሑ",
            "so": "Tabarucaadka alaabta",
            "fr": "Dons en nature",
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
            "prs": "همراهی و مشوره",
            "ps": "ملتیا او مشوره",
            "ru": "Сопровождение и консультации",
            "kmr": "Hevrêtî û şêwirmendî",
            "ti": "ምስናይን ምኽርን",
            "so": "Wehelin iyo la-talin",
            "fr": "Accompagnement et conseil",
        },
    ),
    (
        "fahrdienste-transport",
        "Fahrdienste und Transport",
        {
            "en": "Driving and transport",
            "ar": "التوصيل والنقل",
            "fa": "رانندگی و حمل\u200cونقل",
            "uk": "Поїздки й транспорт",
            "tr": "Sürüş ve taşıma",
            "prs": "رساندن با موتر و ترانسپورت",
            "ps": "په موټر رسول او ټرانسپورت",
            "ru": "Подвоз и транспорт",
            "kmr": "Ajotin û veguhastin",
            "ti": "ምዝዋርን መጓዓዝያን",
            "so": "Gaarsiin iyo gaadiid",
            "fr": "Trajets et transport",
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
            "prs": "اوقات فراغت",
            "ps": "د وزګار وخت",
            "ru": "Досуг",
            "kmr": "Dema vala",
            "ti": "ግዜ ዕረፍቲ",
            "so": "Waqtiga firaaqada",
            "fr": "Loisirs",
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
            "prs": "خانواده و اطفال",
            "ps": "کورنۍ او ماشومان",
            "ru": "Семья и дети",
            "kmr": "Malbat û zarok",
            "ti": "ስድራቤትን ቆልዑን",
            "so": "Qoyska iyo carruurta",
            "fr": "Famille et enfants",
        },
    ),
    (
        "sprache",
        "Sprache",
        {
            "en": "Language",
            "ar": "اللغة",
            "fa": "زبان",
            "uk": "Мова",
            "tr": "Dil",
            "prs": "زبان",
            "ps": "ژبه",
            "ru": "Язык",
            "kmr": "Ziman",
            "ti": "ቋንቋ",
            "so": "Luqad",
            "fr": "Langue",
        },
    ),
    (
        "bildung",
        "Bildung",
        {
            "en": "Education",
            "ar": "التعليم",
            "fa": "آموزش",
            "uk": "Освіта",
            "tr": "Eğitim",
            "prs": "تعلیم",
            "ps": "زده کړه",
            "ru": "Образование",
            "kmr": "Perwerde",
            "ti": "ትምህርቲ",
            "so": "Waxbarasho",
            "fr": "Éducation",
        },
    ),
    (
        "projekte-ideen",
        "Projekte und Ideen",
        {
            "en": "Projects and ideas",
            "ar": "مشاريع وأفكار",
            "fa": "پروژه\u200cها و ایده\u200cها",
            "uk": "Проєкти та ідеї",
            "tr": "Projeler ve fikirler",
            "prs": "پروژه\u200cها و ایده\u200cها",
            "ps": "پروژې او مفکورې",
            "ru": "Проекты и идеи",
            "kmr": "Proje û raman",
            "ti": "ፕሮጀክትታትን ሓሳባትን",
            "so": "Mashaariic iyo fikrado",
            "fr": "Projets et idées",
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
            "prs": "کار و آموزش مسلکی",
            "ps": "کار او مسلکي زده کړه",
            "ru": "Работа и профессиональное обучение",
            "kmr": "Kar û perwerdeya pîşeyî",
            "ti": "ስራሕን ስልጠና ሞያን",
            "so": "Shaqo iyo tababar xirfadeed",
            "fr": "Travail et formation",
        },
    ),
    (
        "wohnen",
        "Wohnen",
        {
            "en": "Housing",
            "ar": "السكن",
            "fa": "مسکن",
            "uk": "Житло",
            "tr": "Konut",
            "prs": "مسکن",
            "ps": "استوګنه",
            "ru": "Жилье",
            "kmr": "Xanî",
            "ti": "መንበሪ ገዛ",
            "so": "Guryaha",
            "fr": "Logement",
        },
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
