"""Every read of the claims domain a page, the API, a report or the CLI needs: ``(engine,
actor, ...)`` in, dataclasses or frames out, region scope in the SQL, masking applied.

- :mod:`.claim`: one claim and its page, lists, counts;
- :mod:`.report`: the Pemda's summary and the expected-claims forecast;
- :mod:`.batch`: many claims assessed against the store at once.

People are found and region-checked through ``registry.queries``, programs through
``programs.queries.find_program``.
"""

from jaring.claims.queries.batch import assess_batch
from jaring.claims.queries.claim import (
    ChecklistItem,
    Choice,
    Claim,
    ClaimEvent,
    ClaimPage,
    ClaimRow,
    Document,
    Heir,
    Member,
    QueueStep,
    checklist,
    claim_districts,
    claim_page,
    claim_queue,
    count_claims,
    get_claim,
    list_claims,
)
from jaring.claims.queries.report import Forecast, Summary, forecast, summary

__all__ = [
    "ChecklistItem",
    "Choice",
    "Claim",
    "ClaimEvent",
    "ClaimPage",
    "ClaimRow",
    "Document",
    "Forecast",
    "Heir",
    "Member",
    "QueueStep",
    "Summary",
    "assess_batch",
    "checklist",
    "claim_districts",
    "claim_page",
    "claim_queue",
    "count_claims",
    "forecast",
    "get_claim",
    "list_claims",
    "summary",
]
