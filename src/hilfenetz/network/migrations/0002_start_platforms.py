from django.db import migrations

# A frozen copy of network/platforms.py: slug, German name, German purpose,
# {language: (name, purpose)}
PLATFORMS = [('soziale-betreuung',
  'Soziale Betreuung in der Kommune',
  'Begleitung im Alltag, Beratung und Zusammenarbeit mit der Sozialbetreuung vor Ort.',
  {'ar': ('الرعاية الاجتماعية في البلدية', 'المرافقة في الحياة اليومية والاستشارة والتعاون مع الرعاية الاجتماعية المحلية.'),
   'en': ('Social care in the community', 'Everyday support, counselling and working with the local social services.'),
   'fa': ('مراقبت اجتماعی در شهرداری', 'همراهی در زندگی روزمره، مشاوره و همکاری با خدمات اجتماعی محلی.'),
   'tr': ('Belediyede sosyal destek', 'Günlük yaşamda refakat, danışmanlık ve yerel sosyal hizmetlerle iş birliği.'),
   'uk': ('Соціальний супровід у громаді', 'Супровід у повсякденні, консультації та співпраця з місцевою соцслужбою.')}),
 ('wohnen-anschlussunterbringung',
  'Wohnen und Anschlussunterbringung',
  'Wohnungssuche, Einzug und gute Nachbarschaft in der Anschlussunterbringung.',
  {'ar': ('السكن والإيواء اللاحق', 'البحث عن سكن والانتقال إليه وحسن الجوار في السكن اللاحق.'),
   'en': ('Housing and follow-up accommodation', 'Finding flats, moving in and good neighbourhood in follow-up accommodation.'),
   'fa': ('مسکن و اسکان پس از اقامتگاه اولیه', 'جست\u200cوجوی خانه، نقل مکان و همسایگی خوب در اسکان بعدی.'),
   'tr': ('Konut ve sonraki barınma', 'Ev arama, taşınma ve sonraki barınmada iyi komşuluk.'),
   'uk': ('Житло й подальше розміщення', 'Пошук житла, переїзд і добросусідство в подальшому розміщенні.')}),
 ('engagement-ehrenamt',
  'Engagement und Ehrenamt',
  'Ehrenamtliche gewinnen, begleiten und stärken; Austausch der Helferkreise.',
  {'ar': ('المشاركة والعمل التطوعي', 'كسب المتطوعين ومرافقتهم ودعمهم؛ تبادل الخبرات بين مجموعات المساعدة.'),
   'en': ('Engagement and volunteering', 'Finding, accompanying and supporting volunteers; exchange between working groups.'),
   'fa': ('مشارکت و کار داوطلبانه', 'جذب، همراهی و تقویت داوطلبان؛ تبادل میان گروه\u200cهای یاری.'),
   'tr': ('Katılım ve gönüllülük', 'Gönüllü kazanmak, onlara eşlik etmek ve güçlendirmek; çalışma grupları arası paylaşım.'),
   'uk': ('Залученість і волонтерство', 'Залучати, супроводжувати й підтримувати волонтерів; обмін між робочими групами.')}),
 ('kinderbetreuung-bildung',
  'Kinderbetreuung und Bildung',
  'Kita, Schule, Sprachförderung und Hausaufgabenhilfe.',
  {'ar': ('رعاية الأطفال والتعليم', 'الحضانة والمدرسة ودعم اللغة والمساعدة في الواجبات.'),
   'en': ('Childcare and education', 'Day care, school, language support and homework help.'),
   'fa': ('مراقبت از کودکان و آموزش', 'مهدکودک، مدرسه، تقویت زبان و کمک در تکالیف.'),
   'tr': ('Çocuk bakımı ve eğitim', 'Kreş, okul, dil desteği ve ödev yardımı.'),
   'uk': ('Догляд за дітьми й освіта', 'Дитсадок, школа, мовна підтримка й допомога з домашніми завданнями.')}),
 ('ausbildung-arbeit',
  'Ausbildung und Arbeit',
  'Praktika, Ausbildung, Anerkennung von Abschlüssen und Arbeitssuche.',
  {'ar': ('التدريب المهني والعمل', 'التدريب العملي والتأهيل المهني والاعتراف بالشهادات والبحث عن عمل.'),
   'en': ('Training and work', 'Internships, training, recognition of qualifications and finding work.'),
   'fa': ('کارآموزی و کار', 'کارورزی، آموزش حرفه\u200cای، شناسایی مدارک و کاریابی.'),
   'tr': ('Meslek eğitimi ve iş', 'Staj, meslek eğitimi, diplomaların tanınması ve iş arama.'),
   'uk': ('Професійне навчання й робота', 'Практика, навчання, визнання дипломів і пошук роботи.')}),
 ('medizin-psychosozial',
  'Medizinische Versorgung und psychosoziale Betreuung',
  'Arztbesuche, Gesundheitsversorgung und Unterstützung bei seelischen Belastungen.',
  {'ar': ('الرعاية الطبية والدعم النفسي الاجتماعي', 'زيارات الطبيب والرعاية الصحية والدعم في الضغوط النفسية.'),
   'en': ('Medical care and psychosocial support', "Doctor's visits, health care and support with psychological strain."),
   'fa': ('مراقبت پزشکی و حمایت روانی-اجتماعی', 'مراجعه به پزشک، مراقبت\u200cهای بهداشتی و حمایت در فشارهای روانی.'),
   'tr': ('Tıbbi bakım ve psikososyal destek', 'Doktor ziyaretleri, sağlık hizmetleri ve ruhsal yüklerde destek.'),
   'uk': ('Медична допомога й психосоціальна підтримка', "Візити до лікаря, охорона здоров'я та підтримка при психологічному навантаженні.")})]


def seed(apps, schema_editor):
    District = apps.get_model("regions", "District")
    Platform = apps.get_model("network", "Platform")
    for district in District.objects.all():
        for position, (slug, name, purpose, translations) in enumerate(PLATFORMS, 1):
            Platform.objects.get_or_create(
                district=district,
                slug=slug,
                defaults={
                    "name": name,
                    "description": purpose,
                    "translations": {
                        code: {"name": label, "description": text}
                        for code, (label, text) in translations.items()
                    },
                    "position": position * 10,
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("network", "Platform").objects.filter(
        slug__in=[slug for slug, *_rest in PLATFORMS], meetings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial"), ("regions", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
