"""Full-text search for any model behind one small interface.

A model declares its indexed text with :func:`indexed` and gets its index in a migration with
:class:`AddSearchIndex`::

    @search.indexed("title", "description")
    class Listing(models.Model): ...

    # migration
    operations = [search.AddSearchIndex("listing", ["title", "description"])]

    search.search(Listing.objects.published(), "Kinderwagen")   # a queryset of the matches
    search.ranked(Listing.objects.published(), "Kinderwagen")   # a sequence, best first

PostgreSQL: a stored generated ``tsvector`` column (``search_vector``, not a model field) with a
GIN index that takes a saved row at once (no pending list), config ``german`` for every
language: words of other languages are indexed lowercased and unstemmed (the German stemmer
leaves non-Latin words alone), which finds them by their exact form. SQLite: an FTS5 table
``<table>_fts`` whose rowid is the primary key, holding the text stemmed with PyStemmer's German
stemmer; :func:`index` and :func:`unindex` keep it current (deletions through a signal, saves
through the services that change the text); relevance is BM25 computed in Python over the
candidates (:func:`bm25`).

A ranked search scores the ``CANDIDATES`` most recent matches of its words that the queryset
holds (the index read in key order, each match checked against the queryset's filters until
enough are found): a common word costs as much as a rare one, and a narrower filter reaches
older matches. It reads one match more, which tells whether the queryset holds older matches
than it scored (``Ranked.more``). :func:`search` narrows a queryset to its matches (on SQLite
its ``MAX_COUNT`` + 1 newest, as many as a list counts). A word ending in ``*`` is a
prefix; SQLite keeps lists of the rows of each word's first ``PREFIXES`` letters for it
(:class:`SearchPrefixes`).

A model may also declare *facets*: fields whose values a search narrows by (the help exchange's
category, municipality and area), indexed as tokens (:func:`facet`, :class:`SearchFacets`):
SQLite keeps them in a second column of the FTS5 table, PostgreSQL in the vector as lexemes that
begin with ``FACET_MARK``, which no word of a query can match. A search reads only the matches
that have them: checked one by one against the filters, a category's matches of a common word were
found among ten times as many (a search took 9 ms instead of 3 on SQLite at 100,000 listings;
on PostgreSQL it read every page of the table, 20 ms instead of 5), and a category with few
listings read every match of the word. The queryset's filters are still checked on every
match; the facets only spare the walk the rows they would refuse. The facet's own list of rows
is read too, so a facet pays only where it is narrow: one that half the rows have (a listing's
kind) made a rare word's search slower than it made a common word's faster. So did a dozen
values at once (an area's municipalities): SQLite leaves a facet of several values to the
filters, and PostgreSQL merged the 18 lists of the largest area in 14.7 ms where one word's
list took 3.3 (a listing therefore keeps its area as a facet of its own).
"""

import math
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import Stemmer
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, Exists, Expression, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete

from hilfenetz.core.pagination import MAX_COUNT, Rows

CONFIG = "german"
COLUMN = "search_vector"
CANDIDATES = 500
# The newest keys PostgreSQL walks for the candidates of several words (_newest_matching).
WINDOW = 20_000
MAX_TERMS = 30
# PostgreSQL's vector holds a model's facets as lexemes that begin with a character no word of
# a query has (\w+), so that neither a word nor a prefix ("cat*") ever matches one. Told apart
# by a weight of their own instead, every match was checked again on its row: "terr*" counted
# its 8,000 matches in 16 ms instead of 12.
FACET_MARK = "#"
# FTS5's prefix indexes: without them a search for ``be*`` merged the rows of every word that
# starts so (10 ms at 100,000 listings; 0.2 ms with them, for an index about 3.4 times as large).
PREFIXES = "2 3 4"
_WORD = re.compile(r"\w+\*?", re.UNICODE)
_stemmer = Stemmer.Stemmer(CONFIG)


@dataclass(frozen=True)
class Terms:
    """The words of a query: stemmed, lowercased, each perhaps a prefix."""

    words: tuple[tuple[str, bool], ...]  # (stem, is_prefix)

    @classmethod
    def parse(cls, text: str) -> "Terms":
        found = {}
        for raw in _WORD.findall(text or ""):
            prefix = raw.endswith("*")
            word = raw.rstrip("*").lower()
            if word:
                found.setdefault((_stemmer.stemWord(word), prefix), None)
        return cls(tuple(found)[:MAX_TERMS])

    @property
    def key(self) -> str:
        """One whole word of the query to look it up by (an index over saved queries), or ""
        when it has none."""
        return next((word for word, prefix in self.words if not prefix), "")

    def found_in(self, stems: set[str]) -> bool:
        """Whether every word occurs among ``stems`` (the words of :func:`words`)."""
        return all(
            any(s.startswith(word) for s in stems) if prefix else word in stems
            for word, prefix in self.words
        )

    def several(self, any_word: bool) -> bool:
        """Whether a row must hold several words at once."""
        return len(self.words) > 1 and not any_word

    def fts5(self, any_word: bool, facets: tuple[tuple[str, ...], ...] = ()) -> str:
        """The MATCH expression (SQLite): the words in the text's column, and for each facet
        one of its tokens (:func:`facet`) in the facets' column."""
        quoted = [f'"{word}"' + ("*" if prefix else "") for word, prefix in self.words]
        # in the text alone: "muni*" would find every listing's facet "municipalityid3"
        words = f"body : ({(' OR ' if any_word else ' ').join(quoted)})"
        return " AND ".join([words, *(f"facets : ({' OR '.join(tokens)})" for tokens in facets)])

    def tsquery(self, any_word: bool) -> str:
        # Lexemes are \w+ only, so quoting cannot break out of the tsquery syntax.
        parts = [f"'{word}'" + (":*" if prefix else "") for word, prefix in self.words]
        return (" | " if any_word else " & ").join(parts)


def facets_tsquery(tokens: tuple[tuple[str, ...], ...]) -> str:
    """PostgreSQL: the tsquery of facets' tokens (for each facet one of them), to be cast as it
    is (``::tsquery``): parsed, it would lose ``FACET_MARK``."""
    return " & ".join(f"({' | '.join(f"'{FACET_MARK}{t}'" for t in each)})" for each in tokens)


def stem(text: str) -> list[str]:
    return _stemmer.stemWords(w.lower() for w in re.findall(r"\w+", text or ""))


def fts_table(model) -> str:
    return f"{model._meta.db_table}_fts"


def gin_index(model) -> str:
    """PostgreSQL: the name of the GIN index on ``model``'s vector."""
    return f"{model._meta.db_table}_search"


def index_tables(model) -> frozenset[str]:
    """The tables holding ``model``'s search index besides its own: SQLite's FTS5 table; none on
    PostgreSQL, whose vector is a column of the model's table."""
    return frozenset({fts_table(model)} if connection.vendor == "sqlite" else ())


def indexed(*fields: str, facets: tuple[str, ...] = ()):
    """Class decorator: the model's text in ``fields`` is searchable (see the module doc), and
    a search can be narrowed by the values of the attributes ``facets`` (``category_id``)."""

    def register(model):
        model.search_fields = fields
        model.search_facets = facets
        post_delete.connect(_unindex_deleted, sender=model, weak=False)
        return model

    return register


def words(obj) -> set[str]:
    """The stemmed words of an object's indexed text, to test queries against in Python
    (the SQLite index's stemmer; PostgreSQL also drops German stop words)."""
    return set(_text(obj).split())


def _text(obj, fields=None) -> str:
    fields = fields or obj.search_fields
    return " ".join(stem(" ".join(str(getattr(obj, f) or "") for f in fields)))


def facet(name: str, value) -> str:
    """The token of a facet's value: letters and digits only, which FTS5's tokenizer keeps as
    one token (it splits at "_"); PostgreSQL's vector computes the same, after ``FACET_MARK``
    (:func:`add_vector`)."""
    return re.sub(r"[^0-9a-z]", "", f"{name}{getattr(value, 'pk', value)}".lower())


def _row(obj, fields=None, facets=None) -> list:
    """An object's row of its FTS5 table: key, stemmed text and, with facets, their tokens."""
    facets = type(obj).search_facets if facets is None else facets
    row = [obj.pk, _text(obj, fields)]
    if facets:
        row.append(" ".join(facet(name, getattr(obj, name)) for name in facets))
    return row


def _insert(table: str, facets) -> str:
    columns, values = ("body, facets", "%s, %s, %s") if facets else ("body", "%s, %s")
    return f"INSERT INTO {table} (rowid, {columns}) VALUES ({values})"  # noqa: S608


def index(obj) -> None:
    """Store an object's stemmed text and facets (SQLite); PostgreSQL computes its column by
    itself."""
    if connection.vendor != "sqlite":
        return
    table = fts_table(type(obj))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [obj.pk])  # noqa: S608
        cursor.execute(_insert(table, type(obj).search_facets), _row(obj))


def index_all(objects) -> None:
    """Index many objects of one model at once (bulk-created data)."""
    objects = list(objects)
    if connection.vendor != "sqlite" or not objects:
        return
    model = type(objects[0])
    table = fts_table(model)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {table} WHERE rowid = %s",  # noqa: S608
            [(obj.pk,) for obj in objects],
        )
        cursor.executemany(_insert(table, model.search_facets), [_row(obj) for obj in objects])


def unindex(model, pk) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {fts_table(model)} WHERE rowid = %s", [pk])  # noqa: S608


def _unindex_deleted(sender, instance, using, **kwargs):
    unindex(sender, instance.pk)


# The terms are stemmed already (PyStemmer); the "simple" configuration takes them as they are -
# the german one would stem them a second time ("erstorientier" becomes "erstorienti" and no
# longer matches the stored vector).
_TSQUERY = "to_tsquery('simple'::regconfig, %s)"


def _newest_matching(model, match, several: bool, limit: int, held: tuple[str, tuple]):
    """The ``limit`` newest rows of ``model`` whose vector matches the tsquery ``match`` (SQL
    and its parameters) and that meet the condition ``held`` (SQL over the row, and its
    parameters), each as its key and vector (PostgreSQL).

    For one word, or any of several, PostgreSQL knows from its statistics how often the words
    occur and chooses between walking the key backwards and reading the index. For all of
    several words it multiplies their frequencies, as if they were independent: two common
    words that never meet (two languages) look common together, and it walked the whole table
    for none (72 ms at 100,000 listings). So the walk is bounded to the newest ``WINDOW`` keys;
    the older matches are read from the index only when the window holds too few.

    ``held`` is checked as one opaque condition on each match read (``IS TRUE``). Given the
    filters themselves, PostgreSQL joined an area's places and read the index of the words once
    for each place (18 times, 54 ms for ``raka*`` in an area; 9.8 ms as one condition)."""
    table, key = (
        connection.ops.quote_name(n) for n in (model._meta.db_table, model._meta.pk.column)
    )
    # the model's own names and compiled expressions; the words travel as parameters
    select = (
        f"SELECT {key}, {COLUMN} FROM {table} "  # noqa: S608
        f"WHERE {COLUMN} @@ {match[0]} AND ({held[0]}) IS TRUE"
    )
    params = (*match[1], *held[1])
    if not several:
        return RawSQL(f"{select} ORDER BY {key} DESC LIMIT %s", (*params, limit))  # noqa: S611
    bound = f"(SELECT max({key}) FROM {table}) - %s"  # noqa: S608
    return RawSQL(  # noqa: S611
        f"WITH newest AS MATERIALIZED ({select} AND {key} > {bound} "  # noqa: S608
        f"ORDER BY {key} DESC LIMIT %s) SELECT * FROM newest UNION ALL ({select} "
        # "+ 0": ordered by an expression, the older rows come from the index, never a walk
        f"AND {key} <= {bound} ORDER BY {key} + 0 DESC LIMIT %s - (SELECT count(*) FROM newest))",
        (*params, WINDOW, limit, *params, WINDOW, limit),
    )


class _Words(str):
    """Stands for a search's tsquery in the SQL compiled once per queryset (``_sql``); found
    among the parameters by identity, so that no filter's value is ever taken for it."""


_WORDS, _FACETS = _Words("words"), _Words("facets")
# Per process: the SQL of each queryset searched, by the queryset itself, until it is dropped.
# A caller that keeps a queryset per filters (the help exchange's list) compiles its search once:
# building and compiling the filtered query took 0.7 ms, running the search 1.6 (SQLite,
# 100,000 listings).
_compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _sql(queryset, several: bool, faceted: bool) -> tuple[str, tuple] | None:
    """The query of :func:`hits` over ``queryset`` for one word or several (``several``: all of
    them), with facets or without, with ``_WORDS`` and ``_FACETS`` where their tsqueries go
    (PostgreSQL), or the condition its walk checks each match against (SQLite,
    :func:`_fts_newest`): None for a queryset that can hold nothing. It reads one candidate
    more than ``CANDIDATES``: the newest match left out, which tells whether the queryset
    holds older matches (``Ranked.more``)."""
    vendor = connection.vendor
    # SQLite's query is the same for any words and facets
    several, faceted = (several, faceted) if vendor == "postgresql" else (False, False)
    key = (vendor, CANDIDATES, WINDOW, several, faceted)
    kept = _compiled.setdefault(queryset, {})
    if key not in kept:
        model, narrowed = queryset.model, queryset.order_by()
        if vendor == "postgresql":
            kept[key] = _ranked_sql(model, narrowed, several, faceted)
        else:
            # whether the queryset holds the match the walk has read: a subquery on its key
            match = RawSQL(f"{fts_table(model)}.rowid", ())  # noqa: S611
            try:
                kept[key] = narrowed.filter(pk=match).values("pk").query.sql_with_params()
            except EmptyResultSet:
                kept[key] = None
    return kept[key]


def _ranked_sql(model, narrowed, several: bool, faceted: bool) -> tuple[str, tuple] | None:
    """PostgreSQL: the ``CANDIDATES`` + 1 newest matches that ``narrowed`` holds, each with its
    rank, in one walk over the matches; ranked once they are found (a plan that reads the index
    ranked every match before it sorted them: 0.9 µs each)."""
    held = _held(model, narrowed)
    if held is None:
        return None
    key = connection.ops.quote_name(model._meta.pk.column)
    match = _matching(_WORDS, _FACETS if faceted else None)
    newest = _newest_matching(model, match, several, CANDIDATES + 1, held)
    return (
        f"SELECT {key}, ts_rank({COLUMN}, {_TSQUERY}) FROM ({newest.sql}) newest",  # noqa: S608
        (_WORDS, *newest.params),
    )


def _matching(words, facets) -> tuple[str, tuple]:
    """PostgreSQL: the tsquery of ``words`` (its text), and of ``facets`` too unless None (see
    :func:`facets_tsquery`), as SQL and its parameters."""
    if facets is None:
        return _TSQUERY, (words,)
    return f"({_TSQUERY} && %s::tsquery)", (words, facets)


def _held(model, narrowed) -> tuple[str, tuple] | None:
    """Whether ``narrowed`` holds a row of ``model``, as SQL over the row: its own filters,
    checked on the row the walk has read, when they read that row alone; else a lookup of the
    row's key in it (3 index pages more a candidate). None if it holds no row."""
    query = narrowed.query
    if query.is_empty():
        return None
    joined = any(query.alias_refcount[a] for a in query.alias_map if a != query.base_table)
    if joined or query.annotations or query.distinct or query.is_sliced:
        condition = Exists(narrowed.filter(pk=OuterRef("pk")))
    else:
        condition = query.where
    outer = model._default_manager.all().query
    try:
        sql, params = outer.get_compiler(connection=connection).compile(
            condition.resolve_expression(outer)
        )
    except FullResultSet:
        return "TRUE", ()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _fts_newest(table: str, held: str) -> str:
    """SQLite: the keys (``id``) of the newest rows matching the words (the first parameter)
    that meet ``held`` (SQL of a query over the model's table, on ``<table>.rowid``), as many
    as the last parameter: the index read in key order, each match checked until enough are
    found."""
    return (
        f"SELECT rowid AS id FROM {table} WHERE {table} MATCH %s "  # noqa: S608
        f"AND EXISTS ({held}) ORDER BY rowid DESC LIMIT %s"
    )


def _newest(rows: list) -> tuple[list, bool]:
    """The ``CANDIDATES`` newest of the candidates read (key first), and whether one more was
    read: then the queryset holds more matches than it has scores."""
    rows = sorted(rows, reverse=True)
    return rows[:CANDIDATES], len(rows) > CANDIDATES


def _facet_tokens(model, facets: dict | None) -> tuple[tuple[str, ...], ...] | None:
    """The tokens of ``facets`` (name -> the values a match may have, any of them) for
    :meth:`Terms.fts5` or :func:`facets_tsquery`; None when a facet allows no value, so
    nothing matches. On SQLite, only the facets of one value."""
    tokens = []
    for name, values in (facets or {}).items():
        if name not in model.search_facets:
            raise ValueError(f"{name} is not a facet of {model._meta.label}'s search index")
        tokens.append(tuple(sorted({facet(name, value) for value in values})))
    if any(not each for each in tokens):
        return None
    if connection.vendor == "sqlite":
        # FTS5 reads the whole list of rows of each value: an area's dozen municipalities made
        # a rare word's search three times slower than the filters alone
        tokens = [each for each in tokens if len(each) == 1]
    return tuple(tokens)


def _scored(queryset, text: str, any_word: bool, facets: dict | None) -> tuple[dict, bool]:
    """The scores of :func:`hits`, and whether ``queryset`` holds older matches than the
    scored ones."""
    terms = Terms.parse(text)
    tokens = _facet_tokens(queryset.model, facets)
    if not terms.words or tokens is None:
        return {}, False
    compiled = _sql(queryset, terms.several(any_word), bool(tokens))
    if compiled is None:
        return {}, False
    sql, params = compiled
    if connection.vendor == "postgresql":
        words, facets = terms.tsquery(any_word), facets_tsquery(tokens)
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [words if p is _WORDS else facets if p is _FACETS else p for p in params]
            )
            rows, more = _newest(cursor.fetchall())
        return dict(rows), more
    # BM25 weighs each word by how many candidates contain it, so every candidate's text is
    # read. It comes from the FTS5 table's own content table ("<table>_content", column c0):
    # read through the virtual table, a row cost twice as much.
    table = fts_table(queryset.model)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT candidate.id, content.c0 FROM ({_fts_newest(table, sql)}) candidate "  # noqa: S608
            f"JOIN {table}_content content ON content.id = candidate.id",
            [terms.fts5(any_word, tokens), *params, CANDIDATES + 1],
        )
        rows, more = _newest(cursor.fetchall())
    return bm25(dict(rows), terms), more


def hits(queryset, text: str, *, any_word: bool = False, facets: dict | None = None) -> dict:
    """Primary key -> relevance (higher is better) of the ``CANDIDATES`` most recent rows of
    ``queryset`` matching ``text``: all its words, or any with ``any_word``. One query: the
    matches, the queryset's filters and the scores. ``facets``: facet -> the values that
    every row of ``queryset`` has one of (its own filters, given again). They narrow what the
    index reads: a row without them is not found even if the queryset holds it, and a facet
    without values finds nothing. SQLite leaves a facet of several values to the queryset's
    filters (:func:`_facet_tokens`)."""
    return _scored(queryset, text, any_word, facets)[0]


def bm25(bodies: dict, terms: Terms, k1: float = 1.2, b: float = 0.75) -> dict:
    """BM25 of each candidate (key -> stemmed text) over the candidates themselves: each word
    weighs by how many of them contain it. FTS5's bm25() counts the word in every row of the
    index first, which costs as much as all the matches (a common word: most of the rows)."""
    if not bodies:
        return {}
    count = len(bodies)
    # Counted in C by str.count, never word by word: with two spaces between the words and one
    # around them, " word " occurs once per occurrence (no overlaps), " word" once per word
    # that starts with it.
    padded = [f" {body.replace(' ', '  ')} " for body in bodies.values()]
    lengths = [body.count(" ") + 1 for body in bodies.values()]
    average = sum(lengths) / count or 1.0
    norms = [k1 * (1 - b + b * length / average) for length in lengths]
    scores = [0.0] * count
    for word, prefix in terms.words:
        found = list(map(str.count, padded, repeat(f" {word}" if prefix else f" {word} ")))
        having = count - found.count(0)
        weight = math.log((count - having + 0.5) / (having + 0.5) + 1)
        scores = [
            score + weight * f * (k1 + 1) / (f + norm) if f else score
            for score, f, norm in zip(scores, found, norms, strict=True)
        ]
    return dict(zip(bodies, scores, strict=True))


class _Matches(Expression):
    """PostgreSQL: the row's vector matches the tsquery texts ``words`` and ``facets`` (None:
    none); on the table's alias in the query that holds it (``U0`` in a subquery), which raw
    SQL would not follow."""

    output_field = BooleanField()

    def __init__(self, words: str, facets: str | None):
        super().__init__()
        self.words, self.facets = words, facets

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        match, params = _matching(self.words, self.facets)
        return f"{table}.{COLUMN} @@ {match}", params


def search(queryset, text: str, *, any_word: bool = False, facets: dict | None = None):
    """``queryset`` narrowed to its rows that match ``text``. On SQLite, its ``MAX_COUNT`` + 1
    newest (by key): as many as a list counts and pages (``core.pagination``), which says when
    there are more; PostgreSQL plans the words with the filters and the order (given the
    newest matches by key instead, it chose to read the whole table for some words: 90 ms).
    ``facets``: as for :func:`hits`."""
    terms = Terms.parse(text)
    model = queryset.model
    tokens = _facet_tokens(model, facets)
    if not terms.words or tokens is None:
        return queryset.none()
    if connection.vendor == "postgresql":
        facets = facets_tsquery(tokens) if tokens else None
        return queryset.filter(_Matches(terms.tsquery(any_word), facets))
    compiled = _sql(queryset, several=False, faceted=bool(tokens))
    if compiled is None:
        return queryset.none()
    sql, params = _fts_newest(fts_table(model), compiled[0]), compiled[1]
    keys = RawSQL(sql, (terms.fts5(any_word, tokens), *params, MAX_COUNT + 1))  # noqa: S611
    return queryset.filter(pk__in=keys)


class Ranked(Sequence):
    """The rows of a queryset that match, best first (ties: newest first). Slicing loads only
    the rows of the slice, so a paginator shows a page of it at the cost of one page."""

    def __init__(self, queryset, scores: dict, more: bool = False):
        """``scores``: of the queryset's rows (:func:`hits`); ``more``: whether the queryset
        holds a match older than the candidates, so more rows match than are scored."""
        self.more = more
        self.scores = {pk: float(score) for pk, score in scores.items()}
        # (score, key) pairs sorted in C, highest first: no Python call per candidate
        pairs = sorted(zip(self.scores.values(), self.scores, strict=True), reverse=True)
        self.keys = [pk for _score, pk in pairs]
        self._queryset = queryset

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        return Rows(self._queryset, self.keys[index], annotate=self._rank)

    def _rank(self, row):
        row.rank = self.scores[row.pk]


def ranked(queryset, text: str, *, any_word: bool = False, facets: dict | None = None) -> Ranked:
    """``facets``: as for :func:`hits`."""
    return Ranked(queryset, *_scored(queryset, text, any_word, facets))


def create_fts5(schema_editor, model, fields, prefixes: str = "", facets=()) -> None:
    """The FTS5 table of ``model``, filled with the stemmed text of its existing rows (and the
    tokens of their ``facets``), with prefix indexes of the lengths in ``prefixes``
    ("2 3 4")."""
    fts = fts_table(model)
    prefix = f", prefix = '{prefixes}'" if prefixes else ""
    columns = "body, facets" if facets else "body"
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} "
        f"USING fts5({columns}, tokenize = 'unicode61 remove_diacritics 2'{prefix})"
    )
    rows = model._default_manager.using(schema_editor.connection.alias).only(*fields, *facets)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts}")  # noqa: S608
        for obj in rows.iterator(chunk_size=2000):
            cursor.execute(_insert(fts, facets), _row(obj, fields, facets))


def add_vector(schema_editor, model, fields, facets=()) -> None:
    """PostgreSQL: the stored generated vector of ``model`` over ``fields``, with the tokens of
    its ``facets`` (:func:`facet`) after ``FACET_MARK`` as lexemes, and its GIN index."""
    qn = schema_editor.quote_name
    table = model._meta.db_table
    text = " || ' ' || ".join(
        f"coalesce({qn(model._meta.get_field(f).column)}, '')" for f in fields
    )
    vector = f"to_tsvector('{CONFIG}'::regconfig, {text})"
    if facets:
        # facet()'s token: the name's letters, then the value's lowercased letters and digits
        tokens = ", ".join(
            f"'{FACET_MARK}{facet(name, '')}' || regexp_replace(lower(coalesce("
            f"{qn(model._meta.get_field(name).column)}::text, 'None')), '[^0-9a-z]', '', 'g')"
            for name in facets
        )
        vector += f" || array_to_tsvector(ARRAY[{tokens}])"
    schema_editor.execute(
        f"ALTER TABLE {qn(table)} ADD COLUMN {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    # Without a pending list (fastupdate off) a saved row goes into the index at once. With
    # it, every search also read the rows saved since the last vacuum: 2,000 saved listings
    # made a search 0.5-1.7 ms slower at 100,000 (bench/writes.py); a save costs 0.1 ms more.
    schema_editor.execute(
        f"CREATE INDEX {qn(gin_index(model))} ON {qn(table)} USING gin ({COLUMN}) "
        "WITH (fastupdate = off)"
    )
    # the planner weighs words by the column's statistics: without them it takes every word
    # for equally rare (a fixed 0.5 %) until autovacuum analyses the table
    schema_editor.execute(f"ANALYZE {qn(table)}")


class AddSearchIndex(Operation):
    """Migration operation: the full-text index of ``model_name`` over ``fields`` — a stored
    generated tsvector column with a GIN index (PostgreSQL) or an FTS5 table filled with the
    existing rows (SQLite)."""

    reversible = True

    def __init__(self, model_name: str, fields: list[str]):
        self.model_name = model_name
        self.fields = list(fields)

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name, self.fields], {}

    def describe(self):
        return f"Full-text index of {self.model_name}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            add_vector(schema_editor, model, self.fields)
        elif vendor == "sqlite":
            create_fts5(schema_editor, model, self.fields)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            qn = schema_editor.quote_name
            schema_editor.execute(f"ALTER TABLE {qn(table)} DROP COLUMN IF EXISTS {COLUMN}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class SearchPrefixes(Operation):
    """Migration operation: SQLite's FTS5 table of ``model_name`` built again with prefix indexes
    (``PREFIXES``), or without them backwards. Nothing on PostgreSQL."""

    reversible = True

    def __init__(self, model_name: str, fields: list[str], prefixes: str = PREFIXES):
        self.model_name = model_name
        self.fields = list(fields)
        self.prefixes = prefixes

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name, self.fields, self.prefixes], {}

    def describe(self):
        return f"Prefix indexes of the full-text index of {self.model_name}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rebuild(schema_editor, to_state.apps.get_model(app_label, self.model_name), True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rebuild(schema_editor, from_state.apps.get_model(app_label, self.model_name), False)

    def _rebuild(self, schema_editor, model, with_prefixes: bool):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts_table(model)}")
        create_fts5(schema_editor, model, self.fields, self.prefixes if with_prefixes else "")


class SearchFacets(Operation):
    """Migration operation: the search index of ``model_name`` built again with the tokens of
    its rows' ``facets`` (attribute names), or with the ``previous`` ones backwards (none if
    not given), on one ``database`` (a vendor): SQLite's FTS5 table with a column of them (and
    the prefix indexes of ``prefixes``), or PostgreSQL's vector with them as lexemes. Nothing
    on the other."""

    reversible = True

    def __init__(
        self,
        model_name: str,
        fields: list[str],
        facets: list[str],
        prefixes: str,
        database: str,
        previous: list[str] = (),
    ):
        self.model_name = model_name
        self.fields = list(fields)
        self.facets = list(facets)
        self.prefixes = prefixes
        self.database = database
        self.previous = list(previous)

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        args = [self.model_name, self.fields, self.facets, self.prefixes, self.database]
        return self.__class__.__name__, args, {"previous": self.previous} if self.previous else {}

    def describe(self):
        return f"Facets in the full-text index of {self.model_name} ({self.database})"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        self._rebuild(schema_editor, model, self.facets)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        self._rebuild(schema_editor, model, self.previous)

    def _rebuild(self, schema_editor, model, facets):
        vendor = schema_editor.connection.vendor
        if vendor != self.database:
            return
        if vendor == "postgresql":
            table = schema_editor.quote_name(model._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {COLUMN}")
            add_vector(schema_editor, model, self.fields, facets)
        else:
            schema_editor.execute(f"DROP TABLE IF EXISTS {fts_table(model)}")
            create_fts5(schema_editor, model, self.fields, self.prefixes, facets)


class SearchWithoutPendingList(Operation):
    """Migration operation: PostgreSQL's GIN index of ``model_name`` takes a saved row at once
    instead of into a pending list that every search reads too (``fastupdate`` off, see
    :func:`add_vector`), and its pending list is emptied now; backwards, the pending list again.
    Nothing on SQLite."""

    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}

    def describe(self):
        return f"The full-text index of {self.model_name} without a pending list"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            index = gin_index(model)
            schema_editor.execute(
                f"ALTER INDEX {schema_editor.quote_name(index)} SET (fastupdate = off)"
            )
            schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            index = schema_editor.quote_name(gin_index(model))
            schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")
