from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.media import services
from hilfenetz.media.models import (
    Caption,
    DownloadCount,
    Kind,
    MediaFile,
    MediaItem,
    MediaPolicy,
    Status,
)
from hilfenetz.media.services import Filters, Upload, publishing
from hilfenetz.media.tests.conftest import upload, vtt
from hilfenetz.media.tests.factories import MediaItemFactory


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def create(user, place, *, data, name="brochure.pdf", kind=Kind.BROCHURE, **kwargs):
    kwargs.setdefault("district", place.district)
    return services.create_item(
        user,
        kind=kind,
        language=kwargs.pop("language", "de"),
        title=kwargs.pop("title", "Willkommen im Landkreis"),
        audiences=["refugees"],
        upload=Upload(
            language="de", file=upload(name, data), captions=kwargs.pop("captions", None)
        ),
        **kwargs,
    )


def test_coordinator_publishes_a_brochure_with_its_page_count(
    place, pdf_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = create(place.district_coordinator, place, data=pdf_bytes)
    assert item.status == Status.PUBLISHED
    assert item.published_on == timezone.localdate()
    assert item.review_by == timezone.localdate() + services.REVIEW_INTERVAL
    media_file = item.files.get()
    assert (media_file.content_type, media_file.pages, media_file.size) == (
        "application/pdf",
        2,
        len(pdf_bytes),
    )
    assert media_file.file.name.endswith(".pdf")
    assert "brochure" not in media_file.file.name  # never the uploader's name
    media_file.refresh_from_db()
    assert media_file.thumbnail  # the preview task ran (immediate backend in tests)
    assert AuditEntry.objects.filter(object_id=item.pk, action="publish").exists()


def test_municipal_coordinator_publishes_only_for_their_municipality(place, pdf_bytes):
    item = create(place.coordinator_here, place, data=pdf_bytes, municipality=place.here)
    assert item.municipality == place.here
    with pytest.raises(PermissionDenied):
        create(place.coordinator_here, place, data=pdf_bytes, municipality=place.other)
    with pytest.raises(PermissionDenied):
        create(place.coordinator_here, place, data=pdf_bytes)  # the whole district


def test_people_without_a_role_cannot_publish(place, pdf_bytes):
    for user in (place.person, place.org_member):
        with pytest.raises(PermissionDenied):
            create(user, place, data=pdf_bytes, organisation=place.organisation)


def test_organisation_items_wait_for_moderation_where_the_district_asks(place, pdf_bytes):
    item = create(place.org_admin, place, data=pdf_bytes, organisation=place.organisation)
    assert item.status == Status.PENDING
    assert not MediaItem.objects.published().filter(pk=item.pk).exists()
    with pytest.raises(PermissionDenied):
        services.approve(place.org_admin, item)
    with pytest.raises(PermissionDenied):
        services.approve(place.coordinator_other, item)
    services.approve(place.coordinator_here, item)
    assert MediaItem.objects.get(pk=item.pk).status == Status.PUBLISHED

    MediaPolicy.objects.create(district=place.district, moderate_organisation_items=False)
    second = create(place.org_admin, place, data=pdf_bytes, organisation=place.organisation)
    assert second.status == Status.PUBLISHED


def test_a_failed_check_stores_nothing(place, pdf_bytes, video_bytes, settings):
    before = (MediaItem.objects.count(), stored_files(settings))
    with pytest.raises(ValidationError):
        create(place.district_coordinator, place, data=b"<html></html>", name="a.pdf")
    with pytest.raises(ValidationError):  # the video is fine, its captions are not
        create(
            place.district_coordinator,
            place,
            data=video_bytes,
            name="v.mp4",
            kind=Kind.VIDEO,
            captions={"fa": upload("fa.vtt", b"WEBVTT\n\n00:02.000 --> 00:01.000\nx\n")},
        )
    assert (MediaItem.objects.count(), stored_files(settings)) == before


def test_files_stored_before_a_database_failure_are_removed(
    place, pdf_bytes, settings, monkeypatch
):
    def fail(item):
        raise RuntimeError("database gone")

    monkeypatch.setattr(publishing, "reindex", fail)  # the step after storing
    with pytest.raises(RuntimeError):
        create(place.district_coordinator, place, data=pdf_bytes)
    assert stored_files(settings) == []
    assert not MediaItem.objects.exists()


def test_video_with_captions_in_three_languages(
    place, video_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = create(
            place.district_coordinator,
            place,
            data=video_bytes,
            name="clip.mp4",
            kind=Kind.VIDEO,
            captions={"de": vtt("Hallo")},
        )
    media_file = item.files.get()
    services.add_captions(place.district_coordinator, media_file, "fa", vtt("سلام"))
    services.add_captions(place.district_coordinator, media_file, "uk", vtt("Привіт"))
    assert sorted(Caption.objects.values_list("language", flat=True)) == ["de", "fa", "uk"]
    media_file.refresh_from_db()
    assert media_file.is_video and media_file.duration > 2
    assert media_file.thumbnail  # a poster frame
    item = MediaItem.objects.for_display().get(pk=item.pk)
    assert item.languages() == ["de", "fa", "uk"]


def test_a_second_language_replaces_nothing_else(
    place, pdf_bytes, django_capture_on_commit_callbacks
):
    item = create(place.district_coordinator, place, data=pdf_bytes)
    services.add_language(
        place.district_coordinator,
        item,
        language="ar",
        title="مرحبا",
        upload=Upload(language="ar", file=upload("ar.pdf", pdf_bytes)),
    )
    old = item.files.get(language="ar").file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.add_language(
            place.district_coordinator,
            item,
            language="ar",
            title="مرحبا بكم",
            upload=Upload(language="ar", file=upload("ar2.pdf", pdf_bytes)),
        )
    assert item.files.count() == 2
    assert item.files.get(language="ar").file.name != old
    assert not default_storage.exists(old)
    item.refresh_from_db()
    assert item.texts("ar").title == "مرحبا بكم" and item.texts("de").title != "مرحبا بكم"
    with pytest.raises(PermissionDenied):
        services.add_language(place.coordinator_other, item, language="tr", title="Merhaba")


def test_organisation_admin_edits_only_their_items(place, pdf_bytes):
    own = create(place.org_admin, place, data=pdf_bytes, organisation=place.organisation)
    district_item = MediaItemFactory(district=place.district)
    services.update_item(place.org_admin, own, licence="CC BY 4.0")
    with pytest.raises(PermissionDenied):
        services.update_item(place.org_admin, district_item, licence="mine")
    with pytest.raises(PermissionDenied):
        services.withdraw(place.org_member, own)


def test_withdrawn_items_disappear_from_the_public(place):
    item = MediaItemFactory(district=place.district, title="Alt")
    services.withdraw(place.district_coordinator, item)
    assert not services.browse(Filters(), "de").filter(pk=item.pk).exists()
    assert MediaItem.objects.visible_to(place.district_coordinator).filter(pk=item.pk).exists()
    assert not MediaItem.objects.visible_to(place.person).filter(pk=item.pk).exists()


def test_search_in_every_language_and_the_own_language_first(place):
    german = MediaItemFactory(district=place.district, title="Erstorientierung im Landkreis")
    farsi = MediaItemFactory(
        district=place.district, title={"fa": "راهنمای ورود", "de": "Ankommen"}
    )
    MediaItemFactory(district=place.district, title="Wohnungssuche")
    assert list(services.browse(Filters(q="راهنمای"), "fa")) == [farsi]
    assert list(services.browse(Filters(q="Erstorientierung"), "de")) == [german]
    in_farsi = list(services.browse(Filters(), "fa"))
    assert in_farsi[0] == farsi
    assert list(services.browse(Filters(language="fa"), "de")) == [farsi]


def test_filters(place):
    easy = MediaItemFactory(district=place.district, easy_language=True, audiences=",volunteers,")
    video = MediaItemFactory(district=place.district, kind=Kind.VIDEO, sign_language=True)
    assert list(services.browse(Filters(easy_language=True), "de")) == [easy]
    assert list(services.browse(Filters(audience="volunteers"), "de")) == [easy]
    assert list(services.browse(Filters(kind=Kind.VIDEO), "de")) == [video]
    assert list(services.browse(Filters(sign_language=True), "de")) == [video]


def test_downloads_are_counted_per_day_and_language_without_people(place):
    item = MediaItemFactory(district=place.district)
    for language in ("fa", "fa", "de"):
        services.count_download(item, language)
    counts = dict(DownloadCount.objects.values_list("language", "count"))
    assert counts == {"fa": 2, "de": 1}
    assert {f.name for f in DownloadCount._meta.get_fields()} == {
        "id",
        "item",
        "language",
        "day",
        "count",
    }
    languages, rows = services.download_statistics(
        place.district_coordinator, timezone.localdate() - timedelta(days=1)
    )
    assert rows[0]["total"] == 3
    assert rows[0]["languages"][languages.index("fa")] == 2
    assert services.download_statistics(place.coordinator_other, timezone.localdate())[1] == []


def test_review_reminder_goes_once_per_window_in_the_recipients_language(
    place, django_capture_on_commit_callbacks
):
    item = MediaItemFactory(district=place.district, municipality=place.here, title="Alt")
    item.review_by = timezone.localdate() - timedelta(days=1)
    item.save()
    place.coordinator_here.preferred_language = "ar"
    place.coordinator_here.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.remind_reviews()
    assert sent == 2  # the municipal and the district coordinator; not the other municipality
    assert services.remind_reviews() == 2
    assert OutboundMail.objects.count() == 2  # the same window: no second mail
    arabic = OutboundMail.objects.get(to=place.coordinator_here.email)
    assert arabic.language == "ar"
    assert "/medien/" in arabic.body
    assert len(mail.outbox) == 2
    services.mark_reviewed(place.coordinator_here, item)
    item.refresh_from_db()
    assert item.review_by > timezone.localdate()


def test_platform_documents_are_unique_per_district(place, pdf_bytes):
    create(
        place.district_coordinator,
        place,
        data=pdf_bytes,
        platform_document="volunteer_standards",
    )
    with pytest.raises(ValidationError):
        create(
            place.district_coordinator,
            place,
            data=pdf_bytes,
            platform_document="volunteer_standards",
        )
    assert services.platform_document(place.district, "volunteer_standards") is not None


def test_only_the_district_keeps_platform_documents(place, pdf_bytes):
    """A municipal coordinator publishes for their municipality, but a district's document
    under its stable address is the district coordinators' (rule media.keep_platform_document)."""
    with pytest.raises(PermissionDenied):
        create(
            place.coordinator_here,
            place,
            municipality=place.here,
            data=pdf_bytes,
            platform_document="volunteer_standards",
        )
    item = create(place.coordinator_here, place, municipality=place.here, data=pdf_bytes)
    with pytest.raises(PermissionDenied):
        services.update_item(place.coordinator_here, item, platform_document="refugee_handbook")
    item.refresh_from_db()
    assert item.platform_document == ""
    assert not MediaItem.objects.exclude(platform_document="").exists()
    services.update_item(place.district_coordinator, item, platform_document="refugee_handbook")
    item.refresh_from_db()
    assert item.platform_document == "refugee_handbook"


def test_deleting_a_file_removes_it_from_storage_after_commit(
    place, pdf_bytes, django_capture_on_commit_callbacks
):
    item = create(place.district_coordinator, place, data=pdf_bytes)
    media_file = item.files.get()
    name = media_file.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_file(place.district_coordinator, media_file)
    assert not default_storage.exists(name)
    assert not MediaFile.objects.exists()


def test_slugs_spell_umlauts_and_fall_back_to_the_kind(place, pdf_bytes):
    german = create(
        place.district_coordinator, place, data=pdf_bytes, title="Gebärdensprache für Ämter"
    )
    arabic = create(place.district_coordinator, place, data=pdf_bytes, title="مرحبا", language="ar")
    again = create(place.district_coordinator, place, data=pdf_bytes, title="مرحبا", language="ar")
    assert german.slug == "gebaerdensprache-fuer-aemter"
    assert (arabic.slug, again.slug) == ("brochure", "brochure-2")


def test_privacy_export_and_erasure_keep_the_items(place, pdf_bytes):
    from hilfenetz.core import privacy

    item = create(place.district_coordinator, place, data=pdf_bytes)
    exported = privacy.export_sections(place.district_coordinator)["media"]
    assert exported == [{"item": item.slug, "created_at": item.created_at.isoformat()}]
    privacy.erase_everywhere(place.district_coordinator)
    item.refresh_from_db()
    assert item.created_by is None


def test_admin_lists_only_the_items_in_scope(client, place):
    mine = MediaItemFactory(district=place.district, municipality=place.here, title="Hier")
    MediaItemFactory(district=place.district, municipality=place.other, title="Dort")
    client.force_login(place.coordinator_here)
    response = client.get("/admin/media/mediaitem/")
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [mine]


def test_admin_links_files_through_the_view_that_checks_access(client, place, pdf_bytes):
    from django.urls import reverse

    from hilfenetz.accounts.tests.factories import UserFactory

    item = create(place.district_coordinator, place, data=pdf_bytes)
    media_file = item.files.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(f"/admin/media/mediaitem/{item.pk}/change/").content.decode()
    assert f'href="{reverse("media:file", args=[media_file.pk])}"' in html
    assert "/media/media/" not in html
