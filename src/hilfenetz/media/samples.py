"""Generated media for the demo (and the tests): printed brochures in any UI language, a short
test video and an audio tone made with ffmpeg, and WebVTT captions."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from hilfenetz.core.pdf import FONT, shaped_pdf


def brochure_pdf(title: str, paragraphs: list[str], language: str = "de") -> bytes:
    """A small A5 brochure; Arabic and Persian shaped and set right to left."""
    pdf, align = shaped_pdf(format=(148, 210), language=language)
    pdf.set_title(title)
    for number, paragraph in enumerate(paragraphs):
        if number % 3 == 0:
            pdf.add_page()
            pdf.set_font(FONT, "B", 16)
            pdf.multi_cell(0, 9, title, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.set_font(FONT, size=11)
        pdf.multi_cell(0, 6, paragraph, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _ffmpeg(arguments: list[str], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"out{suffix}"
        subprocess.run(  # noqa: S603
            [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", *arguments, "-y", str(target)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return target.read_bytes()


def sample_video(seconds: int = 4, size: str = "320x180") -> bytes:
    """An MP4 (H.264 and AAC) of ffmpeg's test picture with a tone."""
    return _ffmpeg(
        [
            "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=15",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
        ],
        ".mp4",
    )  # fmt: skip


def sample_audio(seconds: int = 4) -> bytes:
    """An M4A (AAC) tone."""
    return _ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=330:duration={seconds}",
            "-c:a",
            "aac",
            "-b:a",
            "48k",
        ],
        ".m4a",
    )


def captions(lines: list[str], seconds_each: float = 1.5) -> bytes:
    """WebVTT with one cue per line, one after the other."""
    cues = ["WEBVTT", ""]
    for number, line in enumerate(lines):
        start, end = number * seconds_each, (number + 1) * seconds_each
        cues += [f"{_stamp(start)} --> {_stamp(end)}", line, ""]
    return "\n".join(cues).encode()


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"
