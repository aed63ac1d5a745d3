from django.urls import reverse

from hilfenetz.accounts.tests.factories import OrganisationFactory
from hilfenetz.core.tests.access import LOGIN, Case, Effect, expect, unchanged
from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    ImportRun,
    ImportStatus,
    Office,
    OfficeKind,
    OrganisationProfile,
    TeamMember,
)
from hilfenetz.directory.tests.factories import (
    ContactFactory,
    OfficeFactory,
    ProfileFactory,
    TeamFactory,
)

#: Who edits an office of ``world.here``; everyone else does not see it (404).
EDITORS = {"coordinator_here": 200, "district_coordinator": 200, "administrator": 200}
EDITORS_REDIRECT = {role: 302 for role in EDITORS}
COORDINATORS = {**EDITORS, "coordinator_other": 200}
COORDINATORS_REDIRECT = {role: 302 for role in COORDINATORS}
DISTRICT = {"district_coordinator": 200, "administrator": 200}


def extend_world(world):
    office = OfficeFactory(
        district=world.district, name="Koordinationsstelle Hierdorf", municipalities=[world.here]
    )
    world.extra["office"] = office
    world.extra["contact"] = ContactFactory(office=office, name="Erika Beispiel")
    world.extra["shared_office"] = OfficeFactory(
        district=world.district,
        name="Gemeinsame Stelle",
        municipalities=[world.here, world.other],
    )
    world.extra["district_office"] = OfficeFactory(
        district=world.district, kind=OfficeKind.DISTRICT, name="Landratsamt"
    )
    world.extra["team"] = TeamFactory(district=world.district)
    ProfileFactory(organisation=world.organisation)
    _extend_for_new_pages(world)


def url(name, *args):
    return lambda w: reverse(f"directory:{name}", args=[a(w) for a in args])


def office(w):
    return w.office.slug


def contact(w):
    return w.contact.pk


def office_name(w):
    return Office.objects.values_list("name", flat=True).get(pk=w.office.pk)


def offices(w):
    return Office.objects.count()


def offices_named(name):
    return lambda w: Office.objects.filter(name=name).count()


def verified(model, attr):
    return lambda w: model.objects.filter(
        pk=getattr(w, attr).pk, verified_at__isnull=False
    ).exists()


def exists(model, attr):
    return lambda w: model.objects.filter(pk=getattr(w, attr).pk).exists()


def field(model, attr, name):
    return lambda w: model.objects.values_list(name, flat=True).get(pk=getattr(w, attr).pk)


CASES = [
    Case("directory:index", url("index"), expect(200)),
    Case(
        "directory:index",
        url("index"),
        expect(200),
        data=lambda w: {"q": "Hierdorf", "area": "nord", "municipality": "hierdorf"},
        label="search",
    ),
    Case(
        "directory:contact_finder",
        url("contact_finder"),
        expect(200),
        data=lambda w: {"municipality": w.here.slug},
    ),
    Case("directory:office", url("office", office), expect(200)),
    Case(
        "directory:office_edit",
        url("office_edit", office),
        expect(404, anonymous=LOGIN, **EDITORS),
    ),
    Case(
        "directory:office_edit",
        url("office_edit", office),
        expect(404, anonymous=LOGIN, **EDITORS),
        method="POST",
        data=lambda w: {"name": ""},
        label="invalid form",
        effect=unchanged(office_name),
    ),
    Case(
        "directory:office_edit",
        lambda w: reverse("directory:office_edit", args=[w.shared_office.slug]),
        expect(404, anonymous=LOGIN, **COORDINATORS),
        label="office serving two municipalities",
    ),
    Case(
        "directory:office_edit",
        lambda w: reverse("directory:office_edit", args=[w.district_office.slug]),
        expect(404, anonymous=LOGIN, **DISTRICT),
        label="district office",
    ),
    Case(
        "directory:office_verify",
        url("office_verify", office),
        expect(404, anonymous=LOGIN, **EDITORS_REDIRECT),
        method="POST",
        effect=Effect(verified(Office, "office"), after=True),
    ),
    Case(
        "directory:office_history",
        url("office_history", office),
        expect(404, anonymous=LOGIN, **EDITORS),
    ),
    Case(
        "directory:contact_create",
        url("contact_create", office),
        expect(404, anonymous=LOGIN, **EDITORS),
    ),
    Case(
        "directory:contact_create",
        url("contact_create", office),
        expect(404, anonymous=LOGIN, **EDITORS),
        method="POST",
        data=lambda w: {"name": ""},
        label="invalid form",
        effect=unchanged(lambda w: ContactPerson.objects.filter(office=w.office).count()),
    ),
    Case(
        "directory:contact_edit",
        url("contact_edit", contact),
        expect(404, anonymous=LOGIN, **EDITORS),
    ),
    Case(
        "directory:contact_delete",
        url("contact_delete", contact),
        expect(404, anonymous=LOGIN, **EDITORS_REDIRECT),
        method="POST",
        effect=Effect(exists(ContactPerson, "contact"), after=False),
    ),
    Case("directory:organisations", url("organisations"), expect(200)),
    Case(
        "directory:organisations",
        url("organisations"),
        expect(200),
        data=lambda w: {"q": "Helfer", "kind": "working_group"},
        label="search",
    ),
    Case(
        "directory:organisation_profile",
        lambda w: reverse("directory:organisation_profile", args=[w.organisation.slug]),
        expect(403, anonymous=LOGIN, org_admin=200, **EDITORS),
    ),
    Case(
        "directory:organisation_profile",
        lambda w: reverse("directory:organisation_profile", args=[w.organisation.slug]),
        expect(403, anonymous=LOGIN, org_admin=302, **EDITORS_REDIRECT),
        method="POST",
        data=lambda w: {"phone": "0711 1", "how_to_reach": "Dienstags"},
        label="save",
        effect=Effect(
            lambda w: (
                OrganisationProfile.objects.filter(organisation=w.organisation)
                .values_list("phone", "how_to_reach")
                .first()
            ),
            after=("0711 1", "Dienstags"),
        ),
    ),
    Case("directory:teams", url("teams"), expect(200)),
    Case(
        "directory:team_verify",
        lambda w: reverse("directory:team_verify", args=[w.team.pk]),
        expect(404, anonymous=LOGIN, district_coordinator=302, administrator=302),
        method="POST",
        effect=Effect(verified(CompetenceTeam, "team"), after=True),
    ),
    Case(
        "directory:overdue",
        url("overdue"),
        expect(403, anonymous=LOGIN, **COORDINATORS),
    ),
    Case("directory:export_csv", url("export_csv"), expect(200)),
    Case("directory:export_vcard", url("export_vcard"), expect(200)),
    Case("directory:export_pdf", url("export_pdf"), expect(200)),
    Case(
        "directory:import_upload",
        url("import_upload"),
        expect(403, anonymous=LOGIN, **COORDINATORS),
    ),
    Case(
        "directory:import_upload",
        url("import_upload"),
        expect(403, anonymous=LOGIN, **COORDINATORS),
        method="POST",
        label="no file",
        effect=unchanged(offices),
    ),
    Case(
        "directory:import_preview",
        url("import_preview"),
        expect(403, anonymous=LOGIN, **COORDINATORS_REDIRECT),
        label="nothing uploaded",
    ),
    Case(
        "directory:import_confirm",
        url("import_confirm"),
        expect(403, anonymous=LOGIN, **COORDINATORS_REDIRECT),
        method="POST",
        label="nothing uploaded",
        effect=unchanged(offices),
    ),
    Case("api-v1:list_offices", lambda w: "/api/v1/offices", expect(200)),
    Case(
        "api-v1:list_offices",
        lambda w: "/api/v1/offices",
        expect(200),
        data=lambda w: {"municipality": w.here.slug},
        label="by municipality",
    ),
    Case("api-v1:list_organisations", lambda w: "/api/v1/organisations", expect(200)),
]


def _extend_for_new_pages(world):
    from hilfenetz.directory.tests.factories import TeamMemberFactory

    world.extra["member"] = TeamMemberFactory(team=world.team, name="Mira Mitglied")
    # an import of organisations by the municipal coordinator, done: one to undo
    imported = OrganisationFactory(municipality=world.here, name="Importierter Helferkreis")
    world.extra["import_run"] = ImportRun.objects.create(
        district=world.district,
        user=world.users["coordinator_here"],
        duplicates="update",
        total=1,
        done=1,
        status=ImportStatus.DONE,
        created_ids=[imported.pk],
    )


def team(w):
    return w.team.pk


def import_run(w):
    return w.import_run.pk


#: Who sees an import of organisations: the person who ran it and the district's coordinators.
IMPORTER = {"coordinator_here": 200, "district_coordinator": 200, "administrator": 200}


def member(w):
    return w.member.pk


#: Every coordinator who may create an office; the page itself is for coordinators only.
CREATORS = {**COORDINATORS}
CREATORS_REDIRECT = {role: 302 for role in CREATORS}
TEAM_HISTORY = {**COORDINATORS}

CASES += [
    Case(
        "directory:office_create",
        url("office_create"),
        expect(403, anonymous=LOGIN, **CREATORS),
    ),
    Case(
        "directory:office_create",
        url("office_create"),
        # The neighbour cannot choose "here" (the form refuses it), the others create it.
        expect(403, anonymous=LOGIN, **{**CREATORS_REDIRECT, "coordinator_other": 200}),
        method="POST",
        data=lambda w: {
            "name": "Neue Stelle Hierdorf",
            "municipalities": [w.here.pk],
            "district": w.district.pk,
        },
        label="municipal office",
        effect=Effect(offices_named("Neue Stelle Hierdorf"), after=1),
    ),
    Case(
        "directory:office_create",
        url("office_create"),
        # Municipal coordinators have no "kind" field: a municipal office without
        # municipality is refused with the form.
        expect(
            403,
            anonymous=LOGIN,
            **{**CREATORS, "district_coordinator": 302, "administrator": 302},
        ),
        method="POST",
        data=lambda w: {"name": "Stabsstelle", "kind": "district", "district": w.district.pk},
        label="district office",
        effect=Effect(offices_named("Stabsstelle"), after=1),
    ),
    Case(
        "directory:team_edit",
        url("team_edit", team),
        expect(404, anonymous=LOGIN, **DISTRICT),
    ),
    Case(
        "directory:team_edit",
        url("team_edit", team),
        expect(404, anonymous=LOGIN, district_coordinator=302, administrator=302),
        method="POST",
        data=lambda w: {"description": "Wohnungssuche", "email": "wohnen@example.org"},
        label="save",
        effect=Effect(
            lambda w: CompetenceTeam.objects.values_list("description", "email").get(pk=w.team.pk),
            after=("Wohnungssuche", "wohnen@example.org"),
        ),
    ),
    Case(
        "directory:team_history",
        url("team_history", team),
        expect(404, anonymous=LOGIN, **TEAM_HISTORY),
    ),
    Case(
        "directory:member_create",
        url("member_create", team),
        expect(404, anonymous=LOGIN, **DISTRICT),
    ),
    Case(
        "directory:member_create",
        url("member_create", team),
        expect(404, anonymous=LOGIN, district_coordinator=302, administrator=302),
        method="POST",
        data=lambda w: {"name": "Neues Mitglied", "consent_given": "on"},
        label="save",
        effect=Effect(
            lambda w: TeamMember.objects.filter(team=w.team, name="Neues Mitglied").count(),
            after=1,
        ),
    ),
    Case(
        "directory:member_edit",
        url("member_edit", member),
        expect(404, anonymous=LOGIN, **DISTRICT),
    ),
    Case(
        "directory:member_edit",
        url("member_edit", member),
        expect(404, anonymous=LOGIN, district_coordinator=302, administrator=302),
        method="POST",
        data=lambda w: {"name": "Mira Mitglied", "affiliation": "Caritas"},
        label="save",
        effect=Effect(field(TeamMember, "member", "affiliation"), after="Caritas"),
    ),
    Case(
        "directory:member_delete",
        url("member_delete", member),
        expect(404, anonymous=LOGIN, district_coordinator=302, administrator=302),
        method="POST",
        effect=Effect(exists(TeamMember, "member"), after=False),
    ),
]

CASES += [
    Case(
        "directory:import_sample",
        url("import_sample"),
        expect(403, anonymous=LOGIN, **COORDINATORS),
        data=lambda w: {"format": "xlsx"},
    ),
    Case(
        "directory:import_run",
        url("import_run", import_run),
        expect(404, anonymous=LOGIN, **IMPORTER),
    ),
    Case(
        "directory:import_undo",
        url("import_undo", import_run),
        expect(404, anonymous=LOGIN, **{role: 302 for role in IMPORTER}),
        method="POST",
        effect=Effect(field(ImportRun, "import_run", "status"), ImportStatus.UNDONE),
    ),
]
