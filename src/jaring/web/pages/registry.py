"""Registry pages: upload with progress, rejected rows fixed in place (HTMX), possible
duplicates side by side."""

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.registry.actions import corrections, decisions, imports
from jaring.registry.columns import FIELDS
from jaring.registry.files import write_frame
from jaring.registry.queries import batches, niks, review
from jaring.web import dashboard, i18n
from jaring.web.api.common import Id
from jaring.web.pages import crossregion
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]

#: The cells of a row shown and editable when it is fixed, in the order of a form.
EDITABLE = (
    "name", "nik", "birth_date", "sex", "birth_place", "address", "village", "district",
    "phone", "occupation", "income", "desil",
)  # fmt: skip
PAGE_ROWS = 50  # rows with issues per page: a list with thousands stays light on a slow link
REVIEW_PAIRS = 50  # pairs per review page


def _registry_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    b = batches.batches(request.app.state.engine, p, newest_first=True)
    return page(request, "registry/registry.html", status_code=status, batches=b, **ctx)


@router.get("/registry")
def registry(request: Request, p: Reader) -> Response:
    return _registry_page(request, p)


@router.post("/registry/batches")
async def upload(request: Request, p: Writer) -> Response:
    form = await request.form()
    files = [
        (f.filename or "", await f.read())
        for f in form.getlist("files")
        if isinstance(f, UploadFile)
    ]
    source = str(form.get("source") or "")[:200]
    listed = str(form.get("listed_on") or "")
    eng = request.app.state.engine

    def run() -> Response:
        try:
            listed_on = parse_date(listed, "listed_on")
            out = imports.import_uploads(eng, p, files, source, listed_on=listed_on)
        except (JaringError, ValueError) as e:
            msg = e.message(i18n.current.get()) if isinstance(e, JaringError) else str(e)
            return _registry_page(request, p, 400, error=msg)
        dashboard.invalidate()
        return _registry_page(request, p, result=out)

    return await run_in_threadpool(run)


@router.get("/registry/batches/{batch_id}")
def batch(
    request: Request, batch_id: Id, p: Reader, start: int = 0, only_rejected: bool = True
) -> Response:
    return _batch_page(request, p, batch_id, start=start, only_rejected=only_rejected)


def _batch_page(
    request: Request,
    p: Principal,
    batch_id: int,
    *,
    start: int = 0,
    only_rejected: bool = True,
    status: int = 200,
    **ctx: Any,
) -> Response:
    eng = request.app.state.engine
    b = batches.batch(eng, p, batch_id)
    found = batches.rows_to_fix(
        eng, p, batch_id, only_rejected=only_rejected, start=start, limit=PAGE_ROWS
    )
    return page(
        request,
        "registry/batch.html",
        b=b,
        rows=found.rows,
        total=found.total,
        rejected_now=found.rejected_now,
        start=max(0, min(start, found.total)),
        page_rows=PAGE_ROWS,
        only_rejected=only_rejected,
        fields=EDITABLE,
        status_code=status,
        **ctx,
    )


@router.get("/registry/batches/{batch_id}/errors.xlsx")
def errors_file(request: Request, batch_id: Id, p: Reader) -> Response:
    """The batch's error list as the CLI's ``registry errors`` writes it, to fix in Excel."""
    frame = batches.errors_frame(request.app.state.engine, p, batch_id, all_issues=False)
    buf = io.BytesIO()
    write_frame(frame.select(batches.ERROR_COLUMNS), "xlsx", buf, sheet="Kesalahan")
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="kesalahan_daftar_{batch_id}.xlsx"'},
    )


@router.post("/registry/batches/{batch_id}/corrections")
async def corrections_file(request: Request, batch_id: Id, p: Writer) -> Response:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    name = upload.filename or "" if isinstance(upload, UploadFile) else ""
    eng = request.app.state.engine

    def run() -> Response:
        try:
            fixed = corrections.correct_from_file(eng, p, batch_id, data, name)
        except JaringError as e:
            return _batch_page(request, p, batch_id, status=400, error=e.message())
        dashboard.invalidate()
        return _batch_page(request, p, batch_id, fixed=fixed)

    return await run_in_threadpool(run)


@router.post("/registry/rows/{row_id}")
async def correct(request: Request, row_id: Id, p: Writer) -> Response:
    """Save a correction; answers the row's card again (HTMX swaps it in place) with the
    batch's counts. Only the cells the operator changed are sent as the correction (a NIK
    Excel mangled stays refused until it is retyped)."""
    form = await request.form()
    typed = {k: str(v).strip() for k, v in form.items() if k in FIELDS and isinstance(v, str)}
    eng = request.app.state.engine

    def run() -> Response:
        batch_id = batches.batch_of_row(eng, p, row_id).id
        before = batches.row_cells(eng, p, row_id)
        values = {k: v for k, v in typed.items() if v != (before.get(k) or "").strip()}
        error = None
        try:
            if values:
                corrections.correct_row(eng, p, row_id, values, link=True)
                dashboard.invalidate()
        except JaringError as e:
            error = e.message(i18n.current.get())
        every = batches.rows_with_issues(eng, p, batch_id)
        rejected_now = sum(1 for x in every if x.status == "rejected")
        r: Any = next((x for x in every if x.row_id == row_id), None)
        if r is None:  # no issues left at all
            r = batches.RowWithIssues(
                row_id=row_id, file="", sheet=None, row=None, status="accepted", issues=[]
            )
        r.cells = batches.row_cells(eng, p, row_id)
        if request.headers.get("hx-request"):
            return page(
                request,
                "registry/batch_row.html",
                r=r,
                fix_error=error,
                fields=EDITABLE,
                rejected_now=rejected_now,
                oob=True,
            )
        return RedirectResponse(f"/registry/batches/{batch_id}", status_code=303)

    return await run_in_threadpool(run)


REVIEW_CLUSTERS = 30  # clusters per review page
BULK_SAMPLE = 20  # pairs shown before a bulk accept


def _ids(text: str | None) -> list[int]:
    return [int(x) for x in (text or "").split(",") if x.strip().isdigit()][:1000]


def _review_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    clusters = review.review_clusters(request.app.state.engine, p, limit=REVIEW_CLUSTERS)
    ctx = {**crossregion.review_context(request, p, clusters), **ctx}
    return page(request, "registry/review.html", status_code=status, clusters=clusters, **ctx)


review_page_with = _review_page  # the cross-region pages answer on the review page too


NIK_LIST = 200  # people with two NIKs shown at once


@router.get("/registry/niks")
def two_niks_page(request: Request, p: Reader) -> Response:
    """The people of the actor's regions whose rows carry two NIKs, those without an
    operator's choice first (roles that see NIKs in clear only; audited by the query)."""
    people = niks.two_nik_people(request.app.state.engine, p, limit=NIK_LIST)
    waiting = sum(1 for t in people if t.chosen is None)
    return page(request, "registry/niks.html", people=people, waiting=waiting, limit=NIK_LIST)


@router.get("/registry/review")
def review_page(
    request: Request, p: Reader, decided: str | None = None, undone: int | None = None
) -> Response:
    return _review_page(request, p, decided=_ids(decided), undone=undone)


@router.post("/registry/review-bulk")
async def review_bulk(request: Request, p: Writer) -> Response:
    """Accept every pending pair at or above a probability: first a random sample to check
    and a confirmation, then all of them (each undoable from the message shown after)."""
    form = await request.form()
    eng = request.app.state.engine

    def run() -> Response:
        try:  # typed as a percentage (98 or 98,5); a fraction (0.98) is read as one too
            above = float(str(form.get("above") or "").replace("%", "").replace(",", "."))
        except ValueError:
            above = -1.0
        if above > 1:
            above /= 100
        try:
            if form.get("confirm") != "1":
                sample = review.sample_above(eng, p, above, BULK_SAMPLE)
                return _review_page(request, p, bulk=sample)
            out = decisions.accept_above(
                eng, p, above, reason=str(form.get("reason") or "") or None
            )
        except JaringError as e:
            return _review_page(request, p, status=400, error=e.message(i18n.current.get()))
        dashboard.invalidate()
        ids = ",".join(str(i) for i in out.pairs)
        return RedirectResponse(f"/registry/review?decided={ids}", status_code=303)

    return await run_in_threadpool(run)


@router.post("/registry/review-undo")
async def review_undo(request: Request, p: Writer) -> Response:
    """Undo the decisions just made (the pairs named in the form): pending again."""
    form = await request.form()
    eng = request.app.state.engine

    def run() -> Response:
        n = 0
        try:
            for pair_id in _ids(str(form.get("pairs") or "")):
                decisions.review_undo(eng, p, pair_id, reason="undo")
                n += 1
        except JaringError as e:
            return _review_page(request, p, status=400, error=e.message(i18n.current.get()))
        dashboard.invalidate()
        return RedirectResponse(f"/registry/review?undone={n}", status_code=303)

    return await run_in_threadpool(run)


@router.post("/registry/review/{pair_id}")
async def decide(request: Request, pair_id: Id, p: Writer) -> Response:
    form = await request.form()
    accept = form.get("decision") == "accept"
    whole = form.get("scope") == "cluster"
    eng = request.app.state.engine

    def run() -> Response:
        try:
            if whole:
                cluster = review.cluster_pairs(eng, p, pair_id)
                done = decisions.review_decide_many(eng, p, cluster, accept).pairs
            else:
                decisions.review_decide(eng, p, pair_id, accept)
                done = [pair_id]
        except JaringError as e:
            return _review_page(request, p, status=400, error=e.message(i18n.current.get()))
        dashboard.invalidate()
        ids = ",".join(str(i) for i in done)
        return RedirectResponse(f"/registry/review?decided={ids}", status_code=303)

    return await run_in_threadpool(run)
