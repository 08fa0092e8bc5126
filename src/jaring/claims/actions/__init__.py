"""Everything that changes the claims store: one function per user action, one transaction
each, taking ``(engine, actor, ...)``. Each checks the actor's right (``claim.write``) and that
the claim's person lies inside the actor's regions, appends to the claim's trail
(``claim_event``, recording the actor's user name) and to the audit trail in the same
transaction, and returns the claim as the actor sees it (:class:`~jaring.claims.queries.Claim`).

- :mod:`.filing`: :func:`file_claim` (and :class:`Filing`, the API's body for it);
- :mod:`.documents`: :func:`record_documents`, :func:`add_heirs`;
- :mod:`.advance`: :func:`advance_claim`, the status machine's checks and overrides.
"""

from jaring.claims.actions.advance import Advance, advance_claim
from jaring.claims.actions.documents import Documents, add_heirs, record_documents
from jaring.claims.actions.filing import Filing, NewHeir, file_claim

__all__ = [
    "Advance",
    "Documents",
    "Filing",
    "NewHeir",
    "add_heirs",
    "advance_claim",
    "file_claim",
    "record_documents",
]
