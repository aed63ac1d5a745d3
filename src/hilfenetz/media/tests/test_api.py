import pytest

from hilfenetz.core.tests.factories import TopicFactory
from hilfenetz.media.models import Caption, Kind, Status
from hilfenetz.media.tests.factories import MediaFileFactory, MediaItemFactory

API = "/api/v1/media"


@pytest.fixture
def items(place):
    topic = TopicFactory(name="Sprache", slug="sprache")
    video = MediaItemFactory(
        district=place.district, kind=Kind.VIDEO, title={"de": "Ankommen", "fa": "ورود"}
    )
    video.topics.set([topic])
    media_file = MediaFileFactory(item=video, content_type="video/mp4", duration=42.0)
    Caption.objects.create(media_file=media_file, language="uk", file="media/x.vtt")
    easy = MediaItemFactory(district=place.district, easy_language=True, title="Leicht")
    MediaFileFactory(item=easy)
    MediaItemFactory(district=place.district, status=Status.DRAFT, title="Geheim")
    return video, easy


def test_public_items_with_file_urls_per_language(client, items):
    video, _easy = items
    data = client.get(API, {"language": "fa"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["slug"] == video.slug
    assert item["languages"] == ["de", "fa", "uk"]
    assert item["topics"] == ["sprache"]
    assert {t["language"] for t in item["texts"]} == {"de", "fa"}
    (file,) = item["files"]
    assert file["url"].startswith("http://testserver/medien/datei/")
    assert file["duration"] == 42.0
    assert file["captions"][0]["url"].endswith(".vtt")
    assert "created_by" not in item and "search_text" not in item


def test_filters(client, items):
    video, easy = items
    assert [i["slug"] for i in client.get(API, {"easy_language": True}).json()["items"]] == [
        easy.slug
    ]
    assert client.get(API, {"kind": "video", "topic": "sprache"}).json()["count"] == 1
    assert client.get(API, {"topic": "unknown"}).json()["count"] == 0
    assert client.get(API, {"q": "Ankommen"}).json()["items"][0]["slug"] == video.slug
    assert "Geheim" not in client.get(API).content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_query_count(client, place, django_assert_max_num_queries, count):
    for n in range(count):
        MediaFileFactory(item=MediaItemFactory(district=place.district, title=f"Heft {n}"))
    with django_assert_max_num_queries(10):
        assert client.get(API).status_code == 200
