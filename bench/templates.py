"""The help exchange's list page through Django's template engine and through Jinja2 (Django's own
``django.template.backends.jinja2.Jinja2`` backend), side by side. Prints medians; never a
pass/fail, except that it stops if the two engines' markup differs.

The Jinja2 ports of the page's templates are in bench/jinja/. Runs against a fresh SQLite
database filled by ``manage.py demo`` in a temporary directory:
    make bench-templates      (or: .venv/bin/python bench/templates.py [--rounds 2000])
"""

import argparse
import collections
import cProfile
import difflib
import logging
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from unittest import mock

from django.utils.safestring import mark_safe

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

LIST = "/hilfeboerse/"
# the first page (a next link), a later one (both links) and nothing found
PATHS = (LIST, f"{LIST}?page=2", f"{LIST}?q=Zzyzxwv")
VOLUNTEER = "ehrenamt1@hilfenetz.example"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def environment(**options):
    """The Jinja2 environment of the ports: Django's URLs, static files, translations, rules and
    the help exchange's tags, each the function the Django template uses."""
    from django.templatetags.static import static
    from django.urls import NoReverseMatch, reverse
    from django.utils.formats import localize
    from django.utils.html import escape
    from django.utils.translation import gettext, ngettext
    from jinja2 import Environment, pass_context
    from markupsafe import Markup

    from hilfenetz.core import page_cache
    from hilfenetz.core.templatetags import hilfenetz as tags
    from hilfenetz.exchange.templatetags import exchange

    def url(name, *args, **kwargs):
        return reverse(name, args=args, kwargs=kwargs)

    def url_or_empty(name):  # {% url … as name %}: nothing if the app is not installed
        try:
            return reverse(name)
        except NoReverseMatch:
            return ""

    def keep(kind, *parts, caller):  # {% call keep(…) %}: the same fragments as {% keep %}
        kept = page_cache.kept(kind, tuple(str(part) for part in parts), caller)
        return Markup(kept)  # noqa: S704 - rendered by the template, escaped there

    # Django's backend passes autoescape=True
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    # {% translate %} escapes the translation; Jinja2 would take it as markup
    env.install_gettext_callables(
        lambda message: escape(gettext(message)),
        lambda singular, plural, n: escape(ngettext(singular, plural, n)),
        newstyle=True,
    )
    env.globals.update(
        url=url,
        url_or_empty=url_or_empty,
        static=static,
        keep=keep,
        allowed=pass_context(lambda context, rule, obj=None: tags.allowed(context, rule, obj)),
        query_with=pass_context(lambda context, **changes: tags.query_with(context, **changes)),
        filter_fields=exchange.filter_fields,
        listing_cards=exchange.listing_cards,
    )
    env.filters.update(language=tags.language, localize=localize)
    return env


def jinja_engine():
    from django.conf import settings
    from django.template.backends.jinja2 import Jinja2

    (django_options,) = [t["OPTIONS"] for t in settings.TEMPLATES]
    return Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [ROOT / "bench" / "jinja"],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": f"{__name__}.environment",
                "context_processors": django_options["context_processors"],
                "auto_reload": False,  # as in production: no file check per include
            },
        }
    )


def capture(client, path):
    """The request and the contexts the list view renders its two templates with, taken from a
    real request through every middleware (the test client is Django's RequestFactory with the
    handler). With PAGE_CACHE_SECONDS=0 the view renders its results on every request."""
    from django.http import HttpResponse

    from hilfenetz.exchange import views

    seen = {}
    real_get_template = views.get_template

    class Recording:
        def __init__(self, name):
            self.template = real_get_template(name)

        def render(self, context=None, request=None):
            seen["results"] = dict(context)
            return self.template.render(context, request)

    def render(request, name, context):
        seen["request"], seen["frame"] = request, dict(context)
        return HttpResponse()

    with (
        mock.patch.object(views, "get_template", Recording),
        mock.patch.object(views, "render", render),
    ):
        assert client.get(path).status_code == 200, path
    return seen["request"], seen["frame"], seen["results"]


def normalised(html):
    html = CSRF_VALUE.sub(r'\g<1>…"', str(html))
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


class Page:
    """One viewer's list page: the frame (list.html in base.html with its includes and the
    context processors) and the results (_results.html with _pagination.html), in both engines."""

    def __init__(self, client, path, jinja):
        from django.template.loader import get_template

        self.request, self.frame_context, self.results_context = capture(client, path)
        self.django = get_template("exchange/list.html"), get_template("exchange/_results.html")
        self.jinja = (
            jinja.get_template("exchange/list.html"),
            jinja.get_template("exchange/_results.html"),
        )

    def results(self, engine):
        # Jinja2 gives a plain str: the view would mark it safe as Django's engine does
        html = engine[1].render(dict(self.results_context))
        return mark_safe(html)  # noqa: S308 - escaped by the template

    def frame(self, engine, results):
        return engine[0].render({**self.frame_context, "results": results}, self.request)

    def whole(self, engine):
        return self.frame(engine, self.results(engine))


def verify(pages, languages):
    """Stop unless both engines give the same markup for every page and language, with every
    fragment rendered anew and then with what the first rendering kept."""
    from django.utils import translation

    from hilfenetz.core import page_cache

    for page in pages:
        for code in languages:
            with translation.override(code):
                for fresh in (True, False):
                    if fresh:
                        page_cache.forget()
                    django = normalised(page.whole(page.django))
                    if fresh:
                        page_cache.forget()
                    jinja = normalised(page.whole(page.jinja))
                    if django != jinja:
                        diff = difflib.unified_diff(
                            django.replace("><", ">\n<").splitlines(),
                            jinja.replace("><", ">\n<").splitlines(),
                            "django",
                            "jinja2",
                            lineterm="",
                        )
                        print(f"{page.request.get_full_path()} [{code}] differs:")
                        print("\n".join(list(diff)[:80]))
                        sys.exit(1)
    return len(pages) * len(languages)


def compare(rounds, renders):
    """Median CPU µs of each render, all timed in turn so that other load on the machine hits
    them alike, in a new order each round so that no render is always the one after another (or
    the one where the garbage collector's count runs out). Both engines read the same kept
    fragments (navigation, language menu, filter fields, cards)."""
    for _ in range(rounds // 10):
        for render in renders.values():
            render()
    times = {name: [] for name in renders}
    order = list(renders.items())
    shuffle = random.Random(1).shuffle
    for _ in range(rounds):
        shuffle(order)
        for name, render in order:
            started = time.process_time_ns()
            render()
            times[name].append((time.process_time_ns() - started) / 1000)
    return {name: statistics.median(timings) for name, timings in times.items()}


ENGINE_CODE = ("django/template/", "django/templatetags/", "jinja2/", "markupsafe/")


def profile(render, rounds):
    """The share of a render's (profiled, so inflated) time spent in the engine's own code, and
    the calls both engines make that cost most: only the former can differ between them."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        render()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(own for _, _, own, _, _ in stats.values())
    engine = sum(
        own
        for (filename, _, _), (_, _, own, _, _) in stats.items()
        if any(part in filename for part in ENGINE_CODE)
    )
    # what the templates call: functions outside the engines that engine code calls directly
    called = collections.Counter()
    for (filename, _, function), (_, calls, _, cumulative, callers) in stats.items():
        if any(part in filename for part in ENGINE_CODE) or filename == "~":
            continue
        if any(any(part in caller[0] for part in ENGINE_CODE) for caller in callers):
            called[f"{Path(filename).stem}.{function} ×{calls // rounds}"] += cumulative
    top = ", ".join(f"{name} {time / total:.0%}" for name, time in called.most_common(6))
    return f"engine's own code {engine / total:.0%}; calls made by the template: {top}"


def request_cpu_ms(client, path, rounds):
    """Median CPU ms of a whole request through the test client (middleware, queries, view)."""
    for _ in range(10):
        client.get(path)
    timings = []
    for _ in range(rounds):
        started = time.process_time()
        client.get(path)
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000, help="renders of each part per engine")
    parser.add_argument("--profile", action="store_true", help="where each render's time goes")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hilfenetz-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hilfenetz.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DEBUG", "false")  # both engines as in production
    # every request renders its whole page (the results are not kept per path)
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    import jinja2

    # the request log is written as in production, but not among the figures
    for handler in logging.getLogger("hilfenetz.requests").handlers:
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - for the whole run
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import translation

    from hilfenetz.accounts.models import User
    from hilfenetz.core import page_cache

    print("preparing demo data ...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    jinja = jinja_engine()
    viewers = {"anonymous": Client(), "volunteer": Client()}
    viewers["volunteer"].force_login(User.objects.get(email=VOLUNTEER))
    pages = {
        (viewer, path): Page(client, path, jinja)
        for viewer, client in viewers.items()
        for path in PATHS
    }
    languages = [code for code, _ in settings.LANGUAGES]
    checked = verify(pages.values(), languages)
    print(
        f"same markup (whitespace normalised, CSRF token left out) in {checked} renderings: "
        f"{len(PATHS)} paths × {len(viewers)} viewers × {len(languages)} languages, every "
        "fragment rendered anew and kept"
    )
    print(
        f"Django {django.get_version()}, Jinja2 {jinja2.__version__}; median CPU time of "
        f"{args.rounds} renders each, in {settings.LANGUAGE_CODE}, page 1 of {LIST}"
    )

    # inside a request, as the middleware sets it: the data versions are read once
    page_cache._request_versions.set({})
    page_cache._request_host.set("testserver")
    print(
        f"\n{'viewer · part':22} {'Django µs':>10} {'Jinja2 µs':>10} {'ratio':>6} "
        f"{'saved µs':>9}  share of the request, Django → Jinja2"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for viewer, client in viewers.items():
            page = pages[viewer, LIST]
            results = page.results(page.django)
            parts = {
                "frame": lambda engine, page=page, results=results: page.frame(engine, results),
                "results": page.results,
                "page": page.whole,
            }
            medians = compare(
                args.rounds,
                {
                    (part, engine): partial(render, getattr(page, engine))
                    for part, render in parts.items()
                    for engine in ("django", "jinja")
                },
            )
            timed = {part: (medians[part, "django"], medians[part, "jinja"]) for part in parts}
            request_ms = request_cpu_ms(client, LIST, max(50, args.rounds // 20))
            for part, (dj, jj) in timed.items():
                print(
                    f"{viewer + ' · ' + part:22} {dj:10.0f} {jj:10.0f} {dj / jj:5.2f}× {dj - jj:9.0f}"
                    f"  {dj / 10 / request_ms:4.1f} % → {jj / 10 / request_ms:4.1f} %"
                )
            saved = (timed["page"][0] - timed["page"][1]) / 1000
            print(
                f"{viewer + ' · request':22} {request_ms:7.2f} ms of CPU (test client) → "
                f"{request_ms - saved:.2f} ms with Jinja2, {saved / request_ms:.1%} less"
            )
            if viewer == "volunteer":
                # a path asked before: the results come kept, the frame is rendered for the person
                with override_settings(PAGE_CACHE_SECONDS=300):
                    kept_ms = request_cpu_ms(client, LIST, max(50, args.rounds // 20))
                saved = (timed["frame"][0] - timed["frame"][1]) / 1000
                print(
                    f"{'  results kept':22} {kept_ms:7.2f} ms of CPU → {kept_ms - saved:.2f} ms "
                    f"with Jinja2 (the frame only), {saved / kept_ms:.1%} less"
                )
            if args.profile:
                for part, render in parts.items():
                    for name, engine in (("Django", page.django), ("Jinja2", page.jinja)):
                        print(f"  {part}, {name}: {profile(partial(render, engine), 300)}")


if __name__ == "__main__":
    main()
