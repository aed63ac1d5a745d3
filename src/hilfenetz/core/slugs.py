"""Addresses made from names: one rule for offices, organisations and media items."""

from django.utils.text import slugify

# German readers expect "Bürgertreff" as "buergertreff", not "burgertreff".
GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def unique_slug(
    queryset, text: str, *, fallback: str, max_length: int, reserved=frozenset()
) -> str:
    """A slug for ``text`` that no row of ``queryset`` has and that is not ``reserved``: -2,
    -3 … on a clash; ``fallback`` when the text gives no Latin letters (Arabic or Persian
    script)."""
    base = slugify(text.translate(GERMAN_LETTERS))[:max_length] or fallback
    slug, n = base, 2
    while slug in reserved or queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
