import pytest

from hilfenetz.exchange.categories import ensure_start_categories


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
    ensure_start_categories()
