"""Dates as numbers, day first, for the languages whose month and day names Django does not
translate (Dari, Pashto, Kurmanji, Tigrinya, Somali): "5 December" would stay English on their
pages. Right to left, U+200F after each day and month keeps the separators in order."""


def day_first(separator: str, *, right_to_left: bool = False) -> tuple:
    """DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT, SHORT_DATETIME_FORMAT, TIME_FORMAT,
    DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS and FIRST_DAY_OF_WEEK of a locale module."""
    mark = "\u200f" if right_to_left else ""
    date = f"d{mark}{separator}m{mark}{separator}Y"
    typed = f"%d{separator}%m{separator}%Y"
    typed_dates = [typed, "%d.%m.%Y", "%Y-%m-%d"] if separator != "." else [typed, "%Y-%m-%d"]
    typed_times = [
        f"{form} {time}" for form in (typed, "%Y-%m-%d") for time in ("%H:%M:%S", "%H:%M")
    ]
    return (
        date,
        date,
        f"{date} H:i",
        f"{date} H:i",
        "H:i",
        typed_dates,
        typed_times + typed_dates,
        1,  # Monday, as in Germany, where the meetings take place
    )
