"""Preview pictures made in the background: the first page of a PDF (pdftoppm from
poppler-utils) and a poster frame of a video (ffmpeg), both as small JPEGs."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from hilfenetz.media.files import local_path

WIDTH = 480
TIMEOUT = 60


def _pdf_command(source: str, target: Path) -> list[str]:
    return [
        shutil.which("pdftoppm") or "pdftoppm",
        "-jpeg",
        "-f",
        "1",
        "-l",
        "1",
        "-scale-to",
        str(WIDTH),
        "-singlefile",
        source,
        str(target.with_suffix("")),
    ]


def _video_command(source: str, target: Path, seconds: float) -> list[str]:
    return [
        shutil.which("ffmpeg") or "ffmpeg",
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-ss",
        f"{seconds:.2f}",
        "-i",
        source,
        "-frames:v",
        "1",
        "-vf",
        f"scale={WIDTH}:-2",
        "-y",
        str(target),
    ]


def render(media_file) -> bytes | None:
    """The preview JPEG of a stored PDF or video, or None when none can be made."""
    with tempfile.TemporaryDirectory() as tmp, media_file.file.open("rb") as stored:
        target = Path(tmp) / "preview.jpg"
        with local_path(stored) as source:
            if media_file.is_pdf:
                command = _pdf_command(source, target)
            elif media_file.is_video:
                # A frame a little into the video, not the (often black) first one.
                command = _video_command(source, target, min(1.0, (media_file.duration or 0) / 2))
            else:
                return None
            try:
                subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)  # noqa: S603
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                return None
        return target.read_bytes() if target.exists() else None


def make(media_file) -> bool:
    """Store the preview of ``media_file`` once; True when there is one afterwards."""
    if media_file.thumbnail:
        return True
    data = render(media_file)
    if not data:
        return False
    media_file.thumbnail.save("preview.jpg", ContentFile(data), save=False)
    media_file.save(update_fields=["thumbnail"])
    return True
