import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hilfenetz.core import page_cache
from hilfenetz.core.models import Topic
from hilfenetz.directory.tests.factories import ContactFactory, OfficeFactory
from hilfenetz.media import services
from hilfenetz.media.models import DownloadCount, Kind, MediaFile, MediaItem, Status
from hilfenetz.media.services import Upload
from hilfenetz.media.tests.conftest import upload, vtt
from hilfenetz.media.tests.factories import MediaFileFactory, MediaItemFactory


@pytest.fixture
def video_item(place, video_bytes):
    item = services.create_item(
        place.district_coordinator,
        district=place.district,
        kind=Kind.VIDEO,
        language="de",
        title="Ankommen im Landkreis",
        audiences=["refugees"],
        upload=Upload(
            language="de",
            file=upload("clip.mp4", video_bytes),
            captions={"fa": vtt("سلام و خوش آمدید")},
        ),
    )
    return item, item.files.get()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- ranges -----------------------------------------------------------------------------------


def test_whole_file_with_accept_ranges(client, video_item, video_bytes):
    _item, media_file = video_item
    response = client.get(reverse("media:file", args=[media_file.pk]))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert int(response["Content-Length"]) == len(video_bytes)
    assert _body(response) == video_bytes


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, None),
        ("bytes=-50", None, None),
        ("bytes=10-10", 10, 10),
    ],
)
def test_partial_content(client, video_item, video_bytes, header, start, end):
    _item, media_file = video_item
    size = len(video_bytes)
    if start is None:
        start, end = size - 50, size - 1
    end = size - 1 if end is None else end
    response = client.get(reverse("media:file", args=[media_file.pk]), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert int(response["Content-Length"]) == end - start + 1
    assert _body(response) == video_bytes[start : end + 1]


def test_range_beyond_the_end_is_416(client, video_item, video_bytes):
    _item, media_file = video_item
    response = client.get(
        reverse("media:file", args=[media_file.pk]), HTTP_RANGE=f"bytes={len(video_bytes)}-"
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(video_bytes)}"


def test_several_ranges_or_a_stale_if_range_get_the_whole_file(client, video_item, video_bytes):
    _item, media_file = video_item
    url = reverse("media:file", args=[media_file.pk])
    assert client.get(url, HTTP_RANGE="bytes=0-1,5-6").status_code == 200
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE=etag).status_code == 206
    assert client.get(url, HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE='"old"').status_code == 200


def test_downloads_are_counted_once_per_playback(client, video_item):
    item, media_file = video_item
    url = reverse("media:file", args=[media_file.pk])
    client.get(url, HTTP_RANGE="bytes=0-")  # the player starts
    client.get(url, HTTP_RANGE="bytes=5000-")  # ... and seeks: not counted again
    client.get(url + "?download=1")
    assert DownloadCount.objects.get(item=item, language="de").count == 2


def test_captions_are_served_as_webvtt(client, video_item):
    _item, media_file = video_item
    caption = media_file.captions.get()
    response = client.get(reverse("media:caption", args=[caption.pk]))
    assert response["Content-Type"].startswith("text/vtt")
    assert "سلام" in b"".join(response.streaming_content).decode()


def test_files_of_unpublished_items_are_hidden(client, place, video_item):
    item, media_file = video_item
    services.withdraw(place.district_coordinator, item)
    assert client.get(reverse("media:file", args=[media_file.pk])).status_code == 404
    client.force_login(place.district_coordinator)
    assert client.get(reverse("media:file", args=[media_file.pk])).status_code == 200


# --- pages ------------------------------------------------------------------------------------


def test_detail_plays_the_video_with_caption_tracks(client, video_item):
    item, media_file = video_item
    response = client.get(reverse("media:detail", args=[item.slug]), HTTP_COOKIE="")
    html = response.content.decode()
    assert "<video" in html and "controls" in html
    assert 'srclang="fa"' in html and 'kind="captions"' in html
    client.cookies["hilfenetz_language"] = "fa"
    html = client.get(reverse("media:detail", args=[item.slug])).content.decode()
    assert re.search(r'srclang="fa"[^>]*default', html)  # the visitor's language is on


def test_external_video_is_loaded_only_after_consent(client, place):
    item = services.create_item(
        place.district_coordinator,
        district=place.district,
        kind=Kind.VIDEO,
        language="de",
        title="Erklärvideo",
        audiences=["refugees"],
        upload=Upload(language="de", url="https://www.youtube.com/watch?v=abcDEF12345"),
    )
    url = reverse("media:detail", args=[item.slug])
    html = client.get(url).content.decode()
    assert "youtube" not in re.sub(r'href="[^"]*"', "", html)  # no embed, only a link
    assert "<iframe" not in html
    html = client.get(url + "?extern=1&lang=de").content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in html


def test_list_shows_kind_size_pages_and_languages(client, place):
    item = MediaItemFactory(district=place.district, title={"de": "Handbuch", "uk": "Довідник"})
    MediaFileFactory(item=item, size=2_400_000, pages=12)
    html = client.get(reverse("media:index")).content.decode()
    assert "Handbuch" in html
    assert "12 Seiten" in html or "12 pages" in html
    assert "2,3\xa0MB" in html or "2.3\xa0MB" in html
    assert "Українська" in html


def _second_request(client, url, params=None):
    """The queries of a page asked for again, as on a running platform (its data versions known
    and what it keeps learned by the first request)."""
    page_cache.versions(connection.introspection.table_names())
    assert client.get(url, params or {}).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("count", [2, 25])
def test_list_query_count_does_not_grow(client, place, django_assert_max_num_queries, count):
    for n in range(count):
        item = MediaItemFactory(
            district=place.district, title={"de": f"Heft {n}", "fa": f"دفتر {n}"}
        )
        MediaFileFactory(item=item)
    page_cache.versions(connection.introspection.table_names())
    with django_assert_max_num_queries(10):  # a first rendering
        response = client.get(reverse("media:index"), {"q": "Heft", "language": "de"})
    assert response.status_code == 200


@pytest.mark.parametrize("params", [{}, {"q": "Heft", "language": "de", "topic": "wohnen"}])
@pytest.mark.parametrize("count", [2, 25])
def test_list_for_a_logged_in_person_reuses_the_kept_results(client, place, count, params):
    Topic.objects.create(name="Wohnen", slug="wohnen")
    for n in range(count):
        item = MediaItemFactory(district=place.district, title=f"Heft {n}")
        MediaFileFactory(item=item)
        item.topics.set(Topic.objects.all())
    client.force_login(place.org_admin)
    response, queries = _second_request(client, reverse("media:index"), params)
    # session, user, roles, data versions, memberships (may they manage media?), the crisis
    # banner (read on every page while the page cache is off)
    assert len(queries) <= 6, queries
    assert f"Heft {count - 1}<" in response.text
    assert "Manage media" in response.text or "Medien verwalten" in response.text


@pytest.mark.parametrize("count", [2, 25])
@pytest.mark.parametrize("who", ["district_coordinator", "org_admin"])
def test_manage_query_count_does_not_grow(client, place, count, who):
    today = timezone.localdate()
    for n in range(count):
        MediaItemFactory(district=place.district, title=f"Heft {n}")
        MediaItemFactory(
            district=place.district,
            organisation=place.organisation,
            title=f"Wartet {n}",
            status=Status.PENDING,
        )
        MediaItemFactory(
            district=place.district,
            organisation=place.organisation,
            title=f"Veraltet {n}",
            review_by=today - timedelta(days=n + 1),
        )
    client.force_login(getattr(place, who))
    response, queries = _second_request(client, reverse("media:manage"))
    # session, user, roles (+ second factor; a coordinator's menu counts what waits for them)
    # | memberships, count, page, waiting items, titles
    assert len(queries) <= 9, queries
    assert "Wartet 0" in response.text and "Veraltet 0" in response.text
    overdue = re.findall(r"Veraltet (\d+)</span></a> · ", response.text)
    assert overdue[:2] == [str(count - 1), str(count - 2)]  # the most overdue first


@pytest.mark.parametrize("count", [2, 25])
def test_statistics_query_count(client, place, django_assert_max_num_queries, count):
    for n in range(count):
        item = MediaItemFactory(district=place.district, title=f"Heft {n}")
        services.count_download(item, "de")
    client.force_login(place.district_coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("media:statistics")).status_code == 200


@pytest.mark.parametrize("count", [2, 25])
def test_offices_pdf_is_kept_from_its_first_rendering(client, place, count):
    for _ in range(count):
        ContactFactory(office=OfficeFactory(district=place.district, municipalities=[place.here]))
    client.force_login(place.person)
    response, queries = _second_request(client, reverse("media:offices_pdf", args=["de"]))
    assert response["Content-Type"] == "application/pdf"
    # session, user, roles, the district's item (counted) | the kept PDF, its data versions
    assert len(queries) <= 6, queries
    assert not [sql for sql in queries if 'FROM "directory_office"' in sql]


def test_statistics_table_and_csv(client, place):
    item = MediaItemFactory(district=place.district, title="Standards")
    for language in ("de", "de", "fa"):
        services.count_download(item, language)
    client.force_login(place.district_coordinator)
    html = client.get(reverse("media:statistics")).content.decode()
    assert "<table" in html and "<meter" in html
    csv = client.get(reverse("media:statistics_csv")).content.decode().splitlines()
    languages = ",".join(code for code, _name in settings.LANGUAGES)
    assert csv[0].startswith(f"item,title,total,{languages}")
    counts = {"de": "2", "fa": "1"}
    row = ",".join(counts.get(code, "0") for code, _name in settings.LANGUAGES)
    assert csv[1] == f"{item.slug},Standards,3,{row}"


def test_coordinator_uploads_a_brochure_in_two_languages(client, place, pdf_bytes):
    client.force_login(place.district_coordinator)
    response = client.post(
        reverse("media:create"),
        {
            "publisher": f"district:{place.district.pk}",
            "kind": "brochure",
            "audiences": ["refugees", "volunteers"],
            "language": "de",
            "title": "Erste Schritte",
            "file": upload("erste.pdf", pdf_bytes),
            "publish": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = MediaItem.objects.get()
    response = client.post(
        reverse("media:add_language", args=[item.slug]),
        {"language": "ar", "title": "الخطوات الأولى", "file": upload("ar.pdf", pdf_bytes)},
    )
    assert response.status_code == 302
    assert sorted(item.files.values_list("language", flat=True)) == ["ar", "de"]
    assert item.status == Status.PUBLISHED


def test_hostile_upload_through_the_form_shows_a_message(client, place):
    client.force_login(place.district_coordinator)
    response = client.post(
        reverse("media:create"),
        {
            "publisher": f"district:{place.district.pk}",
            "kind": "brochure",
            "audiences": ["refugees"],
            "language": "de",
            "title": "Böse",
            "file": upload("evil.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert response.status_code == 200
    assert "HTML" in response.content.decode()
    assert not MediaItem.objects.exists()


def test_the_form_tells_the_size_limit(client, place, settings):
    client.force_login(place.district_coordinator)
    html = client.get(reverse("media:create")).content.decode()
    assert f"{settings.MEDIA_MAX_AV_MB}" in html
    assert 'data-max-document-bytes="' in html


def test_offices_list_is_always_current_in_every_language(client, place):
    item = MediaItemFactory(district=place.district, platform_document="offices", title="Liste")
    response = client.get(reverse("media:offices_pdf", args=["fa"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert DownloadCount.objects.get(item=item).language == "fa"
    assert client.get(reverse("media:offices_pdf", args=["xx"])).status_code == 404


def test_stable_address_of_a_district_document(client, place):
    item = MediaItemFactory(district=place.district, platform_document="volunteer_standards")
    url = reverse("media:platform_document", args=[place.district.slug, "volunteer_standards"])
    assert client.get(url)["Location"] == reverse("media:detail", args=[item.slug])
    item.status = Status.WITHDRAWN
    item.save()
    assert client.get(url).status_code == 404


def test_home_page_links_to_the_media_centre_easy_language_and_sign_language(client, db):
    html = client.get("/").content.decode()
    for name in ("media:index", "media:easy_language", "media:sign_language"):
        assert f'href="{reverse(name)}"' in html


def test_file_row_without_content_is_refused_by_the_database(place):
    from django.db import IntegrityError

    item = MediaItemFactory(district=place.district)
    with pytest.raises(IntegrityError):
        MediaFile.objects.create(item=item, language="de")


@pytest.mark.django_db
def test_easy_language_page_has_one_h1_and_h2_sections_below_it(client):
    MediaItemFactory(easy_language=True, status=Status.PUBLISHED)
    html = client.get(reverse("media:easy_language")).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", main)]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert levels.count(2) >= 5, levels
    # No level is skipped on the way down (h1 → h2 → h3 for the media cards).
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_files_previews_and_captions_of_drafts_are_only_for_their_editors(
    client, place, video_item
):
    from hilfenetz.media import previews

    item, media_file = video_item
    assert previews.make(media_file)
    caption = media_file.captions.get()
    urls = [
        reverse("media:file", args=[media_file.pk]),
        reverse("media:thumbnail", args=[media_file.pk]),
        reverse("media:caption", args=[caption.pk]),
    ]
    for url in urls:  # published: anyone's, and caches may keep them
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"], url
    assert client.get(f"/media/{media_file.file.name}").status_code == 404
    services.withdraw(place.district_coordinator, item)
    for user in (None, place.person, place.coordinator_other):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(place.district_coordinator)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


@pytest.mark.parametrize("count", [1, 6])
def test_caption_form_reads_the_files_once(client, place, count):
    item = MediaItemFactory(
        district=place.district, municipality=place.here, kind=Kind.VIDEO, title="Film"
    )
    for language in ["de", "en", "ar", "fa", "uk", "tr"][:count]:
        MediaFileFactory(item=item, language=language, content_type="video/mp4")
    client.force_login(place.coordinator_here)
    response, queries = _second_request(client, reverse("media:add_captions", args=[item.slug]))
    assert len(re.findall(r"<option value=\"\d+\"", response.text)) == count
    # session, user, roles, the menu's count | the item, its titles, its video and audio files
    assert len(queries) <= 7, queries


@pytest.mark.parametrize(
    ("language", "words"), [("ti", ["ኣብያተጽሕፈትምውህሃድ"]), ("ps", ["دهمغږۍدفترونه"])]
)
def test_offices_list_in_tigrinya_and_pashto_reads_back_as_its_own_script(
    client, place, language, words, tmp_path
):
    """Every letter has a glyph: the letters read back from the PDF are the letters put in
    (without spaces: the reader guesses them from the glyphs' positions, and Noto Sans
    Arabic's, which Pashto is set in, make it guess some inside words)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is missing")
    path = tmp_path / "list.pdf"
    path.write_bytes(client.get(reverse("media:offices_pdf", args=[language])).content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    letters = "".join(text.split())
    assert all(word in letters for word in words), text[:200]
