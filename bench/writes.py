"""Searches while listings are being saved: PostgreSQL's GIN index with and without its pending
list.

It builds a PostgreSQL database of N listings as `scale.py` does (`hilfenetz_writes_bench`,
dropped and created again). Then it times a pool of own-words searches (`scale.own_words`,
ranked through `alerts.find` as the list calls it, each run once to warm it and timed the
second time). It does this after a vacuum and again after `--added` listings were saved since,
each saved as a copy of a published one and then given its vector of similarity (as the
background task does). That happens twice: once with the index's pending list (`fastupdate`
on, PostgreSQL's default) and once without it (the platform's setting, `core.search.add_vector`).
It prints mean, median and p90 ms per shape of search, and the ms of a save.

    .venv/bin/python bench/writes.py                      # 100,000 listings, 2,000 saved
    .venv/bin/python bench/writes.py --n 10000 --added 500 --searches 200
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402

PG_NAME = "hilfenetz_writes_bench"


def pool(words: dict, size: int) -> list[tuple[str, dict]]:
    """(shape, the list's query parameters) of `size` own-words searches (one in five matches
    nothing, as in `scale.py`'s pool)."""
    from hilfenetz.exchange.models import Category, Kind
    from hilfenetz.regions.models import Area

    filters = {
        "area": list(Area.objects.values_list("pk", flat=True)),
        "category": list(Category.objects.values_list("pk", flat=True)),
        "kind": list(Kind.values),
    }
    rng, found = random.Random(7), []
    while len(found) < size:
        params = dict(urllib.parse.parse_qsl(scale.own_words(words, rng, filters).split("?")[1]))
        query = params["q"]
        shape = "a prefix" if query.endswith("*") else "two words" if " " in query else "one word"
        found.append((shape, params))
    return found


def search(params: dict) -> None:
    from hilfenetz.exchange import views
    from hilfenetz.exchange.alerts import find

    filters = {k: v if k == "kind" else int(v) for k, v in params.items() if k != "q"}
    found = find(
        views._narrowed(None, **filters),
        params["q"],
        by_relevance=True,
        category=filters.get("category"),
        area=filters.get("area"),
    )
    len(found)


def timed(searches: list[tuple[str, dict]]) -> dict[str, list[float]]:
    """Milliseconds of each search by shape (and "all"), each timed after a run to warm it."""
    times: dict[str, list[float]] = {}
    for shape, params in searches:
        search(params)
        started = time.perf_counter()
        search(params)
        elapsed = (time.perf_counter() - started) * 1000
        times.setdefault(shape, []).append(elapsed)
        times.setdefault("all", []).append(elapsed)
    return times


def save_listings(count: int, rng: random.Random) -> float:
    """Save `count` copies of published listings as the help exchange does, each then given a
    vector of similarity; the mean ms of one save and its vector."""
    import numpy

    from hilfenetz.exchange.models import Listing
    from hilfenetz.exchange.similarity import DIMENSIONS

    # a help-seeker's consent belongs to their own listing alone
    keys = list(Listing.objects.published().filter(consent=None).values_list("pk", flat=True))
    generator = numpy.random.default_rng(rng.randint(0, 2**32))
    started = time.perf_counter()
    for done in range(1, count + 1):
        listing = Listing.objects.get(pk=rng.choice(keys))
        listing.pk = None
        listing.save()
        vector = generator.standard_normal(DIMENSIONS).astype(numpy.float32)
        vector /= numpy.linalg.norm(vector)
        Listing.objects.filter(pk=listing.pk).update(embedding=vector.tobytes())
        if done % 500 == 0 or done == count:
            print(f"    saved {done}/{count}", flush=True)
    return (time.perf_counter() - started) * 1000 / count


def execute(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)


def summary(times: dict[str, list[float]]) -> str:
    return " | ".join(
        f"{statistics.mean(values):.2f} / {statistics.median(values):.2f} / "
        f"{sorted(values)[int(len(values) * 0.9)]:.2f}"
        for _, values in sorted(times.items(), key=lambda item: (item[0] != "all", item[0]))
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=600)
    args = parser.parse_args()
    server = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *server, "--if-exists", PG_NAME], check=True)
    subprocess.run(["createdb", *server, PG_NAME], check=True)
    os.environ["LOG_LEVEL"] = "WARNING"
    scale.setup_django(f"{scale.PG_SERVER}/{PG_NAME}")
    from hilfenetz.core import search as core_search
    from hilfenetz.exchange.models import Listing

    print(f"PostgreSQL, N = {args.n:,}: seeding ...", flush=True)
    searches = pool(scale.seed(args.n), args.searches)
    table, index = Listing._meta.db_table, core_search.gin_index(Listing)
    rng, rows = random.Random(3), []
    timed(searches)  # the database's caches warm, as for the runs after it
    for pending, option in (("with", "on"), ("without", "off")):
        execute(f"ALTER INDEX {index} SET (fastupdate = {option})")
        execute(f"VACUUM (ANALYZE) {table}")
        print(f"  {pending} a pending list: searching after a vacuum ...", flush=True)
        rows.append((f"{pending} a pending list, after a vacuum", summary(timed(searches)), ""))
        print(f"  {pending} a pending list: saving {args.added} listings ...", flush=True)
        saving = save_listings(args.added, rng)
        label = f"{pending} a pending list, {args.added:,} listings saved since"
        rows.append((label, summary(timed(searches)), f"{saving:.2f}"))
    shapes = sorted({shape for shape, _ in searches})
    print(
        f"\nsearches: mean / median / p90 ms, {len(searches)} of the own-words pool\n\n"
        f"| index | all | {' | '.join(shapes)} | ms a save and its vector |\n"
        f"|---|---|{'---|' * len(shapes)}---|"
    )
    for label, figures, saving in rows:
        print(f"| {label} | {figures} | {saving} |")


if __name__ == "__main__":
    main()
