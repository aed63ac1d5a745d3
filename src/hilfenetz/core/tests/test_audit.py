import pytest
from django.utils import translation

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory, coordinator_of
from hilfenetz.core import audit
from hilfenetz.core.models import AuditEntry, Topic
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_record_takes_the_scope_from_the_object_and_builds_a_timeline():
    organisation = OrganisationFactory()
    actor = UserFactory()
    first = audit.record(organisation, "create", actor=actor, changes={"name": ["", "A"]})
    second = audit.record(organisation, "update", note="why")
    audit.record(OrganisationFactory(), "create")
    assert list(AuditEntry.objects.for_object(organisation)) == [second, first]
    assert first.municipality_id == organisation.municipality_id
    assert first.district_id == organisation.municipality.district_id
    assert (first.actor, second.actor, second.note) == (actor, None, "why")
    with translation.override("en"):
        assert first.action_label == "created"


def test_coordinated_by_follows_the_stored_scope():
    here, there = MunicipalityFactory(), MunicipalityFactory()
    mine = audit.record(OrganisationFactory(municipality=here), "create")
    audit.record(OrganisationFactory(municipality=there), "create")
    assert list(AuditEntry.objects.coordinated_by(coordinator_of(municipality=here))) == [mine]
    assert list(AuditEntry.objects.coordinated_by(coordinator_of(district=here.district))) == [mine]
    assert not AuditEntry.objects.coordinated_by(UserFactory()).exists()


def test_redact_blanks_the_named_fields_of_one_person_only():
    organisation = OrganisationFactory()
    audit.record(
        organisation,
        "update",
        changes={"contact #1": {"phone": ["", "1"], "function": ["", "x"]}, "contact #2": {}},
    )
    assert audit.redact(organisation, "contact #1", ["phone"]) == 1
    entry = AuditEntry.objects.get()
    assert entry.changes == {
        "contact #1": {"phone": audit.REDACTED, "function": ["", "x"]},
        "contact #2": {},
    }


def test_actions_are_defined_once():
    audit.define_actions(create=audit._ACTIONS["create"])  # the same label again is fine
    with pytest.raises(ValueError, match="defined twice"):
        audit.define_actions(create="something else")


def test_topic_names_follow_the_language():
    topic = Topic.objects.create(
        name="Wohnen", slug="wohnen", translations={"en": {"name": "Housing"}}
    )
    assert topic.label("en") == "Housing"
    assert topic.label("ar") == "Wohnen"
