import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_fragments():
    """Every test builds its own places and offices: no rendered fragment of another test's
    data (forms keep their municipalities for a minute) may show in it."""
    caches["fragments"].clear()
