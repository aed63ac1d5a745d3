import pytest

from hilfenetz.exchange import similarity
from hilfenetz.exchange.categories import ensure_start_categories
from hilfenetz.regions.models import District


@pytest.fixture(autouse=True)
def start_categories(request):
    """Every district has the start categories, as in a real installation (a new district is
    seeded when it is saved; put them back for districts that exist without them)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue(
        "transactional_db" if marker and marker.kwargs.get("transaction") else "db"
    )
    for district in District.objects.filter(categories__isnull=True):
        ensure_start_categories(district)


@pytest.fixture(autouse=True)
def fresh_vector_index(monkeypatch):
    """Each test starts with an empty similarity index (rolled-back rows stay out of it)."""
    monkeypatch.setattr(similarity, "_index", None)
