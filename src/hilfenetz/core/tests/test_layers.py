"""The apps stand on floors: the kernel (``core``) imports no app; ``regions`` stands on the
kernel; ``accounts`` on both; the domains on those three and, without a cycle, on each other;
the API, the URLs and the settings on everything. Lazy imports inside functions count too: they
are dependencies all the same. Tests may use any app's factories and are left out."""

import ast
from pathlib import Path

import hilfenetz

ROOT = Path(hilfenetz.__file__).resolve().parent
FLOORS = {"core": 0, "regions": 1, "accounts": 2}
DOMAINS = ("exchange", "directory", "network", "media", "engagement", "crisis")


def _imports() -> dict[str, set[str]]:
    """App -> the other apps its modules import."""
    found = {app: set() for app in (*FLOORS, *DOMAINS)}
    for app in found:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "hilfenetz" and len(parts) > 1 and parts[1] != app:
                        found[app].add(parts[1])
    return found


def _floor(app: str) -> int:
    return FLOORS.get(app, 3 if app in DOMAINS else 4)


def test_every_app_imports_only_the_floors_below_it():
    upward = {
        (app, other)
        for app, others in _imports().items()
        for other in others
        if _floor(other) > _floor(app) or (_floor(other) == _floor(app) and app not in DOMAINS)
    }
    assert upward == set()


def test_the_domains_import_each_other_without_a_cycle():
    imports = _imports()
    graph = {app: imports[app] & set(DOMAINS) for app in DOMAINS}

    def reaches(start, goal, seen=()):
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt)))
            for nxt in graph[start]
        )

    assert [app for app in DOMAINS if reaches(app, app)] == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The walk finds lazy imports too (a rule that imports a domain inside a function)."""
    kernel = tmp_path / "core"
    kernel.mkdir()
    (kernel / "rules.py").write_text("def f():\n    from hilfenetz.accounts.rules import x\n")
    for app in (*list(FLOORS)[1:], *DOMAINS):
        (tmp_path / app).mkdir()
    monkeypatch.setattr("hilfenetz.core.tests.test_layers.ROOT", tmp_path)
    assert _imports()["core"] == {"accounts"}
