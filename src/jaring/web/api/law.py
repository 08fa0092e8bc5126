"""The law: a contribution and the JKM benefit, each with its explanation (no database)."""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from jaring.web import i18n
from jaring.web.api.common import problems
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter(prefix="/law", tags=["law"])
Reader = Annotated[Principal, Depends(require("law.read"))]
Money = Annotated[int, Query(ge=0, le=10**12)]


def contribution_amount(
    segment: str,
    on: dt.date,
    income: int | None,
    wage: int | None,
    risk: str | None,
    jht: bool,
    paid_by: str,
    transport: bool,
) -> dict[str, Any]:
    """Call the law for one worker, as ``jaring law contribution`` does."""
    from jaring.errors import JaringError
    from jaring.law import contributions

    if segment == "bpu":
        if income is None:
            raise JaringError(
                "missing_option",
                "Penghasilan wajib diisi.",
                "The income is required.",
                field="income",
            )
        amount = contributions.bpu(income, on, jht=jht, paid_by=paid_by, transport=transport)
    else:
        if wage is None or not risk:
            raise JaringError(
                "missing_option",
                "Upah dan kelompok risiko wajib diisi.",
                "The wage and the risk group are required.",
                field="wage" if wage is None else "risk",
            )
        amount = contributions.pu(wage, risk, on)
    return {"segment": segment, "on": on, **amount.to_dict(i18n.current.get())}


@router.get("/contribution", responses=problems(400))
def contribution(
    p: Reader,
    segment: Literal["bpu", "pu"] = "bpu",
    on: dt.date | None = None,
    income: Money | None = None,
    wage: Money | None = None,
    risk: Annotated[str | None, Query(max_length=20)] = None,
    jht: bool = False,
    paid_by: Literal["apbd", "self"] = "apbd",
    transport: bool = False,
) -> dict[str, Any]:
    """A monthly contribution at ``on`` (default today) with every line of its explanation:
    parameter, value, in force since, legal reference, confidence."""
    return contribution_amount(
        segment, on or dt.date.today(), income, wage, risk, jht, paid_by, transport
    )


@router.get("/benefit/jkm", responses=problems(400))
def jkm(
    p: Reader,
    event_date: dt.date,
    segment: Literal["bpu", "pu"] = "bpu",
    member_since: dt.date | None = None,
) -> dict[str, Any]:
    """The JKM death benefit for a death on ``event_date``, explained."""
    from jaring.law import benefits

    amount = benefits.jkm(event_date, segment=segment, member_since=member_since)
    return {"event_date": event_date, "segment": segment, **amount.to_dict(i18n.current.get())}
