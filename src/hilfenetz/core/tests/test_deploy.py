"""The deployment recipe in deploy/ names only commands that exist, and they start with the
documented environment (deploy/env.example)."""

import configparser
import contextlib
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hilfenetz.core.tests.test_mail import free_port

PROJECT = Path(__file__).resolve().parents[4]
DEPLOY = PROJECT / "deploy"
CHECKOUT = "/srv/hilfenetz"  # where the systemd units expect the checkout
yaml = pytest.importorskip("yaml", reason="pyyaml parses the compose file")


def example_env() -> dict[str, str]:
    """deploy/env.example as systemd and compose read it: KEY=value, the rest of the line."""
    env = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), line
            assert not value.startswith(('"', "'")), f"{key}: no quotes, compose would keep them"
            env[key] = value
    return env


def documented_env(tmp_path: Path) -> dict[str, str]:
    """The example's values with a fresh secret key (as the file says to generate) and a test
    database; no Redis and no S3 store on this machine."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **example_env(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "HILFENETZ_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    for unavailable in ("REDIS_URL", "STORAGE_BUCKET", "STORAGE_ENDPOINT_URL"):
        env.pop(unavailable)
    return env


def manage(env, *args):
    return subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_example_environment_names_every_setting_production_requires():
    env = example_env()
    for required in ("HILFENETZ_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST"):
        assert env.get(required), required
    assert env["HILFENETZ_ENV"] == "production"
    compose = (DEPLOY / "compose.yaml").read_text()
    for variable in set(re.findall(r"\$\{([A-Z_]+)", compose)):
        assert variable in env, f"compose.yaml uses {variable}, env.example does not set it"
    assert "{$DOMAIN}" in (DEPLOY / "Caddyfile").read_text() and env["DOMAIN"]


def test_check_deploy_passes_with_the_example_environment(tmp_path):
    env = documented_env(tmp_path)
    env["STORAGE_BUCKET"] = example_env()["STORAGE_BUCKET"]  # settings only, nothing is stored
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # Copying the example without generating a key is refused.
    unchanged = manage({**env, "SECRET_KEY": example_env()["SECRET_KEY"]}, "check")
    assert unchanged.returncode != 0 and "SECRET_KEY" in unchanged.stderr


def compose_file() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_the_compose_file_runs_the_projects_scripts_from_one_image():
    compose = compose_file()
    services = compose["services"]
    assert {"web", "worker", "scheduler", "prepare", "postgres", "redis", "caddy"} <= set(services)
    assert any(
        "seaweedfs" in s.get("image", "") or "minio" in s.get("image", "")
        for s in services.values()
    )
    app = {
        name: s for name, s in services.items() if s.get("image") == "localhost/hilfenetz:latest"
    }
    # one worker per queue, so that no amount of bulk work delays a mail
    assert set(app) == {"web", "mail-worker", "worker", "scheduler", "prepare"}
    assert app["mail-worker"]["command"][1:] == ["--queue-name", "mail"]
    assert app["worker"]["command"][1:] == ["--queue-name", "default"]
    for name, service in app.items():
        assert (PROJECT / service["build"]["context"].replace("..", ".")).exists()
        assert (
            DEPLOY / ".." / service["build"]["dockerfile"]
        ).resolve() == DEPLOY / "Containerfile"
        script = PROJECT / service["command"][0]
        assert script.is_file() and os.access(script, os.X_OK), (name, script)
        assert service["env_file"] == ".env"
    for name in ("web", "mail-worker", "worker", "scheduler"):
        assert app[name]["depends_on"]["prepare"]["condition"] == "service_completed_successfully"
    for volume in services["caddy"]["volumes"]:
        source = volume.split(":")[0]
        if source.startswith("./"):
            assert (DEPLOY / source).is_file(), source


def test_the_containerfile_copies_what_exists_and_starts_a_script():
    text = (DEPLOY / "Containerfile").read_text()
    for sources in re.findall(r"^COPY (.+) \S+$", text, re.M):
        for source in sources.split():
            assert (PROJECT / source).exists(), source
    cmd = re.search(r'^CMD \["([^"]+)"\]', text, re.M).group(1)
    assert (PROJECT / cmd).is_file()
    assert "--no-dev" in text  # runtime dependencies only


def units() -> dict[str, configparser.ConfigParser]:
    found = {}
    for path in sorted((DEPLOY / "systemd").iterdir()):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(path)
        found[path.name] = parser
    return found


def test_the_systemd_units_start_existing_commands_with_the_documented_environment():
    found = units()
    assert {
        "hilfenetz-web.service",
        "hilfenetz-worker@.service",
        "hilfenetz-scheduler.service",
        "hilfenetz-backup.service",
        "hilfenetz-backup.timer",
    } <= set(found)
    for name, unit in found.items():
        if name.endswith(".timer"):
            assert unit["Timer"]["OnCalendar"]
            assert name.replace(".timer", ".service") in found
            continue
        service = unit["Service"]
        assert service["EnvironmentFile"] == "/etc/hilfenetz/env"
        assert service["WorkingDirectory"] == CHECKOUT
        program, *args = shlex.split(service["ExecStart"])
        local = PROJECT / Path(program).relative_to(CHECKOUT)
        if local.parts[-3:-1] == (".venv", "bin"):
            assert args[0] == "manage.py"
            check = manage({**os.environ}, args[1], "--help")
            assert check.returncode == 0, check.stderr
        else:
            assert local.is_file() and os.access(local, os.X_OK), name
        if not name.startswith("hilfenetz-backup"):
            assert service["Restart"] == "always", name


def test_the_nginx_example_proxies_and_sends_stored_files_internally():
    text = (DEPLOY / "nginx" / "hilfenetz.conf").read_text()
    protected = re.search(r"location /protected-files/ \{(.*?)\}", text, re.S).group(1)
    assert "internal;" in protected and "alias" in protected
    assert "proxy_pass http://hilfenetz;" in text
    assert "X-Forwarded-Proto" in text and "X-Forwarded-For" in text
    env = (DEPLOY / "env.example").read_text()
    assert "# FILES_ACCEL=nginx\n# FILES_ACCEL_LOCATION=/protected-files/" in env


def healthz(port: int) -> int | None:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"http://127.0.0.1:{port}/healthz", headers={"Host": "hilfenetz.example.org"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status
    except OSError:
        return None


@contextlib.contextmanager
def started(env, script, *args, log: Path):
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - the project's own script
            [PROJECT / "scripts" / script, *args],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_web_worker_and_scheduler_start_with_the_documented_environment(tmp_path):
    env = documented_env(tmp_path)
    prepared = subprocess.run(  # noqa: S603
        [PROJECT / "scripts" / "prepare"], cwd=PROJECT, env=env, capture_output=True, timeout=600
    )
    assert prepared.returncode == 0, prepared.stderr.decode()
    port = free_port()
    env = {**env, "PORT": str(port), "WEB_WORKERS": "1", "WEB_THREADS": "1"}
    with (
        started(env, "web", log=tmp_path / "web.log") as web,
        started(env, "worker", log=tmp_path / "worker.log") as worker,
        started(env, "scheduler", log=tmp_path / "scheduler.log") as scheduler,
    ):
        deadline = time.monotonic() + 120
        while healthz(port) != 200 and time.monotonic() < deadline:
            assert web.poll() is None, (tmp_path / "web.log").read_text()
            time.sleep(0.5)
        assert healthz(port) == 200, (tmp_path / "web.log").read_text()
        # compose's health check of the web container answers too
        probe = compose_file()["services"]["web"]["healthcheck"]["test"][1:]
        probe = [part.replace(":8000/", f":{port}/") for part in probe]
        checked = subprocess.run(probe, cwd=PROJECT, env=env, capture_output=True, timeout=30)  # noqa: S603
        assert checked.returncode == 0, checked.stderr.decode()
        while "enqueued" not in (tmp_path / "scheduler.log").read_text():
            assert time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.5)
        assert "hilfenetz.core.backup.daily_backup" in (tmp_path / "scheduler.log").read_text()
        # The worker runs the daily backup the scheduler enqueued.
        while not list((tmp_path / "backups").glob("hilfenetz-*.tar.gz")):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        assert listening_addresses(port) == {"127.0.0.1"}  # HOST is not in the environment
        assert scheduler.poll() is None


def listening_addresses(port: int) -> set[str]:
    """The addresses something listens on at ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, _remote, state = line.split()[1:4]
        address, local_port = local.split(":")
        if int(local_port, 16) == port and state == "0A":
            found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
    return found
