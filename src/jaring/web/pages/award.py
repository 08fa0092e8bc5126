"""Award pages: editions with rankings and rubric, a candidate's results, the juror's own
scoring screen."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring.errors import JaringError
from jaring.web import award as web_award
from jaring.web import i18n
from jaring.web.programs import done
from jaring.web.render import page
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("award.read"))]
Year = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(max_length=30)]


@router.get("/award")
def award(request: Request, p: Reader) -> Response:
    from jaring.award import service

    eng = request.app.state.engine
    eds = web_award.editions(eng)
    rankings: dict[tuple[int, str], Any] = {}
    errors: dict[tuple[int, str], str] = {}
    for ed in eds:
        for cat in ed["categories"]:
            try:
                viewer = web_award.juror_code(eng, p, ed["year"])
                rankings[(ed["year"], cat)] = service.ranking(eng, ed["year"], cat, viewer=viewer)
            except JaringError as e:
                errors[(ed["year"], cat)] = e.message(i18n.current.get())
    return page(request, "award.html", editions=eds, rankings=rankings, rk_errors=errors)


def _candidate_page(
    request: Request, p: Principal, year: int, code: str, status: int = 200, **ctx: Any
) -> Response:
    from jaring.award import service

    eng = request.app.state.engine
    juror = web_award.juror_code(eng, p, year)
    res = service.results(eng, year, code, viewer=juror) if not juror else None
    view = service.juror_view(eng, year, code, juror) if juror else None
    cat = (
        res["category"]
        if res
        else next(
            (
                c["category"]
                for ed in web_award.editions(eng)
                if ed["year"] == year
                for c in ed["candidates"]
                if c["code"] == code
            ),
            "",
        )
    )
    name = (
        res["name"]
        if res
        else next(
            (
                c["name"]
                for ed in web_award.editions(eng)
                if ed["year"] == year
                for c in ed["candidates"]
                if c["code"] == code
            ),
            code,
        )
    )
    rubric = web_award.rubric_of(eng, year, cat)
    return page(
        request,
        "candidate.html",
        status_code=status,
        year=year,
        code=code,
        name=name,
        result=res,
        view=view,
        rubric=rubric,
        jury=web_award.jury_criteria(rubric or {}),
        **ctx,
    )


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
    from jaring.award import service

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
            juror = web_award.juror_code(eng, p, year)
            assert juror is not None
            service.record_scores(eng, year, code, juror, points, submit=submit)
        except JaringError as e:
            return _candidate_page(request, p, year, code, 400, error=e.message(i18n.current.get()))
        done(
            eng,
            p,
            "award.score",
            "award_candidate",
            f"{year}/{code}",
            {"juror": juror, "points": points, "submit": submit},
        )
        return RedirectResponse(f"/award/{year}/{code}", status_code=303)

    return await run_in_threadpool(run)
