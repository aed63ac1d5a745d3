"""Crisis mode in the access matrix. The world's district keeps a template ("Hochwasser")
and has crisis mode off; the foreign district is in crisis mode (only the administrator may
turn it off from here); ``person`` offered accommodation in ``here``."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hilfenetz.core.tests.access import LOGIN, Case, Effect, expect, unchanged
from hilfenetz.crisis import services
from hilfenetz.crisis.models import (
    AccommodationOffer,
    AlertRequest,
    CrisisMode,
    CrisisTemplate,
    TemplateCategory,
)
from hilfenetz.crisis.tests.factories import offer, template
from hilfenetz.exchange.models import Category

SWITCHERS = ("district_coordinator", "administrator")
IN_DISTRICT = ("coordinator_here", "coordinator_other", *SWITCHERS)
HANDLERS = ("coordinator_here", *SWITCHERS)


def only(allowed_status, roles, denied=403):
    return expect(denied, anonymous=LOGIN, **dict.fromkeys(roles, allowed_status))


def extend_world(world):
    world.extra["crisis_template"] = template(world.district)
    world.extra["crisis_offer"] = offer(world.here, world.users["person"])
    foreign = world.foreign.district
    services.switch_on(
        foreign,
        world.users["administrator"],
        banner="Hochwasser im Landkreis Fern",
        translations={},
        ends_on=timezone.localdate() + timedelta(days=7),
    )
    world.extra["crisis_foreign"] = foreign


def is_on(district):
    return lambda w: CrisisMode.objects.filter(district=district(w), is_on=True).exists()


def switch_data(w, confirmed=True):
    data = {
        "template": w.crisis_template.pk,
        "banner": "Ankunft vieler Menschen",
        "banner_en": "Many people arriving",
        "ends_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
    }
    return {**data, "confirmed": "on"} if confirmed else data


def names(w):
    return {"name": "Notunterkunft Turnhalle", "name_en": "Emergency shelter gym"}


CASES = [
    Case("crisis:index", lambda w: reverse("crisis:index"), expect(200)),
    Case(
        "crisis:alerts",
        lambda w: reverse("crisis:alerts"),
        expect(302, anonymous=LOGIN),
        method="POST",
        data=lambda w: {"alert": "on"},
        effect=Effect(lambda w: AlertRequest.objects.count(), after=1),
    ),
    Case("crisis:offer", lambda w: reverse("crisis:offer"), expect(200, anonymous=LOGIN)),
    Case(
        "crisis:offer",
        lambda w: reverse("crisis:offer"),
        expect(200, anonymous=LOGIN),
        method="POST",
        label="in a district not in crisis mode",
        data=lambda w: {
            "municipality": w.here.pk,
            "people": 3,
            "available_from": timezone.localdate().isoformat(),
        },
        effect=unchanged(lambda w: AccommodationOffer.objects.count()),
    ),
    Case("crisis:offers", lambda w: reverse("crisis:offers"), only(200, IN_DISTRICT)),
    Case("crisis:offers_csv", lambda w: reverse("crisis:offers_csv"), only(200, IN_DISTRICT)),
    Case(
        "crisis:offer_status",
        lambda w: reverse("crisis:offer_status", args=[w.crisis_offer.pk]),
        only(302, HANDLERS),
        method="POST",
        data=lambda w: {"status": "placed"},
        effect=Effect(
            lambda w: AccommodationOffer.objects.get(pk=w.crisis_offer.pk).status, after="placed"
        ),
    ),
    Case(
        "crisis:offer_delete",
        lambda w: reverse("crisis:offer_delete", args=[w.crisis_offer.pk]),
        only(302, HANDLERS),
        method="POST",
        effect=Effect(
            lambda w: AccommodationOffer.objects.filter(pk=w.crisis_offer.pk).exists(),
            after=False,
        ),
    ),
    Case(
        "crisis:manage",
        lambda w: reverse("crisis:manage", args=[w.district.pk]),
        only(200, IN_DISTRICT),
    ),
    Case(
        "crisis:switch_on",
        lambda w: reverse("crisis:switch_on", args=[w.district.pk]),
        only(200, SWITCHERS),
        method="POST",
        label="shows what will happen",
        data=lambda w: switch_data(w, confirmed=False),
        effect=unchanged(is_on(lambda w: w.district)),
    ),
    Case(
        "crisis:switch_on",
        lambda w: reverse("crisis:switch_on", args=[w.district.pk]),
        only(302, SWITCHERS),
        method="POST",
        label="confirmed",
        data=switch_data,
        effect=Effect(is_on(lambda w: w.district), after=True),
    ),
    Case(
        "crisis:switch_off",
        lambda w: reverse("crisis:switch_off", args=[w.crisis_foreign.pk]),
        only(200, ("administrator",)),
    ),
    Case(
        "crisis:switch_off",
        lambda w: reverse("crisis:switch_off", args=[w.crisis_foreign.pk]),
        only(302, ("administrator",)),
        method="POST",
        effect=Effect(is_on(lambda w: w.crisis_foreign), after=False),
    ),
    Case(
        "crisis:templates",
        lambda w: reverse("crisis:templates", args=[w.district.pk]),
        only(200, SWITCHERS),
    ),
    Case(
        "crisis:templates",
        lambda w: reverse("crisis:templates", args=[w.district.pk]),
        only(302, SWITCHERS),
        method="POST",
        data=lambda w: {"name": "Ankunft vieler Menschen", "name_uk": "Прибуття багатьох людей"},
        effect=Effect(lambda w: CrisisTemplate.objects.count(), after=lambda n: n + 1),
    ),
    Case(
        "crisis:template",
        lambda w: reverse("crisis:template", args=[w.crisis_template.pk]),
        only(200, SWITCHERS),
    ),
    Case(
        "crisis:template",
        lambda w: reverse("crisis:template", args=[w.crisis_template.pk]),
        only(302, SWITCHERS),
        method="POST",
        data=names,
        effect=Effect(lambda w: TemplateCategory.objects.count(), after=lambda n: n + 1),
    ),
    Case(
        "crisis:template_remove",
        lambda w: reverse("crisis:template_remove", args=[w.crisis_template.categories.first().pk]),
        only(302, SWITCHERS),
        method="POST",
        effect=Effect(
            lambda w: TemplateCategory.objects.filter(template=w.crisis_template).count(),
            after=0,
        ),
    ),
    Case(
        "crisis:category_add",
        lambda w: reverse("crisis:category_add", args=[w.district.pk]),
        only(200, SWITCHERS),
    ),
    Case(
        "crisis:category_add",
        lambda w: reverse("crisis:category_add", args=[w.district.pk]),
        only(302, SWITCHERS),
        method="POST",
        data=names,
        effect=Effect(
            lambda w: Category.objects.filter(district=w.district).count(), after=lambda n: n + 1
        ),
    ),
]
