"""What a workflow step asks people to write (a reason, a message, a photo's description)."""

from django.core.exceptions import ValidationError


def required(value: str | None, message: str) -> str:
    """``value`` without surrounding blanks, or ``message`` as the ValidationError when nothing
    is left: the step then changes nothing."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value
