"""Families and deaths: a death list uploaded, rows reviewed, deaths recorded and undone, the
claims officer's tasks and letters, refunds, the coverage-gap report, families and their
change requests.

The answers are the families domain's own dataclasses (:mod:`jaring.families.actions`,
:mod:`jaring.families.queries`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import Field

from jaring.families.actions import deaths as death_actions
from jaring.families.actions import families as family_actions
from jaring.families.queries import deaths as death_queries
from jaring.families.queries import families as family_queries
from jaring.web.api.common import MEDIA, Id, files, problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["deaths"])
PersonReader = Annotated[Principal, Depends(require("person.read"))]
PersonWriter = Annotated[Principal, Depends(require("person.write"))]
Approver = Annotated[Principal, Depends(require("person.approve"))]
ClaimReader = Annotated[Principal, Depends(require("claim.read"))]
ProgramReader = Annotated[Principal, Depends(require("program.read"))]
CoverageReader = Annotated[Principal, Depends(require("coverage.read"))]

Reason = Annotated[str, Field(min_length=1, max_length=500)]


@dataclasses.dataclass
class Decision:
    """A supervisor's decision on a row of a death list: record it (``accept``) or not, why,
    and the person meant when not the one proposed."""

    accept: bool
    reason: Reason
    person_id: Annotated[int | None, Field(ge=1, le=2**63 - 1)] = None


@dataclasses.dataclass
class Undo:
    """Why a recorded death is undone (kept in the audit trail)."""

    reason: Reason


@dataclasses.dataclass
class NewDeath:
    """A death entered by hand: the date, where it was learned, the place."""

    death_date: dt.date
    source: Annotated[str, Field(min_length=1, max_length=200)]
    place: Annotated[str | None, Field(max_length=200)] = None


@dataclasses.dataclass
class NewMember:
    """A member of the family with ``kk_number``: relation to the head, name, optional NIK,
    birth date and sex, and the registry's person when they are one."""

    kk_number: Annotated[str, Field(min_length=16, max_length=20)]
    relation: Annotated[str, Field(min_length=1, max_length=40)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    nik: Annotated[str | None, Field(pattern=r"^\d{16}$")] = None
    birth_date: dt.date | None = None
    sex: Annotated[str | None, Field(pattern=r"^[LP]$")] = None
    person_id: Annotated[int | None, Field(ge=1, le=2**63 - 1)] = None


@dataclasses.dataclass
class ChangeRequest:
    """A correction of a member: the fields and their new values, and why."""

    change: dict[str, str]
    reason: Reason


@dataclasses.dataclass
class ChangeDecision:
    approve: bool
    note: Annotated[str | None, Field(max_length=500)] = None


@router.post(
    "/deaths/lists",
    status_code=201,
    responses=problems(400),
    response_model=death_actions.DeathListImported,
)
async def upload_list(
    request: Request,
    p: PersonWriter,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(min_length=1, max_length=200)],
    listed_on: Annotated[dt.date | None, Form()] = None,
) -> Any:
    """Read a death list (CSV or XLSX, as Dukcapil or a kelurahan sends it): each row is
    recorded, queued for review or refused with its reason."""
    content = await file.read()
    return await run_in_threadpool(
        death_actions.import_upload,
        request.app.state.engine,
        p,
        file.filename or "kematian.csv",
        content,
        source=source,
        listed_on=listed_on,
    )


@router.get("/deaths/review", responses=problems(), response_model=list[death_queries.DeathListRow])
def review_rows(
    request: Request,
    p: PersonReader,
    outcome: Annotated[str | None, Query(max_length=10)] = "review",
    list_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[death_queries.DeathListRow]:
    """Rows of death lists: by default those waiting for review, with their reason."""
    return death_queries.list_rows(
        request.app.state.engine, p, outcome=outcome or None, list_id=list_id
    )


@router.post(
    "/deaths/review/{row_id}",
    responses=problems(400, 404),
    response_model=death_actions.RowDecided,
)
def decide_row(request: Request, row_id: Id, body: Decision, p: Approver) -> Any:
    """Record the death of a row that waited for review, or not (supervisor)."""
    return death_actions.decide_row(
        request.app.state.engine,
        p,
        row_id,
        accept=body.accept,
        reason=body.reason,
        person_id=body.person_id,
    )


@router.get("/deaths/tasks", responses=problems(), response_model=list[death_queries.Task])
def tasks(
    request: Request, p: ClaimReader, today: dt.date | None = None
) -> list[death_queries.Task]:
    """ "Klaim belum diajukan": deaths of covered people with no claim filed, with the
    expected benefit, the heirs proposed from the family, the documents and the days since."""
    return death_queries.tasks(request.app.state.engine, p, today=today)


@router.get(
    "/deaths/tasks/by-age", responses=problems(), response_model=list[death_queries.AgeBand]
)
def tasks_by_age(request: Request, p: ClaimReader) -> list[death_queries.AgeBand]:
    """Open tasks counted by days since the death."""
    return death_queries.tasks_by_age(request.app.state.engine, p)


@router.get(
    "/deaths/{death_id}/letter",
    response_class=Response,
    responses=files("pdf", refusals=(404,)),
)
def letter(request: Request, death_id: Id, p: ClaimReader) -> Response:
    """The letter to the family of an open task (PDF, Indonesian)."""
    pdf = death_actions.print_letter(request.app.state.engine, p, death_id)
    return Response(
        pdf,
        media_type=MEDIA["pdf"],
        headers={"Content-Disposition": f'attachment; filename="surat-keluarga-{death_id}.pdf"'},
    )


@router.post(
    "/deaths/{death_id}/undo",
    responses=problems(400, 404, 409),
    response_model=death_actions.DeathUndone,
)
def undo(request: Request, death_id: Id, body: Undo, p: Approver) -> Any:
    """Undo a recorded death (a wrong match): memberships, coverage and billing are restored,
    refunds cancelled; the reason is audited (supervisor)."""
    return death_actions.undo_death(request.app.state.engine, p, death_id, reason=body.reason)


@router.get("/deaths/refunds", responses=problems(), response_model=list[death_queries.Refund])
def refunds(
    request: Request, p: ProgramReader, status: Annotated[str | None, Query(max_length=10)] = "due"
) -> list[death_queries.Refund]:
    """Contributions paid for months after a death, owed back to the payer."""
    return death_queries.refunds(request.app.state.engine, p, status=status or None)


@router.get("/deaths/gaps", responses=problems(), response_model=death_queries.GapReport)
def gaps(
    request: Request,
    p: CoverageReader,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> death_queries.GapReport:
    """Deaths of listed people not covered on the day, and the benefits their families
    did not get."""
    return death_queries.gap_report(request.app.state.engine, p, since=since, until=until)


@router.get(
    "/people/{person_id}/deaths", responses=problems(404), response_model=list[death_queries.Death]
)
def deaths_of(request: Request, person_id: Id, p: PersonReader) -> list[death_queries.Death]:
    """Deaths recorded for a person (undone ones too)."""
    return death_queries.deaths_of(request.app.state.engine, p, person_id)


@router.post(
    "/people/{person_id}/deaths",
    status_code=201,
    responses=problems(400, 404, 409),
    response_model=death_actions.DeathRecorded,
)
def record_death(request: Request, person_id: Id, body: NewDeath, p: PersonWriter) -> Any:
    """Record a death by hand (a letter from the kelurahan, a visit)."""
    return death_actions.record_death(
        request.app.state.engine, p, person_id, body.death_date, source=body.source,
        place=body.place,
    )  # fmt: skip


@router.get(
    "/people/{person_id}/family",
    responses=problems(404),
    response_model=family_queries.Family | None,
)
def family_of(request: Request, person_id: Id, p: PersonReader) -> Any:
    """A person's family (Kartu Keluarga): members and their relation to the head."""
    return family_queries.family_of(request.app.state.engine, p, person_id)


@router.get(
    "/people/{person_id}/heirs",
    responses=problems(404),
    response_model=family_queries.Proposal,
)
def heirs(request: Request, person_id: Id, died: dt.date, p: ClaimReader) -> Any:
    """Heirs proposed from the person's family for a death on ``died``, in the law's order,
    for the claim form (the operator confirms)."""
    return family_queries.heirs_for(request.app.state.engine, p, person_id, died)


@router.post(
    "/families/members",
    status_code=201,
    responses=problems(400, 404, 409),
    response_model=family_actions.MemberSaved,
)
def add_member(request: Request, body: NewMember, p: PersonWriter) -> Any:
    """Enter a member of a family (the family is created when its KK number is new)."""
    return family_actions.add_member(
        request.app.state.engine, p, body.kk_number, relation=body.relation, name=body.name,
        nik=body.nik, birth_date=body.birth_date, sex=body.sex, person_id=body.person_id,
    )  # fmt: skip


@router.get("/families/changes", responses=problems(), response_model=list[family_queries.Change])
def changes(
    request: Request,
    p: PersonReader,
    status: Annotated[str | None, Query(max_length=10)] = "pending",
) -> list[family_queries.Change]:
    """Change requests to families (by default those waiting for a supervisor)."""
    return family_queries.changes(request.app.state.engine, p, status=status or None)


@router.post(
    "/families/members/{member_id}/changes",
    status_code=201,
    responses=problems(400, 404),
    response_model=family_actions.ChangeRequested,
)
def request_change(request: Request, member_id: Id, body: ChangeRequest, p: PersonWriter) -> Any:
    """Ask for a correction of a member; a supervisor decides."""
    return family_actions.request_change(
        request.app.state.engine, p, member_id, dict(body.change), reason=body.reason
    )


@router.post(
    "/families/changes/{change_id}",
    responses=problems(400, 404, 409),
    response_model=family_actions.ChangeDecided,
)
def decide_change(request: Request, change_id: Id, body: ChangeDecision, p: Approver) -> Any:
    """Apply or reject a change request (a supervisor other than who asked)."""
    return family_actions.decide_change(
        request.app.state.engine, p, change_id, approve=body.approve, note=body.note
    )
