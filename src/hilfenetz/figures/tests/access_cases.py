from django.urls import reverse

from hilfenetz.core.tests.access import LOGIN, Case, expect

#: People without a coordinator role see no figures at all.
NOBODY_ELSE = {"anonymous": LOGIN, "person": 403, "org_member": 403, "org_admin": 403}


def url(name, **query):
    def path(world):
        params = "&".join(f"{key}={value(world)}" for key, value in query.items())
        return reverse(f"figures:{name}") + (f"?{params}" if params else "")

    return path


def here(world):
    return f"municipality-{world.here.pk}"


def district(world):
    return f"district-{world.district.pk}"


def foreign(world):
    return f"municipality-{world.foreign.pk}"


CASES = []
for name in ("index", "csv", "pdf"):
    CASES += [
        Case(f"figures:{name}", url(name), expect(200, **NOBODY_ELSE)),
        Case(
            f"figures:{name}",
            url(name, place=here),
            expect(200, **NOBODY_ELSE, coordinator_other=403),
            label="a municipality",
        ),
        Case(
            f"figures:{name}",
            url(name, place=district),
            expect(403, anonymous=LOGIN, district_coordinator=200, administrator=200),
            label="the district",
        ),
        Case(
            f"figures:{name}",
            url(name, place=foreign),
            expect(403, anonymous=LOGIN, administrator=200),
            label="another district's municipality",
        ),
        Case(
            f"figures:{name}",
            url(name, start=lambda w: "2026-09", end=lambda w: "2026-07"),
            expect(200 if name == "index" else 400, **NOBODY_ELSE),
            label="months in the wrong order",
        ),
    ]
