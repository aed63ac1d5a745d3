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
            "prs": (
                "رسیدگی اجتماعی در شاروالی",
                "همراهی در زندگی روزمره، مشوره و همکاری با خدمات اجتماعی محلی.",
            ),
            "ps": (
                "په ښاروالۍ کې ټولنیزه پاملرنه",
                "په ورځني ژوند کې ملتیا، مشوره او له سیمه\u200cییزو ټولنیزو خدمتونو سره همکاري.",
            ),
            "ru": (
                "Социальное сопровождение в общине",
                "Сопровождение в повседневной жизни, консультации и сотрудничество с местной социальной "
                "службой.",
            ),
            "kmr": (
                "Xizmeta civakî li şaredariyê",
                "Piştgirî di jiyana rojane de, şêwirmendî û hevkarî bi xizmeta civakî ya herêmî re.",
            ),
            "ti": (
                "ማሕበራዊ ክንክን ኣብ ከተማ",
                "ኣብ ዕለታዊ ናብራ ምስናይ፣ ምኽሪ፣ ከምኡ'ውን ምስ ከባቢያዊ ማሕበራዊ ኣገልግሎት ምትሕብባር።",
            ),
            "so": (
                "Daryeelka bulshada ee degmada",
                "Wehelin nolosha maalinlaha ah, la-talin iyo la-shaqeyn adeegyada bulshada ee "
                "deegaanka.",
            ),
            "fr": (
                "Accompagnement social dans la commune",
                "Accompagnement au quotidien, conseil et collaboration avec les services sociaux "
                "locaux.",
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
                "جست\u200cوجوی خانه، نقل مکان و همسایگی خوب در اسکان بعدی.",
            ),
            "uk": (
                "Житло й подальше розміщення",
                "Пошук житла, переїзд і добросусідство в подальшому розміщенні.",
            ),
            "tr": (
                "Konut ve sonraki barınma",
                "Ev arama, taşınma ve sonraki barınmada iyi komşuluk.",
            ),
            "prs": (
                "مسکن و جای بود و باش بعدی",
                "جستجوی خانه، کوچ کردن و همسایگی خوب در جای بود و باش بعدی.",
            ),
            "ps": (
                "استوګنه او ورپسې استوګنځی",
                "د کور لټول، کور ته کډېدل او په ورپسې استوګنځي کې ښه ګاونډیتوب.",
            ),
            "ru": (
                "Жилье и последующее размещение",
                "Поиск жилья, переезд и добрые отношения с соседями в местах последующего размещения.",
            ),
            "kmr": (
                "Xanî û bicihkirina piştî qonaxa yekem",
                "Lêgerîna xanî, bicihbûna di xaniyê nû de û cîrantiya baş di bicihkirina piştî qonaxa "
                "yekem de.",
            ),
            "ti": ("መንበርን ቀጻሊ መንበሪ ገዛን", "ምድላይ ገዛ፣ ናብ ገዛ ምእታውን ጽቡቕ ጉርብትናን ኣብ ቀጻሊ መንበሪ ገዛ።"),
            "so": (
                "Guryaha iyo hoyga xigga",
                "Raadinta guri, u guuritaanka iyo deris-wanaagga hoyga xigga.",
            ),
            "fr": (
                "Logement et hébergement après le foyer",
                "Recherche de logement, emménagement et bon voisinage dans l'hébergement après le "
                "foyer.",
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
                "جذب، همراهی و تقویت داوطلبان؛ تبادل میان گروه\u200cهای یاری.",
            ),
            "uk": (
                "Залученість і волонтерство",
                "Залучати, супроводжувати й підтримувати волонтерів; обмін між робочими групами.",
            ),
            "tr": (
                "Katılım ve gönüllülük",
                "Gönüllü kazanmak, onlara eşlik etmek ve güçlendirmek; çalışma grupları arası paylaşım.",
            ),
            "prs": (
                "مشارکت و کار رضاکارانه",
                "جذب، همراهی و تقویت رضاکاران؛ تبادل تجربه میان گروه\u200cهای رضاکاران.",
            ),
            "ps": (
                "ګډون او رضاکاري",
                "د رضاکارانو جذبول، ملتیا او پیاوړي کول؛ د رضاکارانو د ګروپونو ترمنځ د تجربو تبادله.",
            ),
            "ru": (
                "Гражданская активность и волонтерство",
                "Привлекать, сопровождать и поддерживать волонтеров; обмен опытом между группами "
                "волонтеров.",
            ),
            "kmr": (
                "Tevlêbûn û xebata dilxwazî",
                "Peydakirin, hevrêtî û xurtkirina dilxwazan; danûstandin di navbera komên dilxwazan "
                "de.",
            ),
            "ti": (
                "ተሳትፎን ወለንታዊ ስራሕን",
                "ወለንተኛታት ምስሓብ፣ ምስናይን ምድልዳልን፤ ልውውጥ ተሞክሮ ኣብ መንጎ ጉጅለታት ወለንተኛታት።",
            ),
            "so": (
                "Ka-qaybgalka iyo mutadawacnimada",
                "Helidda, wehelinta iyo xoojinta mutadawiciinta; khibrad-wadaagga kooxaha "
                "mutadawiciinta.",
            ),
            "fr": (
                "Engagement et bénévolat",
                "Trouver, accompagner et soutenir les bénévoles ; échanges entre les groupes de "
                "bénévoles.",
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
            "prs": ("نگهداری اطفال و تعلیم", "کودکستان، مکتب، تقویت زبان و کمک در کارخانگی."),
            "ps": (
                "د ماشومانو پالنه او زده کړه",
                "وړکتون، ښوونځی، د ژبې زده کړې ملاتړ او په کورني کار کې مرسته.",
            ),
            "ru": (
                "Присмотр за детьми и образование",
                "Детский сад, школа, языковая поддержка и помощь с домашними заданиями.",
            ),
            "kmr": (
                "Lênihêrîna zarokan û perwerde",
                "Baxçeyê zarokan, dibistan, piştgiriya zimên û alîkarî bi erkên malê re.",
            ),
            "ti": ("ክንክን ህጻናትን ትምህርትን", "መዋእለ ህጻናት፣ ቤት ትምህርቲ፣ ደገፍ ቋንቋን ሓገዝ ዕዮ ገዛን።"),
            "so": (
                "Daryeelka carruurta iyo waxbarashada",
                "Xannaanada carruurta, dugsiga, taageerada luqadda iyo caawinta layliyada guriga.",
            ),
            "fr": (
                "Garde d'enfants et éducation",
                "Crèche, école, soutien linguistique et aide aux devoirs.",
            ),
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
            "fa": ("کارآموزی و کار", "کارورزی، آموزش حرفه\u200cای، شناسایی مدارک و کاریابی."),
            "uk": (
                "Професійне навчання й робота",
                "Практика, навчання, визнання дипломів і пошук роботи.",
            ),
            "tr": (
                "Meslek eğitimi ve iş",
                "Staj, meslek eğitimi, diplomaların tanınması ve iş arama.",
            ),
            "prs": (
                "آموزش مسلکی و کار",
                "کارآموزی، آموزش مسلکی، به رسمیت شناختن اسناد تحصیلی و کاریابی.",
            ),
            "ps": (
                "مسلکي زده کړه او کار",
                "عملي تمرینونه، مسلکي زده کړه، د تعلیمي اسنادو په رسمیت پېژندل او د کار لټول.",
            ),
            "ru": (
                "Профессиональное обучение и работа",
                "Практика, профессиональное обучение, признание дипломов и поиск работы.",
            ),
            "kmr": (
                "Perwerdeya pîşeyî û kar",
                "Staj, perwerdeya pîşeyî, naskirina bawernameyan û lêgerîna kar.",
            ),
            "ti": ("ስልጠና ሞያን ስራሕን", "ልምምድ ስራሕ፣ ስልጠና ሞያ፣ ኣፍልጦ ምስክር ወረቓቕትን ምድላይ ስራሕን።"),
            "so": (
                "Tababarka xirfadda iyo shaqada",
                "Tababar-shaqo, tababar xirfadeed, aqoonsiga shahaadooyinka iyo raadinta shaqo.",
            ),
            "fr": (
                "Formation professionnelle et travail",
                "Stages, formation professionnelle, reconnaissance des diplômes et recherche "
                "d'emploi.",
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
                "مراجعه به پزشک، مراقبت\u200cهای بهداشتی و حمایت در فشارهای روانی.",
            ),
            "uk": (
                "Медична допомога й психосоціальна підтримка",
                "Візити до лікаря, охорона здоров'я та підтримка при психологічному навантаженні.",
            ),
            "tr": (
                "Tıbbi bakım ve psikososyal destek",
                "Doktor ziyaretleri, sağlık hizmetleri ve ruhsal yüklerde destek.",
            ),
            "prs": (
                "خدمات صحی و حمایت روانی\u200cاجتماعی",
                "مراجعه به داکتر، خدمات صحی و حمایت در فشارهای روانی.",
            ),
            "ps": (
                "طبي پاملرنه او رواني ټولنیز ملاتړ",
                "ډاکټر ته تلل، روغتیايي خدمتونه او د رواني فشارونو پر مهال ملاتړ.",
            ),
            "ru": (
                "Медицинская помощь и психосоциальная поддержка",
                "Визиты к врачу, медицинское обслуживание и поддержка при психологических трудностях.",
            ),
            "kmr": (
                "Lênihêrîna tenduristiyê û piştgiriya derûnî-civakî",
                "Serdanên bijîşk, xizmetên tenduristiyê û piştgirî di zextên derûnî de.",
            ),
            "ti": (
                "ሕክምናዊ ክንክንን ስነ-ኣእምሮኣዊ ማሕበራዊ ደገፍን",
                "ምብጻሕ ሓኪም፣ ክንክን ጥዕና፣ ከምኡ'ውን ኣብ ስነ-ኣእምሮኣዊ ጸቕጢ ደገፍ።",
            ),
            "so": (
                "Daryeelka caafimaadka iyo taageerada nafsiga iyo bulshada",
                "Booqashada dhakhtarka, daryeelka caafimaadka iyo taageerada culeyska nafsiga ah.",
            ),
            "fr": (
                "Soins médicaux et soutien psychosocial",
                "Visites chez le médecin, soins de santé et soutien en cas de difficultés "
                "psychologiques.",
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
