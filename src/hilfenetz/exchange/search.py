"""Full-text search over listings behind one small interface.

PostgreSQL: ``to_tsvector('german', title || ' ' || description)`` with a functional GIN index
(migration 0003, PostgreSQL only). SQLite: an FTS5 table ``exchange_listing_fts`` (migration
0003, SQLite only) holding the text stemmed with PyStemmer's German stemmer; the services keep
it current through :func:`index_listing` and :func:`unindex_listing`.
"""

import re

import Stemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, FloatField, Value, When

FTS_TABLE = "exchange_listing_fts"
MAX_SQLITE_HITS = 1000
_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = Stemmer.Stemmer("german")


def stem(text: str) -> list[str]:
    return _stemmer.stemWords([w.lower() for w in _WORD.findall(text or "")])


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def search_vector():
    return SearchVector("title", "description", config="german")


def index_listing(listing) -> None:
    """Store a listing's stemmed text (SQLite); PostgreSQL indexes by itself."""
    if not _sqlite():
        return
    text = " ".join(stem(f"{listing.title} {listing.description}"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [listing.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)",  # noqa: S608
            [listing.pk, text],
        )


def unindex_listing(listing_id: int) -> None:
    if _sqlite():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [listing_id])  # noqa: S608


def search(queryset, text: str, *, any_word: bool = False):
    """``queryset`` narrowed to listings matching ``text``, annotated with ``rank`` (higher is
    better). ``any_word`` matches listings with any of the words (for similarity)."""
    text = (text or "").strip()
    if not text:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if _postgres():
        if any_word:
            words = _WORD.findall(text)[:30]
            query = SearchQuery(" | ".join(words), config="german", search_type="raw")
        else:
            query = SearchQuery(text, config="german", search_type="websearch")
        vector = search_vector()
        return queryset.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query)
    terms = [t for t in dict.fromkeys(stem(text)) if t][:30]
    if not terms:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    match = (" OR " if any_word else " ").join(f'"{t}"' for t in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY 2 DESC LIMIT %s",
            [match, MAX_SQLITE_HITS],
        )
        hits = cursor.fetchall()
    if not hits:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    return queryset.filter(pk__in=[pk for pk, _ in hits]).annotate(
        rank=Case(
            *[When(pk=pk, then=Value(float(score))) for pk, score in hits],
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
