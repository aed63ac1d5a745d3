from django.core.files.base import ContentFile
from django.urls import reverse

from hilfenetz.core.tests.access import LOGIN, Case, expect
from hilfenetz.media.models import Caption, Kind, Status
from hilfenetz.media.tests.factories import MediaFileFactory, MediaItemFactory

#: Who edits an item of ``world.here``; for everyone else it does not exist (404).
EDITORS = {"coordinator_here": 200, "district_coordinator": 200, "administrator": 200}
EDITORS_REDIRECT = {role: 302 for role in EDITORS}
ORG_EDITORS = {**EDITORS, "org_admin": 200}
ORG_EDITORS_REDIRECT = {role: 302 for role in ORG_EDITORS}
PUBLISHERS = {**ORG_EDITORS, "coordinator_other": 200}
COORDINATORS = {**EDITORS, "coordinator_other": 200}


def extend_world(world):
    item = MediaItemFactory(
        district=world.district, municipality=world.here, kind=Kind.VIDEO, title="Ankommen"
    )
    media_file = MediaFileFactory(item=item, content_type="video/mp4")
    media_file.thumbnail.save("p.jpg", ContentFile(b"\xff\xd8\xff jpeg"))
    caption = Caption(media_file=media_file, language="fa")
    caption.file.save("fa.vtt", ContentFile(b"WEBVTT\n\n00:01.000 --> 00:02.000\nx\n"))
    world.extra.update(
        media_item=item,
        media_file=media_file,
        media_caption=caption,
        media_draft=MediaItemFactory(
            district=world.district, municipality=world.here, status=Status.DRAFT, title="Entwurf"
        ),
        media_org_item=MediaItemFactory(
            district=world.district,
            municipality=world.here,
            organisation=world.organisation,
            title="Flyer des Helferkreises",
        ),
        media_standards=MediaItemFactory(
            district=world.district, platform_document="volunteer_standards", title="Standards"
        ),
    )


def url(name, *args):
    return lambda w: reverse(f"media:{name}", args=[a(w) for a in args])


def slug(attribute):
    return lambda w: getattr(w, attribute).slug


def pk(attribute):
    return lambda w: getattr(w, attribute).pk


CASES = [
    Case("media:index", url("index"), expect(200)),
    Case(
        "media:index",
        url("index"),
        expect(200),
        data=lambda w: {"q": "Ankommen", "language": "fa", "kind": "video", "easy": "on"},
        label="search",
    ),
    Case("media:easy_language", url("easy_language"), expect(200)),
    Case("media:sign_language", url("sign_language"), expect(200)),
    Case("media:detail", url("detail", slug("media_item")), expect(200)),
    Case(
        "media:detail",
        url("detail", slug("media_draft")),
        expect(404, **EDITORS),
        label="draft",
    ),
    Case("media:file", url("file", pk("media_file")), expect(200)),
    Case("media:caption", url("caption", pk("media_caption")), expect(200)),
    Case("media:thumbnail", url("thumbnail", pk("media_file")), expect(200)),
    Case("media:offices_pdf", lambda w: reverse("media:offices_pdf", args=["ar"]), expect(200)),
    Case(
        "media:platform_document",
        lambda w: reverse("media:platform_document", args=[w.district.slug, "volunteer_standards"]),
        expect(302),
    ),
    Case("media:create", url("create"), expect(403, anonymous=LOGIN, **PUBLISHERS)),
    Case(
        "media:create",
        url("create"),
        expect(403, anonymous=LOGIN, **PUBLISHERS),
        method="POST",
        data=lambda w: {"title": ""},
        label="invalid form",
    ),
    Case("media:manage", url("manage"), expect(403, anonymous=LOGIN, **PUBLISHERS)),
    Case("media:statistics", url("statistics"), expect(403, anonymous=LOGIN, **COORDINATORS)),
    Case(
        "media:statistics_csv", url("statistics_csv"), expect(403, anonymous=LOGIN, **COORDINATORS)
    ),
    Case("media:edit", url("edit", slug("media_item")), expect(404, anonymous=LOGIN, **EDITORS)),
    Case(
        "media:edit",
        url("edit", slug("media_org_item")),
        expect(404, anonymous=LOGIN, **ORG_EDITORS),
        label="organisation item",
    ),
    Case(
        "media:edit",
        url("edit", slug("media_item")),
        expect(404, anonymous=LOGIN, **EDITORS),
        method="POST",
        data=lambda w: {"kind": "nonsense"},
        label="invalid form",
    ),
    Case(
        "media:add_language",
        url("add_language", slug("media_org_item")),
        expect(404, anonymous=LOGIN, **ORG_EDITORS),
    ),
    Case(
        "media:add_language",
        url("add_language", slug("media_item")),
        expect(404, anonymous=LOGIN, **EDITORS),
        method="POST",
        data=lambda w: {"language": "fa", "title": ""},
        label="invalid form",
    ),
    Case(
        "media:add_captions",
        url("add_captions", slug("media_item")),
        expect(404, anonymous=LOGIN, **EDITORS),
    ),
    Case(
        "media:add_captions",
        url("add_captions", slug("media_item")),
        expect(404, anonymous=LOGIN, **EDITORS),
        method="POST",
        data=lambda w: {"language": "fa"},
        label="invalid form",
    ),
    Case(
        "media:change_status",
        url("change_status", slug("media_org_item")),
        expect(404, anonymous=LOGIN, **ORG_EDITORS_REDIRECT),
        method="POST",
        data=lambda w: {"action": "review"},
    ),
    Case(
        "media:delete_file",
        url("delete_file", pk("media_file")),
        expect(404, anonymous=LOGIN, **EDITORS_REDIRECT),
        method="POST",
    ),
    Case("api-v1:list_media", lambda w: reverse("api-v1:list_media"), expect(200)),
    Case(
        "api-v1:list_media",
        lambda w: reverse("api-v1:list_media"),
        expect(200),
        data=lambda w: {"language": "fa", "kind": "video", "topic": "nowhere", "q": "Ankommen"},
        label="filters",
    ),
]
