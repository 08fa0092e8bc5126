"""The status machine of a claim.

filed -> documents_complete -> verified -> approved | rejected;  approved -> paid.
A claim may also be rejected before verification (a missing heir, an obvious duplicate).
``rejected`` and ``paid`` are final. Anything else is refused with the moves that are allowed.
"""

from __future__ import annotations

from jaring.claims import errors

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
