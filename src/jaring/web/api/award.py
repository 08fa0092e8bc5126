"""Paritrana Award: editions and candidates, rubric, a juror's scoring, ranking, dossier.

A web account of role ``juror`` acts as the award juror of its name (``j1`` scores as
``J1``): the award's queries and actions settle it, with the jury's isolation rules."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jaring.award import actions, queries
from jaring.award import dossier as render
from jaring.award.actions import ScoresRecorded
from jaring.award.queries import EditionSummary, JurorView, Ranking, Result
from jaring.web import i18n
from jaring.web.api.common import MEDIA, files, problems
from jaring.web.security import Principal, require

router = APIRouter(prefix="/award", tags=["award"])
Reader = Annotated[Principal, Depends(require("award.read"))]
Scorer = Annotated[Principal, Depends(require("award.score"))]
Year = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(max_length=30)]


class ScoresIn(BaseModel):
    points: dict[str, int] = Field(description="jury criterion code -> points on its scale")
    notes: dict[str, str] = Field(default_factory=dict)
    submit: bool = False


@router.get("/editions", responses=problems(), response_model=list[EditionSummary])
def editions(request: Request, p: Reader) -> list[EditionSummary]:
    """Editions with their categories and candidates."""
    return queries.editions(request.app.state.engine, p)


StageQ = Annotated[
    str | None,
    Query(
        max_length=20,
        description="administrasi, wawancara-provinsi, verifikasi or wawancara-nasional "
        "(provinsi and nasional as before); default the edition's stage",
    ),
]


@router.get("/{year}/ranking/{category}", responses=problems(400, 404), response_model=Ranking)
def ranking(
    request: Request,
    year: Year,
    category: Annotated[str, Path(max_length=30)],
    p: Reader,
    stage: StageQ = None,
) -> Ranking:
    """Candidates that reached ``stage``, best first on that stage's criteria and scores,
    with the tie-break rule; a juror sees it only for candidates whose scores they
    submitted."""
    return queries.ranking(request.app.state.engine, p, year, category, stage=stage)


@router.get(
    "/{year}/candidates/{code}",
    responses=problems(400, 404),
    response_model=Result | JurorView,
)
def candidate(
    request: Request, year: Year, code: Code, p: Reader, stage: StageQ = None
) -> Result | JurorView:
    """The secretariat's view (results at ``stage``, default the stage the candidate is or
    was last assessed at), or for a juror their own scoring view."""
    return queries.candidate(request.app.state.engine, p, year, code, stage)


@router.put(
    "/{year}/candidates/{code}/scores",
    responses=problems(400, 404),
    response_model=ScoresRecorded,
)
def scores(request: Request, year: Year, code: Code, body: ScoresIn, p: Scorer) -> ScoresRecorded:
    """A juror's own scores (drafts until ``submit``; then locked)."""
    return actions.record_scores(
        request.app.state.engine, p, year, code, body.points, body.notes, submit=body.submit
    )


@router.get(
    "/{year}/candidates/{code}/dossier",
    responses=files("pdf", "xlsx", refusals=(400, 404)),
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
    d = queries.dossier(request.app.state.engine, p, year, code)
    lang = i18n.current.get()
    data = render.dossier_pdf(d, lang) if format == "pdf" else render.dossier_xlsx(d, lang)
    return Response(
        data,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="dosir-{code}-{year}.{format}"'},
    )


Manager = Annotated[Principal, Depends(require("award.manage"))]


class StageIn(BaseModel):
    stage: str = Field(max_length=20, description="the stage to move the edition to")


class ShortlistIn(BaseModel):
    candidates: list[Annotated[str, Field(max_length=30)]] = Field(
        max_length=500, description="the candidates of the edition's stage that go on"
    )


@router.put("/{year}/stage", responses=problems(400, 403, 404), response_model=actions.StageChanged)
def stage(request: Request, year: Year, body: StageIn, p: Manager) -> actions.StageChanged:
    """Move the edition to another stage (forward once a shortlist is made; back while no
    score exists after it). Audited."""
    return actions.change_stage(request.app.state.engine, p, year, body.stage)


@router.put(
    "/{year}/shortlist", responses=problems(400, 403, 404), response_model=actions.Shortlisted
)
def shortlist(request: Request, year: Year, body: ShortlistIn, p: Manager) -> actions.Shortlisted:
    """Choose the candidates of the edition's stage that go on to the next one (replaces an
    earlier choice at this stage). Audited."""
    return actions.shortlist(request.app.state.engine, p, year, body.candidates)


class NotesIn(BaseModel):
    notes: str = Field(max_length=5000, description="the interview notes shown to the jurors")


@router.get("/{year}/jury", responses=problems(400, 403, 404), response_model=queries.Desk)
def desk(
    request: Request,
    year: Year,
    p: Reader,
    juror: Annotated[str | None, Query(max_length=30)] = None,
) -> queries.Desk:
    """A juror's candidates with their state (new, draft, locked) and the progress; a juror
    account is itself, the secretariat names the ``juror``."""
    return queries.desk(request.app.state.engine, p, year, juror)


@router.get(
    "/{year}/candidates/{code}/sheet",
    responses=problems(400, 403, 404),
    response_model=queries.Sheet,
)
def sheet(
    request: Request,
    year: Year,
    code: Code,
    p: Reader,
    juror: Annotated[str | None, Query(max_length=30)] = None,
) -> queries.Sheet:
    """The scoring sheet: each criterion with its evidence and score guide, the interview
    notes, the draft or lock, the juror's progress."""
    return queries.sheet(request.app.state.engine, p, year, code, juror)


@router.get("/{year}/setup", responses=problems(403, 404), response_model=queries.AdminEdition)
def setup(request: Request, year: Year, p: Manager) -> queries.AdminEdition:
    """The edition as the secretariat sets it up: candidates with their interview, panel and
    missing evidence; jurors; the evidence criteria of each category."""
    return queries.admin_edition(request.app.state.engine, p, year)


@router.put(
    "/{year}/candidates/{code}/interview-notes",
    responses=problems(400, 403, 404),
    response_model=actions.AttendanceRecorded,
)
def interview_notes(
    request: Request, year: Year, code: Code, body: NotesIn, p: Manager
) -> actions.AttendanceRecorded:
    """Keep the secretariat's notes of the candidate's interview (audited)."""
    return actions.record_interview_notes(request.app.state.engine, p, year, code, body.notes)
