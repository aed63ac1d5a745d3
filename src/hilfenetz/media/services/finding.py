"""Browsing the media centre by topic, language and audience."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from hilfenetz.core import search
from hilfenetz.media.models import Caption, MediaFile, MediaItem, PlatformDocument


@dataclass
class Filters:
    q: str = ""
    language: str = ""
    audience: str = ""
    topic: object = None
    kind: str = ""
    easy_language: bool = False
    sign_language: bool = False


def _has_language(language: str):
    in_file = Exists(MediaFile.objects.filter(item=OuterRef("pk"), language=language))
    in_caption = Exists(Caption.objects.filter(media_file__item=OuterRef("pk"), language=language))
    in_text = Q(translations__has_key=language)
    generated = Q(platform_document=PlatformDocument.OFFICES)
    return in_file, in_caption | in_text | generated


def browse(filters: Filters, language: str, queryset=None):
    """Published items matching ``filters``: those with a file in the visitor's ``language``
    first, then those with captions or a text in it, then the others; newest first."""
    qs = (queryset if queryset is not None else MediaItem.objects.published()).for_display()
    qs = qs.prefetch_related("topics")
    if search.Terms.parse(filters.q).words:
        qs = search.search(qs, filters.q)
    if filters.language:
        in_file, elsewhere = _has_language(filters.language)
        qs = qs.filter(in_file | elsewhere)
    if filters.audience:
        qs = qs.filter(audiences__contains=f",{filters.audience},")
    if filters.topic is not None:
        qs = qs.filter(topics=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.easy_language:
        qs = qs.filter(easy_language=True)
    if filters.sign_language:
        qs = qs.filter(sign_language=True)
    own_file, own_other = _has_language(language)
    qs = qs.annotate(
        own_file=own_file,
        own_other=models.ExpressionWrapper(own_other, output_field=models.BooleanField()),
    )
    newest = [F("published_on").desc(nulls_last=True), "-pk"]
    return qs.order_by("-own_file", "-own_other", *newest)


def platform_document(district, kind: str):
    return MediaItem.objects.published().filter(district=district, platform_document=kind).first()
