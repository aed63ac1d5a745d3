"""CSV files that coordinators open in a spreadsheet: text that someone typed never runs there as
a formula (CSV injection)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """Typed text as a cell: a leading apostrophe where a spreadsheet would start a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text
