"""The start platforms' names and purposes in Dari, Pashto, Russian, Kurmanji, Tigrinya, Somali
and French, for the platforms every district already has (a frozen copy of network/platforms.py).
A text a district wrote itself is left alone; going back removes only the texts added here."""

from django.db import migrations

TEXTS = {
    "soziale-betreuung": {
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
            "Сопровождение в повседневной жизни, консультации и сотрудничество с "
            "местной социальной службой.",
        ),
        "kmr": (
            "Xizmeta civakî li şaredariyê",
            "Piştgirî di jiyana rojane de, şêwirmendî û hevkarî bi xizmeta civakî ya herêmî re.",
        ),
        "ti": ("ማሕበራዊ ክንክን ኣብ ከተማ", "ኣብ ዕለታዊ ናብራ ምስናይ፣ ምኽሪ፣ ከምኡ'ውን ምስ ከባቢያዊ ማሕበራዊ ኣገልግሎት ምትሕብባር።"),
        "so": (
            "Daryeelka bulshada ee degmada",
            "Wehelin nolosha maalinlaha ah, la-talin iyo la-shaqeyn adeegyada "
            "bulshada ee deegaanka.",
        ),
        "fr": (
            "Accompagnement social dans la commune",
            "Accompagnement au quotidien, conseil et collaboration avec les "
            "services sociaux locaux.",
        ),
    },
    "wohnen-anschlussunterbringung": {
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
            "Lêgerîna xanî, bicihbûna di xaniyê nû de û cîrantiya "
            "baş di bicihkirina piştî qonaxa yekem de.",
        ),
        "ti": ("መንበርን ቀጻሊ መንበሪ ገዛን", "ምድላይ ገዛ፣ ናብ ገዛ ምእታውን ጽቡቕ ጉርብትናን ኣብ ቀጻሊ መንበሪ ገዛ።"),
        "so": (
            "Guryaha iyo hoyga xigga",
            "Raadinta guri, u guuritaanka iyo deris-wanaagga hoyga xigga.",
        ),
        "fr": (
            "Logement et hébergement après le foyer",
            "Recherche de logement, emménagement et bon voisinage "
            "dans l'hébergement après le foyer.",
        ),
    },
    "engagement-ehrenamt": {
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
            "Привлекать, сопровождать и поддерживать волонтеров; обмен опытом "
            "между группами волонтеров.",
        ),
        "kmr": (
            "Tevlêbûn û xebata dilxwazî",
            "Peydakirin, hevrêtî û xurtkirina dilxwazan; danûstandin di "
            "navbera komên dilxwazan de.",
        ),
        "ti": ("ተሳትፎን ወለንታዊ ስራሕን", "ወለንተኛታት ምስሓብ፣ ምስናይን ምድልዳልን፤ ልውውጥ ተሞክሮ ኣብ መንጎ ጉጅለታት ወለንተኛታት።"),
        "so": (
            "Ka-qaybgalka iyo mutadawacnimada",
            "Helidda, wehelinta iyo xoojinta mutadawiciinta; khibrad-wadaagga "
            "kooxaha mutadawiciinta.",
        ),
        "fr": (
            "Engagement et bénévolat",
            "Trouver, accompagner et soutenir les bénévoles ; échanges entre "
            "les groupes de bénévoles.",
        ),
    },
    "kinderbetreuung-bildung": {
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
    "ausbildung-arbeit": {
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
            "Stages, formation professionnelle, reconnaissance des diplômes et recherche d'emploi.",
        ),
    },
    "medizin-psychosozial": {
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
            "Visites chez le médecin, soins de santé et soutien en cas de "
            "difficultés psychologiques.",
        ),
    },
}


def add(apps, schema_editor):
    for platform in apps.get_model("network", "Platform").objects.filter(slug__in=TEXTS):
        translations = dict(platform.translations or {})
        for code, (name, purpose) in TEXTS[platform.slug].items():
            translations.setdefault(code, {"name": name, "description": purpose})
        platform.translations = translations
        platform.save(update_fields=["translations"])


def remove(apps, schema_editor):
    for platform in apps.get_model("network", "Platform").objects.filter(slug__in=TEXTS):
        translations = dict(platform.translations or {})
        for code, (name, purpose) in TEXTS[platform.slug].items():
            if translations.get(code) == {"name": name, "description": purpose}:
                del translations[code]
        platform.translations = translations
        platform.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("network", "0006_alter_expert_language_alter_invitation_language_and_more")]
    operations = [migrations.RunPython(add, remove)]
