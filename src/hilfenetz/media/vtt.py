"""A small strict WebVTT parser: what passes plays in every browser and carries no markup
beyond the WebVTT cue tags (browsers show cue text as text, but we keep the files clean)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 512 * 1024
MAX_CUES = 5000
_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+[^\n]*)?$")
_TAG = re.compile(r"<(/?)([^>\s./]*)[^>]*>")
_INLINE_TIME = re.compile(r"^<(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}>$")
CUE_TAGS = {"c", "i", "b", "u", "ruby", "rt", "v", "lang"}


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _line_error(line: int, message: str) -> ValidationError:
    return ValidationError(
        _("Captions, line %(line)s: %(problem)s") % {"line": line, "problem": message}
    )


def _check_payload(text: str, line: int) -> None:
    if "-->" in text:
        raise _line_error(line, _("a cue must be separated from the next by an empty line."))
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2)
        if not name and not closing and _INLINE_TIME.match(match.group(0)):
            continue
        if name not in CUE_TAGS:
            raise _line_error(line, _("only the WebVTT text tags are allowed."))


def parse(data: bytes) -> int:
    """Check a WebVTT file; return its number of cues or raise ValidationError."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The captions file is too large (at most %(kb)s KB).") % {"kb": MAX_BYTES // 1024}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The captions file must be UTF-8 text.")) from None
    if "\x00" in text:
        raise ValidationError(_("The captions file must be UTF-8 text."))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise ValidationError(_("This is not a WebVTT file: the first line must be WEBVTT."))
    cues, previous_start, index = 0, -1.0, 1
    while index < len(lines) and lines[index].strip():  # the header's other lines
        if "-->" in lines[index]:
            raise _line_error(index + 1, _("the header must end with an empty line."))
        index += 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        block_start = index
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        first = block[0]
        if re.match(r"^NOTE(?:[ \t]|$)", first):
            continue
        if re.match(r"^(STYLE|REGION)[ \t]*$", first):
            if cues:
                raise _line_error(block_start + 1, _("style blocks must come before the cues."))
            continue
        timing_at = 0 if "-->" in first else 1
        if timing_at >= len(block):
            raise _line_error(block_start + 1, _("the time stamps are not valid."))
        match = _TIMING.match(block[timing_at])
        if not match:
            raise _line_error(block_start + timing_at + 1, _("the time stamps are not valid."))
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= start or start < previous_start:
            raise _line_error(
                block_start + timing_at + 1,
                _("a cue must end after it starts and not start before the previous one."),
            )
        for offset, payload in enumerate(block[timing_at + 1 :], start=timing_at + 2):
            _check_payload(payload, block_start + offset)
        previous_start = start
        cues += 1
        if cues > MAX_CUES:
            raise ValidationError(_("The captions file has too many cues."))
    if not cues:
        raise ValidationError(_("The captions file has no cues."))
    return cues
