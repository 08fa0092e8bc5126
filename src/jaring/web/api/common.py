"""What the API modules share: typed answers, the refusals and files of the OpenAPI
document, and path parameters.

Every operation declares its answer, so that ``/api/v1/openapi.json`` describes every
response (``tests/web/test_openapi.py`` fails for one that does not):

- JSON: ``response_model=`` the domain's dataclass (FastAPI documents a dataclass as it
  documents a pydantic model), a pydantic model of its fields, ``list[...]`` of either, or
  :class:`Page` of either for a list with its total::

      @router.get("/users", response_model=list[queries.User], responses=problems())

- a file (PDF, XLSX, CSV): ``response_class=Response, responses=files("pdf", "xlsx")``;
- nothing (204): ``status_code=204`` and a ``Response``.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path
from pydantic import BaseModel

PROBLEM: dict[str, Any] = {
    "content": {"application/problem+json": {}},
    "description": "Problem (RFC 9457)",
}

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a longer list: its ``items`` and how many there are in all (``total``)."""

    total: int
    items: list[T]


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the refusals an operation can give (401, 403 and 422
    always)."""
    out: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 422: PROBLEM}
    out.update({s: PROBLEM for s in statuses})
    return out


def files(*formats: str, refusals: tuple[int, ...] = ()) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` of an operation that answers a file in one of ``formats``
    (``pdf``, ``xlsx``, ``csv``: keys of :data:`MEDIA`), as binary, with its refusals."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        **problems(*refusals),
        200: {"description": "The file", "content": {MEDIA[f]: binary for f in formats}},
    }


# Database ids are 64-bit: larger numbers are refused with 422 before reaching the store.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
