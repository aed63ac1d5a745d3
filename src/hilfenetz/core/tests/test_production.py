"""Production never starts as a demo, and never without a real database and mail server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hilfenetz.accounts.models import User

PROJECT = Path(__file__).resolve().parents[4]
SECRET = "k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3


def production_env(tmp_path: Path, **extra) -> dict[str, str]:
    """Everything production needs, with a fresh SQLite file standing in for the database."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HILFENETZ_ENV": "production",
        "HILFENETZ_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "hilfenetz.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "EMAIL_HOST": "smtp.example",
    }
    return {**env, **extra}


def run(env, *command, timeout=300):
    return subprocess.run(  # noqa: S603 - the project's own commands
        command, env=env, cwd=PROJECT, capture_output=True, text=True, timeout=timeout
    )


def manage(env, *args):
    return run(env, sys.executable, "manage.py", *args)


def python(env, code: str) -> str:
    result = manage(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PEOPLE = "from hilfenetz.accounts.models import User; print(User.objects.count())"


@pytest.mark.parametrize("missing", ["DATABASE_URL", "EMAIL_HOST"])
def test_production_refuses_to_start_without_database_or_mail_server(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must name" in result.stderr
    assert not (tmp_path / "var" / "hilfenetz.sqlite3").exists()


def test_production_start_on_an_empty_database_loads_no_demo(tmp_path):
    env = production_env(tmp_path)
    prepared = run(env, str(PROJECT / "scripts" / "prepare"))  # what `make run` does first
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert python(env, PEOPLE) == "0"
    for args in (["demo"], ["demo", "--if-empty"]):
        demo = manage(env, *args)
        assert demo.returncode != 0
        assert "Refusing to load demo data in production" in demo.stderr
    assert python(env, PEOPLE) == "0"


def test_the_first_administrator_is_created_from_the_command_line_and_can_sign_in(tmp_path):
    env = production_env(tmp_path, HILFENETZ_ADMIN_PASSWORD="Kreis-IT-sagt-ja-2026")
    assert manage(env, "migrate", "-v", "0").returncode == 0
    created = manage(env, "create_administrator", "--email", "IT@Landkreis.example", "--name", "IT")
    assert created.returncode == 0, created.stderr
    check = python(
        env,
        "from hilfenetz.accounts.models import User; u = User.objects.get();"
        "print(u.email, u.is_superuser, u.is_staff, u.check_password('Kreis-IT-sagt-ja-2026'),"
        " list(u.emailaddress_set.values_list('verified', 'primary')))",
    )
    assert check.split() == [
        "it@landkreis.example",
        "True",
        "True",
        "True",
        "[(True,",
        "True)]",
    ]


@pytest.mark.django_db
def test_create_administrator_reads_a_password_file_and_needs_no_confirmation_mail(
    tmp_path, client, mailoutbox
):
    password_file = tmp_path / "password"
    password_file.write_text("ein-langes-Passwort-2026\n")
    call_command(
        "create_administrator", "--email", "admin@kreis.example", "--password-file", password_file
    )
    user = User.objects.get(email="admin@kreis.example")
    assert user.is_superuser and user.is_staff and user.display_name == "Administrator"
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(
        reverse("account_login"),
        {"login": "admin@kreis.example", "password": "ein-langes-Passwort-2026"},
    )
    assert response.status_code == 302
    assert "confirm" not in response["Location"]
    # an administrator sets up the second factor before the admin opens
    assert client.get(reverse("admin:index"))["Location"] == reverse(
        "accounts:second_factor_required"
    )
    assert client.get(reverse("accounts:second_factor_required")).status_code == 200
    assert mailoutbox == []


@pytest.mark.django_db
def test_create_administrator_refuses_weak_passwords_duplicates_and_no_password(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("HILFENETZ_ADMIN_PASSWORD", raising=False)
    weak = tmp_path / "weak"
    weak.write_text("12345678")
    with pytest.raises(CommandError, match="not good enough"):
        call_command("create_administrator", "--email", "a@kreis.example", "--password-file", weak)
    monkeypatch.setattr("os.isatty", lambda fd: False)  # as under a service manager or in CI
    with pytest.raises(CommandError, match="No password"):
        call_command("create_administrator", "--email", "a@kreis.example")
    with pytest.raises(CommandError, match="is not an e-mail address"):
        call_command("create_administrator", "--email", "kein-at", "--password-file", weak)
    assert not User.objects.exists()
    monkeypatch.setenv("HILFENETZ_ADMIN_PASSWORD", "ein-langes-Passwort-2026")
    call_command("create_administrator", "--email", "a@kreis.example")
    with pytest.raises(CommandError, match="already an account"):
        call_command("create_administrator", "--email", "A@kreis.example")
    assert User.objects.count() == 1


def test_demo_refuses_in_production_in_process(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Refusing to load demo data in production"):
        call_command("demo", "--if-empty")


def test_make_run_prepares_through_the_script_that_skips_the_demo_in_production():
    planned = run({"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, "make", "-n", "run").stdout
    assert "scripts/prepare" in planned
    assert "demo" not in planned
