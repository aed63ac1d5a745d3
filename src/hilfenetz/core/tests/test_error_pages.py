"""The 400, 403, 404 and 500 pages in production: the site's layout, the visitor's language."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hilfenetz.core.tests.error_urls")]

HEADINGS = {
    404: {
        "de": "Diese Seite wurde nicht gefunden",
        "en": "This page was not found",
        "ar": "الصفحة غير موجودة",
        "fa": "صفحه پیدا نشد",
        "uk": "Сторінку не знайдено",
        "tr": "Sayfa bulunamadı",
    },
    500: {
        "de": "Etwas ist schiefgegangen",
        "en": "Something went wrong",
        "ar": "حدث خطأ ما",
        "fa": "مشکلی پیش آمد",
        "uk": "Щось пішло не так",
        "tr": "Bir şeyler ters gitti",
    },
}
PATHS = {400: "/test-bad/", 403: "/test-refuses/", 404: "/gibt-es-nicht/", 500: "/test-fails/"}


@pytest.fixture
def client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("status", [400, 403, 404, 500])
@pytest.mark.parametrize("language", ["de", "en", "ar", "fa", "uk", "tr"])
def test_error_pages_in_every_language(client, status, language):
    client.cookies["hilfenetz_language"] = language
    response = client.get(PATHS[status])
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language in ("ar", "fa") else "ltr"}">' in html
    assert 'class="site-header"' in html
    assert f'data-server-error="{status}"' in html
    assert "Server Error" not in html and "<h1>Not Found</h1>" not in html
    if status in HEADINGS:
        assert HEADINGS[status][language] in html


def test_the_500_page_renders_when_a_context_processor_fails(client, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "hilfenetz.core.tests.test_error_pages.broken_processor",
                ]
            },
        }
    ]
    client.cookies["hilfenetz_language"] = "fa"
    response = client.get(PATHS[404])  # the 404 page uses the context processors: it fails
    assert response.status_code == 500
    assert HEADINGS[500]["fa"] in response.content.decode()


def broken_processor(request):
    raise RuntimeError("a broken context processor")


def test_the_500_page_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(PATHS[500])
    assert response.status_code == 500
