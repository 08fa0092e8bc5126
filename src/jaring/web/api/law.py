"""The law: a contribution and the JKM benefit, each with its explanation (no database)."""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from jaring.law import benefits, queries
from jaring.web import i18n
from jaring.web.api.common import problems
from jaring.web.security import Principal, require

router = APIRouter(prefix="/law", tags=["law"])
Reader = Annotated[Principal, Depends(require("law.read"))]
Money = Annotated[int, Query(ge=0, le=10**12)]


class ExplanationLineOut(BaseModel):
    """One line of an explanation: which parameter, which value, since when, by which law;
    ``note`` in the request's language, both languages beside it."""

    parameter: str
    label_id: str
    label_en: str
    value: Any = Field(description="The value used: a number, a mapping or a table row.")
    amount: int | None = Field(description="Rupiah this line adds (negative: a discount).")
    effective_from: dt.date
    reference: str
    confidence: Literal["confirmed", "likely", "unsure"]
    note: str | None
    note_id: str | None
    note_en: str | None


class ContributionOut(BaseModel):
    """A monthly contribution: its components (also at the top level; a BPU has ``base`` and
    ``jht``, a PU the employer and worker shares; ``discount`` only when there is one), the
    total and its explanation. ``uncertain``: it rests on a value we are not sure of."""

    segment: Literal["bpu", "pu"]
    on: dt.date
    base: int | None = None
    jkk: int
    jkm: int
    jht: int | None = None
    jht_employer: int | None = None
    jht_worker: int | None = None
    jp_employer: int | None = None
    jp_worker: int | None = None
    discount: int | None = None
    total: int
    components: dict[str, int]
    uncertain: bool
    explanation: list[ExplanationLineOut]


class JkmBenefitOut(BaseModel):
    """The JKM death benefit: lump sum, periodic benefit (paid at once) and funeral costs,
    their total and explanation."""

    event_date: dt.date
    segment: Literal["bpu", "pu"]
    lump_sum: int
    periodic: int
    funeral: int
    total: int
    components: dict[str, int]
    uncertain: bool
    explanation: list[ExplanationLineOut]


@router.get(
    "/contribution",
    responses=problems(400),
    response_model=ContributionOut,
    response_model_exclude_unset=True,
)
def contribution(
    p: Reader,
    segment: Literal["bpu", "pu"] = "bpu",
    on: dt.date | None = None,
    income: Money | None = None,
    wage: Money | None = None,
    risk: Annotated[str | None, Query(max_length=20)] = None,
    jht: bool | None = None,
    paid_by: Literal["apbd", "self", "apbn", "apbdes", "donor"] = "apbd",
    transport: bool = False,
    jp: bool | None = None,
) -> ContributionOut:
    """A monthly contribution at ``on`` (default today) with every line of its explanation:
    parameter, value, in force since, legal reference, confidence. 400 ``missing_option``
    without the income (BPU) or the wage and risk group (PU). ``jht``/``jp`` left out: the
    segment's default package (a BPU without JHT; a PU with JHT and JP)."""
    day = on or dt.date.today()
    amount = queries.contribution(
        segment,
        day,
        income=income,
        wage=wage,
        risk=risk,
        jht=jht,
        paid_by=paid_by,
        transport=transport,
        jp=jp,
    )
    return ContributionOut(segment=segment, on=day, **amount.to_dict(i18n.current.get()))


@router.get(
    "/benefit/jkm",
    responses=problems(400),
    response_model=JkmBenefitOut,
    response_model_exclude_unset=True,
)
def jkm(
    p: Reader,
    event_date: dt.date,
    segment: Literal["bpu", "pu"] = "bpu",
    member_since: dt.date | None = None,
) -> JkmBenefitOut:
    """The JKM death benefit for a death on ``event_date``, explained."""
    amount = benefits.jkm(event_date, segment=segment, member_since=member_since)
    return JkmBenefitOut(
        event_date=event_date, segment=segment, **amount.to_dict(i18n.current.get())
    )
