from django.db import migrations

# slug, German name, translations (en, ar, fa, uk, tr)
CATEGORIES = [
    ("sachspenden", "Sachspenden", {"en": "Material donations", "ar": "تبرعات عينية", "fa": "اهدای کالا", "uk": "Речові пожертви", "tr": "Ayni bağışlar"}),
    ("begleitung-beratung", "Begleitung und Beratung", {"en": "Escort and counselling", "ar": "مرافقة واستشارة", "fa": "همراهی و مشاوره", "uk": "Супровід і консультації", "tr": "Refakat ve danışmanlık"}),
    ("fahrdienste-transport", "Fahrdienste und Transport", {"en": "Driving and transport", "ar": "التوصيل والنقل", "fa": "رانندگی و حمل‌ونقل", "uk": "Поїздки й транспорт", "tr": "Sürüş ve taşıma"}),
    ("freizeit", "Freizeit", {"en": "Leisure", "ar": "أوقات الفراغ", "fa": "اوقات فراغت", "uk": "Дозвілля", "tr": "Boş zaman"}),
    ("familie-kinder", "Familie und Kinder", {"en": "Family and children", "ar": "الأسرة والأطفال", "fa": "خانواده و کودکان", "uk": "Сім'я та діти", "tr": "Aile ve çocuklar"}),
    ("sprache", "Sprache", {"en": "Language", "ar": "اللغة", "fa": "زبان", "uk": "Мова", "tr": "Dil"}),
    ("bildung", "Bildung", {"en": "Education", "ar": "التعليم", "fa": "آموزش", "uk": "Освіта", "tr": "Eğitim"}),
    ("projekte-ideen", "Projekte und Ideen", {"en": "Projects and ideas", "ar": "مشاريع وأفكار", "fa": "پروژه‌ها و ایده‌ها", "uk": "Проєкти та ідеї", "tr": "Projeler ve fikirler"}),
    ("arbeit-ausbildung", "Arbeit und Ausbildung", {"en": "Work and training", "ar": "العمل والتدريب المهني", "fa": "کار و کارآموزی", "uk": "Робота й навчання", "tr": "İş ve meslek eğitimi"}),
    ("wohnen", "Wohnen", {"en": "Housing", "ar": "السكن", "fa": "مسکن", "uk": "Житло", "tr": "Konut"}),
]


def seed(apps, schema_editor):
    Category = apps.get_model("exchange", "Category")
    for position, (slug, name, translations) in enumerate(CATEGORIES, 1):
        Category.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "translations": translations, "position": position * 10},
        )


def unseed(apps, schema_editor):
    apps.get_model("exchange", "Category").objects.filter(
        slug__in=[slug for slug, _, _ in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
