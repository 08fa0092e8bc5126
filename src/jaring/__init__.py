"""Jaring: the social safety net for vulnerable workers, paid by Indonesian regional governments.

Packages, from the bottom up:

- ``law``: BPJS Ketenagakerjaan contribution and benefit rules, dated, referenced, exact.
- ``registry``: worker lists in, NIK validation, one record per human.
- ``programs``: APBD-funded programs, budget planning, enrolment, BPJS files, billing.
- ``claims``: JKM, JKK and scholarship claims, eligibility from coverage history, heirs.
- ``coverage`` and ``award``: coverage indicators and the Paritrana Award.
- ``store``: the only place that knows SQL dialects; ``cli`` and ``web``: thin interfaces.
"""

import logging

__version__ = "0.1.0"

# A library logs nowhere until the program sets logging up (jaring.logs): Python's last-resort
# handler printed ERROR records, tracebacks and their messages, to the user's terminal.
logging.getLogger("jaring").addHandler(logging.NullHandler())
