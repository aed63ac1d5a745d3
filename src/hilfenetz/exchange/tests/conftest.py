import importlib

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def start_categories(request):
    """Transactional tests (of any app) flush the categories the data migration seeded; put
    them back so every test starts from the database a real installation has."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue(
        "transactional_db" if marker and marker.kwargs.get("transaction") else "db"
    )
    Category = apps.get_model("exchange", "Category")
    if not Category.objects.exists():
        importlib.import_module("hilfenetz.exchange.migrations.0002_start_categories").seed(
            apps, None
        )
