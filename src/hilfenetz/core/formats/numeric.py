"""Dates as numbers, day first, for the languages whose month and day names Django does not
translate (Dari, Pashto, Kurmanji, Tigrinya, Somali): "5 December" would stay English on their
pages. Right to left, U+200F after each day and month keeps the separators in order."""


def day_first(separator: str, *, right_to_left: bool = False) -> dict:
    """The settings of a locale's formats module (``globals().update(day_first(...))``)."""
    mark = "\u200f" if right_to_left else ""
    date = f"d{mark}{separator}m{mark}{separator}Y"
    typed = f"%d{separator}%m{separator}%Y"
    typed_dates = [typed, "%d.%m.%Y", "%Y-%m-%d"] if separator != "." else [typed, "%Y-%m-%d"]
    typed_times = [
        f"{form} {time}" for form in (typed, "%Y-%m-%d") for time in ("%H:%M:%S", "%H:%M")
    ]
    return {
        "DATE_FORMAT": date,
        "SHORT_DATE_FORMAT": date,
        "DATETIME_FORMAT": f"{date} H:i",
        "SHORT_DATETIME_FORMAT": f"{date} H:i",
        "TIME_FORMAT": "H:i",
        "DATE_INPUT_FORMATS": typed_dates,
        "DATETIME_INPUT_FORMATS": typed_times + typed_dates,
        "FIRST_DAY_OF_WEEK": 1,  # Monday, as in Germany, where the meetings take place
    }
