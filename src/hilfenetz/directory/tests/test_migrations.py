"""The move of the history and the topics to core keeps the data, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("directory", "0001_initial"), ("core", "0002_audit_entry_topic")]
AFTER = [("directory", "0002_history_and_topics_to_core"), ("core", "0002_audit_entry_topic")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_history_and_topics_move_to_core_and_back():
    apps = _migrate(BEFORE)
    get = apps.get_model
    district = get("regions", "District").objects.create(name="K", slug="k")
    area = get("regions", "Area").objects.create(district=district, name="A", slug="a")
    here = get("regions", "Municipality").objects.create(
        district=district, area=area, name="Hier", slug="hier"
    )
    office = get("directory", "Office").objects.create(district=district, name="KS", slug="ks")
    office.municipalities.set([here])
    organisation = get("accounts", "Organisation").objects.create(
        name="Kreis", slug="kreis", municipality=here, district=district
    )
    profile = get("directory", "OrganisationProfile").objects.create(organisation=organisation)
    topic = get("directory", "Topic").objects.create(name="Wohnen", slug="wohnen")
    profile.topics.set([topic])
    office_type = get("contenttypes", "ContentType").objects.get_or_create(
        app_label="directory", model="office"
    )[0]
    get("directory", "Change").objects.create(
        content_type=office_type,
        object_id=office.pk,
        object_repr="KS",
        action="update",
        changes={"contact Nadia": {"phone": ["", "0711 1"], "function": ["", "Leitung"]}},
    )

    apps = _migrate(AFTER)
    entry = apps.get_model("core", "AuditEntry").objects.get()
    assert (entry.object_id, entry.action) == (office.pk, "update")
    assert (entry.municipality_id, entry.district_id) == (here.pk, district.pk)
    assert entry.changes == {"contact": {"function": ["", "Leitung"]}}
    profile = apps.get_model("directory", "OrganisationProfile").objects.get()
    assert [t.name for t in profile.topics.all()] == ["Wohnen"]

    apps = _migrate(BEFORE)
    change = apps.get_model("directory", "Change").objects.get()
    assert (change.object_id, change.changes) == (office.pk, entry.changes)
    assert not apps.get_model("core", "AuditEntry").objects.exists()
    profile = apps.get_model("directory", "OrganisationProfile").objects.get()
    assert [t.pk for t in profile.topics.all()] == [topic.pk]

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
