"""Reads of claims: one claim with everything about it, lists, counts, what its page shows.

Every read takes the actor: it needs ``claim.read``, sees only claims of people inside the
actor's regions (in the SQL for lists; a claim of someone elsewhere is refused
``person_out_of_region``), and heirs' NIKs come masked to roles that see NIKs masked. A
claim's explanation notes come in the current language (:mod:`jaring.i18n`).

The dataclasses here are the claims domain's shape everywhere: the API answers with them
(``response_model``), the CLI prints them with ``--json``, the templates read them. A new
column of ``claim`` becomes a field of :class:`Claim` and is read in :func:`claim_of`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select

from jaring import audit, i18n, labels
from jaring.access import Actor, birth_year, mask
from jaring.claims import catalog, errors, workflow
from jaring.law import workdays
from jaring.law.amount import localize
from jaring.law.parameters import ParameterError, params
from jaring.programs import queries as programs
from jaring.registry import queries as registry
from jaring.store.dialect import to_date
from jaring.store.tables.claims import claim, claim_document, claim_event, claim_heir
from jaring.store.tables.programs import membership, program
from jaring.store.tables.registry import person


@dataclass(frozen=True)
class Heir:
    """An heir recorded on a claim, with their legal rank (1 = first in line)."""

    id: int
    name: str
    nik: str | None  # masked for roles that see NIKs masked
    relation: str
    rank: int
    birth_date: dt.date | None  # withheld from masked-data roles (it is half the NIK)
    recipient: bool
    birth_year: int | None = None


@dataclass(frozen=True)
class Document:
    """A document received for a claim."""

    code: str
    received_on: dt.date


@dataclass(frozen=True)
class ClaimEvent:
    """One row of a claim's append-only trail: who did what, when, from which status to
    which, and whether a written reason set a rule aside (``override``)."""

    at: dt.datetime
    actor: str  # the account's user name; "system" for the system
    action: str  # file | document | heirs | advance
    from_status: str | None
    to_status: str | None
    override: bool
    reason: str | None
    data: dict[str, Any] | None


@dataclass(frozen=True)
class Claim:
    """Everything about one claim: the facts filed, eligibility and entitlement as decided at
    filing (``amount`` payable, ``law_total`` what the law gives, the explanation lines with
    their references), heirs, documents and the trail."""

    claim: int  # the claim's number
    type: str
    status: str
    person_id: int
    membership_id: int
    program_id: int
    event_date: dt.date
    filed_on: dt.date
    reporter: str
    eligible: bool
    reasons: list[str]  # failed eligibility rules (empty when eligible)
    eligibility: dict[str, Any]  # the facts eligibility rested on, as stored at filing
    amount: int
    law_total: int
    components: dict[str, Any]
    uncertain: bool
    early_death: bool
    explanation: list[dict[str, Any]]  # the law's explanation lines, notes in the language
    inputs: dict[str, Any]
    benefit: str  # what is claimed once only: "death", "scholarship:<child>:<year>"...
    reject_reason: str | None
    paid_on: dt.date | None
    paid_amount: int | None
    paid_reference: str | None
    heirs: list[Heir]
    documents: list[Document]
    missing_documents: list[str]
    trail: list[ClaimEvent]
    label_id: str = ""  # the status in Indonesian (jaring.labels)
    label_en: str = ""  # the status in English
    # payment time (PP 44/2015 Pasal 37, 40): the day the file was complete, the last day to
    # pay (from approval), the calendar days paid after it and the compensation BPJS TK owes
    # for them, 1% of the entitlement a day (at payment); None before the step that sets them
    complete_on: dt.date | None = None
    payment_due: dt.date | None = None
    payment_working_days: int | None = None  # 3 (JKM, scholarship) or 7 (JKK)
    late_days: int | None = None
    late_compensation: int | None = None
    # years between completion and the due day counted Monday to Friday (no holiday list)
    payment_assumed_years: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimRow:
    """A claim in a list: no personal data beyond the ids."""

    claim: int
    type: str
    status: str
    person_id: int
    program_id: int
    district: str | None
    event_date: dt.date
    filed_on: dt.date
    eligible: bool
    amount: int
    reject_reason: str | None
    paid_on: dt.date | None
    paid_amount: int | None
    name: str | None = None  # the member's name (names are not masked)
    days_open: int | None = None  # days since filing while the claim is not closed
    label_id: str = ""  # the status in Indonesian
    label_en: str = ""  # the status in English


@dataclass(frozen=True)
class Member:
    """Who a claim is for, as its page shows them: name, NIK (masked for roles that see NIKs
    masked), KPJ number, program and district."""

    person_id: int
    name: str
    nik: str | None
    kpj: str | None
    program: str
    district: str | None


@dataclass(frozen=True)
class ChecklistItem:
    """A document of a claim's checklist, labelled in the current language; ``received_on``
    is None while it is missing."""

    code: str
    label: str
    received_on: dt.date | None


@dataclass(frozen=True)
class Choice:
    """A code and its label in the current language."""

    code: str
    label: str


@dataclass(frozen=True)
class ClaimPage:
    """What a claim's page shows beside the claim: its type's name, the checklist, the
    statuses it may move to, the rejection reasons to choose from."""

    claim: Claim
    type_label: str
    checklist: list[ChecklistItem]
    next_steps: tuple[str, ...]
    reject_reasons: list[Choice]
    member: Member | None = None
    filed_by: str | None = None
    # the steps this actor may take now: approval and payment only for a claims approver
    # other than the one who filed (maker-checker; the domain refuses the rest anyway)
    my_steps: tuple[str, ...] = ()
    heir_relations: tuple[Choice, ...] = ()


# --------------------------------------------------------------------------- rows


def claim_row(
    conn: Connection, actor: Actor, claim_id: int, *, for_update: bool = False
) -> dict[str, Any]:
    """The ``claim`` row (dates as dates), after checking the claim's person lies inside the
    actor's regions. Refused: ``claim_not_found``, ``person_out_of_region``."""
    q = select(claim).where(claim.c.id == claim_id)
    if for_update:
        q = q.with_for_update()
    r = conn.execute(q).first()
    if r is None:
        raise errors.CLAIM_NOT_FOUND(claim=claim_id)
    row = dict(r._mapping)
    registry.require_person_in_scope(conn, actor, int(row["person_id"]))
    for k in ("event_date", "filed_on", "paid_on", "complete_on", "payment_due"):
        row[k] = to_date(row[k])
    return row


def heir_rows(conn: Connection, claim_id: int) -> list[dict[str, Any]]:
    """The heirs of a claim as stored (clear NIKs: for the domain's own checks)."""
    rows = conn.execute(
        select(claim_heir).where(claim_heir.c.claim_id == claim_id).order_by(claim_heir.c.id)
    )
    out = []
    for r in rows:
        h = dict(r._mapping)
        h["birth_date"] = to_date(h["birth_date"])
        h.pop("claim_id")
        out.append(h)
    return out


def missing_documents(conn: Connection, row: dict[str, Any]) -> list[str]:
    """The documents the claim's checklist needs that are not recorded yet (the checklist
    depends on the type and on who receives)."""
    recipient = next((h for h in heir_rows(conn, row["id"]) if h["recipient"]), None)
    need = catalog.required_documents(
        row["type"],
        recipient_relation=recipient["relation"] if recipient else None,
        on=row["event_date"],
    )
    have = set(
        conn.execute(
            select(claim_document.c.code).where(claim_document.c.claim_id == row["id"])
        ).scalars()
    )
    return [c for c in need if c not in have]


def claim_of(conn: Connection, actor: Actor, claim_id: int) -> Claim:
    """One claim as the actor sees it, read on ``conn`` (an action's transaction included)."""
    row = claim_row(conn, actor, claim_id)
    ent = row["entitlement"]
    docs = [
        Document(code=r.code, received_on=to_date(r.received_on))
        for r in conn.execute(
            select(claim_document.c.code, claim_document.c.received_on)
            .where(claim_document.c.claim_id == claim_id)
            .order_by(claim_document.c.id)
        )
    ]
    trail = [
        ClaimEvent(
            at=r.at,
            actor=r.actor,
            action=r.action,
            from_status=r.from_status,
            to_status=r.to_status,
            override=bool(r.override),
            reason=r.reason,
            data=r.data,
        )
        for r in conn.execute(
            select(claim_event).where(claim_event.c.claim_id == claim_id).order_by(claim_event.c.id)
        )
    ]
    heirs = [
        Heir(
            id=int(h["id"]),
            name=h["name"],
            nik=mask(h["nik"]) if actor.masked else h["nik"],
            relation=h["relation"],
            rank=int(h["rank"]),
            birth_date=None if actor.masked else h["birth_date"],
            birth_year=birth_year(h["birth_date"]),
            recipient=bool(h["recipient"]),
        )
        for h in heir_rows(conn, claim_id)
    ]
    working_days, assumed = _payment_time(row)
    return Claim(
        claim=claim_id,
        type=row["type"],
        status=row["status"],
        person_id=int(row["person_id"]),
        membership_id=int(row["membership_id"]),
        program_id=int(row["program_id"]),
        event_date=row["event_date"],
        filed_on=row["filed_on"],
        reporter=row["reporter"],
        eligible=bool(row["eligible"]),
        reasons=list(row["eligibility"].get("reasons", [])),
        eligibility=row["eligibility"],
        amount=int(row["amount"]),
        law_total=int(ent.get("law_total", row["amount"])),
        components=ent.get("components", {}),
        uncertain=bool(ent.get("uncertain", False)),
        early_death=bool(ent.get("early_death", False)),
        explanation=localize(ent.get("explanation", []), i18n.lang()),
        inputs=row["inputs"],
        benefit=row["benefit_key"],
        reject_reason=row["reject_reason"],
        paid_on=row["paid_on"],
        paid_amount=row["paid_amount"],
        paid_reference=row["paid_reference"],
        heirs=heirs,
        documents=docs,
        missing_documents=missing_documents(conn, row),
        trail=trail,
        complete_on=row["complete_on"],
        payment_due=row["payment_due"],
        payment_working_days=working_days,
        late_days=row["late_days"],
        late_compensation=row["late_compensation"],
        payment_assumed_years=assumed,
        **labels.pair("claim_status", row["status"]),
    )


def _payment_time(row: dict[str, Any]) -> tuple[int | None, list[int]]:
    """The working days BPJS TK had to pay the claim in and the years between completion and
    the due day counted Monday to Friday, re-read from the law beside the stored days."""
    if row["complete_on"] is None or row["payment_due"] is None:
        return None, []
    program = str(catalog.check_type(row["type"])["program"])
    days = workdays_param(row["complete_on"])
    assumed = [
        y
        for y in range(row["complete_on"].year, row["payment_due"].year + 1)
        if workdays.holidays(y) is None
    ]
    return (int(days[program]) if days else None), assumed


def workdays_param(on: dt.date) -> dict[str, int] | None:
    """The law's working days to pay a claim (JKM, JKK) in force on ``on``, or None."""
    try:
        return dict(params().entry("benefits.claims.payment_working_days", on).value)
    except ParameterError:
        return None


# --------------------------------------------------------------------------- reads


def get_claim(engine: Engine, actor: Actor, claim_id: int) -> Claim:
    """Everything about one claim: facts, entitlement with explanation, heirs, documents,
    trail. Refused: ``forbidden`` without ``claim.read``, ``claim_not_found``,
    ``person_out_of_region``."""
    actor.require("claim.read")
    with engine.connect() as conn:
        found = claim_of(conn, actor, claim_id)
    audit.record_read(engine, actor, "claim.read", "claim", claim_id)
    return found


def checklist(c: Claim) -> list[ChecklistItem]:
    """The documents of the claim's checklist, received ones first, then the missing ones,
    labelled in the current language (the law's JKM list and the claims package's own; a
    code nobody labels shows as itself)."""
    known = catalog.document_labels()
    lang = i18n.lang()
    received = {d.code: d.received_on for d in c.documents}
    out = []
    for code in dict.fromkeys([*received, *c.missing_documents]):
        label = known.get(code, {}).get(lang, code)
        out.append(ChecklistItem(code, label[:1].upper() + label[1:], received.get(code)))
    return out


def member_of(conn: Connection, actor: Actor, membership_id: int) -> Member | None:
    """The member a claim is for (see :class:`Member`)."""
    r = conn.execute(
        select(
            person.c.id,
            person.c.name,
            person.c.nik,
            person.c.district_code,
            membership.c.kpj,
            program.c.name.label("program"),
        )
        .select_from(membership)
        .join(person, person.c.id == membership.c.person_id)
        .join(program, program.c.id == membership.c.program_id)
        .where(membership.c.id == membership_id)
    ).first()
    if r is None:
        return None
    return Member(
        person_id=int(r.id),
        name=r.name,
        nik=mask(r.nik) if actor.masked else r.nik,
        kpj=r.kpj,
        program=r.program,
        district=r.district_code,
    )


def filer_of(conn: Connection, claim_id: int) -> str | None:
    """The user who filed claim ``claim_id`` (the actor of its ``file`` event)."""
    return conn.execute(
        select(claim_event.c.actor)
        .where(claim_event.c.claim_id == claim_id, claim_event.c.action == "file")
        .order_by(claim_event.c.id)
        .limit(1)
    ).scalar()


#: Steps that need a second user (maker-checker): someone with ``claim.approve`` other than
#: the one who filed the claim.
CHECKED_STEPS = frozenset({"approved", "paid"})


def steps_for(actor: Actor, next_steps: tuple[str, ...], filer: str | None) -> tuple[str, ...]:
    """Of ``next_steps``, those ``actor`` may take (maker-checker for :data:`CHECKED_STEPS`)."""
    out = []
    for s in next_steps:
        if s in CHECKED_STEPS:
            if actor.can("claim.approve") and (actor.is_system or filer != actor.username):
                out.append(s)
        elif actor.can("claim.write"):
            out.append(s)
    return tuple(out)


def claim_page(engine: Engine, actor: Actor, claim_id: int) -> ClaimPage:
    """A claim and what its page shows beside it (see :class:`ClaimPage`); refused as
    :func:`get_claim`."""
    actor.require("claim.read")
    with engine.connect() as conn:
        c = claim_of(conn, actor, claim_id)
        member = member_of(conn, actor, c.membership_id)
        filer = filer_of(conn, claim_id)
    lang = i18n.lang()
    label = catalog.claim_types().get(c.type, {}).get("label", {})
    nxt = workflow.TRANSITIONS.get(c.status, ())
    return ClaimPage(
        claim=c,
        type_label=label.get(lang, c.type),
        checklist=checklist(c),
        next_steps=nxt,
        reject_reasons=[
            Choice(code, r.get(lang, code)) for code, r in catalog.reject_reasons().items()
        ],
        member=member,
        filed_by=filer,
        my_steps=steps_for(actor, nxt, filer),
        heir_relations=tuple(
            Choice(code, labels.label("heir_relation", code)) for code in catalog.heir_relations()
        ),
    )


def _month_range(month: str) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise errors.MONTH_FORMAT(field="month", value=month) from None
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, end


def list_claims(
    engine: Engine,
    actor: Actor,
    *,
    status: str | None = None,
    month: str | None = None,
    program: str | int | None = None,
    claim_type: str | None = None,
    limit: int | None = None,
    search: str | None = None,
    district: str | None = None,
    today: dt.date | None = None,
) -> list[ClaimRow]:
    """Claims of people in the actor's regions, filtered by status, month of the event
    (``YYYY-MM``; for ``status=paid`` the month of payment), program, type, the member's
    district code (or a prefix of it) and ``search`` (a NIK, whole or its first digits, or
    part of the member's name); newest first. ``days_open`` counts from filing to ``today``
    for claims not yet paid or rejected.

    Refused: ``forbidden`` without ``claim.read``, ``claim_status_unknown``,
    ``claim_type_unknown``, ``month_format``, ``program_not_found``.
    """
    actor.require("claim.read")
    if status is not None and status not in workflow.STATUSES:
        raise errors.CLAIM_STATUS_UNKNOWN(
            field="status", value=status, choices=", ".join(workflow.STATUSES)
        )
    with engine.connect() as conn:
        conds = []
        if status:
            conds.append(claim.c.status == status)
        if claim_type:
            catalog.check_type(claim_type)
            conds.append(claim.c.type == claim_type)
        if program is not None:
            conds.append(claim.c.program_id == programs.find_program(conn, program).id)
        if month:
            start, end = _month_range(month)
            col = claim.c.paid_on if status == "paid" else claim.c.event_date
            conds.append(and_(col >= start, col < end))
        if district:
            conds.append(person.c.district_code.startswith(district.strip(), autoescape=True))
        words = (search or "").strip()
        if words:
            digits = words.replace(" ", "")
            if digits.isdigit():
                conds.append(person.c.nik.startswith(digits, autoescape=True))
            else:
                for w in words.lower().split()[:4]:
                    conds.append(person.c.name_norm.contains(w, autoescape=True))
        region = actor.region_clause(person)
        if region is not None:
            conds.append(region)
        q = (
            select(
                person.c.name,
                claim.c.id,
                claim.c.type,
                claim.c.status,
                claim.c.person_id,
                claim.c.program_id,
                claim.c.event_date,
                claim.c.filed_on,
                claim.c.eligible,
                claim.c.amount,
                claim.c.reject_reason,
                claim.c.paid_on,
                claim.c.paid_amount,
                person.c.district_code,
            )
            .join(person, person.c.id == claim.c.person_id)
            .where(*conds)
            .order_by(claim.c.event_date.desc(), claim.c.id.desc())
        )
        if limit:
            q = q.limit(limit)
        return [
            ClaimRow(
                claim=int(r.id),
                type=r.type,
                status=r.status,
                person_id=int(r.person_id),
                program_id=int(r.program_id),
                district=r.district_code,
                event_date=to_date(r.event_date),
                filed_on=to_date(r.filed_on),
                eligible=bool(r.eligible),
                amount=int(r.amount),
                reject_reason=r.reject_reason,
                paid_on=to_date(r.paid_on),
                paid_amount=r.paid_amount,
                name=r.name,
                days_open=(
                    None
                    if r.status in workflow.CLOSED
                    else ((today or dt.date.today()) - to_date(r.filed_on)).days
                ),
                **labels.pair("claim_status", r.status),
            )
            for r in conn.execute(q)
        ]


def claim_districts(engine: Engine, actor: Actor) -> list[str]:
    """The district codes of the members of claims the actor may see (a list filter)."""
    actor.require("claim.read")
    q = (
        select(person.c.district_code)
        .select_from(claim)
        .join(person, person.c.id == claim.c.person_id)
        .where(person.c.district_code.is_not(None))
        .distinct()
        .order_by(person.c.district_code)
    )
    region = actor.region_clause(person)
    if region is not None:
        q = q.where(region)
    with engine.connect() as conn:
        return [str(r) for r in conn.execute(q).scalars()]


@dataclass(frozen=True)
class QueueStep:
    """Claims waiting at one status: how many, and the days since the oldest was filed."""

    status: str
    claims: int
    oldest_days: int
    label_id: str = ""
    label_en: str = ""


def claim_queue(engine: Engine, actor: Actor, *, today: dt.date | None = None) -> list[QueueStep]:
    """Claims of people in the actor's regions waiting at each open status, in the order of
    the workflow, with the age of the oldest (a work queue)."""
    actor.require("claim.read")
    today = today or dt.date.today()
    q = (
        select(claim.c.status, func.count(), func.min(claim.c.filed_on))
        .select_from(claim)
        .join(person, person.c.id == claim.c.person_id)
        .where(claim.c.status.not_in(list(workflow.CLOSED)))
        .group_by(claim.c.status)
    )
    region = actor.region_clause(person)
    if region is not None:
        q = q.where(region)
    with engine.connect() as conn:
        found = {r[0]: (int(r[1]), to_date(r[2])) for r in conn.execute(q)}
    return [
        QueueStep(
            status=s,
            claims=found[s][0],
            oldest_days=(today - found[s][1]).days if found[s][1] else 0,
            **labels.pair("claim_status", s),
        )
        for s in workflow.STATUSES
        if s in found
    ]


def count_claims(engine: Engine, actor: Actor) -> int:
    """How many claims of people in the actor's regions there are."""
    actor.require("claim.read")
    q = select(func.count()).select_from(claim)
    region = actor.region_clause(person)
    if region is not None:
        q = q.join(person, person.c.id == claim.c.person_id).where(region)
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())
