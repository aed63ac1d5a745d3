# Year, month, day, as Django's fa module shows them; a typed date is read the same way.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y/n/j"
DATETIME_FORMAT = "j F Y، ساعت G:i"
SHORT_DATETIME_FORMAT = "Y/n/j،\u200f G:i"
TIME_FORMAT = "G:i"
DATE_INPUT_FORMATS = ["%Y/%m/%d", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
FIRST_DAY_OF_WEEK = 1
