"""`jaring coverage report` (issue 6, owned by the coverage work). ``report = None`` until built."""

report = None
