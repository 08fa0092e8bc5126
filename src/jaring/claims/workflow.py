"""The status machine of a claim.

filed -> documents_complete -> verified -> approved | rejected;  approved -> paid.
A claim may also be rejected before verification (a missing heir, an obvious duplicate).
``rejected`` and ``paid`` are final. Anything else is refused with the moves that are allowed.
"""

from __future__ import annotations

from jaring.errors import JaringError

STATUSES = ("filed", "documents_complete", "verified", "approved", "rejected", "paid")

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "filed": ("documents_complete", "rejected"),
    "documents_complete": ("verified", "rejected"),
    "verified": ("approved", "rejected"),
    "approved": ("paid",),
    "rejected": (),
    "paid": (),
}


def check_transition(current: str, target: str) -> None:
    """Refuse ``current -> target`` unless the machine allows it."""
    if target not in STATUSES:
        raise JaringError(
            "claim_status_unknown",
            f"Status tidak dikenal: {target} (pilih: {', '.join(STATUSES)})",
            f"Unknown status: {target} (choose: {', '.join(STATUSES)})",
            field="to",
            value=target,
        )
    allowed = TRANSITIONS[current]
    if target not in allowed:
        nxt = ", ".join(allowed) or "-"
        raise JaringError(
            "claim_transition_not_allowed",
            f"Klaim berstatus {current} tidak dapat menjadi {target} (yang boleh: {nxt})",
            f"A claim in status {current} cannot move to {target} (allowed: {nxt})",
            from_status=current,
            to_status=target,
        )
