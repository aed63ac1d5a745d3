from hilfenetz.core.formats.numeric import day_first

(
    DATE_FORMAT,
    SHORT_DATE_FORMAT,
    DATETIME_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
) = day_first("/", right_to_left=True)
