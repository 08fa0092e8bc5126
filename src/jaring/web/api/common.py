"""What the API modules share: problem responses for the OpenAPI document."""

from typing import Annotated, Any

from fastapi import Path

PROBLEM = {"content": {"application/problem+json": {}}, "description": "Problem (RFC 9457)"}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the refusals an operation can give."""
    base = {401: PROBLEM, 403: PROBLEM, 422: PROBLEM}
    return {**base, **{s: PROBLEM for s in statuses}}


# Database ids are 64-bit: larger numbers are refused with 422 before reaching the store.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
