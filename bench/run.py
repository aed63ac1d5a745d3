"""Benchmarks of the pages every visitor hits. Prints medians; never a pass/fail.

Runs against a fresh SQLite database filled by ``manage.py demo`` in a temporary directory:
    make bench            (or: .venv/bin/python bench/run.py [--rounds 200])
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hilfenetz-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hilfenetz.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # the cost of rendering each page, not of the page cache (scale.py measures both)
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from hilfenetz.accounts.models import Organisation

    print("preparing demo data ...", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", verbosity=0)
    print(f"demo data: {time.perf_counter() - started:.2f} s")
    organisation = Organisation.objects.first()
    client = Client()
    targets = {
        "home page": "/",
        "healthz": "/healthz",
        "API municipalities (44)": "/api/v1/municipalities?limit=50",
        "organisation page": f"/accounts/organisations/{organisation.slug}/",
        "help exchange list": "/hilfeboerse/",
        "help exchange search": "/hilfeboerse/?q=Kinderwagen",
        "API listings (50)": "/api/v1/listings?limit=50",
        "directory": "/verzeichnis/",
        "API offices (50)": "/api/v1/offices?limit=50",
        "offices as PDF": "/verzeichnis/export/koordinationsstellen.pdf",
    }
    print(f"{'request':32} {'median ms':>10} {'p90 ms':>8} {'req/s':>8}")
    for label, path in targets.items():
        client.get(path)
        timings = []
        rounds = max(5, args.rounds // 10) if path.endswith(".pdf") else args.rounds
        for _ in range(rounds):
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        timings.sort()
        median = statistics.median(timings)
        p90 = timings[int(len(timings) * 0.9) - 1]
        print(f"{label:32} {median:10.2f} {p90:8.2f} {1000 / median:8.0f}")
    tracemalloc.start()
    for _ in range(50):
        client.get("/")
    current, peak = tracemalloc.get_traced_memory()
    print(f"memory: peak {peak / 1024:.0f} KiB traced over 50 home-page requests")


if __name__ == "__main__":
    main()
