"""What Hilfenetz keeps about a person, for export and erasure (GDPR Art. 15, 17, 20).

Each app registers an exporter (returns JSON-ready data about the person) and an eraser
(deletes or anonymises the person's data) for its own models.
"""

from collections.abc import Callable

_EXPORTERS: dict[str, Callable] = {}
_ERASERS: dict[str, Callable] = {}


def register(section: str, *, export: Callable, erase: Callable | None = None) -> None:
    _EXPORTERS[section] = export
    if erase is not None:
        _ERASERS[section] = erase


def export_sections(user) -> dict:
    return {section: export(user) for section, export in sorted(_EXPORTERS.items())}


def erase_everywhere(user) -> None:
    for _section, erase in sorted(_ERASERS.items()):
        erase(user)
