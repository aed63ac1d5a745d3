"""The six platforms every district starts with (the topics of the Kreisarbeitsgemeinschaft
„Netzwerk Flüchtlinge“): seeded when a district is created (a ``post_save`` receiver registered in
:class:`~hilfenetz.network.apps.NetworkConfig`), and put back by :func:`ensure_start_platforms`.
The migration that seeds existing districts keeps a frozen copy of this data."""

# slug, German name, German purpose, {language: (name, purpose)}
START_PLATFORMS = [
    (
        "soziale-betreuung",
        "Soziale Betreuung in der Kommune",
        "Begleitung im Alltag, Beratung und Zusammenarbeit mit der Sozialbetreuung vor Ort.",
        {
            "en": (
                "Social care in the community",
                "Everyday support, counselling and working with the local social services.",
            ),
            "ar": (
                "الرعاية الاجتماعية في البلدية",
                "المرافقة في الحياة اليومية والاستشارة والتعاون مع الرعاية الاجتماعية المحلية.",
            ),
            "fa": (
                "مراقبت اجتماعی در شهرداری",
                "همراهی در زندگی روزمره، مشاوره و همکاری با خدمات اجتماعی محلی.",
            ),
            "uk": (
                "Соціальний супровід у громаді",
                "Супровід у повсякденні, консультації та співпраця з місцевою соцслужбою.",
            ),
            "tr": (
                "Belediyede sosyal destek",
                "Günlük yaşamda refakat, danışmanlık ve yerel sosyal hizmetlerle iş birliği.",
            ),
        },
    ),
    (
        "wohnen-anschlussunterbringung",
        "Wohnen und Anschlussunterbringung",
        "Wohnungssuche, Einzug und gute Nachbarschaft in der Anschlussunterbringung.",
        {
            "en": (
                "Housing and follow-up accommodation",
                "Finding flats, moving in and good neighbourhood in follow-up accommodation.",
            ),
            "ar": (
                "السكن والإيواء اللاحق",
                "البحث عن سكن والانتقال إليه وحسن الجوار في السكن اللاحق.",
            ),
            "fa": (
                "مسکن و اسکان پس از اقامتگاه اولیه",
                "جست‌وجوی خانه، نقل مکان و همسایگی خوب در اسکان بعدی.",
            ),
            "uk": (
                "Житло й подальше розміщення",
                "Пошук житла, переїзд і добросусідство в подальшому розміщенні.",
            ),
            "tr": (
                "Konut ve sonraki barınma",
                "Ev arama, taşınma ve sonraki barınmada iyi komşuluk.",
            ),
        },
    ),
    (
        "engagement-ehrenamt",
        "Engagement und Ehrenamt",
        "Ehrenamtliche gewinnen, begleiten und stärken; Austausch der Helferkreise.",
        {
            "en": (
                "Engagement and volunteering",
                "Finding, accompanying and supporting volunteers; exchange between working groups.",
            ),
            "ar": (
                "المشاركة والعمل التطوعي",
                "كسب المتطوعين ومرافقتهم ودعمهم؛ تبادل الخبرات بين مجموعات المساعدة.",
            ),
            "fa": (
                "مشارکت و کار داوطلبانه",
                "جذب، همراهی و تقویت داوطلبان؛ تبادل میان گروه‌های یاری.",
            ),
            "uk": (
                "Залученість і волонтерство",
                "Залучати, супроводжувати й підтримувати волонтерів; обмін між робочими групами.",
            ),
            "tr": (
                "Katılım ve gönüllülük",
                "Gönüllü kazanmak, onlara eşlik etmek ve güçlendirmek; çalışma grupları arası paylaşım.",
            ),
        },
    ),
    (
        "kinderbetreuung-bildung",
        "Kinderbetreuung und Bildung",
        "Kita, Schule, Sprachförderung und Hausaufgabenhilfe.",
        {
            "en": (
                "Childcare and education",
                "Day care, school, language support and homework help.",
            ),
            "ar": ("رعاية الأطفال والتعليم", "الحضانة والمدرسة ودعم اللغة والمساعدة في الواجبات."),
            "fa": ("مراقبت از کودکان و آموزش", "مهدکودک، مدرسه، تقویت زبان و کمک در تکالیف."),
            "uk": (
                "Догляд за дітьми й освіта",
                "Дитсадок, школа, мовна підтримка й допомога з домашніми завданнями.",
            ),
            "tr": ("Çocuk bakımı ve eğitim", "Kreş, okul, dil desteği ve ödev yardımı."),
        },
    ),
    (
        "ausbildung-arbeit",
        "Ausbildung und Arbeit",
        "Praktika, Ausbildung, Anerkennung von Abschlüssen und Arbeitssuche.",
        {
            "en": (
                "Training and work",
                "Internships, training, recognition of qualifications and finding work.",
            ),
            "ar": (
                "التدريب المهني والعمل",
                "التدريب العملي والتأهيل المهني والاعتراف بالشهادات والبحث عن عمل.",
            ),
            "fa": ("کارآموزی و کار", "کارورزی، آموزش حرفه‌ای، شناسایی مدارک و کاریابی."),
            "uk": (
                "Професійне навчання й робота",
                "Практика, навчання, визнання дипломів і пошук роботи.",
            ),
            "tr": (
                "Meslek eğitimi ve iş",
                "Staj, meslek eğitimi, diplomaların tanınması ve iş arama.",
            ),
        },
    ),
    (
        "medizin-psychosozial",
        "Medizinische Versorgung und psychosoziale Betreuung",
        "Arztbesuche, Gesundheitsversorgung und Unterstützung bei seelischen Belastungen.",
        {
            "en": (
                "Medical care and psychosocial support",
                "Doctor's visits, health care and support with psychological strain.",
            ),
            "ar": (
                "الرعاية الطبية والدعم النفسي الاجتماعي",
                "زيارات الطبيب والرعاية الصحية والدعم في الضغوط النفسية.",
            ),
            "fa": (
                "مراقبت پزشکی و حمایت روانی-اجتماعی",
                "مراجعه به پزشک، مراقبت‌های بهداشتی و حمایت در فشارهای روانی.",
            ),
            "uk": (
                "Медична допомога й психосоціальна підтримка",
                "Візити до лікаря, охорона здоров'я та підтримка при психологічному навантаженні.",
            ),
            "tr": (
                "Tıbbi bakım ve psikososyal destek",
                "Doktor ziyaretleri, sağlık hizmetleri ve ruhsal yüklerde destek.",
            ),
        },
    ),
]


def ensure_start_platforms(district) -> list:
    """Create the start platforms ``district`` lacks; return the ones created."""
    from hilfenetz.network.models import Platform

    existing = set(Platform.objects.filter(district=district).values_list("slug", flat=True))
    return Platform.objects.bulk_create(
        [
            Platform(
                district=district,
                slug=slug,
                name=name,
                description=purpose,
                translations={
                    code: {"name": label, "description": text}
                    for code, (label, text) in translations.items()
                },
                position=position * 10,
            )
            for position, (slug, name, purpose, translations) in enumerate(START_PLATFORMS, 1)
            if slug not in existing
        ]
    )


def seed_new_district(sender, instance, created, raw=False, **kwargs):
    """``post_save`` of District: a new district starts with the six platforms."""
    if created and not raw:
        ensure_start_platforms(instance)
