"""The start categories' names in Dari, Pashto, Russian, Kurmanji, Tigrinya, Somali and French,
for the categories every district already has (a frozen copy of exchange/categories.py). A name a
district gave a category itself is left alone; going back removes only the names added here."""

from django.db import migrations

NAMES = {
    "sachspenden": {
        "prs": "کمک\u200cهای جنسی",
        "ps": "جنسي مرستې",
        "ru": "Вещевые пожертвования",
        "kmr": "Bexşînên tiştan",
        "ti": "ውህብቶ ኣቕሑ",
        "so": "Tabarucaadka alaabta",
        "fr": "Dons en nature",
    },
    "begleitung-beratung": {
        "prs": "همراهی و مشوره",
        "ps": "ملتیا او مشوره",
        "ru": "Сопровождение и консультации",
        "kmr": "Hevrêtî û şêwirmendî",
        "ti": "ምስናይን ምኽርን",
        "so": "Wehelin iyo la-talin",
        "fr": "Accompagnement et conseil",
    },
    "fahrdienste-transport": {
        "prs": "رساندن با موتر و ترانسپورت",
        "ps": "په موټر رسول او ټرانسپورت",
        "ru": "Подвоз и транспорт",
        "kmr": "Ajotin û veguhastin",
        "ti": "ምዝዋርን መጓዓዝያን",
        "so": "Gaarsiin iyo gaadiid",
        "fr": "Trajets et transport",
    },
    "freizeit": {
        "prs": "اوقات فراغت",
        "ps": "د وزګار وخت",
        "ru": "Досуг",
        "kmr": "Dema vala",
        "ti": "ግዜ ዕረፍቲ",
        "so": "Waqtiga firaaqada",
        "fr": "Loisirs",
    },
    "familie-kinder": {
        "prs": "خانواده و اطفال",
        "ps": "کورنۍ او ماشومان",
        "ru": "Семья и дети",
        "kmr": "Malbat û zarok",
        "ti": "ስድራቤትን ቆልዑን",
        "so": "Qoyska iyo carruurta",
        "fr": "Famille et enfants",
    },
    "sprache": {
        "prs": "زبان",
        "ps": "ژبه",
        "ru": "Язык",
        "kmr": "Ziman",
        "ti": "ቋንቋ",
        "so": "Luqad",
        "fr": "Langue",
    },
    "bildung": {
        "prs": "تعلیم",
        "ps": "زده کړه",
        "ru": "Образование",
        "kmr": "Perwerde",
        "ti": "ትምህርቲ",
        "so": "Waxbarasho",
        "fr": "Éducation",
    },
    "projekte-ideen": {
        "prs": "پروژه\u200cها و ایده\u200cها",
        "ps": "پروژې او مفکورې",
        "ru": "Проекты и идеи",
        "kmr": "Proje û raman",
        "ti": "ፕሮጀክትታትን ሓሳባትን",
        "so": "Mashaariic iyo fikrado",
        "fr": "Projets et idées",
    },
    "arbeit-ausbildung": {
        "prs": "کار و آموزش مسلکی",
        "ps": "کار او مسلکي زده کړه",
        "ru": "Работа и профессиональное обучение",
        "kmr": "Kar û perwerdeya pîşeyî",
        "ti": "ስራሕን ስልጠና ሞያን",
        "so": "Shaqo iyo tababar xirfadeed",
        "fr": "Travail et formation",
    },
    "wohnen": {
        "prs": "مسکن",
        "ps": "استوګنه",
        "ru": "Жилье",
        "kmr": "Xanî",
        "ti": "መንበሪ ገዛ",
        "so": "Guryaha",
        "fr": "Logement",
    },
}


def add(apps, schema_editor):
    for category in apps.get_model("exchange", "Category").objects.filter(slug__in=NAMES):
        translations = dict(category.translations or {})
        for code, name in NAMES[category.slug].items():
            translations.setdefault(code, {"name": name})
        category.translations = translations
        category.save(update_fields=["translations"])


def remove(apps, schema_editor):
    for category in apps.get_model("exchange", "Category").objects.filter(slug__in=NAMES):
        translations = dict(category.translations or {})
        for code, name in NAMES[category.slug].items():
            if translations.get(code) == {"name": name}:
                del translations[code]
        category.translations = translations
        category.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("exchange", "0019_alter_listing_language_alter_message_language")]
    operations = [migrations.RunPython(add, remove)]
