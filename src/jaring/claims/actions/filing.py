"""Filing a claim: find the membership, check eligibility from coverage history, ask the law
for the entitlement at the event date, record heirs, open the trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Annotated, Any

import polars as pl
from pydantic import Field
from sqlalchemy import Connection, Engine, insert, select

from jaring import audit
from jaring.access import Actor
from jaring.claims import catalog, eligibility, errors
from jaring.claims import heirs as heir_rules
from jaring.claims.actions.trail import event, written
from jaring.claims.entitlement import (
    apply_heirs,
    check_inputs,
    entitle,
    scholarship_max_children,
    scholarship_min_months,
)
from jaring.claims.queries import Claim
from jaring.claims.queries.claim import claim_of
from jaring.jsonable import to_jsonable
from jaring.registry import queries as registry
from jaring.store import dialect
from jaring.store.dialect import to_date
from jaring.store.tables.claims import claim, claim_heir
from jaring.store.tables.programs import coverage_period, membership
from jaring.store.tables.registry import person

DEATH_TYPES = tuple(t for t, d in catalog.claim_types().items() if d.get("death"))
NIK = r"^\d{16}$"


@dataclass
class NewHeir:
    """An heir named on a claim: relation (``spouse``, ``child``, ``parent``...; see
    ``jaring claims codes``), name, optional NIK and birth date, and whether they receive."""

    relation: Annotated[str, Field(min_length=1, max_length=40)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    nik: Annotated[str | None, Field(pattern=NIK)] = None
    birth_date: dt.date | None = None
    recipient: bool = False


@dataclass
class Filing:
    """A claim as the API files it for the person with ``nik`` (the API's request body):
    the facts of :func:`file_claim`."""

    type: Annotated[str, Field(min_length=1, max_length=30, description="jkm, jkk_death, ...")]
    nik: Annotated[str, Field(pattern=NIK)]
    event_date: dt.date
    reporter: Annotated[str, Field(min_length=1, max_length=200)]
    filed_on: dt.date | None = None
    heirs: Annotated[list[NewHeir], Field(max_length=20)] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    reason: Annotated[str | None, Field(max_length=500)] = None

    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`file_claim` (``type`` is its ``claim_type``)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["claim_type"] = out.pop("type")
        out["heirs"] = [asdict(h) for h in self.heirs]
        return out


def file_claim(
    engine: Engine,
    actor: Actor,
    *,
    claim_type: str,
    event_date: dt.date | None = None,
    nik: str | None = None,
    person_id: int | None = None,
    membership_id: int | None = None,
    filed_on: dt.date | None = None,
    reporter: str = "",
    heirs: Sequence[Mapping[str, Any]] | None = None,
    inputs: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> Claim:
    """File a claim for the person named by ``person_id`` or ``nik`` (inside the actor's
    regions): find the membership (the one named, else the one covering the event date, else
    the latest begun before it), check eligibility from coverage history, ask the law for the
    entitlement at the event date, record heirs, and open the trail. Needs ``claim.write``;
    recorded in the audit trail as ``claim.file``.

    ``inputs``: what the type needs beyond the dates (``wage``, ``months``, ``cost``,
    ``bill_ref``, ``disability``, ``part``, ``percent``, ``function_loss``, ``child``,
    ``level``, ``school_year``). A scholarship takes its event date and cause from the
    member's death claim, or from a total permanent disability claim from a work accident.

    Refused: ``forbidden``, ``claim_type_unknown``, ``reporter_missing``, ``person_missing``,
    ``bad_nik``, ``person_not_found``, ``nik_shared``, ``person_out_of_region``,
    ``membership_not_found``, ``event_date_missing``, ``event_in_future``,
    ``scholarship_without_death``, ``claim_input_missing``, ``scholarship_children_max``,
    ``heir_missing`` and the heirs' refusals; and, unless ``reason`` is written (an override
    kept in the trail), ``claim_duplicate`` / ``claim_already_paid`` (the benefit is claimed
    once: the same death, the same school year...) and ``stmb_months_already_claimed``.
    """
    actor.require("claim.write")
    catalog.check_type(claim_type)
    facts_in = check_inputs({k: v for k, v in (inputs or {}).items() if v is not None})
    filed_on = filed_on or dt.date.today()
    reason = written(reason)
    if not reporter.strip():
        raise errors.REPORTER_MISSING(field="reporter")
    if person_id is None:
        if not nik:
            raise errors.PERSON_MISSING(field="nik")
        person_id = registry.person_by_nik(engine, actor, nik)
    with engine.begin() as conn:
        registry.require_person_in_scope(conn, actor, person_id)
        overrides: list[str] = []
        if claim_type == "scholarship":
            event_date = _scholarship(conn, person_id, facts_in, event_date)
        if event_date is None:
            raise errors.EVENT_DATE_MISSING(field="event_date")
        if event_date > filed_on:
            raise errors.EVENT_IN_FUTURE(
                field="event_date", value=event_date.isoformat(), filed_on=filed_on.isoformat()
            )
        m = _membership_for(conn, person_id, event_date, membership_id)
        if claim_type.startswith("jkk_") and claim_type != "jkk_medical":
            facts_in.setdefault("wage", int(m["income_base"]))
        key = _benefit_key(claim_type, event_date, facts_in)
        # Lock the person's row so that two clerks cannot file the same death at once.
        dialect.lock_row(conn, person, person.c.id == person_id)
        earlier = conn.execute(
            select(claim.c.id, claim.c.status)
            .where(
                claim.c.person_id == person_id,
                claim.c.benefit_key == key,
                claim.c.status != "rejected",
            )
            .order_by(claim.c.id)
        ).first()
        if earlier is not None:
            if reason is None:
                refusal = (
                    errors.CLAIM_ALREADY_PAID
                    if earlier.status == "paid"
                    else errors.CLAIM_DUPLICATE
                )
                raise refusal(
                    field="reason",
                    existing_claim=int(earlier.id),
                    status=earlier.status,
                    benefit=key,
                )
            overrides.append("duplicate")
        if claim_type == "scholarship":
            _children_limit(conn, person_id, event_date, facts_in["child"])
        if claim_type == "jkk_stmb":
            _stmb_before(conn, person_id, event_date, facts_in, reason, overrides)
        facts = _facts(conn, m, claim_type, event_date, filed_on, facts_in.get("cause"))
        if claim_type == "scholarship" and eligibility.scholarship_ended(facts_in, filed_on):
            facts["reasons"] = [*facts["reasons"], "scholarship_ended"]
            facts["eligible"] = False
        ent = entitle(claim_type, event_date, segment=m["segment"], facts=facts, inputs=facts_in)
        heir_rows = heir_rules.normalise([dict(h) for h in heirs or []], event_date)
        if claim_type in DEATH_TYPES and not heir_rows:
            raise errors.HEIR_MISSING(field="heir")
        if claim_type in DEATH_TYPES:
            ent = apply_heirs(ent, heir_rows, event_date)
        claim_id = conn.execute(
            insert(claim)
            .values(
                membership_id=m["id"],
                person_id=person_id,
                program_id=m["program_id"],
                type=claim_type,
                benefit_key=key,
                event_date=event_date,
                filed_on=filed_on,
                reporter=reporter.strip(),
                status="filed",
                eligible=bool(facts["eligible"]),
                eligibility=to_jsonable({k: v for k, v in facts.items() if k != "claim_ref"}),
                inputs=to_jsonable(facts_in),
                amount=int(ent["amount"]),
                entitlement=to_jsonable(ent),
            )
            .returning(claim.c.id)
        ).scalar_one()
        if heir_rows:
            conn.execute(insert(claim_heir), [{"claim_id": claim_id, **h} for h in heir_rows])
        event(
            conn,
            actor,
            claim_id,
            "file",
            from_status=None,
            to_status="filed",
            override=bool(overrides),
            reason=reason,
            data={"overrides": overrides} if overrides else None,
        )
        audit.record(
            conn,
            actor,
            "claim.file",
            "claim",
            claim_id,
            after={"type": claim_type, "amount": int(ent["amount"]), "eligible": facts["eligible"]},
        )
        return claim_of(conn, actor, claim_id)


# --------------------------------------------------------------------------- the steps


def _scholarship(
    conn: Connection, person_id: int, inputs: dict[str, Any], event_date: dt.date | None
) -> dt.date | None:
    """A scholarship rests on the member's death claim or on a total permanent disability
    from a work accident (PP 44/2015 jo. PP 82/2019: "meninggal dunia atau cacat total tetap"):
    its cause (JKM or JKK) and, unless given, its date. The child, level and school year are
    required."""
    basis = conn.execute(
        select(claim.c.type, claim.c.event_date, claim.c.benefit_key)
        .where(
            claim.c.person_id == person_id,
            claim.c.benefit_key.in_(("death", "disability:total")),
            claim.c.status != "rejected",
        )
        .order_by(claim.c.id)
    ).all()
    if not basis:
        raise errors.SCHOLARSHIP_WITHOUT_DEATH(person_id=person_id)
    # a death, when there is one, is the basis; else the total disability (always JKK)
    chosen = next((b for b in basis if b.benefit_key == "death"), basis[0])
    inputs.setdefault("cause", "jkm" if chosen.type == "jkm" else "jkk")
    inputs.setdefault("basis", "death" if chosen.benefit_key == "death" else "total_disability")
    for key in ("child", "level", "school_year"):
        if not inputs.get(key):
            raise errors.CLAIM_INPUT_MISSING(field=key, type="scholarship")
    return event_date or to_date(chosen.event_date)


def _children_limit(conn: Connection, person_id: int, on: dt.date, child: str) -> None:
    earlier = conn.execute(
        select(claim.c.inputs).where(
            claim.c.person_id == person_id,
            claim.c.type == "scholarship",
            claim.c.status != "rejected",
        )
    ).scalars()
    names = {(i or {}).get("child") for i in earlier} | {child}
    limit = scholarship_max_children(on)
    if len(names) > limit:
        raise errors.SCHOLARSHIP_CHILDREN_MAX(field="child", limit=limit)


def _membership_for(
    conn: Connection, person_id: int, event_date: dt.date, membership_id: int | None
) -> dict[str, Any]:
    """The membership the claim is for: the one named, else the one covering the event date,
    else the most recent one that started on or before it, else the earliest."""
    rows = [
        dict(r._mapping)
        for r in conn.execute(
            select(
                membership.c.id,
                membership.c.program_id,
                membership.c.segment,
                membership.c.income_base,
                membership.c.start_month,
            )
            .where(membership.c.person_id == person_id)
            .order_by(membership.c.start_month, membership.c.id)
        )
    ]
    if membership_id is not None:
        rows = [r for r in rows if r["id"] == membership_id]
    if not rows:
        named = {"field": "membership"} if membership_id is not None else {}
        raise errors.MEMBERSHIP_NOT_FOUND(membership=membership_id, person_id=person_id, **named)
    for r in rows:
        r["start_month"] = to_date(r["start_month"])
    if len(rows) == 1:
        return rows[0]
    covering = conn.execute(
        select(coverage_period.c.membership_id).where(
            coverage_period.c.person_id == person_id,
            coverage_period.c.start_date <= event_date,
            coverage_period.c.end_date >= event_date,
        )
    ).scalars()
    cover_ids = set(covering)
    for r in reversed(rows):
        if r["id"] in cover_ids:
            return r
    started = [r for r in rows if r["start_month"] <= event_date]
    return started[-1] if started else rows[0]


def _facts(
    conn: Connection,
    m: dict[str, Any],
    claim_type: str,
    event_date: dt.date,
    filed_on: dt.date,
    cause: str | None,
) -> dict[str, Any]:
    """Eligibility facts for one claim: the batch code on a one-row frame."""
    periods = conn.execute(
        select(coverage_period.c.start_date, coverage_period.c.end_date).where(
            coverage_period.c.membership_id == m["id"]
        )
    ).all()
    pframe = pl.DataFrame(
        {
            "membership_id": [m["id"]] * len(periods),
            "start_date": [to_date(p[0]) for p in periods],
            "end_date": [to_date(p[1]) for p in periods],
        },
        schema={"membership_id": pl.Int64, "start_date": pl.Date, "end_date": pl.Date},
    )
    cframe = pl.DataFrame(
        {
            "claim_ref": [1],
            "membership_id": [m["id"]],
            "type": [claim_type],
            "event_date": [event_date],
            "filed_on": [filed_on],
            "cause": [cause],
        },
        schema={
            "claim_ref": pl.Int64,
            "membership_id": pl.Int64,
            "type": pl.String,
            "event_date": pl.Date,
            "filed_on": pl.Date,
            "cause": pl.String,
        },
    )
    mframe = pl.DataFrame(
        {"membership_id": [m["id"]], "start_month": [m["start_month"]], "segment": [m["segment"]]},
        schema={"membership_id": pl.Int64, "start_month": pl.Date, "segment": pl.String},
    )
    min_months = scholarship_min_months(event_date) if claim_type == "scholarship" else None
    return eligibility.assess(cframe, mframe, pframe, min_months=min_months).to_dicts()[0]


def _benefit_key(claim_type: str, event_date: dt.date, inputs: Mapping[str, Any]) -> str:
    """What this claim is paid for, once: a person dies once; an accident's STMB up to a month,
    a body part's disability, a bill, a child's school year are each paid once."""
    if claim_type in DEATH_TYPES:
        return "death"
    if claim_type == "jkk_stmb":  # months off work so far: a later claim adds months
        return f"stmb:{event_date.isoformat()}:{inputs.get('months')}"
    if claim_type == "jkk_disability":
        if inputs.get("disability") == "total":
            return "disability:total"
        what = inputs.get("part") or f"{inputs.get('percent')}%"
        return f"disability:{event_date.isoformat()}:{what}"
    if claim_type == "jkk_medical":
        return f"medical:{event_date.isoformat()}:{inputs.get('bill_ref') or inputs.get('cost')}"
    if claim_type == "scholarship":
        return f"scholarship:{inputs.get('child')}:{inputs.get('school_year')}"
    raise AssertionError(claim_type)


def _stmb_before(
    conn: Connection,
    person_id: int,
    event_date: dt.date,
    inputs: dict[str, Any],
    reason: str | None,
    overrides: list[str],
) -> None:
    """STMB is claimed as the months off work add up: a later claim for the same accident
    gives the months so far and is worth the difference (``inputs['months_before']``)."""
    earlier = conn.execute(
        select(claim.c.id, claim.c.inputs).where(
            claim.c.person_id == person_id,
            claim.c.type == "jkk_stmb",
            claim.c.event_date == event_date,
            claim.c.status != "rejected",
        )
    ).all()
    before = max((int((r.inputs or {}).get("months") or 0) for r in earlier), default=0)
    months = int(inputs.get("months") or 0)
    if before and months <= before:
        if reason is None:
            raise errors.STMB_MONTHS_ALREADY_CLAIMED(
                field="months",
                value=months,
                before=before,
                existing_claims=[int(r.id) for r in earlier],
            )
        overrides.append("stmb_months")
        return
    if before:
        inputs["months_before"] = before
