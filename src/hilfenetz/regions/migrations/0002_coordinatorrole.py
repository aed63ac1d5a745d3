"""The coordinator roles move from accounts to regions, next to the scope they define.

Only Django's idea of the model moves: the table (``accounts_coordinatorrole``) and its rows
stay as they are, so nothing is copied and going back is just as safe.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_type(old, new):
    """Keep the admin's log entries about roles pointing at the model where it now lives."""

    def rename(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=new, model="coordinatorrole").exists():
            ContentType.objects.filter(app_label=old, model="coordinatorrole").update(app_label=new)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CoordinatorRole",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "district",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                to="regions.district",
                                verbose_name="district",
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                to="regions.municipality",
                                verbose_name="municipality",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="coordinator_roles",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "coordinator role",
                        "verbose_name_plural": "coordinator roles",
                        "db_table": "accounts_coordinatorrole",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("district__isnull", False), ("municipality__isnull", True)
                                    ),
                                    models.Q(
                                        ("district__isnull", True), ("municipality__isnull", False)
                                    ),
                                    _connector="OR",
                                ),
                                name="coordinator_role_one_scope",
                            ),
                            models.UniqueConstraint(
                                fields=("user", "district"), name="coordinator_role_unique_district"
                            ),
                            models.UniqueConstraint(
                                fields=("user", "municipality"),
                                name="coordinator_role_unique_municipality",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            _content_type("accounts", "regions"), _content_type("regions", "accounts")
        ),
    ]
