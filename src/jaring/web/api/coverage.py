"""The coverage report of a region on a date, as JSON, PDF or XLSX."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from jaring.errors import Forbidden, JaringError
from jaring.web.api.common import problems
from jaring.web.programs import MEDIA
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter(prefix="/coverage", tags=["coverage"])
Reader = Annotated[Principal, Depends(require("coverage.read"))]
Region = Annotated[str, Query(pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")]


def check_region(p: Principal, region: str) -> None:
    """A scoped user may report on their regions and what lies inside them."""
    if p.all_regions or any(region.startswith(r) for r in p.regions):
        return
    raise Forbidden(
        "region_out_of_scope",
        f"Wilayah {region} di luar wilayah kerja Anda.",
        f"Region {region} is outside your regions.",
        region=region,
    )


def report(request: Request, p: Principal, region: str, on: dt.date | None) -> dict[str, Any]:
    from jaring.coverage.service import coverage_report

    check_region(p, region)
    return coverage_report(request.app.state.engine, region, on or dt.date.today())


@router.get("/report", responses=problems(400))
def coverage_report(
    request: Request, p: Reader, region: Region, on: dt.date | None = None
) -> dict[str, Any]:
    """Every coverage indicator of ``region`` on ``on`` (default today), with breakdowns,
    denominator, target, trend and money."""
    return report(request, p, region, on)


@router.get(
    "/report/file",
    responses={**problems(400), 200: {"content": {MEDIA["pdf"]: {}, MEDIA["xlsx"]: {}}}},
    response_class=Response,
)
def coverage_file(
    request: Request,
    p: Reader,
    region: Region,
    format: Annotated[str, Query(pattern="^(pdf|xlsx)$")] = "pdf",
    on: dt.date | None = None,
) -> Response:
    """The one-page coverage report to download (PDF or XLSX)."""
    from jaring.coverage import report as render
    from jaring.web import i18n

    r = report(request, p, region, on)
    lang = i18n.current.get()
    if format == "pdf":
        from reportlab.platypus.doctemplate import LayoutError

        try:
            data = render.coverage_pdf(r, lang)
        except LayoutError:
            # the coverage package's one-page layout cannot fit a region with very many areas
            # (a province's chart outgrows the page); until it paginates, say so and offer XLSX
            raise JaringError(
                "report_does_not_fit",
                "Laporan wilayah ini terlalu besar untuk satu halaman PDF; unduh XLSX.",
                "This region's report does not fit one PDF page; download the XLSX.",
                region=region,
            ) from None
    else:
        data = render.coverage_xlsx(r, lang)
    return Response(
        data,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="cakupan-{region}.{format}"'},
    )
