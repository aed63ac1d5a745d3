"""The help exchange at district scale, measured from outside. Prints figures; never a pass/fail.

For each database and each N it builds a separate database (SQLite in a temporary directory,
PostgreSQL as ``hilfenetz_scale_bench``, dropped and created again), loads the demo data and
adds listings up to N with Zipf-distributed words in six languages over all municipalities,
one saved search and one embedding per listing. It then serves the platform with granian
(WSGI, 2 workers) and drives 16 concurrent connections with ``wrk`` against each page: every
request picks its words, filters or page at random from a pool, so no two requests need be
alike. Throughput is given as a share of ``/healthz`` in the same run, with p50/p95 latency.
In-process it times matching a new listing against all saved searches and the similarity
lookup over all embeddings.

    make bench-scale                                    (N = 300, 10,000, 100,000; both)
    .venv/bin/python bench/scale.py --n 10000 --db sqlite --seconds 5
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable
PG_NAME = "hilfenetz_scale_bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
LANGUAGES = {"de": 0.5, "en": 0.1, "ar": 0.1, "fa": 0.1, "uk": 0.1, "tr": 0.1}
# A few real words per language head each vocabulary; invented words make up the long tail.
SEEDS = {
    "de": "Kinderwagen Fahrrad Winterjacke Deutschkurs Wohnung Möbel Begleitung Arzt Kleidung "
    "Schule Spielzeug Waschmaschine Übersetzung Behörde Tisch Stuhl Küche Sprache Hilfe Kinder",
    "en": "stroller bicycle jacket course flat furniture doctor clothes school toys help kitchen",
    "ar": "عربة دراجة سترة دورة شقة أثاث طبيب ملابس مدرسة ألعاب مساعدة مطبخ",
    "fa": "کالسکه دوچرخه کاپشن دوره آپارتمان مبلمان پزشک لباس مدرسه اسباب‌بازی کمک آشپزخانه",
    "uk": "коляска велосипед куртка курс квартира меблі лікар одяг школа іграшки допомога кухня",
    "tr": "bebek bisiklet mont kurs daire mobilya doktor giysi okul oyuncak yardım mutfak",
}
SYLLABLES = {
    "de": "ka be lo ri sch an ter ung en wa mi del st ra ho",
    "en": "ka be lo ri an ter ing ed wa mi del st ra ho",
    "ar": "ما بي لو ري سن تر ون ان وا مي دل ست را هو",
    "fa": "ما بی لو ری سن تر ون ان وا می دل ست را هو",
    "uk": "ка бе ло рі ан тер ння ен ва мі дел ст ра го",
    "tr": "ka be lo ri an ter lik en va mi del st ra ho",
}
VOCABULARY = 6000
PAGES = [
    "healthz",
    "home",
    "list",
    "search common",
    "search rare",
    "search prefix",
    "search + area + category",
    "page 50",
    "API ?q=",
    "directory",
]


def vocabulary(language: str, rng: random.Random) -> list[str]:
    words = list(dict.fromkeys(SEEDS[language].split()))
    syllables = SYLLABLES[language].split()
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_weights(n: int) -> list[float]:
    total, weights = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**1.07
        weights.append(total)
    return weights


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hilfenetz.settings")
    import django

    django.setup()


def seed(n: int) -> dict:
    """Fill the database named by DATABASE_URL; returns the word pools for the load."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from hilfenetz.core import search
    from hilfenetz.exchange.models import Category, Kind, Listing, Status
    from hilfenetz.regions.models import Municipality

    call_command("migrate", verbosity=0)
    call_command("load_district", verbosity=0)
    started = time.perf_counter()
    call_command("demo", verbosity=0)
    print(f"  demo data in {time.perf_counter() - started:.1f} s", flush=True)
    rng = random.Random(n)
    words = {lang: vocabulary(lang, rng) for lang in LANGUAGES}
    cumulative = zipf_weights(VOCABULARY)
    municipalities = list(Municipality.objects.select_related("district"))
    categories = {}
    for category in Category.objects.all():
        categories.setdefault(category.district_id, []).append(category)
    from hilfenetz.accounts.models import User

    authors = list(User.objects.values_list("pk", flat=True))
    languages, shares = list(LANGUAGES), list(LANGUAGES.values())
    statuses = [Status.PUBLISHED] * 17 + [Status.PENDING, Status.FULFILLED, Status.EXPIRED]
    now = timezone.now()
    missing = n - Listing.objects.count()
    batch_size = 5000
    started = time.perf_counter()
    for done in range(0, max(missing, 0), batch_size):
        batch = []
        for _ in range(min(batch_size, missing - done)):
            language = rng.choices(languages, shares)[0]
            vocab = words[language]
            title = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(2, 5)))
            body = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(12, 40)))
            municipality = rng.choice(municipalities)
            status = rng.choice(statuses)
            published = now - timezone.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            batch.append(
                Listing(
                    kind=rng.choice((Kind.NEED, Kind.OFFER)),
                    category=rng.choice(categories[municipality.district_id]),
                    municipality=municipality,
                    language=language,
                    title=title.capitalize()[:120],
                    description=body,
                    valid_until=(now + timezone.timedelta(days=rng.randint(1, 60))).date(),
                    status=status,
                    author_id=rng.choice(authors),
                    published_at=None if status == Status.PENDING else published,
                )
            )
        created = Listing.objects.bulk_create(batch)
        search.index_all(created)
        rate = (done + len(batch)) / (time.perf_counter() - started)
        print(f"  listings {done + len(batch):>7}/{missing} ({rate:.0f}/s)", flush=True)
    seed_saved_searches(n, rng, words, cumulative, municipalities, categories, authors)
    seed_embeddings(rng)
    # bulk_create stamps every row "now"; a year of listings was last changed when published
    Listing.objects.filter(published_at__isnull=False).update(updated_at=F("published_at"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        language: {"common": vocab[:8], "rare": vocab[1500:1600]}
        for language, vocab in words.items()
    }


def seed_saved_searches(n, rng, words, cumulative, municipalities, categories, authors):
    from hilfenetz.core.search import Terms
    from hilfenetz.exchange.models import Frequency, Kind, SavedSearch

    missing = n - SavedSearch.objects.count()
    rows = []
    for _ in range(max(missing, 0)):
        municipality = rng.choice(municipalities)
        vocab = words[rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0]]
        place = rng.random()
        # Most saved searches name a word or two, and a category or a place.
        query = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.choice((0, 1, 1, 2, 2))))
        rows.append(
            SavedSearch(
                user_id=rng.choice(authors),
                query=query,
                term_key=Terms.parse(query).key,  # bulk_create skips save()
                kind=rng.choice(("", Kind.NEED, Kind.OFFER)),
                category=rng.choice(categories[municipality.district_id])
                if rng.random() < 0.6
                else None,
                municipality=municipality if place < 0.4 else None,
                area=municipality.area if 0.4 <= place < 0.8 else None,
                frequency=rng.choice((Frequency.IMMEDIATELY, Frequency.DAILY)),
            )
        )
    SavedSearch.objects.bulk_create(rows, batch_size=5000)
    print(f"  saved searches: {SavedSearch.objects.count()}", flush=True)


def seed_embeddings(rng):
    """Random unit vectors stand in for the model's (the lookup costs the same)."""
    import numpy

    from hilfenetz.exchange.models import Listing
    from hilfenetz.exchange.similarity import DIMENSIONS

    generator = numpy.random.default_rng(rng.randint(0, 2**32))
    pks = list(Listing.objects.filter(embedding__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(pks), 5000):
        chunk = pks[start : start + 5000]
        vectors = generator.standard_normal((len(chunk), DIMENSIONS)).astype(numpy.float32)
        vectors /= numpy.linalg.norm(vectors, axis=1, keepdims=True)
        Listing.objects.bulk_update(
            [
                Listing(pk=pk, embedding=vector.tobytes())
                for pk, vector in zip(chunk, vectors, strict=True)
            ],
            ["embedding"],
            batch_size=1000,
        )
    print(f"  embeddings: {len(pks)}", flush=True)


def paths(pools: dict, rng: random.Random) -> dict[str, list[str]]:
    """For each page, 200 request paths to pick from at random."""
    from hilfenetz.exchange.models import Category
    from hilfenetz.regions.models import Area

    areas = list(Area.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    directory = "/verzeichnis/"

    def words(kind):
        language = rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0]
        return rng.choice(pools[language][kind])

    def quoted(text):
        return urllib.request.quote(text)

    build = {
        "healthz": lambda: "/healthz",
        "home": lambda: "/",
        "list": lambda: "/hilfeboerse/",
        "search common": lambda: f"/hilfeboerse/?q={quoted(words('common'))}",
        "search rare": lambda: f"/hilfeboerse/?q={quoted(words('rare'))}",
        "search prefix": lambda: f"/hilfeboerse/?q={quoted(words('common')[:4])}*",
        "search + area + category": lambda: (
            f"/hilfeboerse/?q={quoted(words('common'))}"
            f"&area={rng.choice(areas)}&category={rng.choice(categories)}"
        ),
        "page 50": lambda: f"/hilfeboerse/?page={rng.randint(45, 55)}",
        "API ?q=": lambda: f"/api/v1/listings?q={quoted(words('common'))}",
        "directory": lambda: directory,
    }
    return {page: [build[page]() for _ in range(200)] for page in PAGES}


def in_process() -> dict:
    """Milliseconds: a new listing against every saved search; the similarity lookup."""
    import statistics

    from hilfenetz.exchange import alerts, services
    from hilfenetz.exchange.models import Listing, SavedSearch

    listings = list(Listing.objects.published().select_related("municipality").order_by("-pk")[:20])
    saved = SavedSearch.objects.count()
    alert_ms, match_ms, found = [], [], []
    for listing in listings:
        started = time.perf_counter()
        found.append(len(alerts.matching_saved_searches(listing)))
        alert_ms.append((time.perf_counter() - started) * 1000)
    services.matches(listings[0], limit=5)  # loads the vectors once per process
    for listing in listings:
        started = time.perf_counter()
        services.matches(listing, limit=5)
        match_ms.append((time.perf_counter() - started) * 1000)
    return {
        "saved searches": saved,
        "alert ms": statistics.median(alert_ms),
        "alert max ms": max(alert_ms),
        "alerts found (median)": statistics.median(found),
        "similarity ms": statistics.median(match_ms),
        "similarity max ms": max(match_ms),
    }


LUA = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def warm(port: int, page_paths: list[str]) -> None:
    """Ask for every path of the pool eight times over new connections, so that each of the
    two workers has (almost surely) rendered and kept it: the figures are then those of pages
    visitors asked for before."""

    def fetch(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
            response.read()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, sorted(set(page_paths)) * 8))


def load(port: int, page_paths: list[str], seconds: int, workdir: Path) -> dict:
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(page_paths) + "\n")
    script = workdir / "bench.lua"
    script.write_text(LUA)
    env = {**os.environ, "BENCH_PATHS": str(listing)}
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    subprocess.run(
        [*command[:3], "-d2s", *command[4:], f"http://127.0.0.1:{port}"],
        env=env,
        capture_output=True,
        check=True,
    )  # warm-up
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50, p95, errors = (int(x) for x in line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "errors": errors,
    }


def serve(env: dict, port: int, workdir: Path):
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "hilfenetz.wsgi:application",
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "granian.log").open("w"),
        start_new_session=True,  # its workers are stopped with it (stop())
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("granian did not start:\n" + (workdir / "granian.log").read_text()[-3000:])


def stop(process, port: int) -> None:
    """Stop granian and its workers, and wait until the port is free for the next server."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} still answers after granian stopped")


def run_one(database: str, n: int, seconds: int, port: int, page_cache: list[str]) -> dict:
    """Results per page-cache setting ("on", "off") for one database and N."""
    workdir = Path(tempfile.mkdtemp(prefix="hilfenetz-scale-"))
    if database == "sqlite":
        url = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_NAME], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_NAME], check=True)
        url = f"{PG_SERVER}/{PG_NAME}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HILFENETZ_VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
    }
    print(f"{database}, N = {n:,}: seeding ...", flush=True)
    prepared = subprocess.run(
        [PY, __file__, "--prepare", str(n)], env=env, capture_output=True, text=True
    )
    sys.stdout.write(
        "".join(line + "\n" for line in prepared.stdout.splitlines() if not line.startswith("{"))
    )
    if prepared.returncode:
        sys.stderr.write(prepared.stderr)
        raise SystemExit(f"seeding failed ({database}, {n})")
    prepared_data = json.loads(prepared.stdout.splitlines()[-1])
    runs = {}
    for setting in page_cache:
        print(f"  page cache {setting}:", flush=True)
        seconds_kept = "300" if setting == "on" else "0"
        server = serve({**env, "PAGE_CACHE_SECONDS": seconds_kept}, port, workdir)
        try:
            results = {}
            for page in PAGES:
                if setting == "on":
                    warm(port, prepared_data["paths"][page])
                results[page] = load(port, prepared_data["paths"][page], seconds, workdir)
                errors = results[page]["errors"]
                print(
                    f"  {page:26} {results[page]['rps']:8.0f} req/s  p50 "
                    f"{results[page]['p50']:6.1f} ms  p95 {results[page]['p95']:7.1f} ms"
                    f"{'  errors ' + str(errors) if errors else ''}",
                    flush=True,
                )
        finally:
            stop(server, port)
        runs[setting] = {"pages": results, "in_process": prepared_data["in_process"]}
    shutil.rmtree(workdir, ignore_errors=True)
    return runs


def table(all_results: dict) -> str:
    runs = list(all_results)
    head = "| page | " + " | ".join(runs) + " |"
    lines = [head, "|" + "---|" * (len(runs) + 1)]
    for page in PAGES:
        cells = []
        for run in runs:
            pages = all_results[run]["pages"]
            result, healthz = pages[page], pages["healthz"]["rps"]
            share = result["rps"] / healthz
            cells.append(f"{share:.2f} · {result['p50']:.0f}/{result['p95']:.0f} ms")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    healthz = [f"{all_results[run]['pages']['healthz']['rps']:.0f} req/s" for run in runs]
    lines.append("| (healthz throughput) | " + " | ".join(healthz) + " |")
    for key in ("alert ms", "similarity ms"):
        values = [f"{all_results[run]['in_process'][key]:.1f}" for run in runs]
        lines.append(f"| {key} (median of 20) | " + " | ".join(values) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[300, 10_000, 100_000])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--page-cache", nargs="+", default=["on", "off"], choices=["on", "off"], dest="page_cache"
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare is not None:
        setup_django(os.environ["DATABASE_URL"])
        pools = seed(args.prepare)
        result = {"paths": paths(pools, random.Random(1)), "in_process": in_process()}
        print(json.dumps(result))
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (Debian: apt-get install wrk)")
    all_results = {}
    for database in args.db:
        for n in args.n:
            runs = run_one(database, n, args.seconds, args.port, args.page_cache)
            for setting, result in runs.items():
                suffix = "" if setting == "on" else " (no page cache)"
                all_results[f"{database} {n:,}{suffix}"] = result
    print("\nshare of /healthz throughput · p50/p95 latency; in-process timings in ms")
    for heading, kept in (("with the page cache", True), ("without the page cache", False)):
        runs = {
            name: result
            for name, result in all_results.items()
            if ("(no page cache)" not in name) == kept
        }
        if runs:
            print(f"\n{heading}:\n\n{table(runs)}")


if __name__ == "__main__":
    main()
