"""Award pages: editions with rankings and rubric, a candidate's results, the juror's own
scoring screen."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring.award import actions, queries
from jaring.award.queries import Ranking
from jaring.errors import JaringError
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("award.read"))]
Year = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(max_length=30)]


@router.get("/award")
def award(request: Request, p: Reader) -> Response:
    eng = request.app.state.engine
    eds = queries.editions(eng, p)
    rankings: dict[tuple[int, str], Ranking] = {}
    errors: dict[tuple[int, str], str] = {}
    for ed in eds:
        for cat in ed.categories:
            try:
                rankings[(ed.year, cat)] = queries.ranking(eng, p, ed.year, cat)
            except JaringError as e:
                errors[(ed.year, cat)] = e.message(i18n.current.get())
    return page(request, "award/editions.html", editions=eds, rankings=rankings, rk_errors=errors)


def _candidate_page(
    request: Request, p: Principal, year: int, code: str, status: int = 200, error: str = ""
) -> Response:
    cp = queries.candidate_page(request.app.state.engine, p, year, code)
    return page(request, "award/candidate.html", status_code=status, cp=cp, error=error)


@router.get("/award/{year}/{code}")
def candidate(request: Request, year: Year, code: Code, p: Reader) -> Response:
    return _candidate_page(request, p, year, code)


@router.post("/award/{year}/{code}/scores")
async def scores(
    request: Request,
    year: Year,
    code: Code,
    p: Annotated[Principal, Depends(require("award.score"))],
) -> Response:
    form = await request.form()
    points = {
        k.removeprefix("points_"): int(v)
        for k, v in form.items()
        if k.startswith("points_") and isinstance(v, str) and v.isdigit()
    }
    submit = form.get("action") == "submit"
    eng = request.app.state.engine

    def run() -> Response:
        try:
            actions.record_scores(eng, p, year, code, points, submit=submit)
        except JaringError as e:
            return _candidate_page(request, p, year, code, 400, error=e.message(i18n.current.get()))
        return RedirectResponse(f"/award/{year}/{code}", status_code=303)

    return await run_in_threadpool(run)
