"""``scripts/serve`` survives the death of any of its processes and stops as a whole on Ctrl-C."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from hilfenetz.core.tests.test_mail import free_port

PROJECT_DIR = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def processes() -> dict[int, tuple[int, str]]:
    """Every process of the machine: pid -> (parent pid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        found[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    return found


def descendants(root: int) -> dict[int, str]:
    table = processes()
    result, parents = {}, {root}
    while parents:
        children = {pid for pid, (ppid, _cmd) in table.items() if ppid in parents}
        result.update({pid: table[pid][1] for pid in children})
        parents = children
    return result


def wait_for(condition, timeout=60.0, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout} s")


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310 - a local test server
            return response.status == 200
    except OSError:
        return False


def pids(serve: subprocess.Popen, word: str) -> set[int]:
    return {pid for pid, cmd in descendants(serve.pid).items() if word in cmd}


@pytest.fixture
def serve(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HILFENETZ_VAR_DIR": str(tmp_path),
        "WEB_WORKERS": "2",
        "WEB_THREADS": "1",
        "RESTART_DELAY": "0.5",
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603 - the project's own script
        [PROJECT_DIR / "scripts" / "serve"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    process.port = port
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def granian_workers(serve) -> set[int]:
    """The web workers: granian's processes below its main process."""
    tree = descendants(serve.pid)
    granian = [pid for pid, cmd in tree.items() if "granian" in cmd]
    return {pid for pid in granian if processes().get(pid, (0,))[0] in granian}


def test_a_killed_web_worker_is_respawned_and_the_server_keeps_answering(serve):
    wait_for(lambda: healthy(serve.port))
    workers = wait_for(lambda: len(granian_workers(serve)) == 2 and granian_workers(serve))
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    time.sleep(1)
    assert serve.poll() is None, "the server stopped with its worker"
    wait_for(lambda: healthy(serve.port), timeout=15)
    respawned = wait_for(lambda: len(granian_workers(serve) - {victim}) == 2)
    assert respawned
    for _ in range(6):
        assert healthy(serve.port)


def test_the_background_worker_and_scheduler_are_restarted_and_ctrl_c_stops_all(serve):
    wait_for(lambda: healthy(serve.port))
    for word in ("db_worker", "periodic"):
        # The oldest such process is the command itself (a busy machine may show its children).
        first = min(wait_for(lambda word=word: pids(serve, f"manage.py {word}")))
        os.kill(first, signal.SIGKILL)
        wait_for(lambda word=word, first=first: pids(serve, f"manage.py {word}") - {first})
    assert serve.poll() is None
    everything = set(descendants(serve.pid))
    os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    serve.wait(timeout=90)  # a busy machine shuts granian down slowly
    wait_for(lambda: not (everything & set(processes())), timeout=15)
