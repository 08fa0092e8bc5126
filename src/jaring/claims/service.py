"""Claims service: one function per user action, each one transaction.

The CLI and the web call these same functions. They take an ``Engine`` and plain arguments and
return plain dicts. Every refusal a user can cause is a :class:`JaringError` with a stable code;
every change to a claim writes a row to the append-only ``claim_event`` trail (who, when,
from-state, to-state, reason), overrides included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from jaring.claims import catalog, eligibility, workflow
from jaring.claims import heirs as heirs_mod
from jaring.claims.entitlement import entitle, scholarship_max_children, scholarship_min_months
from jaring.claims.frames import as_dates
from jaring.errors import JaringError, NotFound
from jaring.store.bulk import to_date
from jaring.store.tables.claims import claim, claim_document, claim_event, claim_heir
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person

DEATH_TYPES = tuple(t for t, d in catalog.claim_types().items() if d.get("death"))


# --------------------------------------------------------------------------- look-ups


def _person_by_nik(conn: Connection, nik: str) -> int:
    ids = conn.execute(select(person.c.id).where(person.c.nik == nik)).scalars().all()
    if not ids:
        raise NotFound(
            "person_not_found",
            "Tidak ada orang dengan NIK itu di registri",
            "No person with that NIK in the registry",
            field="nik",
        )
    if len(ids) > 1:
        raise JaringError(
            "person_ambiguous",
            f"NIK itu dimiliki {len(ids)} orang di registri; sebutkan --person",
            f"{len(ids)} people in the registry share that NIK; name one with --person",
            field="nik",
            person_ids=list(ids),
        )
    return int(ids[0])


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
        raise NotFound(
            "membership_not_found",
            "Orang ini tidak punya kepesertaan (atau bukan kepesertaan yang disebut)",
            "This person has no membership (or not the one named)",
            person_id=person_id,
        )
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


def _benefit_key(claim_type: str, event_date: dt.date, inputs: dict[str, Any]) -> str:
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


def _event(
    conn: Connection,
    claim_id: int,
    *,
    actor: str,
    action: str,
    from_status: str | None,
    to_status: str | None,
    override: bool = False,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(claim_event).values(
            claim_id=claim_id,
            at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=to_status,
            override=override,
            reason=reason,
            data=_jsonable(data) if data else None,
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _written(reason: str | None) -> str | None:
    """An override reason counts only when something is written."""
    if reason is None:
        return None
    reason = reason.strip()
    return reason or None


def _needs_reason(code: str, id_msg: str, en_msg: str, **context: Any) -> JaringError:
    return JaringError(
        code,
        id_msg + ' (operator dapat melanjutkan dengan --reason "alasan tertulis")',
        en_msg + ' (an operator may proceed with --reason "written reason")',
        **context,
    )


# --------------------------------------------------------------------------- filing


def file_claim(
    engine: Engine,
    *,
    claim_type: str,
    event_date: dt.date | None = None,
    nik: str | None = None,
    person_id: int | None = None,
    membership_id: int | None = None,
    filed_on: dt.date | None = None,
    reporter: str = "",
    heirs: list[dict[str, Any]] | None = None,
    inputs: dict[str, Any] | None = None,
    actor: str = "operator",
    reason: str | None = None,
) -> dict[str, Any]:
    """File a claim: find the membership, check eligibility from coverage history, ask the law
    for the entitlement at the event date, record heirs, and open the trail.

    Refuses a second claim for a benefit already claimed (same death, same school year...)
    unless ``reason`` is written (an override, kept in the trail). Returns ``claim``,
    ``eligible``, ``amount``, ``explanation`` and more (see :func:`get_claim`).
    """
    catalog.check_type(claim_type)
    inputs = {k: v for k, v in (inputs or {}).items() if v is not None}
    filed_on = filed_on or dt.date.today()
    reason = _written(reason)
    if not reporter.strip():
        raise JaringError(
            "reporter_missing", "Pelapor wajib diisi", "The reporter is required", field="reporter"
        )
    with engine.begin() as conn:
        if person_id is None:
            if not nik:
                raise JaringError(
                    "person_missing", "Sebutkan --nik atau --person", "Give --nik or --person"
                )
            person_id = _person_by_nik(conn, nik)
        overrides: list[str] = []
        if claim_type == "scholarship":
            death = conn.execute(
                select(claim.c.type, claim.c.event_date)
                .where(
                    claim.c.person_id == person_id,
                    claim.c.benefit_key == "death",
                    claim.c.status != "rejected",
                )
                .order_by(claim.c.id)
            ).first()
            if death is None:
                raise JaringError(
                    "scholarship_without_death",
                    "Beasiswa hanya untuk anak peserta yang klaim kematiannya tercatat; ajukan klaim JKM/JKK dahulu",
                    "A scholarship needs the member's death claim on record; file the JKM/JKK claim first",
                    person_id=person_id,
                )
            inputs.setdefault("cause", "jkk" if death.type == "jkk_death" else "jkm")
            event_date = event_date or to_date(death.event_date)
            for key in ("child", "level", "school_year"):
                if not inputs.get(key):
                    raise JaringError(
                        "claim_input_missing",
                        f"Klaim beasiswa memerlukan --{key.replace('_', '-')}",
                        f"A scholarship claim needs --{key.replace('_', '-')}",
                        field=key,
                    )
        if event_date is None:
            raise JaringError(
                "event_date_missing",
                "Tanggal kejadian wajib diisi",
                "The event date is required",
                field="event_date",
            )
        if event_date > filed_on:
            raise JaringError(
                "event_in_future",
                f"Tanggal kejadian {event_date} sesudah tanggal pengajuan {filed_on}",
                f"Event date {event_date} is after the filing date {filed_on}",
                field="event_date",
                value=event_date.isoformat(),
            )
        m = _membership_for(conn, person_id, event_date, membership_id)
        if claim_type.startswith("jkk_") and claim_type != "jkk_medical":
            inputs.setdefault("wage", int(m["income_base"]))
        key = _benefit_key(claim_type, event_date, inputs)
        # Lock the person's row so that two clerks cannot file the same death at once.
        conn.execute(select(person.c.id).where(person.c.id == person_id).with_for_update())
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
                paid = earlier.status == "paid"
                raise _needs_reason(
                    "claim_already_paid" if paid else "claim_duplicate",
                    (
                        f"Manfaat ini sudah dibayar (klaim {earlier.id})"
                        if paid
                        else f"Sudah ada klaim untuk manfaat ini (klaim {earlier.id}, status {earlier.status})"
                    ),
                    (
                        f"This benefit was already paid (claim {earlier.id})"
                        if paid
                        else f"A claim for this benefit exists (claim {earlier.id}, status {earlier.status})"
                    ),
                    existing_claim=int(earlier.id),
                    status=earlier.status,
                    benefit=key,
                )
            overrides.append("duplicate")
        if claim_type == "scholarship":
            earlier_inputs = conn.execute(
                select(claim.c.inputs).where(
                    claim.c.person_id == person_id,
                    claim.c.type == "scholarship",
                    claim.c.status != "rejected",
                )
            ).scalars()
            names = {(i or {}).get("child") for i in earlier_inputs} | {inputs["child"]}
            limit = scholarship_max_children(event_date)
            if len(names) > limit:
                raise JaringError(
                    "scholarship_children_max",
                    f"Beasiswa paling banyak untuk {limit} anak",
                    f"Scholarships are for at most {limit} children",
                    field="child",
                )
        if claim_type == "jkk_stmb":
            _stmb_before(conn, person_id, event_date, inputs, reason, overrides)
        facts = _facts(conn, m, claim_type, event_date, filed_on, inputs.get("cause"))
        ent = entitle(claim_type, event_date, segment=m["segment"], facts=facts, inputs=inputs)
        heir_rows = heirs_mod.normalise(list(heirs or []), event_date)
        if catalog.check_type(claim_type).get("death") and not heir_rows:
            raise JaringError(
                "heir_missing",
                "Klaim kematian harus menyebut ahli waris penerima (--heir)",
                "A death claim must name the heir who receives it (--heir)",
                field="heir",
            )
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
                eligibility=_jsonable({k: v for k, v in facts.items() if k != "claim_ref"}),
                inputs=_jsonable(inputs),
                amount=int(ent["amount"]),
                entitlement=_jsonable(ent),
            )
            .returning(claim.c.id)
        ).scalar_one()
        if heir_rows:
            conn.execute(insert(claim_heir), [{"claim_id": claim_id, **h} for h in heir_rows])
        _event(
            conn,
            claim_id,
            actor=actor,
            action="file",
            from_status=None,
            to_status="filed",
            override=bool(overrides),
            reason=reason,
            data={"overrides": overrides} if overrides else None,
        )
        return _claim_dict(conn, claim_id)


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
            raise _needs_reason(
                "stmb_months_already_claimed",
                f"STMB kecelakaan ini sudah diklaim untuk {before} bulan; sebutkan jumlah bulan "
                f"seluruhnya (lebih dari {before})",
                f"STMB for this accident was claimed for {before} months already; give the "
                f"total months so far (more than {before})",
                field="months",
                value=months,
                existing_claims=[int(r.id) for r in earlier],
            )
        overrides.append("stmb_months")
        return
    if before:
        inputs["months_before"] = before


# --------------------------------------------------------------------------- documents, heirs


def record_documents(
    engine: Engine,
    claim_id: int,
    codes: list[str],
    *,
    received_on: dt.date | None = None,
    actor: str = "operator",
    note: str | None = None,
) -> dict[str, Any]:
    """Tick documents on the claim's checklist (codes: the law's JKM documents and
    ``claims/data/documents.yaml``)."""
    received_on = received_on or dt.date.today()
    known = catalog.document_labels(received_on)
    for code in codes:
        if code not in known:
            raise JaringError(
                "document_unknown",
                f"Dokumen tidak dikenal: {code} (pilih: {', '.join(known)})",
                f"Unknown document: {code} (choose: {', '.join(known)})",
                field="document",
                value=code,
            )
    with engine.begin() as conn:
        row = _claim_row(conn, claim_id)
        have = set(
            conn.execute(
                select(claim_document.c.code).where(claim_document.c.claim_id == claim_id)
            ).scalars()
        )
        new = [c for c in dict.fromkeys(codes) if c not in have]
        if new:
            conn.execute(
                insert(claim_document),
                [
                    {"claim_id": claim_id, "code": c, "received_on": received_on, "note": note}
                    for c in new
                ],
            )
        _event(
            conn,
            claim_id,
            actor=actor,
            action="document",
            from_status=row["status"],
            to_status=row["status"],
            data={"documents": new},
        )
        return _claim_dict(conn, claim_id)


def add_heirs(
    engine: Engine, claim_id: int, heirs: list[dict[str, Any]], *, actor: str = "operator"
) -> dict[str, Any]:
    """Record more heirs on a claim before it is approved (e.g. a widow found after a parent
    filed). A heir marked ``recipient`` becomes the recipient; the order of law is checked at
    approval."""
    with engine.begin() as conn:
        row = _claim_row(conn, claim_id)
        if row["status"] in ("approved", "paid", "rejected"):
            # The heir order is checked at approval: heirs found later belong to a new decision.
            raise JaringError(
                "claim_closed",
                f"Klaim {claim_id} sudah {row['status']}; ahli waris dicatat sebelum persetujuan",
                f"Claim {claim_id} is already {row['status']}; heirs are recorded before approval",
                claim=claim_id,
            )
        new = heirs_mod.normalise(list(heirs), row["event_date"])
        if any(h.get("recipient") for h in heirs):
            conn.execute(
                update(claim_heir).where(claim_heir.c.claim_id == claim_id).values(recipient=False)
            )
        else:
            for h in new:
                h["recipient"] = False
        conn.execute(insert(claim_heir), [{"claim_id": claim_id, **h} for h in new])
        _event(
            conn,
            claim_id,
            actor=actor,
            action="heirs",
            from_status=row["status"],
            to_status=row["status"],
            data={"relations": [h["relation"] for h in new]},
        )
        return _claim_dict(conn, claim_id)


# --------------------------------------------------------------------------- the status machine


def advance_claim(
    engine: Engine,
    claim_id: int,
    to: str,
    *,
    actor: str = "operator",
    reason_code: str | None = None,
    reason: str | None = None,
    paid_on: dt.date | None = None,
    amount: int | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """Move a claim to ``to``. Each step checks what it must:

    - ``documents_complete``: every required document is recorded;
    - ``approved``: the claim is eligible and its recipient is of the earliest recorded heir
      rank;
    - ``rejected``: a ``reason_code`` from the fixed list;
    - ``paid``: date, amount (equal to the entitlement) and reference; no other claim for the
      same benefit is paid.

    A failed check is refused unless ``reason`` is written: then it is an override, kept in the
    trail with the rules it set aside.
    """
    reason = _written(reason)
    with engine.begin() as conn:
        row = _claim_row(conn, claim_id, for_update=True)
        current = row["status"]
        workflow.check_transition(current, to)
        overrides: list[str] = []
        values: dict[str, Any] = {"status": to}
        data: dict[str, Any] = {}
        if to == "documents_complete":
            missing = _missing_documents(conn, row)
            if missing:
                if reason is None:
                    raise _needs_reason(
                        "documents_missing",
                        f"Dokumen belum lengkap: {', '.join(missing)}",
                        f"Documents missing: {', '.join(missing)}",
                        claim=claim_id,
                        missing=missing,
                    )
                overrides.append("documents_missing")
                data["missing"] = missing
        elif to == "approved":
            if not row["eligible"]:
                if reason is None:
                    raise _needs_reason(
                        "claim_not_eligible",
                        f"Klaim tidak memenuhi syarat: {', '.join(row['eligibility'].get('reasons', []))}",
                        f"The claim is not eligible: {', '.join(row['eligibility'].get('reasons', []))}",
                        claim=claim_id,
                        reasons=row["eligibility"].get("reasons", []),
                    )
                overrides.append("not_eligible")
                values["amount"] = int(row["entitlement"].get("law_total", 0))
            problem = heirs_mod.order_problem(_heirs(conn, claim_id))
            if problem is not None and catalog.check_type(row["type"]).get("death"):
                if reason is None:
                    raise _needs_reason(
                        "heir_order",
                        f"Penerima (peringkat {problem['recipient_rank']}) bukan ahli waris peringkat "
                        f"terdahulu yang tercatat (peringkat {problem['earliest_rank']})",
                        f"The recipient (rank {problem['recipient_rank']}) is not of the earliest "
                        f"recorded heir rank ({problem['earliest_rank']})",
                        claim=claim_id,
                        **problem,
                    )
                overrides.append("heir_order")
                data["heir_order"] = problem
        elif to == "rejected":
            codes = catalog.reject_reasons()
            if reason_code not in codes:
                raise JaringError(
                    "reject_reason_required",
                    f"Penolakan memerlukan --reason-code dari daftar: {', '.join(codes)}",
                    f"A rejection needs --reason-code from the list: {', '.join(codes)}",
                    field="reason_code",
                    value=reason_code,
                )
            values["reject_reason"] = reason_code
            data["reason_code"] = reason_code
        elif to == "paid":
            if paid_on is None or amount is None or not (reference or "").strip():
                raise JaringError(
                    "payment_details_missing",
                    "Pembayaran memerlukan --paid-on, --amount dan --reference",
                    "A payment needs --paid-on, --amount and --reference",
                    claim=claim_id,
                )
            if paid_on < row["event_date"]:
                raise JaringError(
                    "paid_before_event",
                    "Tanggal bayar sebelum tanggal kejadian",
                    "Payment date is before the event date",
                    field="paid_on",
                    value=paid_on.isoformat(),
                )
            if int(amount) != int(row["amount"]):
                if reason is None:
                    raise _needs_reason(
                        "paid_amount_mismatch",
                        f"Jumlah dibayar Rp{int(amount):,} berbeda dari hak Rp{int(row['amount']):,}",
                        f"Amount paid Rp{int(amount):,} differs from the entitlement Rp{int(row['amount']):,}",
                        claim=claim_id,
                        amount=int(amount),
                        entitlement=int(row["amount"]),
                    )
                overrides.append("amount")
            other = conn.execute(
                select(claim.c.id).where(
                    claim.c.person_id == row["person_id"],
                    claim.c.benefit_key == row["benefit_key"],
                    claim.c.status == "paid",
                    claim.c.id != claim_id,
                )
            ).first()
            if other is not None:
                if reason is None:
                    raise _needs_reason(
                        "claim_already_paid",
                        f"Manfaat ini sudah dibayar (klaim {other.id})",
                        f"This benefit was already paid (claim {other.id})",
                        claim=claim_id,
                        existing_claim=int(other.id),
                    )
                overrides.append("already_paid")
            ref = (reference or "").strip()
            values.update(paid_on=paid_on, paid_amount=int(amount), paid_reference=ref)
            data.update(paid_on=paid_on, amount=int(amount), reference=ref)
        if overrides:
            data["overrides"] = overrides
        conn.execute(update(claim).where(claim.c.id == claim_id).values(**values))
        _event(
            conn,
            claim_id,
            actor=actor,
            action="advance",
            from_status=current,
            to_status=to,
            override=bool(overrides),
            reason=reason,
            data=data or None,
        )
        return _claim_dict(conn, claim_id)


# --------------------------------------------------------------------------- reading


def _claim_row(conn: Connection, claim_id: int, *, for_update: bool = False) -> dict[str, Any]:
    q = select(claim).where(claim.c.id == claim_id)
    if for_update:
        q = q.with_for_update()
    r = conn.execute(q).first()
    if r is None:
        raise NotFound(
            "claim_not_found",
            f"Klaim {claim_id} tidak ada",
            f"Claim {claim_id} does not exist",
            claim=claim_id,
        )
    row = dict(r._mapping)
    for k in ("event_date", "filed_on", "paid_on"):
        row[k] = to_date(row[k])
    return row


def _heirs(conn: Connection, claim_id: int) -> list[dict[str, Any]]:
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


def _missing_documents(conn: Connection, row: dict[str, Any]) -> list[str]:
    recipient = next((h for h in _heirs(conn, row["id"]) if h["recipient"]), None)
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


def _claim_dict(conn: Connection, claim_id: int) -> dict[str, Any]:
    row = _claim_row(conn, claim_id)
    ent = row["entitlement"]
    docs = [
        {"code": r.code, "received_on": to_date(r.received_on)}
        for r in conn.execute(
            select(claim_document.c.code, claim_document.c.received_on)
            .where(claim_document.c.claim_id == claim_id)
            .order_by(claim_document.c.id)
        )
    ]
    events = [
        {
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "from": r.from_status,
            "to": r.to_status,
            "override": bool(r.override),
            "reason": r.reason,
            "data": r.data,
        }
        for r in conn.execute(
            select(claim_event).where(claim_event.c.claim_id == claim_id).order_by(claim_event.c.id)
        )
    ]
    return {
        "claim": claim_id,
        "type": row["type"],
        "status": row["status"],
        "person_id": row["person_id"],
        "membership_id": row["membership_id"],
        "program_id": row["program_id"],
        "event_date": row["event_date"],
        "filed_on": row["filed_on"],
        "reporter": row["reporter"],
        "eligible": bool(row["eligible"]),
        "reasons": list(row["eligibility"].get("reasons", [])),
        "eligibility": row["eligibility"],
        "amount": int(row["amount"]),
        "law_total": int(ent.get("law_total", row["amount"])),
        "components": ent.get("components", {}),
        "uncertain": bool(ent.get("uncertain", False)),
        "early_death": bool(ent.get("early_death", False)),
        "explanation": ent.get("explanation", []),
        "inputs": row["inputs"],
        "benefit": row["benefit_key"],
        "reject_reason": row["reject_reason"],
        "paid_on": row["paid_on"],
        "paid_amount": row["paid_amount"],
        "paid_reference": row["paid_reference"],
        "heirs": _heirs(conn, claim_id),
        "documents": docs,
        "missing_documents": _missing_documents(conn, row),
        "trail": events,
    }


def get_claim(engine: Engine, claim_id: int) -> dict[str, Any]:
    """Everything about one claim: facts, entitlement with explanation, heirs, documents, trail."""
    with engine.connect() as conn:
        return _claim_dict(conn, claim_id)


def _month_range(month: str) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise JaringError(
            "month_format",
            f"Bulan ditulis YYYY-MM, bukan {month}",
            f"Write the month as YYYY-MM, not {month}",
            field="month",
            value=month,
        ) from None
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, end


def program_id_of(conn: Connection, program_ref: str | int) -> int:
    """A program named by id or by name."""
    q = select(program.c.id)
    if isinstance(program_ref, int) or str(program_ref).isdigit():
        q = q.where(program.c.id == int(program_ref))
    else:
        q = q.where(program.c.name == str(program_ref))
    pid = conn.execute(q).scalar()
    if pid is None:
        raise NotFound(
            "program_not_found",
            f"Program tidak ditemukan: {program_ref}",
            f"Program not found: {program_ref}",
            program=str(program_ref),
        )
    return int(pid)


def list_claims(
    engine: Engine,
    *,
    status: str | None = None,
    month: str | None = None,
    program: str | int | None = None,
    claim_type: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Claims filtered by status, month of the event (``YYYY-MM``; for ``status=paid`` the
    month of payment), program and type; newest first. No personal data beyond the ids."""
    if status is not None and status not in workflow.STATUSES:
        workflow.check_transition("filed", status)  # raises claim_status_unknown
    with engine.connect() as conn:
        conds = []
        if status:
            conds.append(claim.c.status == status)
        if claim_type:
            catalog.check_type(claim_type)
            conds.append(claim.c.type == claim_type)
        if program is not None:
            conds.append(claim.c.program_id == program_id_of(conn, program))
        if month:
            start, end = _month_range(month)
            col = claim.c.paid_on if status == "paid" else claim.c.event_date
            conds.append(and_(col >= start, col < end))
        q = (
            select(
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
            {
                "claim": r.id,
                "type": r.type,
                "status": r.status,
                "person_id": r.person_id,
                "program_id": r.program_id,
                "district": r.district_code,
                "event_date": to_date(r.event_date),
                "filed_on": to_date(r.filed_on),
                "eligible": bool(r.eligible),
                "amount": int(r.amount),
                "reject_reason": r.reject_reason,
                "paid_on": to_date(r.paid_on),
                "paid_amount": r.paid_amount,
            }
            for r in conn.execute(q)
        ]


def count_claims(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(claim)).scalar_one())


# --------------------------------------------------------------------------- batch


MEMBERSHIP_SCHEMA = pl.Schema(
    {
        "membership_id": pl.Int64,
        "start_month": pl.Date,
        "segment": pl.String,
        "income_base": pl.Int64,
    }
)
PERIOD_SCHEMA = pl.Schema({"membership_id": pl.Int64, "start_date": pl.Date, "end_date": pl.Date})


def assess_batch(engine: Engine, claims: pl.DataFrame) -> pl.DataFrame:
    """Eligibility and entitlement for a frame of claims against the store's coverage history
    (see :mod:`jaring.claims.batch` for the columns). Reads only the memberships and periods
    the claims name, through a temporary table of their ids; writes nothing."""
    from jaring.claims.batch import assess_frame
    from jaring.store.bulk import insert_frame, read_frame

    ids = claims.select(pl.col("membership_id").unique().cast(pl.Int64))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TEMPORARY TABLE claims_batch_ids (membership_id BIGINT)")
        try:
            insert_frame(conn, "claims_batch_ids", ids)
            # Statistics for the planner (cheap insurance: with a few ids an index lookup wins,
            # with 100,000 a hash join; the planner can only tell with row counts).
            conn.exec_driver_sql("ANALYZE claims_batch_ids")
            # One pass over both tables: a membership row per period (or one without periods).
            history = read_frame(
                conn,
                """SELECT m.id AS membership_id, m.start_month, m.segment, m.income_base,
                          cp.start_date, cp.end_date
                   FROM membership m JOIN claims_batch_ids b ON b.membership_id = m.id
                   LEFT JOIN coverage_period cp ON cp.membership_id = m.id""",
            )
        finally:
            # Commit the drop: on SQLite a rollback would undo it and leave the table on the
            # pooled connection. Nothing else was written.
            conn.exec_driver_sql("DROP TABLE claims_batch_ids")
            conn.commit()
    if history.height == 0:
        history = pl.DataFrame(schema=pl.Schema({**MEMBERSHIP_SCHEMA, **PERIOD_SCHEMA}))
    history = as_dates(history, "start_month", "start_date", "end_date")
    memberships = (
        history.select(list(MEMBERSHIP_SCHEMA)).unique("membership_id").cast(MEMBERSHIP_SCHEMA)
    )
    unknown = ids.join(memberships, on="membership_id", how="anti")
    if unknown.height:
        raise NotFound(
            "membership_not_found",
            f"{unknown.height} kepesertaan yang disebut klaim tidak ada (mis. {unknown[0, 0]})",
            f"{unknown.height} memberships named by the claims do not exist (e.g. {unknown[0, 0]})",
            field="membership_id",
            value=int(unknown[0, 0]),
        )
    periods = (
        history.filter(pl.col("start_date").is_not_null())
        .select(list(PERIOD_SCHEMA))
        .cast(PERIOD_SCHEMA)
    )
    return assess_frame(claims, memberships, periods)
