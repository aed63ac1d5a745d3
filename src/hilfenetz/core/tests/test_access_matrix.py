import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hilfenetz.core.tests.access import LOGIN, ROLES, all_cases

CASES = all_cases()

# URLs of other projects mounted here, and our own that are not pages.
EXEMPT_PREFIXES = ("admin:", "api-v1:openapi", "api-v1:api-root")


def url_names(project_only: bool = True) -> set[str]:
    """Every named URL; with ``project_only`` those whose view is Hilfenetz's own (and the API)."""
    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                module = getattr(p.callback, "__module__", "") or ""
                if (
                    not project_only
                    or module.startswith("hilfenetz.")
                    or namespace.startswith("api-v1:")
                ):
                    names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return {n for n in names if not project_only or not n.startswith(EXEMPT_PREFIXES)}


def test_every_project_url_is_in_the_matrix():
    covered = {case.url_name for case in CASES}
    missing = url_names() - covered
    assert not missing, f"URLs missing from the access matrix: {sorted(missing)}"


def test_matrix_names_resolve():
    unknown = {case.url_name for case in CASES} - url_names(project_only=False)
    assert not unknown, f"matrix names URLs that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(client, world, case, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    path = case.path(world)
    data = case.data(world) if case.data else None
    before = case.effect.read(world) if case.effect is not None else None
    if case.method == "GET":
        response = client.get(path, data or {})
    else:
        response = client.post(path, data or {})
    expected = case.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, f"{role}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, (
            f"{role} on {path}: {response.status_code} != {expected}"
        )
    if case.effect is not None:
        after = case.effect.read(world)
        if role in case.effect.roles_for(case):
            wanted = case.effect.wanted(before)
            assert before != wanted, f"{role}: {before!r} before the request, the check cannot fail"
            assert after == wanted, f"{role} on {path}: {after!r} != {wanted!r} (was {before!r})"
        else:
            assert after == before, f"{role} on {path} changed {before!r} to {after!r}"
