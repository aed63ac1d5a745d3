"""Date formats that complete Django's own for our languages (settings.FORMAT_MODULE_PATH).

Django's Arabic formats name a day-first short date but fall back to the American month-first
default for dates with a time, so one page showed 12/03/2026 and another 03/12/2026 for the
same day; its Persian formats read a typed date month first. Each language here gets one
order for every date, shown and typed.
"""
