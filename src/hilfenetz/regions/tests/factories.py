import factory

from hilfenetz.regions.models import Area, District, Municipality


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Landkreis Test {n}")
    slug = factory.Sequence(lambda n: f"landkreis-test-{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Bereich {n}")
    slug = factory.Sequence(lambda n: f"bereich-{n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    area = factory.SubFactory(AreaFactory)
    district = factory.SelfAttribute("area.district")
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
