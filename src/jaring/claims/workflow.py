"""The status machine of a claim.

filed -> documents_complete -> verified -> approved | rejected;  approved -> paid.
A claim may also be rejected before verification (a missing heir, an obvious duplicate).
``rejected`` and ``paid`` are final. Anything else is refused with the moves that are allowed.
"""

from __future__ import annotations

import datetime as dt

from jaring.claims import catalog, errors
from jaring.law import workdays
from jaring.law.amount import Amount

STATUSES = ("filed", "documents_complete", "verified", "approved", "rejected", "paid")

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "filed": ("documents_complete", "rejected"),
    "documents_complete": ("verified", "rejected"),
    "verified": ("approved", "rejected"),
    "approved": ("paid",),
    "rejected": (),
    "paid": (),
}

#: Statuses a claim does not leave.
CLOSED = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def check_transition(current: str, target: str) -> None:
    """Refuse ``current -> target`` unless the machine allows it: ``claim_status_unknown``
    for a status that does not exist, ``claim_transition_not_allowed`` (with the moves that
    are) for a move the machine does not make."""
    if target not in STATUSES:
        raise errors.CLAIM_STATUS_UNKNOWN(field="to", value=target, choices=", ".join(STATUSES))
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise errors.CLAIM_TRANSITION_NOT_ALLOWED(
            from_status=current, to_status=target, allowed=", ".join(allowed) or "-"
        )


def payment_due(claim_type: str, complete_on: dt.date, benefit: int, paid_on: dt.date) -> Amount:
    """When a claim whose file was complete on ``complete_on`` had to be paid (JKM 3, JKK 7
    working days: the law's ``benefits.claims.payment_working_days`` and holiday list) and the
    compensation owed to the member or heirs when ``paid_on`` is later (1% a day)."""
    return payment_time(claim_type, complete_on, benefit, paid_on).amount


def payment_time(
    claim_type: str, complete_on: dt.date, benefit: int, paid_on: dt.date
) -> workdays.PaymentTime:
    """:func:`payment_due` with its parts: the due day, the days late, the compensation, the
    years counted Monday to Friday. The program is the claim type's (a scholarship is JKM's)."""
    program = str(catalog.check_type(claim_type)["program"])
    return workdays.payment_time(program, complete_on, benefit, paid_on)
