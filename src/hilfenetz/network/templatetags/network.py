from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def structured_text(text: str):
    """Minutes' simple structure: ``# `` starts a heading, ``- `` a list item, a blank line a
    new paragraph. Everything is escaped."""
    blocks, items, lines = [], [], []

    def flush():
        if items:
            blocks.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))
                )
            )
            items.clear()
        if lines:
            blocks.append(format_html("<p>{}</p>", " ".join(lines)))
            lines.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            flush()
            blocks.append(format_html("<h3>{}</h3>", line.lstrip("#").strip()))
        elif line.startswith(("- ", "* ")):
            if lines:
                flush()
            items.append(line[2:].strip())
        elif not line:
            flush()
        else:
            if items:
                flush()
            lines.append(line)
    flush()
    return format_html_join("\n", "{}", ((b,) for b in blocks))


@register.filter
def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
