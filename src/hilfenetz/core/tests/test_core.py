import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from hilfenetz.accounts.models import Organisation, User
from hilfenetz.core.periodic import enqueue_due, every, registered_jobs

SRC = Path(__file__).resolve().parents[3]  # src/
PROJECT = SRC.parent


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    # the test settings run tasks in the request, without the queue table
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "tasks": "not used"},
    }


@pytest.mark.django_db
def test_healthz_checks_the_task_queue_table(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get(reverse("core:healthz")).json()["checks"]["tasks"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {
            "database": "unavailable: OperationalError",
            "cache": "not checked",
            "tasks": "not checked",
        },
    }


@pytest.mark.django_db
def test_pages_carry_a_nonce_csp_and_no_inline_code(client):
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "unsafe-inline" not in csp
    assert f'nonce="{nonce}"' in response.content.decode()


def test_templates_have_no_inline_scripts_styles_or_physical_css():
    offenders = []
    templates = list(SRC.glob("hilfenetz/*/templates/**/*.html"))
    assert len(templates) > 10
    for template in templates:
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=\"", text):
            offenders.append(str(template))
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(template))
    assert not offenders, offenders


def test_css_uses_logical_properties_only():
    physical = re.compile(
        r"(margin|padding|border)-(left|right|top|bottom)\b|\b(left|right|top|bottom)\s*:|text-align:\s*(left|right)|float:\s*(left|right)"
    )
    offenders = []
    stylesheets = list(SRC.glob("hilfenetz/*/static/**/*.css"))
    assert stylesheets
    for css in stylesheets:
        for number, line in enumerate(css.read_text().splitlines(), 1):
            if physical.search(line):
                offenders.append(f"{css.name}:{number}: {line.strip()}")
    assert not offenders, offenders


def _settings_subprocess(env, *args):
    import tempfile

    base = {"PATH": "/usr/bin:/bin", "HILFENETZ_VAR_DIR": tempfile.mkdtemp(prefix="hilfenetz-")}
    return subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env, complaint",
    [
        ({"ALLOWED_HOSTS": "hilfenetz.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "hilfenetz.example", "DEBUG": "true"}, "DEBUG"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(env, complaint):
    result = _settings_subprocess({"HILFENETZ_ENV": "production", **env}, "check")
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_settings_pass_check_deploy():
    result = _settings_subprocess(
        {
            "HILFENETZ_ENV": "production",
            "SECRET_KEY": "k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
            "ALLOWED_HOSTS": "hilfenetz.example",
            "DATABASE_URL": "sqlite://:memory:",
            "EMAIL_HOST": "smtp.example",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_a_sqlite_file_is_written_ahead_and_read_through_memory_mapping(tmp_path):
    # a file as the platform opens it (the tests' own database lives in memory)
    params = {**connection.get_connection_params(), "database": str(tmp_path / "db.sqlite3")}
    opened = connection.get_new_connection(params)
    try:
        assert opened.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert opened.execute("PRAGMA mmap_size").fetchone() == (2**30,)
    finally:
        opened.close()


def test_a_boolean_from_the_environment_is_parsed():
    result = _settings_subprocess({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0 and "DEBUG must be one of" in result.stderr


@pytest.mark.django_db
def test_demo_fills_an_empty_database_once():
    call_command("demo", verbosity=0)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.filter(coordinator_roles__district__isnull=False).exists()
    assert User.objects.filter(coordinator_roles__municipality__isnull=False).count() >= 4
    areas = set(Organisation.objects.values_list("municipality__area__name", flat=True))
    assert areas == {"Esslingen", "Filder", "Kirchheim", "Nürtingen"}
    slugs = Organisation.objects.values_list("slug", flat=True)
    assert all(re.fullmatch(r"[-a-zA-Z0-9_]+", slug) for slug in slugs)
    call_command("demo", "--if-empty", verbosity=0)
    assert User.objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_periodic_jobs_are_enqueued_once_per_interval(monkeypatch):
    from datetime import timedelta

    from hilfenetz.core.mail import retry_pending_mail

    monkeypatch.setattr("hilfenetz.core.periodic._JOBS", {})
    every(timedelta(hours=1), retry_pending_mail)
    assert list(registered_jobs()) == [retry_pending_mail.module_path]
    assert enqueue_due() == [retry_pending_mail.module_path]
    assert enqueue_due() == []


def test_mail_retry_is_a_registered_periodic_job():
    from hilfenetz.core.mail import retry_pending_mail

    assert retry_pending_mail.module_path in registered_jobs()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/impressum-datenschutz/"]
)
def test_pages_load_nothing_from_outside_the_project(client, path):
    html = client.get(path).content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    loaded = [u for u in external if not u.startswith("http://testserver")]
    assert not [u for u in loaded if re.search(r"\.(css|js|woff2?|png|svg|jpg)(\?|$)", u)], loaded
    assert "<link" in html and "fonts.googleapis" not in html


def test_migrations_can_be_reversed_and_applied_again(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"}
    for args in (
        ["migrate"],
        ["migrate", "regions", "zero"],
        ["migrate", "core", "zero"],
        ["migrate"],
    ):
        result = _settings_subprocess(env, *args, "--noinput", "-v", "0")
        assert result.returncode == 0, f"{args}: {result.stderr[-2000:]}"


def test_a_web_worker_loads_every_view_and_freezes_them_out_of_the_collector(tmp_path):
    # a fresh interpreter, as granian's worker starts: this test process must stay unfrozen
    probe = (
        "import gc, sys; import hilfenetz.wsgi; "
        "print('hilfenetz.exchange.views' in sys.modules, gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "HILFENETZ_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(PROJECT / "src"),
        },
        cwd=PROJECT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded, frozen = result.stdout.split()
    assert loaded == "True"
    assert int(frozen) > 50_000
