"""Award pages: editions with rankings (ties explained in words); the secretariat's set-up
of an edition (stages, categories, candidates, jurors, interviews with notes, evidence); the
juror's desk with their progress and the scoring sheet (evidence, dossier and interview notes
beside each criterion, a guide to each score, drafts that say they are saved, and a
confirmation before the scores are locked).

Every form calls one action of :mod:`jaring.award.actions` with the signed-in principal: the
same rules as the CLI (rights, jury size, isolation, the lock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring import errors as common
from jaring import labels
from jaring.award import actions, queries, stages
from jaring.award.queries import Ranking
from jaring.award.stages import STAGES
from jaring.award.ties import tie_words
from jaring.errors import JaringError
from jaring.i18n import _
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("award.read"))]
Manager = Annotated[Principal, Depends(require("award.manage"))]
Scorer = Annotated[Principal, Depends(require("award.score"))]
Year = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(max_length=30)]
CATEGORIES = ("provinsi", "kabupaten-kota", "perusahaan", "umk")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def _shown_stages(request: Request, eds: list[queries.EditionSummary]) -> dict[int, str]:
    """The stage whose ranking each edition shows: its own, or the earlier one asked for
    (``?edition=2025&stage=administrasi``)."""
    asked_year = request.query_params.get("edition", "")
    asked = request.query_params.get("stage", "")[:20]
    out = {}
    for ed in eds:
        out[ed.year] = ed.stage
        if (
            asked_year == str(ed.year)
            and asked in STAGES
            and stages.index(asked) <= stages.index(ed.stage)
        ):
            out[ed.year] = asked
    return out


@router.get("/award")
def award(request: Request, p: Reader) -> Response:
    eng = request.app.state.engine
    eds = queries.editions(eng, p)
    rankings: dict[tuple[int, str], Ranking] = {}
    ties: dict[tuple[int, str], dict[str, str]] = {}
    errors: dict[tuple[int, str], str] = {}
    lang = i18n.current.get()
    shown = _shown_stages(request, eds)
    for ed in eds:
        for cat in ed.categories:
            try:
                rk = queries.ranking(eng, p, ed.year, cat, stage=shown[ed.year])
            except JaringError as e:
                errors[(ed.year, cat)] = e.message(lang)
                continue
            rankings[(ed.year, cat)] = rk
            ties[(ed.year, cat)] = tie_words(rk, lang)
    return page(
        request,
        "award/editions.html",
        editions=eds,
        rankings=rankings,
        ties=ties,
        rk_errors=errors,
        categories=CATEGORIES,
        stages=STAGES,
        shown=shown,
        error=request.query_params.get("error", "")[:300],
    )


@router.post("/award/editions")
async def create_edition(request: Request, p: Manager) -> Response:
    form = await request.form()
    year_text = str(form.get("year", "")).strip()
    assessed = str(form.get("assessed_year", "")).strip()
    cats = [str(c) for c in form.getlist("categories")][:4]
    eng = request.app.state.engine
    try:
        if not year_text.isdigit():
            raise common.MISSING_OPTION(fields=_("year"), field="year")
        actions.create_edition(
            eng,
            p,
            int(year_text),
            cats,
            assessed_year=int(assessed) if assessed.isdigit() else None,
            name=str(form.get("name", "")).strip()[:200] or None,
            stage=str(form.get("stage", "administrasi")),
        )
    except JaringError as e:
        return _manage_or_list(request, p, None, e)
    return RedirectResponse(f"/award/{int(year_text)}/manage", status_code=303)


def _manage_or_list(
    request: Request, p: Principal, year: int | None, e: JaringError | None = None, **ctx: Any
) -> Response:
    if year is None:
        resp = award(request, p)
        if e is not None:
            resp = page(
                request,
                "award/editions.html",
                status_code=e.status,
                editions=queries.editions(request.app.state.engine, p),
                rankings={},
                ties={},
                rk_errors={},
                categories=CATEGORIES,
                stages=STAGES,
                shown={},
                error=e.message(i18n.current.get()),
            )
        return resp
    ed = queries.admin_edition(request.app.state.engine, p, year)
    ctx.setdefault("stage_rules", stages.BY_CODE)
    status = e.status if e is not None else 200
    if e is not None:
        ctx["error"] = e.message(i18n.current.get())
    return page(request, "award/manage.html", status_code=status, ed=ed, **ctx)


@router.get("/award/{year}/manage")
def manage(request: Request, year: Year, p: Manager) -> Response:
    return _manage_or_list(request, p, year)


async def _manage_action(
    request: Request, p: Principal, year: int, run: Callable[[dict[str, Any]], Any], done: str
) -> Response:
    form = await request.form()
    f: dict[str, Any] = {k: str(v)[:5000] for k, v in form.items() if isinstance(v, str)}
    f["_lists"] = {k: [str(x) for x in form.getlist(k)][:50] for k in ("jurors",)}
    files = {k: v for k, v in form.items() if not isinstance(v, str)}
    f["_files"] = files

    def call() -> Response:
        try:
            run(f)
        except JaringError as e:
            return _manage_or_list(request, p, year, e)
        return _manage_or_list(request, p, year, message=done)

    return await run_in_threadpool(call)


@router.post("/award/{year}/stage")
async def change_stage(request: Request, year: Year, p: Manager) -> Response:
    """Move the edition to another stage: the first post shows what the move means and asks
    for a confirmation; the confirmed post moves it (the domain checks the rules)."""
    form = await request.form()
    stage = str(form.get("stage", ""))[:20]
    if form.get("confirm") != "1":
        if stage not in STAGES:
            return _manage_or_list(request, p, year)
        return _manage_or_list(request, p, year, confirm_stage=stage)
    eng = request.app.state.engine
    return await _manage_action(
        request,
        p,
        year,
        lambda f: actions.change_stage(eng, p, year, stage),
        _("The edition is now at the %(stage)s stage.", stage=labels.label("award_stage", stage)),
    )


@router.post("/award/{year}/shortlist")
async def shortlist(request: Request, year: Year, p: Manager) -> Response:
    """The candidates of the edition's stage that go on to the next (ticked boxes)."""
    form = await request.form()
    chosen = [str(c)[:30] for c in form.getlist("candidates")][:500]
    eng = request.app.state.engine

    def run() -> Response:
        try:
            out = actions.shortlist(eng, p, year, chosen)
        except JaringError as e:
            return _manage_or_list(request, p, year, e)
        return _manage_or_list(
            request,
            p,
            year,
            message=_(
                "%(n)s candidates go on to the %(stage)s stage.",
                n=len(out.candidates),
                stage=labels.label("award_stage", out.next_stage),
            ),
        )

    return await run_in_threadpool(run)


@router.post("/award/{year}/candidates")
async def add_candidate(request: Request, year: Year, p: Manager) -> Response:
    eng = request.app.state.engine
    return await _manage_action(
        request,
        p,
        year,
        lambda f: actions.add_candidate(
            eng,
            p,
            year,
            f.get("category", ""),
            f.get("code", "").strip(),
            f.get("name", "").strip() or None,
        ),
        _("Candidate added."),
    )


@router.post("/award/{year}/jurors")
async def add_juror(request: Request, year: Year, p: Manager) -> Response:
    eng = request.app.state.engine
    return await _manage_action(
        request,
        p,
        year,
        lambda f: actions.add_juror(
            eng,
            p,
            year,
            f.get("code", "").strip(),
            f.get("name", "").strip(),
            f.get("affiliation", "").strip() or None,
        ),
        _("Juror added."),
    )


def _when(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise common.BAD_DATE(field="at", value=text[:20]) from None


@router.post("/award/{year}/interviews")
async def schedule(request: Request, year: Year, p: Manager) -> Response:
    eng = request.app.state.engine
    return await _manage_action(
        request,
        p,
        year,
        lambda f: actions.schedule_interview(
            eng,
            p,
            year,
            f.get("candidate", ""),
            _when(f.get("at", "")),
            jurors=f["_lists"]["jurors"] or None,
            place=f.get("place", "").strip() or None,
        ),
        _("Interview scheduled."),
    )


@router.post("/award/{year}/{code}/interview")
async def interview(request: Request, year: Year, code: Code, p: Manager) -> Response:
    eng = request.app.state.engine

    def run(f: dict[str, Any]) -> None:
        if f.get("attended") in ("yes", "no"):
            actions.record_attendance(eng, p, year, code, f["attended"] == "yes")
        actions.record_interview_notes(eng, p, year, code, f.get("notes", ""))

    return await _manage_action(request, p, year, run, _("Interview recorded."))


@router.post("/award/{year}/{code}/evidence")
async def evidence(request: Request, year: Year, code: Code, p: Manager) -> Response:
    eng = request.app.state.engine
    form = await request.form()
    upload = form.get("file")
    data = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        # read one byte past the limit so that the store refuses a file too large
        data = (upload.filename, await upload.read(MAX_EVIDENCE_BYTES + 1))
    return await _manage_action(
        request,
        p,
        year,
        lambda f: actions.add_evidence(
            eng,
            p,
            year,
            code,
            f.get("criterion", ""),
            f.get("value", "").strip(),
            note=f.get("note", "").strip() or None,
            upload=data if data and data[1] else None,
        ),
        _("Evidence recorded."),
    )


@router.post("/award/{year}/fill")
async def fill(request: Request, year: Year, p: Manager) -> Response:
    eng = request.app.state.engine
    return await _manage_action(
        request,
        p,
        year,
        lambda f: actions.fill_evidence(eng, p, year),
        _("Evidence filled from Jaring's coverage."),
    )


@router.get("/award/{year}/jury")
def jury_desk(request: Request, year: Year, p: Reader, juror: str = "") -> Response:
    eng = request.app.state.engine
    try:
        d = queries.desk(eng, p, year, juror.strip()[:30] or None)
    except JaringError as e:
        return page(
            request,
            "award/desk.html",
            status_code=e.status,
            d=None,
            year=year,
            error=e.message(i18n.current.get()),
        )
    return page(request, "award/desk.html", d=d, year=year)


def _candidate_page(
    request: Request, p: Principal, year: int, code: str, status: int = 200, **ctx: Any
) -> Response:
    eng = request.app.state.engine
    asked = request.query_params.get("stage", "")[:20]
    cp = queries.candidate_page(eng, p, year, code, asked if asked in STAGES else None)
    sheet = queries.sheet(eng, p, year, code) if cp.view is not None else None
    return page(request, "award/candidate.html", status_code=status, cp=cp, sheet=sheet, **ctx)


@router.get("/award/{year}/{code}")
def candidate(request: Request, year: Year, code: Code, p: Reader) -> Response:
    return _candidate_page(request, p, year, code, saved=request.query_params.get("saved") == "1")


@router.post("/award/{year}/{code}/scores")
async def scores(request: Request, year: Year, code: Code, p: Scorer) -> Response:
    """Save a draft, or submit: a first submit shows what will be locked and asks to
    confirm; only the confirmed form locks the scores."""
    form = await request.form()
    points = {
        k.removeprefix("points_"): int(v)
        for k, v in form.items()
        if k.startswith("points_") and isinstance(v, str) and v.isdigit()
    }
    action = form.get("action")
    confirmed = form.get("confirm") == "1"
    eng = request.app.state.engine

    def run() -> Response:
        try:
            if action == "submit" and not confirmed:
                actions.record_scores(eng, p, year, code, points, submit=False)
                return _candidate_page(request, p, year, code, confirm=points)
            actions.record_scores(eng, p, year, code, points, submit=action == "submit")
        except JaringError as e:
            return _candidate_page(request, p, year, code, 400, error=e.message(i18n.current.get()))
        return RedirectResponse(f"/award/{year}/{code}?saved=1", status_code=303)

    return await run_in_threadpool(run)
