"""Listings that might fit one another."""

from hilfenetz.core import search
from hilfenetz.exchange import similarity
from hilfenetz.exchange.models import Kind, Listing

MATCH_CANDIDATES = 500


def matches(listing: Listing, limit: int = 10) -> list[Listing]:
    """Published listings of the other kind that may fit: same category, nearby first (same
    municipality, same area, rest of the district), then similarity of the text: the cosine of
    the multilingual embeddings (across languages, over every listing with a vector, through
    the in-memory similarity.VectorIndex), or the full-text rank where the model or a vector is
    missing (over the most recent listings without one)."""
    other = Kind.OFFER if listing.kind == Kind.NEED else Kind.NEED
    qs = (
        Listing.objects.published()
        .filter(kind=other, category_id=listing.category_id)
        .in_district(listing.municipality.district_id)
        .exclude(author_id=listing.author_id)
    )
    own_vector = Listing.objects.filter(pk=listing.pk).values_list("embedding", flat=True).first()
    vectors = similarity.index() if own_vector else None
    scored = []
    if vectors is not None:
        # Twice as many as needed: a row unpublished since the last refresh is dropped below.
        for nearness, score, pk in vectors.nearest(own_vector, listing, other, 2 * limit + 5):
            scored.append((nearness, False, score, 0, pk))
        qs = qs.filter(embedding__isnull=True)
    candidates = list(
        qs.order_by("-published_at", "-pk").values_list(
            "pk", "municipality_id", "municipality__area_id"
        )[:MATCH_CANDIDATES]
    )
    if candidates:
        text = f"{listing.title} {listing.description}"
        facets = {"category_id": [listing.category_id]}
        full_text = search.ranked(qs, text, any_word=True, facets=facets).scores
    area_id = listing.municipality.area_id
    for position, (pk, municipality_id, candidate_area_id) in enumerate(candidates):
        nearness = (
            0
            if municipality_id == listing.municipality_id
            else 1
            if candidate_area_id == area_id
            else 2
        )
        scored.append((nearness, True, -full_text.get(pk, 0.0), position, pk))
    ranked = [pk for *_key, pk in sorted(scored)]
    found = Listing.objects.published().filter(pk__in=ranked).for_display().in_bulk()
    return [found[pk] for pk in ranked if pk in found][:limit]
