"""The directory's history (``Change``) and topics move to ``core`` (``AuditEntry``, ``Topic``).

Topics keep their ids, so the organisation profiles keep their topics. History entries get
the scope of their entry; what earlier entries recorded about contact persons and team
members (names, phone numbers, e-mail addresses) is not carried over, because it was kept
without regard to their consent.
"""

import django.db.models.deletion
from django.db import migrations, models

PERSONAL = {"name", "phone", "email"}


def _without_personal_data(changes):
    kept = {}
    for key, value in changes.items():
        label, _space, name = key.partition(" ")
        if label in ("contact", "member") and name:
            key = label  # the key held the person's name
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if k not in PERSONAL}
        kept[key] = value
    return kept


def _scope(apps, model, object_id):
    """(municipality id, district id) of the entry a history row is about."""
    if model == "office":
        office = apps.get_model("directory", "Office").objects.filter(pk=object_id).first()
        if office is None:
            return None, None
        served = list(office.municipalities.values_list("pk", flat=True))
        return (served[0] if len(served) == 1 else None), office.district_id
    if model == "organisationprofile":
        profile = (
            apps.get_model("directory", "OrganisationProfile")
            .objects.filter(pk=object_id)
            .select_related("organisation")
            .first()
        )
        if profile is None:
            return None, None
        return profile.organisation.municipality_id, profile.organisation.district_id
    if model == "competenceteam":
        team = apps.get_model("directory", "CompetenceTeam").objects.filter(pk=object_id).first()
        return None, (team.district_id if team else None)
    return None, None


def to_core(apps, schema_editor):
    Topic = apps.get_model("directory", "Topic")
    CoreTopic = apps.get_model("core", "Topic")
    existing = set(CoreTopic.objects.values_list("pk", flat=True))
    CoreTopic.objects.bulk_create(
        CoreTopic(pk=t.pk, name=t.name, slug=t.slug)
        for t in Topic.objects.all()
        if t.pk not in existing
    )
    Change = apps.get_model("directory", "Change")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    models_by_type = dict(ContentType.objects.values_list("pk", "model"))
    entries = []
    for change in Change.objects.order_by("pk").iterator():
        municipality_id, district_id = _scope(
            apps, models_by_type.get(change.content_type_id), change.object_id
        )
        entries.append(
            AuditEntry(
                created_at=change.created_at,
                actor_id=change.user_id,
                content_type_id=change.content_type_id,
                object_id=change.object_id,
                object_repr=change.object_repr,
                action=change.action,
                changes=_without_personal_data(change.changes),
                municipality_id=municipality_id,
                district_id=district_id,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=500)


def from_core(apps, schema_editor):
    Topic = apps.get_model("directory", "Topic")
    CoreTopic = apps.get_model("core", "Topic")
    Topic.objects.bulk_create(
        Topic(pk=t.pk, name=t.name, slug=t.slug) for t in CoreTopic.objects.all()
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    Change = apps.get_model("directory", "Change")
    directory_entries = AuditEntry.objects.filter(
        content_type__in=ContentType.objects.filter(app_label="directory")
    )
    Change.objects.bulk_create(
        (
            Change(
                created_at=e.created_at,
                user_id=e.actor_id,
                content_type_id=e.content_type_id,
                object_id=e.object_id,
                object_repr=e.object_repr,
                action=e.action,
                changes=e.changes,
            )
            for e in directory_entries.order_by("pk")
        ),
        batch_size=500,
    )
    directory_entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_entry_topic"),
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_core, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisationtopic",
            name="topic",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="core.topic"),
        ),
        migrations.AlterField(
            model_name="organisationprofile",
            name="topics",
            field=models.ManyToManyField(
                blank=True,
                through="directory.OrganisationTopic",
                to="core.topic",
                verbose_name="topics",
            ),
        ),
        # Going back, the topics and the history are copied back before the foreign keys
        # point to the directory's own topics again.
        migrations.RunPython(migrations.RunPython.noop, from_core),
        migrations.DeleteModel(name="Change"),
        migrations.DeleteModel(name="Topic"),
    ]
