"""People: search by NIK or name, look up one NIK, one person's file (region-scoped, masked
by role)."""

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from jaring.registry.actions import search_index
from jaring.registry.queries import people, search
from jaring.registry.queries.people import PersonFile, PersonRow, Search
from jaring.web.api.common import Id, problems
from jaring.web.hotpath import by_nik_body
from jaring.web.security import Principal, require

router = APIRouter(tags=["people"])
Reader = Annotated[Principal, Depends(require("person.read"))]


@router.get("/people", responses=problems(400), response_model=Search)
def search_people(
    request: Request,
    p: Reader,
    q: Annotated[str, Query(max_length=100, description="16-digit NIK, NIK prefix or name")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Search:
    """Search people in your regions, as the people page does: a NIK exactly, NIKs by their
    first digits (by NIK), or a name, each typed word the start of a word of the name in any
    order, then names alike (one or two letters wrong), the most alike first. A name search
    ranks its first 1,000 people (``window``): an ``offset`` of 1,000 or more with a name is
    refused (400 ``name_search_window``); a birth year typed with the name
    (``muhammad putra 1985``) keeps the people born that year (``born``), and ``namesakes``
    says how many bear the name when more do than fit the page. Masked-data roles see NIK
    and phone masked and may not search by NIK prefix."""
    eng = request.app.state.engine
    if search.is_name(q):
        search_index.refresh(eng)
    return search.find(eng, p, q, limit, offset).search


@dataclasses.dataclass
class PeopleByNik:
    """Everyone with one NIK in your regions."""

    count: int
    people: list[PersonRow]


@router.get("/people/by-nik/{nik}", responses=problems(400), response_model=PeopleByNik)
async def person_by_nik(request: Request, nik: str, p: Reader) -> Response:
    """Everyone with this NIK in your regions (usually one; none if unknown or outside your
    regions). The hot path of machine clients such as a BPJS branch."""
    # Served by jaring.web.hotpath before routing (same checks, look-up and bytes); this
    # route documents the operation and answers when the app is built without hot paths.
    found = await request.app.state.nik_lookup(p, nik)
    return Response(by_nik_body(found), media_type="application/json")


@router.get("/people/{person_id}", responses=problems(404), response_model=PersonFile)
def get_person(request: Request, person_id: Id, p: Reader, on: dt.date | None = None) -> PersonFile:
    """One person's file: identity, memberships, coverage periods, covered on ``on``
    (default today). 403 ``person_out_of_region`` outside your regions."""
    return people.person_file(request.app.state.engine, p, person_id, on)
