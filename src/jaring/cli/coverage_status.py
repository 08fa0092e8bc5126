"""`jaring coverage status` (issue 4, owned by the programs work). ``status = None`` until built."""

status = None
