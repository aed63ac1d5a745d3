"""Public API of the media centre: published items with their texts and file addresses."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from hilfenetz.core.models import Topic
from hilfenetz.media.models import MediaItem, PlatformDocument
from hilfenetz.media.services import Filters, browse

router = Router(tags=["media"])
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class TextOut(Schema):
    language: str
    title: str
    description: str
    transcript: str


class CaptionOut(Schema):
    language: str
    url: str


class FileOut(Schema):
    language: str
    url: str
    external: bool
    content_type: str
    size: int
    pages: int | None
    duration: float | None
    captions: list[CaptionOut]


class MediaOut(Schema):
    slug: str
    url: str
    kind: str
    audiences: list[str]
    topics: list[str]
    easy_language: bool
    sign_language: bool
    publisher: str
    published_on: date | None
    licence: str
    languages: list[str]
    texts: list[TextOut]
    files: list[FileOut]

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(reverse("media:detail", args=[obj.slug]))

    @staticmethod
    def resolve_audiences(obj):
        return obj.audience_list

    @staticmethod
    def resolve_topics(obj):
        return [t.slug for t in obj.topics.all()]

    @staticmethod
    def resolve_publisher(obj):
        return obj.publisher()

    @staticmethod
    def resolve_languages(obj):
        return obj.languages()

    @staticmethod
    def resolve_texts(obj):
        return [obj.texts(code) for code in obj.all_texts()]

    @staticmethod
    def resolve_files(obj, context):
        absolute = context["request"].build_absolute_uri
        if obj.platform_document == PlatformDocument.OFFICES:
            return [
                FileOut(
                    language=code,
                    url=absolute(reverse("media:offices_pdf", args=[code])),
                    external=False,
                    content_type="application/pdf",
                    size=0,
                    pages=None,
                    duration=None,
                    captions=[],
                )
                for code in LANGUAGES
            ]
        return [
            FileOut(
                language=f.language,
                url=f.url or absolute(reverse("media:file", args=[f.pk])),
                external=bool(f.url),
                content_type=f.content_type,
                size=f.size,
                pages=f.pages,
                duration=f.duration,
                captions=[
                    CaptionOut(
                        language=c.language, url=absolute(reverse("media:caption", args=[c.pk]))
                    )
                    for c in f.captions.all()
                ],
            )
            for f in obj.files.all()
        ]


@router.get("/media", response=list[MediaOut], summary="Media centre")
@paginate
def list_media(
    request,
    q: str = "",
    language: str = "",
    audience: str = "",
    topic: str = "",
    kind: str = "",
    easy_language: bool = False,
    sign_language: bool = False,
):
    """Published brochures, flyers, handbooks, forms, videos, audio and links, the visitor's
    ``language`` first; filter by text, language, audience, topic slug, kind, Leichte Sprache
    or sign language. Each file has its address per language, with caption tracks."""
    topic_obj = Topic.objects.filter(slug=topic).first() if topic else None
    if topic and topic_obj is None:
        return MediaItem.objects.none()
    filters = Filters(
        q=q.strip(),
        language=language if language in LANGUAGES else "",
        audience=audience,
        topic=topic_obj,
        kind=kind,
        easy_language=easy_language,
        sign_language=sign_language,
    )
    return browse(filters, language if language in LANGUAGES else "de")
