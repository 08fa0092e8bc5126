"""The states of a membership and the moves between them (each move is a dated
``membership_event``):

``planned`` (enrolled from a plan) -> ``submitted`` (sent in a registration file) ->
``active`` (KPJ received) -> ``suspended`` (the lapse rule: months unpaid) / ``ended`` (the
period is over, or a re-plan dropped it) / ``deceased`` (set by claims). Paying the arrears
of a ``suspended`` membership makes it ``active`` again; a re-plan revives an ``ended`` one.
"""

from __future__ import annotations

STATES = ("planned", "submitted", "active", "suspended", "ended", "deceased")
# memberships the budget still pays for: counted by plans, reconciliation and enrolment
LIVE_STATES = ("planned", "submitted", "active")
# memberships waiting for BPJS's answer (a KPJ number)
WAITING_STATES = ("planned", "submitted")
