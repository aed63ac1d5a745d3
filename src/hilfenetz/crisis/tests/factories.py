from datetime import timedelta

from django.utils import timezone

from hilfenetz.crisis.models import AccommodationOffer, CrisisTemplate, TemplateCategory


def template(district, name="Hochwasser", categories=(("notunterkunft", "Notunterkunft"),)):
    made = CrisisTemplate.objects.create(
        district=district, name=name, translations={"en": {"name": "Flood"}}
    )
    for slug, german in categories:
        TemplateCategory.objects.create(
            template=made, slug=slug, name=german, translations={"ar": {"name": f"{german} ar"}}
        )
    return made


def offer(municipality, person, **fields):
    return AccommodationOffer.objects.create(
        municipality=municipality,
        offered_by=person,
        people=fields.pop("people", 2),
        available_from=fields.pop("available_from", timezone.localdate()),
        available_until=timezone.localdate() + timedelta(days=30),
        note=fields.pop("note", "Zimmer im Erdgeschoss"),
        **fields,
    )
