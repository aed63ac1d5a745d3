"""Uploads are checked by their content: hostile files are refused with a clear message."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from hilfenetz.media import files, samples, vtt
from hilfenetz.media.tests.conftest import upload

DOCUMENT = (files.PDF, files.IMAGE)


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (the catalogues translate them)."""
    with translation.override("en"):
        yield


def _pdf(*objects: bytes, root: bytes = b"1 0 R") -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return out


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"


def _refused(data: bytes, name: str, allowed=DOCUMENT) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        files.check(upload(name, data), allowed)
    return caught.value


def test_a_real_pdf_is_accepted_with_its_pages(pdf_bytes):
    checked = files.check(upload("anything.bin", pdf_bytes), DOCUMENT)
    assert (checked.type, checked.content_type, checked.pages) == ("pdf", "application/pdf", 2)


def test_svg_with_script_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    error = _refused(svg, "flyer.svg")
    assert error.code == "active_content"
    assert "SVG" in error.messages[0]


def test_html_named_pdf_is_refused():
    error = _refused(b"<!DOCTYPE html><html><body><script>x()</script></body></html>", "a.pdf")
    assert error.code == "active_content"


def test_zip_named_mp4_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("video.mp4", b"not a video")
    error = _refused(buffer.getvalue(), "video.mp4", (files.VIDEO,))
    assert error.code == "archive"


def test_pdf_declaring_a_billion_pages_is_refused():
    bomb = _pdf(CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>", PAGE)
    assert _refused(bomb, "bomb.pdf").code == "too_many_pages"


def test_pdf_whose_page_inflates_to_300_mb_is_refused():
    packer = zlib.compressobj(9)
    stream = packer.compress(b"\0" * (300 * 1024 * 1024)) + packer.flush()
    bomb = _pdf(
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    )
    assert len(bomb) < 1024 * 1024
    assert _refused(bomb, "bomb.pdf").code == "too_complex"


def test_pdf_with_javascript_is_refused():
    scripted = _pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE,
    )
    assert _refused(scripted, "form.pdf").code == "active_content"


def test_broken_pdf_is_refused():
    assert _refused(b"%PDF-1.4\nthis is not really a pdf", "broken.pdf").code == "unreadable"


def test_oversize_files_are_refused_with_the_limit(settings, pdf_bytes):
    settings.MEDIA_MAX_DOCUMENT_MB = 1
    big = pdf_bytes + b"\n%" + b"x" * (1024 * 1024)
    error = _refused(big, "big.pdf")
    assert error.code == "too_large"
    assert "1 MB" in error.messages[0]


def test_empty_and_unknown_files_are_refused():
    assert _refused(b"", "empty.pdf").code == "empty"
    assert _refused(b"just some text", "notes.txt").code == "unknown_type"


def test_a_file_must_fit_the_kind(pdf_bytes):
    error = _refused(pdf_bytes, "a.pdf", (files.VIDEO,))
    assert error.code == "wrong_kind"


def test_video_is_probed(video_bytes):
    checked = files.check(upload("clip.mov", video_bytes), (files.VIDEO,))
    assert checked.type == "video"
    assert checked.content_type == "video/mp4"
    assert checked.extension == ".mp4"
    assert 2.5 < checked.duration < 3.5
    assert checked.codecs == "h264,aac"
    assert (checked.width, checked.height) == (320, 180)


def test_audio_is_probed():
    checked = files.check(upload("talk.bin", samples.sample_audio(2)), (files.AUDIO,))
    assert (checked.type, checked.content_type) == ("audio", "audio/mp4")


def test_mp4_header_with_garbage_is_refused():
    fake = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000
    assert _refused(fake, "fake.mp4", (files.VIDEO,)).code == "unplayable"


def test_images_are_stored_without_metadata():
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Secret camera"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    checked = files.check(upload("flyer.jpg", buffer.getvalue()), DOCUMENT)
    assert (checked.type, checked.width, checked.height) == ("image", 40, 30)
    assert b"Secret camera" not in checked.content.read()


# --- WebVTT ---------------------------------------------------------------------------------


def test_valid_captions_are_counted():
    data = samples.captions(["سلام", "Hallo <i>Welt</i>"])
    assert vtt.parse(data) == 2
    assert (
        vtt.parse(
            b"\xef\xbb\xbfWEBVTT - Titel\n\nNOTE hi\n\n1\n00:01.000 --> 00:02.000 line:0\n<v Anna>Hi\n"
        )
        == 1
    )


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"WEBVT\n\n00:01.000 --> 00:02.000\nx\n", "first line"),
        (b"WEBVTT\n\n00:01.000 -> 00:02.000\nx\n", "time stamps"),
        (b"WEBVTT\n\n00:02.000 --> 00:01.000\nx\n", "end after"),
        (b"WEBVTT\n\n00:05.000 --> 00:06.000\nx\n\n00:01.000 --> 00:02.000\ny\n", "end after"),
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\n<script>alert(1)</script>\n", "tags"),
        (b"WEBVTT\n\n00:61.000 --> 00:62.000\nx\n", "time stamps"),
        (b"WEBVTT\n", "no cues"),
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\n\xff\xfe\n", "UTF-8"),
    ],
)
def test_broken_captions_are_refused(data, fragment):
    with pytest.raises(ValidationError) as caught:
        vtt.parse(data)
    assert fragment in caught.value.messages[0]


def test_images_have_the_photo_pipelines_limit_and_the_form_says_so():
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024)
    error = _refused(big, "poster.png")
    assert (error.code, "10 MB" in error.messages[0]) == ("too_large", True)
    assert "images up to 10 MB" in files.limits_text()
