"""Every read of the coverage domain: the indicators of a region on a date, the national
view, the rows behind a figure, and the dashboard's figures. Each takes the actor and returns
dataclasses (or a Polars frame for rows in bulk); rights and regions are checked here.

- :mod:`.indicators`: :func:`coverage_report`, :func:`covered_by_region`, :func:`trace`;
- :mod:`.figures`: what the coverage page draws (:func:`figures`: coverage per area, budget
  burn-down, claims per month; :func:`outlines` for the map);
- :mod:`.dashboard`: :func:`dashboard`, :func:`default_day`, :func:`default_region`,
  :func:`rolled_up`;
- :mod:`.covered` (who is covered, in SQL), :mod:`.entered` (denominators, targets, UCJ as
  entered) and :mod:`.money` (spending, benefits) are the parts they are built from.
"""

from jaring.coverage.queries.dashboard import (
    Dashboard,
    DistrictFigures,
    ProgramBudget,
    RegionOption,
    dashboard,
    default_day,
    default_region,
    region_options,
    rolled_up,
)
from jaring.coverage.queries.figures import (
    AreaShare,
    BurnMonth,
    ClaimMonth,
    Figures,
    figures,
    outlines,
    report_head,
)
from jaring.coverage.queries.indicators import (
    CoverageReport,
    Denominator,
    Money,
    Period,
    Region,
    SegmentCount,
    TrendPoint,
    UcjFigure,
    check_region,
    coverage_report,
    covered_by_region,
    trace,
)
from jaring.coverage.queries.money import BenefitsPaid, MonthAmount, Spending

__all__ = [
    "AreaShare",
    "BenefitsPaid",
    "BurnMonth",
    "ClaimMonth",
    "CoverageReport",
    "Dashboard",
    "Denominator",
    "DistrictFigures",
    "Figures",
    "Money",
    "MonthAmount",
    "Period",
    "ProgramBudget",
    "Region",
    "RegionOption",
    "SegmentCount",
    "Spending",
    "TrendPoint",
    "UcjFigure",
    "check_region",
    "coverage_report",
    "covered_by_region",
    "dashboard",
    "default_day",
    "default_region",
    "figures",
    "outlines",
    "region_options",
    "report_head",
    "rolled_up",
    "trace",
]
