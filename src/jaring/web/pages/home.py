"""The dashboard: the signed-in user's work queue ("Tugas saya"), then coverage, money and
people by distrik, with SVG charts."""

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from jaring.claims import queries as claim_queries
from jaring.coverage import queries as coverage_queries
from jaring.families.queries import deaths as death_queries
from jaring.i18n import _
from jaring.national import queries as national_queries
from jaring.programs import queries as program_queries
from jaring.programs.queries import enrolment
from jaring.registry.queries import batches, review
from jaring.registry.queries import changes as change_queries
from jaring.web import dashboard as dash
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()

QUEUE_LIMIT = 1000  # pairs counted for the queue (the review page shows them 50 at a time)


@dataclasses.dataclass
class Tasks:
    """What waits for the user, by the rights of their role (empty lists: nothing waits)."""

    batches: list[batches.BatchToFix]
    pairs: int
    changes: list[change_queries.Change]
    claims: list[claim_queries.QueueStep]
    claim_steps: tuple[str, ...]  # the statuses at which this user acts
    bpjs_refusals: int
    cross_region: int = 0  # pairs of people also listed by another Pemda, to decide
    # invoices not fully paid and refunds owed, by program (a payer's budget officer)
    money: list[program_queries.MoneyToSettle] = dataclasses.field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.batches
            or self.pairs
            or self.changes
            or [s for s in self.claims if s.status in self.claim_steps]
            or self.bpjs_refusals
            or self.cross_region
            or self.money
        )


def tasks_of(request: Request, p: Principal) -> Tasks:
    """The user's work queue, each part read only for a role that acts on it."""
    eng = request.app.state.engine
    clear = not p.masked
    writer = p.can("person.write") and clear
    steps: tuple[str, ...] = ()
    if p.can("claim.write"):
        steps += ("filed", "documents_complete", "verified")
    if p.can("claim.approve"):
        steps += ("verified", "approved")
    return Tasks(
        batches=batches.batches_to_fix(eng, p) if writer else [],
        pairs=len(review.review_list(eng, p, limit=QUEUE_LIMIT)) if writer else 0,
        changes=change_queries.pending_changes(eng, p) if p.can("person.approve") else [],
        claims=claim_queries.claim_queue(eng, p) if steps else [],
        claim_steps=steps,
        bpjs_refusals=len(enrolment.bpjs_refusals(eng, p)) if p.can("program.write") else 0,
        cross_region=national_queries.pending_count(eng, p) if writer else 0,
        money=program_queries.money_to_settle(eng, p)
        if p.can("billing.write") and p.all_regions
        else [],
    )


@router.get("/")
def home(
    request: Request,
    p: Annotated[Principal, Depends(require())],
    on: dt.date | None = None,
) -> Response:
    if not p.can("dashboard.read"):  # a juror lands on their own work, a registrar on the form
        return RedirectResponse("/field/" if p.can("field.register") else "/award", status_code=303)
    eng = request.app.state.engine
    d = dash.dashboard(eng, p, on)
    level, rows = coverage_queries.rolled_up(d.districts)
    # the chart's labels as the table's: people without a distrik are said so, not "-"
    chart = [
        {**dataclasses.asdict(x), "name": x.name or x.code or _("No region recorded")}
        for x in rows[:15]
    ]
    return page(
        request,
        "coverage/dashboard.html",
        d=d,
        level=level,
        rows=rows,
        chart=chart,
        extra_tiles=dash.tasks(eng, p, "deaths", lambda: deaths_tiles(request, p)),
        tasks=dash.tasks(eng, p, "tasks", lambda: tasks_of(request, p)),
    )


def deaths_tiles(request: Request, p: Principal) -> list[dict[str, str]]:
    """The tile of deaths of covered people with no claim yet, by days since the death."""
    if not p.can("claim.read"):
        return []
    bands = death_queries.tasks_by_age(request.app.state.engine, p)
    total = sum(b.deaths for b in bands)
    sub = " · ".join(
        _("%(band)s days: %(n)s", band=b.band, n=i18n.number(b.deaths)) for b in bands if b.deaths
    )
    return [
        {
            "label": _("Deaths without a claim"),
            "value": i18n.number(total),
            "sub": sub or _("none"),
            "href": "/deaths#tasks",
        }
    ]
