"""``scripts/serve`` survives the death of any of its processes and stops as a whole on Ctrl-C or SIGTERM."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hilfenetz.core.tests.test_mail import free_port

PROJECT_DIR = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def processes(session: int | None = None) -> dict[int, tuple[int, str]]:
    """Every process of the machine (or of one session): pid -> (parent pid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        _state, ppid, _group, sid = stat.rsplit(")", 1)[1].split()[:4]
        if session is None or int(sid) == session:
            found[int(entry.name)] = (int(ppid), cmdline)
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


def pids(serve: subprocess.Popen, *words: str) -> set[int]:
    """The server's processes whose command line contains each of the words."""
    return {
        pid for pid, cmd in descendants(serve.pid).items() if all(word in cmd for word in words)
    }


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A migrated database, so that the worker and the scheduler run until they are killed."""
    env = {**os.environ, "HILFENETZ_VAR_DIR": str(tmp_path_factory.mktemp("serve"))}
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=PROJECT_DIR, env=env, check=True
    )
    return env


def _as_from_a_terminal():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.fixture
def serve(environment, request):
    port = free_port()
    env = {**environment, "PORT": str(port), "WEB_WORKERS": "2", "WEB_THREADS": "1"}
    env["RESTART_DELAY"] = "0.5"
    env.update(getattr(request, "param", {}))
    process = subprocess.Popen(  # noqa: S603 - the project's own script
        [PROJECT_DIR / "scripts" / "serve"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        # As from a terminal: a shell cannot trap a signal it was started with ignored (or
        # receive one it was started with blocked), and what ran before in this test process
        # may have left SIGINT so.
        preexec_fn=_as_from_a_terminal,
    )
    process.port = port
    yield process
    # The script runs in a session of its own: whatever is left of it after a failure goes.
    for pid in processes(session=process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def stopped_completely(serve, started: set[int]) -> bool:
    """Nothing of the server is left: none of the processes seen before the stop, nor any
    process of its session (which would also catch one started during the stop, or one whose
    parent died)."""
    return not (started & set(processes())) and not processes(session=serve.pid)


def granian_workers(serve) -> set[int]:
    """The web workers: granian's processes below its main process."""
    tree = descendants(serve.pid)
    granian = [pid for pid, cmd in tree.items() if "granian" in cmd]
    return {pid for pid in granian if processes().get(pid, (0,))[0] in granian}


def test_a_killed_web_worker_is_respawned_and_the_server_keeps_answering(serve):
    wait_for(lambda: healthy(serve.port), timeout=120)
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


# A worker is known by its command and its queue, wherever the start script puts other options.
WORKERS = {queue: ("manage.py worker", f"--queue-name {queue}") for queue in ("mail", "default")}


def test_the_background_workers_and_scheduler_are_restarted_and_ctrl_c_stops_all(serve):
    wait_for(lambda: healthy(serve.port), timeout=120)
    for command in (WORKERS["mail"], WORKERS["default"], ("manage.py periodic",)):
        (first,) = wait_for(lambda command=command: pids(serve, *command))
        time.sleep(1)
        assert pids(serve, *command) == {first}, f"{command} was restarted without being killed"
        os.kill(first, signal.SIGKILL)
        restarted = wait_for(lambda command=command, first=first: pids(serve, *command) - {first})
        assert len(restarted) == 1, f"{command} runs more than once"
    assert serve.poll() is None
    everything = set(descendants(serve.pid))
    # Ctrl-C in the terminal signals the foreground process group, right while the scheduler
    # is still starting Django after its restart.
    os.killpg(serve.pid, signal.SIGINT)
    serve.wait(timeout=90)
    wait_for(lambda: stopped_completely(serve, everything), timeout=15)


def test_sigterm_to_the_script_stops_all(serve):
    wait_for(lambda: healthy(serve.port), timeout=120)
    wait_for(lambda: all(pids(serve, *command) for command in (*WORKERS.values(), ("periodic",))))
    everything = set(descendants(serve.pid))
    os.kill(serve.pid, signal.SIGTERM)  # what a service manager or `docker stop` does
    serve.wait(timeout=90)
    wait_for(lambda: stopped_completely(serve, everything), timeout=15)


@pytest.mark.parametrize("serve", [{"STOP_GRACE": "2"}], indirect=True)
def test_a_part_that_does_not_end_is_killed_after_its_grace_period(serve):
    wait_for(lambda: healthy(serve.port), timeout=120)
    (granian,) = (pid for pid in pids(serve, "granian") if pid not in granian_workers(serve))
    everything = set(descendants(serve.pid))
    os.kill(granian, signal.SIGSTOP)  # stuck: it cannot act on the stop it is sent
    os.kill(serve.pid, signal.SIGTERM)
    serve.wait(timeout=30)
    wait_for(lambda: stopped_completely(serve, everything), timeout=15)
