from hilfenetz.core.formats.numeric import day_first

globals().update(day_first("/"))
