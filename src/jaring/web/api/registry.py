"""Registry: upload worker lists, rejected rows and their correction, possible duplicates."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jaring.registry.actions import corrections, decisions, exports, imports
from jaring.registry.actions import niks as nik_actions
from jaring.registry.queries import batches, people, review
from jaring.registry.queries import niks as nik_queries
from jaring.web import dashboard
from jaring.web.api.common import MEDIA, Id, problems
from jaring.web.security import Principal, require

router = APIRouter(prefix="/registry", tags=["registry"])
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]
FILE = {"type": "string", "format": "binary"}  # a file's bytes, as OpenAPI says it


class CorrectionIn(BaseModel):
    values: dict[str, str] = Field(description="canonical field -> corrected text, e.g. nik")


class SplitIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="why the merge was wrong")


class DecisionIn(BaseModel):
    accept: bool
    reason: str | None = Field(None, max_length=500)


@router.post("/batches", status_code=201, responses=problems(400), response_model=imports.Imported)
def upload(
    request: Request,
    p: Writer,
    files: Annotated[list[UploadFile], File(description="CSV or XLSX worker lists")],
    source: Annotated[str, Form(min_length=1, max_length=200)],
    listed_on: Annotated[dt.date | None, Form()] = None,
    region: Annotated[str | None, Form(max_length=13)] = None,
) -> imports.Imported:
    """Import lists as one batch (rows validated; rejected rows kept with their issues),
    then link accepted rows to people (``linked``). Audited (``registry.import``)."""
    out = imports.import_uploads(
        request.app.state.engine,
        p,
        [(f.filename or "", f.file.read()) for f in files],
        source,
        listed_on=listed_on,
        region=region or None,
    )
    dashboard.invalidate()
    return out


@router.get("/batches", responses=problems(), response_model=list[batches.Batch])
def list_batches(request: Request, p: Reader) -> list[batches.Batch]:
    """The batches you may see, newest first: all of them when you work in every region,
    else those you imported (clear-data roles only)."""
    return batches.batches(request.app.state.engine, p, newest_first=True)


@router.get(
    "/batches/{batch_id}/errors",
    responses=problems(404),
    response_model=list[batches.RowWithIssues],
)
def errors(request: Request, batch_id: Id, p: Reader) -> list[batches.RowWithIssues]:
    """Rows with issues, each with its issues (field, code, value, message)."""
    return batches.rows_with_issues(request.app.state.engine, p, batch_id)


@router.post("/rows/{row_id}", responses=problems(400, 404), response_model=corrections.Corrected)
def correct(request: Request, row_id: Id, body: CorrectionIn, p: Writer) -> corrections.Corrected:
    """Fix a rejected row in place; valid now, it is accepted and linked to a person.
    Audited (``registry.correct``)."""
    out = corrections.correct_row(request.app.state.engine, p, row_id, body.values, link=True)
    dashboard.invalidate()
    return out


@router.get(
    "/people/{person_id}/rows", responses=problems(404), response_model=list[people.SourceRow]
)
def person_rows(request: Request, person_id: Id, p: Reader) -> list[people.SourceRow]:
    """The source rows linked to a person (clear-data roles; the person in your regions),
    oldest first, each with how it was linked: the ``row_id`` to split a wrong merge."""
    return people.source_rows_of(request.app.state.engine, p, person_id)


@router.post("/rows/{row_id}/split", responses=problems(400, 404), response_model=decisions.Split)
def split(request: Request, row_id: Id, body: SplitIn, p: Writer) -> decisions.Split:
    """Undo a wrong merge: the source row leaves its person for a new person of its own; the
    pairs between it and the person's other rows are rejected for good. Operators only within
    their regions; audited (``registry.split``)."""
    out = decisions.split_row(request.app.state.engine, p, row_id, reason=body.reason)
    dashboard.invalidate()
    return out


@router.get("/review", responses=problems(), response_model=list[review.Pair])
def review_pairs(
    request: Request,
    p: Reader,
    status: Annotated[str, Query(pattern="^(pending|accepted|rejected)$")] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[review.Pair]:
    """Possible duplicates side by side, strongest first, with what agreed."""
    return review.review_list(request.app.state.engine, p, status=status, limit=limit)


@router.post("/review/{pair_id}", responses=problems(400, 404), response_model=decisions.Decision)
def decide(request: Request, pair_id: Id, body: DecisionIn, p: Writer) -> decisions.Decision:
    """Accept (the two become one person) or reject (kept apart for good). Audited
    (``registry.review``)."""
    out = decisions.review_decide(
        request.app.state.engine, p, pair_id, body.accept, reason=body.reason
    )
    dashboard.invalidate()
    return out


# --- duplicate review in clusters, bulk, undo; people with two NIKs (deduplication work)


class AcceptAboveIn(BaseModel):
    above: float = Field(ge=0.5, le=1, description="accept every pending pair at or above")
    reason: str | None = Field(None, max_length=500)


class NikIn(BaseModel):
    nik: str = Field(min_length=16, max_length=16, pattern="^[0-9]{16}$")
    reason: str | None = Field(None, max_length=500)


@router.get("/review-clusters", responses=problems(), response_model=list[review.Cluster])
def review_clusters(
    request: Request, p: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[review.Cluster]:
    """Pending pairs grouped by the people they would join, most people first."""
    return review.review_clusters(request.app.state.engine, p, limit=limit)


@router.get("/review-sample", responses=problems(400), response_model=review.Sample)
def review_sample(
    request: Request,
    p: Reader,
    above: Annotated[float, Query(ge=0.5, le=1)] = 0.98,
    n: Annotated[int, Query(ge=0, le=200)] = 20,
) -> review.Sample:
    """How many pending pairs a bulk accept at ``above`` would take, and a random sample."""
    return review.sample_above(request.app.state.engine, p, above, n)


@router.post("/review-accept", responses=problems(400), response_model=decisions.Bulk)
def review_accept(request: Request, body: AcceptAboveIn, p: Writer) -> decisions.Bulk:
    """Accept every pending pair at or above ``above`` (held pairs excepted); each decision
    audited and undoable."""
    out = decisions.accept_above(request.app.state.engine, p, body.above, reason=body.reason)
    dashboard.invalidate()
    return out


@router.post(
    "/review/{pair_id}/undo", responses=problems(400, 404), response_model=decisions.Undone
)
def review_undo(request: Request, pair_id: Id, p: Writer) -> decisions.Undone:
    """Undo a decision: the pair is pending again (``registry.review_undo``)."""
    out = decisions.review_undo(request.app.state.engine, p, pair_id)
    dashboard.invalidate()
    return out


@router.get("/niks", responses=problems(404), response_model=list[nik_queries.TwoNiks])
def two_niks(
    request: Request,
    p: Reader,
    person: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[nik_queries.TwoNiks]:
    """People whose rows carry two NIKs or more, each NIK scored, the likely one marked."""
    return nik_queries.two_nik_people(request.app.state.engine, p, person_id=person, limit=limit)


@router.post(
    "/people/{person_id}/nik", responses=problems(400, 404), response_model=nik_actions.NikChosen
)
def choose_nik(request: Request, person_id: Id, body: NikIn, p: Writer) -> nik_actions.NikChosen:
    """Make one of the NIKs on the person's rows the person's NIK (``registry.choose_nik``)."""
    return nik_actions.choose_nik(
        request.app.state.engine, p, person_id, body.nik, reason=body.reason
    )


@router.get(
    "/people/file",
    responses={
        **problems(),
        200: {"content": {MEDIA[f]: {"schema": FILE} for f in ("xlsx", "csv")}},
    },
    response_class=Response,
)
def export_people(
    request: Request,
    p: Reader,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "xlsx",
) -> Response:
    """The people of your regions as CSV or XLSX (clear-data roles only; audited as
    ``registry.export``)."""
    out = exports.people_file(request.app.state.engine, p, format)
    return Response(
        out.content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="orang.{format}"'},
    )
