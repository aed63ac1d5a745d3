"""An S3-compatible HTTP server on this machine for tests: moto's server mode (the dev group's
``moto[server]``), started in its own process on a free port."""

import contextlib
import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def s3_server():
    """Yields the endpoint address; skips the test when no S3-compatible server can run here."""
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("boto3") is None:
        pytest.skip("no S3-compatible server: moto[server] and boto3 are not installed")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - moto from this environment
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(300):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                if server.poll() is not None:
                    pytest.skip("no S3-compatible server: moto's server exited at start")
                time.sleep(0.1)
        else:
            pytest.skip("no S3-compatible server: moto's server did not answer in 30 s")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)
