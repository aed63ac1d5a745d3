"""The media centre in real Chromium, in Persian (right to left) and German, with axe-core and
a 320 px wide screen."""

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.core.tests.browser import fits_320
from hilfenetz.media import samples, services
from hilfenetz.media.models import Kind
from hilfenetz.media.services import Upload
from hilfenetz.media.tests.conftest import upload, vtt
from hilfenetz.regions.tests.factories import AreaFactory, DistrictFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(video_bytes, pdf_bytes, django_capture_on_commit_callbacks):
    district = DistrictFactory(name="Landkreis Beispiel", slug="landkreis-beispiel")
    MunicipalityFactory(area=AreaFactory(district=district), name="Hierdorf")
    coordinator = coordinator_of(district=district)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_item(
            coordinator,
            district=district,
            kind=Kind.VIDEO,
            language="de",
            title="Ankommen im Landkreis",
            description="Ein Erklärvideo.",
            transcript="Hilfenetz verbindet alle, die helfen.",
            audiences=["refugees"],
            upload=Upload(
                language="de",
                file=upload("clip.mp4", video_bytes),
                captions={"fa": vtt("سلام", "خوش آمدید"), "uk": vtt("Привіт")},
            ),
        )
        services.create_item(
            coordinator,
            district=district,
            kind=Kind.FLYER,
            platform_document="volunteer_standards",
            language="de",
            title="Standards Bürgerschaftliches Engagement",
            audiences=["volunteers"],
            upload=Upload(language="de", file=upload("standards.pdf", pdf_bytes)),
        )
    return {"district": district, "coordinator": coordinator}


def wait_until(page, expression: str, seconds: float = 10) -> None:
    """Poll ``expression`` (wait_for_function evaluates strings, which the CSP forbids)."""
    for _attempt in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def test_find_and_play_a_video_with_farsi_captions(browse, page, axe_check, centre):
    page = browse("/", "fa")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator(f"a[href='{reverse('media:index')}']").first.click()
    page.wait_for_load_state()
    axe_check(page, "media centre fa")
    fits_320(page)
    page.select_option("form.media-filters select[name=kind]", "video")
    page.locator("form.media-filters button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(".media-card h3 a").first.click()  # the second click: the video
    page.wait_for_load_state()
    axe_check(page, "video fa")
    fits_320(page)
    video = page.locator("video")
    assert video.count() == 1
    wait_until(page, "document.querySelector('video').readyState >= 1")
    tracks = page.evaluate(
        "[...document.querySelector('video').textTracks].map(t => [t.language, t.mode])"
    )
    assert ["fa", "showing"] in tracks  # the visitor's language is switched on
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    wait_until(page, "document.querySelector('video').currentTime > 0.3")
    page.evaluate("document.querySelector('video').currentTime = 2.0")  # seeking needs ranges
    wait_until(page, "Math.abs(document.querySelector('video').currentTime - 2.0) < 1")
    cue = page.evaluate(
        "(() => { const t = [...document.querySelector('video').textTracks]"
        ".find(t => t.language === 'fa'); return t.cues ? t.cues.length : 0; })()"
    )
    assert cue == 2
    assert page.locator("details.media-transcript").count() == 1


def test_find_the_standards_pdf_in_german(browse, page, axe_check, live_server, centre):
    page = browse(reverse("media:index"), "de")
    page.fill("form.media-filters input[name=q]", "Standards")
    page.locator("form.media-filters button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, "search de")
    page.locator(".media-card h3 a", has_text="Standards").click()
    page.wait_for_load_state()
    axe_check(page, "standards de")
    fits_320(page)
    href = page.locator("a.button", has_text="Herunterladen").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    stable = reverse(
        "media:platform_document", args=[centre["district"].slug, "volunteer_standards"]
    )
    page.goto(live_server.url + stable)
    assert "Standards" in page.locator("h1").inner_text()
    page = browse(reverse("media:easy_language"), "de")
    axe_check(page, "Leichte Sprache")
    page = browse(reverse("media:sign_language"), "fa")
    axe_check(page, "DGS fa")


@pytest.mark.parametrize("language", ["de", "fa"])
def test_coordinator_uploads_a_brochure_in_two_languages(
    browse, page, axe_check, login_as, centre, tmp_path, language
):
    german = tmp_path / "willkommen.pdf"
    german.write_bytes(samples.brochure_pdf("Willkommen", ["Erste Schritte."]))
    farsi = tmp_path / "khosh-amadid.pdf"
    farsi.write_bytes(samples.brochure_pdf("خوش آمدید", ["گام‌های نخست."], "fa"))
    login_as(centre["coordinator"])
    page = browse(reverse("media:create"), language)
    axe_check(page, "new item")
    fits_320(page)
    page.select_option("select[name=kind]", "brochure")
    page.check("input[name=audiences][value=refugees]")
    page.select_option("select[name=language]", "de")
    page.fill("input[name=title]", "Willkommen im Landkreis")
    page.set_input_files("input[name=file]", str(german))
    page.locator("form.media-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Willkommen im Landkreis"
    axe_check(page, "item as coordinator")
    page.locator(".media-manage a", has_text="").nth(1).click()
    page.wait_for_load_state()
    axe_check(page, "add language")
    page.select_option("select[name=language]", "fa")
    page.fill("input[name=title]", "به شهرستان خوش آمدید")
    page.set_input_files("input[name=file]", str(farsi))
    page.locator("form.media-form button[type=submit]").click()
    page.wait_for_load_state()
    files = page.locator(".media-files li")
    assert files.count() == 2


@pytest.mark.parametrize("width", [320, 1280])
def test_easy_language_h1_is_clearly_larger_than_its_h2(browse, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page = browse(reverse("media:easy_language"), "de")
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    h1 = page.locator("main h1").evaluate(size)
    h2 = max(page.locator("main h2").evaluate_all(f"els => els.map({size})"))
    assert h1 >= 1.25 * h2, (h1, h2)
