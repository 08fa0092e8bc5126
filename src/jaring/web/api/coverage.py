"""The coverage report of a region on a date, as JSON, PDF or XLSX."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from jaring.coverage import queries, signed
from jaring.coverage import report as render
from jaring.coverage.queries import CoverageReport
from jaring.web import i18n
from jaring.web.api.common import MEDIA, files, problems
from jaring.web.security import Principal, require

router = APIRouter(prefix="/coverage", tags=["coverage"])
Reader = Annotated[Principal, Depends(require("coverage.read"))]
Region = Annotated[str, Query(pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")]


@router.get("/report", responses=problems(400), response_model=CoverageReport)
def coverage_report(
    request: Request, p: Reader, region: Region, on: dt.date | None = None
) -> CoverageReport:
    """Every coverage indicator of ``region`` on ``on`` (default today), with breakdowns,
    denominator, target, trend and money; a region outside your regions is refused."""
    return queries.coverage_report(request.app.state.engine, p, region, on or dt.date.today())


@router.get(
    "/report/file",
    responses=files("pdf", "xlsx", refusals=(400,)),
    response_class=Response,
)
def coverage_file(
    request: Request,
    p: Reader,
    region: Region,
    format: Annotated[str, Query(pattern="^(pdf|xlsx)$")] = "pdf",
    on: dt.date | None = None,
) -> Response:
    """The coverage report to download: the PDF a head of region signs (letterhead, summary,
    map, charts, signature block) or the XLSX of every figure."""
    eng = request.app.state.engine
    day = on or dt.date.today()
    r = queries.coverage_report(eng, p, region, day)
    lang = i18n.current.get()
    if format == "pdf":
        head = queries.report_head(eng, r.region.code)
        fig = queries.figures(eng, p, region, day)
        data = signed.signed_pdf(r, fig, queries.outlines(region), head, lang)
    else:
        data = render.coverage_xlsx(r, lang)
    return Response(
        data,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="cakupan-{region}.{format}"'},
    )
