from hilfenetz.core.formats.numeric import day_first

globals().update(day_first("/", right_to_left=True))
