"""Cross-region pairs in the registry's review: people of this Pemda whom the national
deduplication found listed by another Pemda too. The review page marks them and lists them
(:func:`review_context`); one pair opens as a card with the person's own data (masked for
masked-data roles) and, of the other side, only its region's name, the probability and what
agreed; operators decide it (confirmed first, undoable), and the roles that receive national
results upload the Pemda's file. Thin over :mod:`jaring.national`."""

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from jaring.errors import JaringError
from jaring.national import actions, queries
from jaring.registry.regions import name_of
from jaring.web import i18n
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]
Receiver = Annotated[Principal, Depends(require("national.receive"))]

QUEUE = 30  # cross-region pairs listed on the review page


def _query_id(request: Request, key: str) -> int | None:
    v = request.query_params.get(key, "")
    return int(v) if v.isdigit() else None


def review_context(request: Request, p: Principal, clusters: list[Any]) -> dict[str, Any]:
    """What the review page shows of cross-region pairs: the pending ones (``cross``, their
    count ``cross_count``), the people of the registry's pairs who have one (``marked``), and
    the decision just made or undone (``?cross_decided=``, ``?cross_undone=``)."""
    eng = request.app.state.engine
    people = [s.person for c in clusters for x in c.pairs for s in (x.left, x.right) if s.person]
    with eng.connect() as conn:
        marked = queries.marked_people(conn, sorted(set(people)))
    ctx: dict[str, Any] = {
        "decided": [],  # the registry's own messages, unless the caller names them
        "undone": None,
        "cross": queries.pending_cards(eng, p, limit=QUEUE),
        "cross_count": queries.pending_count(eng, p),
        "marked": marked,
        "other_name": other_name,
    }
    done = _query_id(request, "cross_decided")
    if done is not None:
        with contextlib.suppress(JaringError):  # gone or out of region: no message
            ctx["cross_done"] = queries.pair_card(eng, p, done)
    ctx["cross_undone"] = _query_id(request, "cross_undone")
    return ctx


def other_name(code: str) -> str | None:
    """The other Pemda's name (never its code); ``None`` when the code is not a known region."""
    return name_of(code) if code and code != "all" else None


def _card_page(
    request: Request, p: Principal, pair_id: int, status: int = 200, **ctx: Any
) -> Response:
    card = queries.pair_card(request.app.state.engine, p, pair_id)
    return page(
        request,
        "registry/cross_region.html",
        status_code=status,
        c=card,
        other=other_name(card.other_region),
        **ctx,
    )


@router.get("/registry/cross-region/{pair_id}")
def cross_region(request: Request, pair_id: Id, p: Reader) -> Response:
    return _card_page(request, p, pair_id)


@router.post("/registry/cross-region/{pair_id}")
async def decide(request: Request, pair_id: Id, p: Writer) -> Response:
    """First a confirmation naming what is decided, then the decision (``confirm=1``)."""
    form = await request.form()
    decision = str(form.get("decision") or "")
    reason = str(form.get("reason") or "").strip()[:500] or None
    eng = request.app.state.engine

    def run() -> Response:
        if decision not in ("same", "different"):
            return _card_page(request, p, pair_id, 400, error=_bad_choice())
        if form.get("confirm") != "1":
            return _card_page(request, p, pair_id, ask=decision, reason=reason or "")
        try:
            actions.decide(eng, p, pair_id, decision == "same", reason=reason)
        except JaringError as e:
            return _card_page(request, p, pair_id, 400, error=e.message(i18n.current.get()))
        return RedirectResponse(
            f"/registry/review?cross_decided={pair_id}#lintas-wilayah", status_code=303
        )

    return await run_in_threadpool(run)


def _bad_choice() -> str:
    return i18n.translations(i18n.current.get()).gettext(
        "Choose whether they are the same person or two different people."
    )


@router.post("/registry/cross-region/{pair_id}/undo")
async def undo(request: Request, pair_id: Id, p: Writer) -> Response:
    """Take the decision back: the pair waits in the review again."""
    eng = request.app.state.engine

    def run() -> Response:
        try:
            actions.undo(eng, p, pair_id, reason="undo")
        except JaringError as e:
            return _card_page(request, p, pair_id, 400, error=e.message(i18n.current.get()))
        return RedirectResponse(
            f"/registry/review?cross_undone={pair_id}#lintas-wilayah", status_code=303
        )

    return await run_in_threadpool(run)


@router.post("/registry/national-results")
async def receive(request: Request, p: Receiver) -> Response:
    """Receive one Pemda's file of a national deduplication (``to_pemda/<code>.parquet``):
    all its pairs or none; the review page answers with the counts or the refusal."""
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
    eng = request.app.state.engine

    def run() -> Response:
        from jaring.web.pages.registry import review_page_with

        if not name:
            msg = i18n.translations(i18n.current.get()).gettext(
                "Choose the file of the national result first."
            )
            return review_page_with(request, p, 400, cross_error=msg)
        try:
            got = actions.receive_file(eng, p, data, name)
        except JaringError as e:
            return review_page_with(request, p, e.status, cross_error=e.message(i18n.current.get()))
        return review_page_with(request, p, cross_received=got, cross_pemda=other_name(got.pemda))

    return await run_in_threadpool(run)
