"""Paritrana Award: editions and candidates, rubric, a juror's scoring, ranking, dossier."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jaring.web import award as web_award
from jaring.web.api.common import problems
from jaring.web.programs import MEDIA, done
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter(prefix="/award", tags=["award"])
Reader = Annotated[Principal, Depends(require("award.read"))]
Scorer = Annotated[Principal, Depends(require("award.score"))]
Year = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(max_length=30)]


class ScoresIn(BaseModel):
    points: dict[str, int] = Field(description="jury criterion code -> points on its scale")
    notes: dict[str, str] = Field(default_factory=dict)
    submit: bool = False


@router.get("/editions", responses=problems())
def editions(request: Request, p: Reader) -> list[dict[str, Any]]:
    """Editions with their categories and candidates."""
    return web_award.editions(request.app.state.engine)


@router.get("/{year}/ranking/{category}", responses=problems(400, 404))
def ranking(
    request: Request, year: Year, category: Annotated[str, Path(max_length=30)], p: Reader
) -> dict[str, Any]:
    """Candidates best first, with the tie-break rule; a juror sees it only for candidates
    whose scores they submitted."""
    from jaring.award import service

    eng = request.app.state.engine
    return service.ranking(eng, year, category, viewer=web_award.juror_code(eng, p, year))


@router.get("/{year}/candidates/{code}", responses=problems(400, 404))
def candidate(request: Request, year: Year, code: Code, p: Reader) -> dict[str, Any]:
    """The secretariat's view (results), or for a juror their own scoring view."""
    from jaring.award import service

    eng = request.app.state.engine
    juror = web_award.juror_code(eng, p, year)
    if juror:
        return service.juror_view(eng, year, code, juror)
    return service.results(eng, year, code)


@router.put("/{year}/candidates/{code}/scores", responses=problems(400, 404))
def scores(request: Request, year: Year, code: Code, body: ScoresIn, p: Scorer) -> dict[str, Any]:
    """A juror's own scores (drafts until ``submit``; then locked)."""
    from jaring.award import service

    eng = request.app.state.engine
    juror = web_award.juror_code(eng, p, year)
    assert juror is not None  # award.score is the juror role's alone
    out = service.record_scores(eng, year, code, juror, body.points, body.notes, submit=body.submit)
    done(
        eng,
        p,
        "award.score",
        "award_candidate",
        f"{year}/{code}",
        {"juror": juror, "points": body.points, "submit": body.submit},
    )
    return out


@router.get(
    "/{year}/candidates/{code}/dossier",
    responses={**problems(400, 404), 200: {"content": {MEDIA["pdf"]: {}, MEDIA["xlsx"]: {}}}},
    response_class=Response,
)
def dossier(
    request: Request,
    year: Year,
    code: Code,
    p: Annotated[Principal, Depends(require("coverage.read"))],
    format: Annotated[str, Query(pattern="^(pdf|xlsx)$")] = "pdf",
) -> Response:
    """The candidate's Paritrana dossier as PDF or XLSX."""
    from jaring.award import dossier as render
    from jaring.award.service import dossier as build
    from jaring.web import i18n

    d = build(request.app.state.engine, year, code)
    lang = i18n.current.get()
    data = render.dossier_pdf(d, lang) if format == "pdf" else render.dossier_xlsx(d, lang)
    return Response(
        data,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="dosir-{code}-{year}.{format}"'},
    )
