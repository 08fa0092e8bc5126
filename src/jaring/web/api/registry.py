"""Registry: upload worker lists, rejected rows and their correction, possible duplicates."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jaring.web import i18n
from jaring.web import registry as web_registry
from jaring.web.api.common import Id, problems
from jaring.web.programs import MEDIA, done
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter(prefix="/registry", tags=["registry"])
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]


class CorrectionIn(BaseModel):
    values: dict[str, str] = Field(description="canonical field -> corrected text, e.g. nik")


class SplitIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="why the merge was wrong")


class DecisionIn(BaseModel):
    accept: bool
    reason: str | None = Field(None, max_length=500)


@router.post("/batches", status_code=201, responses=problems(400))
def upload(
    request: Request,
    p: Writer,
    files: Annotated[list[UploadFile], File(description="CSV or XLSX worker lists")],
    source: Annotated[str, Form(min_length=1, max_length=200)],
    listed_on: Annotated[dt.date | None, Form()] = None,
    region: Annotated[str | None, Form(max_length=13)] = None,
) -> dict[str, Any]:
    """Import lists as one batch (rows validated; rejected rows kept with their issues),
    then link accepted rows to people (``linked``)."""
    eng = request.app.state.engine
    out = web_registry.import_upload(
        eng,
        p,
        [(f.filename or "", f.file.read()) for f in files],
        source,
        listed_on=listed_on,
        region=region or None,
    )
    done(
        eng,
        p,
        "registry.import",
        "registry_batch",
        out["batch"],
        {k: v for k, v in out.items() if k != "linked"},
    )
    return out


@router.get("/batches", responses=problems())
def batches(request: Request, p: Reader) -> list[dict[str, Any]]:
    web_registry.check_clear_data(p)
    return web_registry.batches(request.app.state.engine, p)


@router.get("/batches/{batch_id}/errors", responses=problems(404))
def errors(request: Request, batch_id: Id, p: Reader) -> list[dict[str, Any]]:
    """Rows with issues, each with its issues (field, code, value, message)."""
    web_registry.check_clear_data(p)
    eng = request.app.state.engine
    web_registry.check_batch(eng, p, batch_id)
    return web_registry.rows_with_errors(eng, batch_id, i18n.current.get())


@router.post("/rows/{row_id}", responses=problems(400, 404))
def correct(request: Request, row_id: Id, body: CorrectionIn, p: Writer) -> dict[str, Any]:
    """Fix a rejected row in place; valid now, it is accepted and linked to a person."""
    from jaring.registry import service

    eng = request.app.state.engine
    web_registry.check_batch(eng, p, web_registry.batch_of_row(eng, row_id))
    out = service.correct_row(eng, row_id, body.values, by=p.username)
    if out["status"] == "accepted":
        out["linked"] = service.dedupe(eng)
    done(
        eng,
        p,
        "registry.correct",
        "registry_row",
        row_id,
        {"fields": sorted(body.values), "status": out["status"]},
    )
    return out


@router.get("/people/{person_id}/rows", responses=problems(404))
def person_rows(request: Request, person_id: Id, p: Reader) -> list[dict[str, Any]]:
    """The source rows linked to a person (clear-data roles; the person in your regions),
    oldest first, each with how it was linked: the ``row_id`` to split a wrong merge."""
    from jaring.web.people import check_person_scope

    web_registry.check_clear_data(p)
    eng = request.app.state.engine
    check_person_scope(eng, p, person_id)
    return web_registry.source_rows(eng, p, person_id)


@router.post("/rows/{row_id}/split", responses=problems(400, 404))
def split(request: Request, row_id: Id, body: SplitIn, p: Writer) -> dict[str, Any]:
    """Undo a wrong merge: the source row leaves its person for a new person of its own; the
    pairs between it and the person's other rows are rejected for good. Operators only within
    their regions; audited (``registry.split``)."""
    return web_registry.split(request.app.state.engine, p, row_id, body.reason)


@router.get("/review", responses=problems())
def review(
    request: Request,
    p: Reader,
    status: Annotated[str, Query(pattern="^(pending|accepted|rejected)$")] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """Possible duplicates side by side, strongest first, with what agreed."""
    web_registry.check_clear_data(p)
    return web_registry.review_pairs(request.app.state.engine, p, status, limit)


@router.post("/review/{pair_id}", responses=problems(400, 404))
def decide(request: Request, pair_id: Id, body: DecisionIn, p: Writer) -> dict[str, Any]:
    """Accept (the two become one person) or reject (kept apart for good)."""
    from jaring.registry import service

    eng = request.app.state.engine
    web_registry.check_pair(eng, p, pair_id)
    out = service.review_decide(eng, pair_id, body.accept, by=p.username, reason=body.reason)
    done(eng, p, "registry.review", "registry_pair", pair_id, {"accept": body.accept})
    return out


@router.get(
    "/people/file",
    responses={**problems(), 200: {"content": {MEDIA["xlsx"]: {}, MEDIA["csv"]: {}}}},
    response_class=Response,
)
def export_people(
    request: Request,
    p: Reader,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "xlsx",
) -> Response:
    """The people of your regions as CSV or XLSX (clear-data roles only; audited)."""
    eng = request.app.state.engine
    content, rows = web_registry.export_people(eng, p, format)
    done(eng, p, "registry.export", "person", None, {"format": format, "rows": rows})
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="orang.{format}"'},
    )
