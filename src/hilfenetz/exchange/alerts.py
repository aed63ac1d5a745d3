"""Saved searches: the listings that match them, mailed at once or as a daily digest."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from hilfenetz.core import search
from hilfenetz.core.mail import queue_mail
from hilfenetz.exchange.models import Frequency, Kind, Listing, SavedSearch


def apply_filters(
    qs,
    *,
    q="",
    kind="",
    category=None,
    area=None,
    municipality=None,
    since=None,
    district=None,
    by_relevance=False,
):
    """The one place list page, API and saved searches filter listings. With words and
    ``by_relevance``, the result is a sequence best first (core.search.Ranked)."""
    if district:
        qs = qs.in_district(district)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if municipality:
        qs = qs.in_municipality(municipality)
    elif area:
        qs = qs.in_area(area)
    if since:
        if not isinstance(since, datetime):
            since = timezone.make_aware(datetime.combine(since, time.min))
        qs = qs.filter(published_at__gte=since)
    return find(
        qs, q, by_relevance=by_relevance, category=category, area=area, municipality=municipality
    )


def find(qs, q, *, by_relevance=False, category=None, municipality=None, area=None):
    """The listings of ``qs`` that match the words ``q`` (all of ``qs`` without words); with
    ``by_relevance``, a sequence best first (core.search.Ranked). ``qs`` is filtered already,
    by ``category`` and ``municipality`` or ``area`` too: given again, they narrow the search
    index's walk to the matches they keep (its facets). A kind keeps half the listings: as a
    facet it cost a rare word's search more than it spared a common word's (measured), so it
    is not given."""
    if not q:
        return qs
    facets = {}
    if category:
        facets["category_id"] = [category]
    if municipality:
        facets["municipality_id"] = [municipality]
    elif area:
        facets["area_id"] = [area]
    if by_relevance:
        return search.ranked(qs, q, facets=facets)
    return search.search(qs, q, facets=facets)


def matching(saved: SavedSearch, qs=None):
    qs = Listing.objects.published() if qs is None else qs
    qs = qs.exclude(author_id=saved.user_id)
    if saved.drives:  # its place, no words, no category: every need there to be driven
        qs = qs.filter(kind=Kind.NEED, transport_needed=True)
    return apply_filters(
        qs,
        q=saved.query,
        kind=saved.kind,
        category=saved.category_id,
        area=saved.area_id,
        municipality=saved.municipality_id,
    )


def matching_saved_searches(listing, frequency=Frequency.IMMEDIATELY) -> list[SavedSearch]:
    """The saved searches of others that ``listing`` matches. The database narrows them by
    the index over (frequency, a word of the query) and by kind, category and place; only
    those are checked word by word."""
    words = search.words(listing)
    candidates = (
        SavedSearch.objects.filter(frequency=frequency, drives=False, term_key__in=[*words, ""])
        .exclude(user_id=listing.author_id)
        .filter(
            Q(kind="") | Q(kind=listing.kind),
            Q(category__isnull=True) | Q(category_id=listing.category_id),
            Q(municipality__isnull=True) | Q(municipality_id=listing.municipality_id),
            Q(area__isnull=True) | Q(area_id=listing.municipality.area_id),
        )
        .select_related("user")
    )
    found = [saved for saved in candidates if search.Terms.parse(saved.query).found_in(words)]
    return found + list(matching_drivers(listing).filter(frequency=frequency))


def matching_drivers(listing):
    """The saved searches of the people who said they can drive in the place of a need with
    transport needed (its municipality, or its area), never its author's."""
    if listing.kind != Kind.NEED or not listing.transport_needed:
        return SavedSearch.objects.none()
    municipality = listing.municipality
    return (
        SavedSearch.objects.filter(drives=True)
        .filter(
            Q(municipality_id=municipality.pk)
            | Q(municipality__isnull=True, area_id=municipality.area_id)
        )
        .exclude(user_id=listing.author_id)
        .select_related("user")
    )


@task()
def notify_immediately(listing_id: int) -> int:
    """Mail everyone whose immediate saved search matches a newly published listing."""
    listing = Listing.objects.published().select_related("municipality").filter(pk=listing_id)
    listing = listing.first()
    if listing is None:
        return 0
    sent = 0
    for saved in matching_saved_searches(listing):
        queue_mail(
            f"exchange-alert:{saved.pk}:{listing.pk}",
            saved.user,
            "exchange/mail/alert",
            {"listings": [listing], "saved": saved},
        )
        sent += 1
    return sent


@task()
def send_daily_digests() -> int:
    """Once a day per saved search: the listings published since the last digest."""
    now = timezone.now()
    sent = 0
    due = SavedSearch.objects.filter(frequency=Frequency.DAILY).select_related("user")
    for saved in due:
        since = saved.last_sent_at or saved.created_at
        if since > now - timedelta(hours=23):
            continue
        with transaction.atomic():
            found = list(
                matching(saved).filter(published_at__gt=since).order_by("-published_at")[:20]
            )
            if found:
                queue_mail(
                    f"exchange-digest:{saved.pk}:{now:%Y-%m-%d}",
                    saved.user,
                    "exchange/mail/alert",
                    {"listings": found, "saved": saved},
                )
                sent += 1
            SavedSearch.objects.filter(pk=saved.pk).update(last_sent_at=now)
    return sent
