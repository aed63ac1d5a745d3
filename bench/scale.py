"""The help exchange at district scale, measured from outside. Prints figures; never a pass/fail.

For each database and each N it builds a separate database (SQLite in a temporary directory,
PostgreSQL as ``hilfenetz_scale_bench``, dropped and created again), loads the demo data and
adds listings up to N with Zipf-distributed words in six languages over all municipalities,
one saved search and one embedding per listing. It then serves the platform with granian
(WSGI, 2 workers) and drives 16 concurrent connections with ``wrk`` through each scenario:
the same few URLs again and again, and what people really do (their own search words,
browsing, logged-in volunteers and coordinators, detail and office pages), every request a
random one of a pool of distinct paths. Each scenario runs between two runs of ``/healthz`` on
the same server; its figure is its share of their throughput, with p50/p95 latency. In-process
it counts the SQL queries of each scenario's page, times matching a new listing against all
saved searches and the similarity lookup, and with ``--profile`` profiles each scenario.

    make bench-scale                                    (N = 10,000 and 100,000; both databases)
    .venv/bin/python bench/scale.py --n 10000 --db sqlite --seconds 5
    .venv/bin/python bench/scale.py --n 10000 --db sqlite --seconds 0 --profile 50
"""

import argparse
import functools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable
# Several benchmarks on one server each name their own database.
PG_NAME = os.environ.get("BENCH_PG_NAME", "hilfenetz_scale_bench")
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
VOLUNTEERS = 16
COORDINATORS = ("esslingen", "kirchheim", "nuertingen", "filderstadt", "ostfildern", "wendlingen")


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


@functools.cache
def zipf_weights(n: int) -> tuple[float, ...]:
    total, weights = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**1.07
        weights.append(total)
    return tuple(weights)


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
        # What autovacuum does a minute after a bulk load in production: statistics, and on
        # PostgreSQL the visibility map, without which an index-only walk reads every row's
        # page (the benchmark's server may run with autovacuum off)
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    return words


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


def zipf_word(words: dict, rng: random.Random) -> str:
    language = rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0]
    return rng.choices(words[language], cum_weights=zipf_weights(VOCABULARY), k=1)[0]


def own_words(words: dict, rng: random.Random, filters: dict) -> str:
    """What a visitor types: one or two words with Zipf frequencies, one query in five matching
    nothing, some prefixes, some narrowed by area, category or kind."""
    if rng.random() < 0.2:
        query = "".join(rng.choices("bcdfghjklmnpqrstvwxz", k=rng.randint(7, 10)))
    else:
        query = " ".join(zipf_word(words, rng) for _ in range(rng.choice((1, 1, 2))))
        if rng.random() < 0.15:
            query = query[: rng.randint(3, 5)] + "*"
    params = {"q": query}
    if rng.random() < 0.3:
        name = rng.choice(list(filters))
        params[name] = rng.choice(filters[name])
    return "/hilfeboerse/?" + urllib.parse.urlencode(params)


def browse(rng: random.Random, filters: dict) -> str:
    """A random combination of area, category and kind (each present or not), pages 1-50."""
    params = {name: rng.choice(values) for name, values in filters.items() if rng.random() < 0.5}
    params["page"] = rng.randint(1, 50)
    return "/hilfeboerse/?" + urllib.parse.urlencode(params)


def distinct(build, size: int) -> list[str]:
    """`size` different paths from `build` (or all it can make, if fewer)."""
    found: dict[str, None] = {}
    for _ in range(size * 20):
        found[build()] = None
        if len(found) == size:
            break
    return list(found)


def sessions(emails: list[str]) -> list[str]:
    """A Cookie header with a fresh session for each person (the database keeps sessions)."""
    from django.conf import settings
    from django.test import Client

    from hilfenetz.accounts.models import User

    cookies = []
    for user in User.objects.filter(email__in=emails).order_by("email"):
        client = Client()
        client.force_login(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def paths(words: dict, rng: random.Random, pool: int) -> tuple[dict, list[str]]:
    """For each scenario, the requests to pick from at random ([path, Cookie header or ""]);
    and the names of the repeated-URL scenarios."""
    from hilfenetz.directory.models import Office
    from hilfenetz.exchange.models import Category, Kind, Listing
    from hilfenetz.regions.models import Area

    areas = list(Area.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    filters = {"area": areas, "category": categories, "kind": list(Kind.values)}
    volunteers = sessions([f"ehrenamt{i}@hilfenetz.example" for i in range(1, VOLUNTEERS + 1)])
    coordinators = sessions([f"koordination.{slug}@hilfenetz.example" for slug in COORDINATORS])
    published = list(Listing.objects.published().values_list("pk", flat=True))
    offices = list(Office.objects.values_list("slug", flat=True))

    def common():
        return urllib.parse.quote(rng.choice(words[rng.choice(list(LANGUAGES))][:8]))

    def rare():
        return urllib.parse.quote(rng.choice(words[rng.choice(list(LANGUAGES))][1500:1600]))

    # (a) the same few URLs: pools of 200 drawn from few words, kept by the page cache
    repeated = {
        "home": lambda: "/",
        "list": lambda: "/hilfeboerse/",
        "search common": lambda: f"/hilfeboerse/?q={common()}",
        "search rare": lambda: f"/hilfeboerse/?q={rare()}",
        "search prefix": lambda: f"/hilfeboerse/?q={common()[:4]}*",
        "search + area + category": lambda: (
            f"/hilfeboerse/?q={common()}&area={rng.choice(areas)}&category={rng.choice(categories)}"
        ),
        "page 50": lambda: f"/hilfeboerse/?page={rng.randint(45, 55)}",
        "API ?q=": lambda: f"/api/v1/listings?q={common()}",
        "directory": lambda: "/verzeichnis/",
    }
    result = {"healthz": [["/healthz", ""]]}
    for name, build in repeated.items():
        result[name] = [[build(), ""] for _ in range(200)]
    # (b)-(h) what people really do: a pool of distinct paths per scenario
    anonymous = {
        "own words": lambda: own_words(words, rng, filters),
        "browse": lambda: browse(rng, filters),
        "listing detail": lambda: f"/hilfeboerse/{rng.choice(published)}/",
        "office page": lambda: f"/verzeichnis/stellen/{rng.choice(offices)}/",
    }
    personal = {
        "volunteer list": (lambda: browse(rng, filters), volunteers),
        "volunteer search": (lambda: own_words(words, rng, filters), volunteers),
        "coordinator list": (lambda: browse(rng, filters), coordinators),
        "moderation queue": (lambda: "/hilfeboerse/moderation/", coordinators),
    }
    for name, build in anonymous.items():
        result[name] = [[path, ""] for path in distinct(build, pool)]
    for name, (build, cookies) in personal.items():
        found = distinct(build, pool)
        if len(found) == 1:  # one page (the queue): each person asks for their own
            found *= len(cookies)
        result[name] = [[path, cookies[i % len(cookies)]] for i, path in enumerate(found)]
    return result, list(repeated)


def in_process() -> dict:
    """Milliseconds: a new listing against every saved search; the similarity lookup."""
    from hilfenetz.exchange import alerts, services
    from hilfenetz.exchange.models import Listing, SavedSearch

    listings = list(Listing.objects.published().select_related("municipality").order_by("-pk")[:20])
    saved = SavedSearch.objects.count()
    alert_ms, match_ms, found = [], [], []
    for listing in listings:
        started = time.perf_counter()
        found.append(len(alerts.matching_saved_searches(listing)))
        alert_ms.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    services.matches(listings[0], limit=5)  # loads the vectors once per process
    first_ms = (time.perf_counter() - started) * 1000
    for listing in listings:
        started = time.perf_counter()
        services.matches(listing, limit=5)
        match_ms.append((time.perf_counter() - started) * 1000)
    return {
        "saved searches": saved,
        "alert ms": statistics.median(alert_ms),
        "alert max ms": max(alert_ms),
        "alerts found (median)": statistics.median(found),
        "similarity first ms": first_ms,
        "similarity ms": statistics.median(match_ms),
        "similarity max ms": max(match_ms),
    }


API_LISTS = {"": "all", "&category=sprache&kind=offer": "a category's offers"}


def api_pages(rounds: int = 50) -> dict:
    """Milliseconds (median of ``rounds``) and SQL queries of the API's listings, 20 a page,
    all of them and a category's offers: page 1, page 50 by ``offset`` and pages 50 and 200
    by following ``next`` as ``cursor``; rendered each time (no page cache). A key absent:
    the API does not reach that page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    browser = Client(HTTP_HOST="127.0.0.1")
    result = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for filters, label in API_LISTS.items():
            first = f"/api/v1/listings?limit=20{filters}"
            pages = {"page 1": first, "page 50": f"{first}&offset=980"}
            path = first
            for number in range(2, 201):
                cursor = browser.get(path).json().get("next")
                if cursor is None:
                    break
                path = f"{first}&cursor={cursor}"
                if number in (50, 200):
                    pages[f"page {number} by cursor"] = path
            for name, path in pages.items():
                timings = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    browser.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                with CaptureQueriesContext(connection) as queries:
                    browser.get(path)
                result[f"API {label}, {name}"] = (statistics.median(timings), len(queries))
    return result


def client(cookie: str):
    """A test client that sends what wrk sends: the host, and the person's session if any."""
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        browser.cookies[name] = value
    return browser


def get(request: list[str]):
    path, cookie = request
    response = client(cookie).get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response


def queries_per_page(scenarios: dict) -> dict[str, int]:
    """SQL queries of one request of each scenario (its first path, after its last two: the
    first rendering of a kind of kept fragment only learns what it reads), in this process; a
    repeated URL may be served by the page cache. For the logged-in pools, those are other
    people's requests: the count is that of a person's first page in a running worker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, requests in scenarios.items():
        for request in requests[-2:]:  # kept fragments warm, as in a running worker
            get(request)
        with CaptureQueriesContext(connection) as queries:
            get(requests[0])
        counts[name] = len(queries)
    return counts


class SQLTimer:
    """Counts queries and their time (CaptureQueriesContext rounds each to a millisecond)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def profile(scenarios: dict, count: int, rng: random.Random) -> None:
    """Per scenario: `count` requests drawn from its pool under cProfile (after 10 others to
    warm the process), printed as calls, milliseconds and SQL per request and the top
    functions by cumulative time."""
    import cProfile
    import pstats

    from django.db import connection

    for name, requests in scenarios.items():
        chosen = [rng.choice(requests) for _ in range(count + 10)]
        for request in chosen[:10]:
            get(request)
        profiler, sql = cProfile.Profile(), SQLTimer()
        with connection.execute_wrapper(sql):
            started = time.perf_counter()
            profiler.enable()
            for request in chosen[10:]:
                get(request)
            profiler.disable()
            elapsed = time.perf_counter() - started
        stats = pstats.Stats(profiler).stats
        calls = sum(row[1] for row in stats.values())
        print(
            f"\n## {name}: {calls / count:,.0f} calls, {elapsed * 1000 / count:.1f} ms, "
            f"SQL {sql.seconds * 1000 / count:.1f} ms in {sql.count / count:.1f} queries per request "
            "(under the profiler)"
        )
        # left out: what wraps (almost) the whole request (test client, handler, middleware)
        whole = max(row[3] for row in stats.values())
        rows = [row for row in stats.items() if row[1][3] < 0.9 * whole]
        for title, column, size in (("cumulative", 3, 15), ("own", 2, 10)):
            print(f"   {title} ms/req  calls/req  function")
            top = sorted(rows, key=lambda item: item[1][column], reverse=True)[:size]
            for (filename, line, function), values in top:
                where = filename.split("site-packages/")[-1].replace(str(ROOT / "src") + "/", "")
                print(
                    f"   {values[column] * 1000 / count:10.2f} {values[1] / count:10.1f}  "
                    f"{function} ({where}:{line})"
                )


LUA = """
local paths, cookies = {}, {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  local path, cookie = line:match("^([^\t]*)\t(.*)$")
  paths[#paths + 1] = path
  cookies[#cookies + 1] = cookie
end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local i = math.random(#paths)
  if cookies[i] == "" then return wrk.format("GET", paths[i]) end
  return wrk.format("GET", paths[i], {Cookie = cookies[i]})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def warm(port: int, requests: list[list[str]]) -> None:
    """Ask for every path of the pool eight times over new connections, so that each of the
    two workers has (almost surely) rendered and kept it: the figures are then those of pages
    visitors asked for before."""

    def fetch(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
            response.read()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, sorted({path for path, _cookie in requests}) * 8))


def postgres_server() -> int | None:
    """The process id of the PostgreSQL server at PG_SERVER when it runs on this machine and its
    processes can be seen (None otherwise): the parent of this connection's backend."""
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/postgres") as connection:
            backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
            return int(proc_stat(backend)[1])
    except (psycopg.Error, OSError):
        return None


def proc_stat(pid) -> list[str]:
    """The fields of /proc/<pid>/stat after the command's name (state, parent, ...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children_cpu(pid: int, ended: bool = False) -> float:
    """CPU seconds (user and system) the running children of process ``pid`` have used so far;
    with ``ended``, also its own and that of the children it has reaped."""
    ticks = sum(int(x) for x in proc_stat(pid)[11:15]) if ended else 0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            ticks += sum(int(x) for x in proc_stat(child)[11:13])
        except FileNotFoundError:  # one that just ended
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def connections_per_worker(pid: int, port: int) -> list[int]:
    """How many open connections to ``port`` each worker (child of process ``pid``) holds, the
    busiest first. A keep-alive connection stays with the worker that accepted it, and wrk's 16
    split at random between the two, anything from 8/8 to 16/0: the worker with more queues
    longer, and its requests' latency makes the run's p95."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            # local address ends in the port (hex); state 01: established
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    counts = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        held = 0
        for fd in Path(f"/proc/{child}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            held += target.startswith("socket:[") and target[8:-1] in inodes
        counts.append(held)
    return sorted(counts, reverse=True)


def database_cpu(server_pid: int | None) -> float | None:
    """CPU seconds the PostgreSQL server has used so far, with its backends, ended or running
    (None: not known). A search costs the database about two thirds of what it costs the
    worker, so the workers' CPU alone hides a good part of a page's cost on PostgreSQL."""
    return None if server_pid is None else children_cpu(server_pid, ended=True)


def load(
    port: int,
    requests: list[list[str]],
    seconds: int,
    workdir: Path,
    server,
    warmup=True,
    database: int | None = None,
) -> dict:
    """wrk with 16 connections, each request a random one of `requests`, after a warm-up of
    2 seconds (so that every worker has loaded what the scenario reads); with the workers' CPU
    time per request, which other load on the machine does not stretch as it does the
    throughput, and the PostgreSQL server's (``database``: its process id; None: not known)."""
    listing = workdir / "paths.txt"
    listing.write_text("".join(f"{path}\t{cookie}\n" for path, cookie in requests))
    script = workdir / "bench.lua"
    script.write_text(LUA)
    env = {**os.environ, "BENCH_PATHS": str(listing)}

    def wrk(duration):
        """wrk's output, and the connections each worker held a second into the run."""
        command = ["wrk", "-t2", "-c16", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
        running = subprocess.Popen(
            [*command, f"http://127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE, text=True
        )
        time.sleep(min(1, duration / 2))
        split = connections_per_worker(server.pid, port)
        out = running.communicate()[0]
        if running.returncode:
            raise subprocess.CalledProcessError(running.returncode, command, out)
        return out, split

    if warmup:
        wrk(2)
    cpu_before, database_before = children_cpu(server.pid), database_cpu(database)
    out, split = wrk(seconds)
    cpu = children_cpu(server.pid) - cpu_before
    database_after = database_cpu(database)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests_done, duration_us, p50, p95, errors = (int(x) for x in line.split()[1:])
    return {
        "rps": requests_done / (duration_us / 1e6),
        "cpu_ms": cpu * 1000 / max(requests_done, 1),
        "database_cpu_ms": None
        if database is None
        else (database_after - database_before) * 1000 / max(requests_done, 1),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "errors": errors,
        "split": split,
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
            os.environ.get("WEB_WORKERS", "2"),  # as scripts/web
            "--blocking-threads",
            os.environ.get("WEB_THREADS", "2"),
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


def measure(
    port: int,
    prepared: dict,
    seconds: int,
    page_cache: bool,
    workdir: Path,
    server,
    database: int | None = None,
) -> dict:
    """Every scenario between two runs of /healthz on the same server; its share is its
    throughput over the mean of the /healthz runs just before and after it, so that load from
    other work on the machine moves both sides of a ratio alike. ``database``: the PostgreSQL
    server's process id, to count its CPU too."""
    scenarios = prepared["paths"]
    healthz_seconds = max(1, seconds // 2)
    before = load(port, scenarios["healthz"], healthz_seconds, workdir, server, warmup=False)
    results = {}
    for name, requests in scenarios.items():
        if name == "healthz":
            continue
        if page_cache and name in prepared["repeated"]:
            warm(port, requests)
        result = load(port, requests, seconds, workdir, server, database=database)
        after = load(port, scenarios["healthz"], healthz_seconds, workdir, server, warmup=False)
        result["healthz"] = (before["rps"] + after["rps"]) / 2
        result["healthz_cpu_ms"] = (before["cpu_ms"] + after["cpu_ms"]) / 2
        result["share"] = result["rps"] / result["healthz"]
        before = after
        results[name] = result
        print(
            f"  {name:26} {result['rps']:8.0f} req/s  share {result['share']:.3f}  p50 "
            f"{result['p50']:6.1f} ms  p95 {result['p95']:7.1f} ms  CPU {result['cpu_ms']:5.1f} "
            f"ms/req{database_figure(result)}  (healthz {result['healthz']:.0f} req/s, CPU "
            f"{result['healthz_cpu_ms']:.1f} ms/req)  connections per worker "
            f"{'/'.join(map(str, result['split']))}"
            f"{'  errors ' + str(result['errors']) if result['errors'] else ''}",
            flush=True,
        )
    return results


def run_one(database: str, n: int, args) -> dict:
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
    command = [PY, __file__, "--prepare", str(n), "--pool", str(args.pool)]
    if args.profile:
        command += ["--profile", str(args.profile)]
    prepared = subprocess.run(command, env=env, capture_output=True, text=True)
    sys.stdout.write(
        "".join(line + "\n" for line in prepared.stdout.splitlines() if not line.startswith("{"))
    )
    if prepared.returncode:
        sys.stderr.write(prepared.stderr)
        raise SystemExit(f"seeding failed ({database}, {n})")
    prepared_data = json.loads(prepared.stdout.splitlines()[-1])
    runs = {}
    for setting in args.page_cache if args.seconds else []:
        print(f"  page cache {setting}:", flush=True)
        seconds_kept = "300" if setting == "on" else "0"
        server = serve({**env, "PAGE_CACHE_SECONDS": seconds_kept}, args.port, workdir)
        try:
            results = measure(
                args.port,
                prepared_data,
                args.seconds,
                setting == "on",
                workdir,
                server,
                postgres_server() if database == "postgres" else None,
            )
        finally:
            stop(server, args.port)
        runs[setting] = {
            "pages": results,
            "in_process": prepared_data["in_process"],
            "queries": prepared_data["queries"],
            "api": prepared_data["api"],
        }
    shutil.rmtree(workdir, ignore_errors=True)
    return runs


GOAL_SHARE, GOAL_P95, GOAL_GROWTH = 0.20, 50, 1.5


def database_figure(result: dict) -> str:
    cpu = result.get("database_cpu_ms")
    return "" if cpu is None else f", PostgreSQL {cpu:.1f}"


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def table(runs: dict[int, dict]) -> str:
    """One database: a row per scenario, a column per N, the goal beside each figure."""
    sizes = sorted(runs)
    growth = len(sizes) > 1
    head = [
        "scenario",
        *(f"N = {n:,}" for n in sizes),
        "SQL queries",
        "workers' CPU ms/request (, PostgreSQL's)",
    ]
    if growth:
        head.insert(-2, f"share {sizes[0]:,} / {sizes[-1]:,}")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in runs[sizes[0]]["pages"]:
        cells = []
        for n in sizes:
            result = runs[n]["pages"][name]
            ok = result["share"] >= GOAL_SHARE and result["p95"] < GOAL_P95
            cells.append(
                f"{result['share']:.3f} · {result['p50']:.0f}/{result['p95']:.0f} ms {mark(ok)}"
            )
        if growth:
            ratio = runs[sizes[0]]["pages"][name]["share"] / runs[sizes[-1]]["pages"][name]["share"]
            cells.append(f"{ratio:.2f}× {mark(ratio <= GOAL_GROWTH)}")
        cells.append(" / ".join(str(runs[n]["queries"][name]) for n in sizes))
        cells.append(
            " / ".join(
                f"{runs[n]['pages'][name]['cpu_ms']:.1f}{database_figure(runs[n]['pages'][name])}"
                for n in sizes
            )
        )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    healthz = " | ".join(
        f"{statistics.median(r['healthz'] for r in runs[n]['pages'].values()):.0f} req/s"
        for n in sizes
    )
    healthz_cpu = " / ".join(
        f"{statistics.median(r['healthz_cpu_ms'] for r in runs[n]['pages'].values()):.1f}"
        for n in sizes
    )
    lines.append(
        f"| (/healthz, median) | {healthz} |"
        + " |" * (len(head) - 2 - len(sizes))
        + f" {healthz_cpu} |"
    )
    for key in ("alert ms", "similarity first ms", "similarity ms"):
        values = " | ".join(f"{runs[n]['in_process'][key]:.1f}" for n in sizes)
        lines.append(f"| in-process: {key} | {values} |" + " |" * (len(head) - 1 - len(sizes)))
    for key in runs[sizes[0]]["api"]:
        values = " | ".join(
            "{:.1f} ms, {} queries".format(*runs[n]["api"][key]) if key in runs[n]["api"] else "-"
            for n in sizes
        )
        lines.append(f"| in-process: {key} | {values} |" + " |" * (len(head) - 1 - len(sizes)))
    return "\n".join(lines)


def prepare(args) -> None:
    """In the process that seeded the database: the pools, in-process timings, queries per
    page and (with --profile) the profile; the JSON result is the last line."""
    setup_django(os.environ["DATABASE_URL"])
    words = seed(args.prepare)
    rng = random.Random(1)
    scenarios, repeated = paths(words, rng, args.pool)
    timings = in_process()  # first, so that the similarity lookup starts in a fresh process
    result = {
        "paths": scenarios,
        "repeated": repeated,
        "in_process": timings,
        "queries": queries_per_page({k: v for k, v in scenarios.items() if k != "healthz"}),
        "api": api_pages(),
    }
    if args.profile:
        profile(
            {k: v for k, v in scenarios.items() if k not in result["repeated"]}, args.profile, rng
        )
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=int, default=8, help="per scenario; 0: no load")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pool", type=int, default=5000, help="distinct paths per scenario")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="REQUESTS",
        help="also profile so many requests of each scenario in-process (e.g. 50)",
    )
    parser.add_argument(
        "--page-cache", nargs="+", default=["on"], choices=["on", "off"], dest="page_cache"
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare is not None:
        prepare(args)
        return
    if args.seconds and shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (Debian: apt-get install wrk)")
    results = {}  # (database, setting) -> {n: run}
    for database in args.db:
        for n in args.n:
            for setting, run in run_one(database, n, args).items():
                results.setdefault((database, setting), {})[n] = run
    print(
        f"\nshare of /healthz throughput · p50/p95 latency (goal: ≥ {GOAL_SHARE} and p95 < "
        f"{GOAL_P95} ms at 16 connections; ≤ {GOAL_GROWTH}× from the smallest to the largest N)"
    )
    for (database, setting), runs in results.items():
        print(f"\n{database}, page cache {setting}:\n\n{table(runs)}")


if __name__ == "__main__":
    main()
