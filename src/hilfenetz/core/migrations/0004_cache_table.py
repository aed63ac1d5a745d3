"""The table of the database cache (settings.CACHES without REDIS_URL), created here so that
every deployment gets it with ``migrate``; the same as ``manage.py createcachetable``."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "hilfenetz_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outboundmail_claim")]

    operations = [migrations.RunPython(create, drop)]
