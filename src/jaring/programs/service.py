"""Programs as user actions: one function per action, one transaction each.

The CLI (and later the web) call these; they take an ``Engine`` and plain values and return
plain dicts. Everything personal stays in the store: refusals carry row numbers and codes.
Billing actions live in :mod:`jaring.programs.billing_service` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from jaring.errors import JaringError, NotFound
from jaring.programs import bpjs_files, planning, targeting
from jaring.programs.billing_service import create_invoice, list_invoices, pay, reconcile
from jaring.programs.months import add_months, first_of, last_day
from jaring.programs.pricing import monthly_costs
from jaring.programs.repo import (
    LIVE_STATES,
    drop_temp,
    event_frame,
    find_program,
    package_of,
    program_view,
    set_state,
    temp_ids,
    to_date,
)
from jaring.store import dialect
from jaring.store.bulk import insert_frame, read_frame
from jaring.store.tables.programs import (
    bpjs_refusal,
    invoice,
    membership,
    membership_event,
    plan,
    plan_line,
    program,
)

LOWEST_BPU_INCOME = 1_000_000  # base of band 1 of PP 44/2015 Lampiran II (RULES.md 1)

# what planning needs of a person (names, addresses and phones stay in the store)
PERSON_COLUMNS = (
    "id AS person_id, nik, birth_date, sex, district_code, village_code, occupation, desil, "
    "registered_on"
)


# --- programs ----------------------------------------------------------------------------


def create_program(
    engine: Engine,
    *,
    name: str,
    fiscal_year: int,
    budget: int,
    funder_type: str = "apbd",
    funder_region: str | None = None,
    segment: str = "bpu",
    income_base: int | None = None,
    risk: str | None = None,
    with_jht: bool = False,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    rules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Create a program. Defaults: the whole fiscal year, BPU, the lowest declared income band
    (what Pemda pay for pekerja rentan), JKK + JKM."""
    start = period_start or dt.date(fiscal_year, 1, 1)
    end = period_end or dt.date(fiscal_year, 12, 31)
    if funder_type not in ("apbd", "self"):
        raise JaringError(
            "bad_funder",
            f"Penyandang dana harus apbd atau self: {funder_type!r}",
            f"Funder must be apbd or self: {funder_type!r}",
            value=funder_type,
        )
    if segment not in ("bpu", "pu"):
        raise JaringError(
            "bad_segment",
            f"Segmen harus bpu atau pu: {segment!r}",
            f"Segment must be bpu or pu: {segment!r}",
            value=segment,
        )
    if budget < 0:
        raise JaringError(
            "bad_budget",
            f"Anggaran tidak boleh negatif: {budget}",
            f"Budget cannot be negative: {budget}",
            value=budget,
        )
    if end < start:
        raise JaringError(
            "bad_period",
            f"Periode berakhir ({end}) sebelum dimulai ({start})",
            f"The period ends ({end}) before it starts ({start})",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    if segment == "pu" and not income_base:
        raise JaringError(
            "missing_wage",
            "Program PU memerlukan upah bulanan (--income)",
            "A PU program needs the monthly wage (--income)",
        )
    values = {
        "name": name,
        "funder_type": funder_type,
        "funder_region": funder_region,
        "fiscal_year": fiscal_year,
        "budget": int(budget),
        "segment": segment,
        "income_base": int(income_base or LOWEST_BPU_INCOME),
        "risk": risk,
        "with_jht": with_jht,
        "period_start": first_of(start),
        "period_end": last_day(end),
        "rules": rules or {},
    }
    # the law must price this package for the whole period, or we refuse now, not at billing
    monthly_costs(package_of(values), first_of(start), last_day(end))
    try:
        with engine.begin() as conn:
            pid = conn.execute(insert(program).values(**values)).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError:
        raise JaringError(
            "program_exists",
            f"Program dengan nama ini sudah ada: {name}",
            f"A program with this name already exists: {name}",
            name=name,
        ) from None
    return {"id": int(pid), **{k: v for k, v in values.items()}}


def list_programs(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(program).order_by(program.c.id)).mappings().all()
    return [
        program_view(
            {
                **r,
                "period_start": to_date(r["period_start"]),
                "period_end": to_date(r["period_end"]),
            }
        )
        for r in rows
    ]


def _eligible_people(conn: Connection, prog: dict[str, Any]) -> pl.DataFrame:
    people = read_frame(conn, f"SELECT {PERSON_COLUMNS} FROM person")
    if people.height == 0:
        return people
    people = dialect.date_columns(people, "birth_date", "registered_on").with_columns(
        pl.col("person_id").cast(pl.Int64),
        pl.col("desil").cast(pl.Int16),
        *[
            pl.col(c).cast(pl.String)
            for c in ("sex", "district_code", "village_code", "occupation", "nik")
        ],
    )
    return targeting.eligible(people, prog["rules"], prog["period_start"])


def _billed_before(conn: Connection, program_id: int, month: dt.date) -> int:
    return int(
        conn.execute(
            select(func.coalesce(func.sum(invoice.c.amount), 0)).where(
                invoice.c.program_id == program_id, invoice.c.month < month
            )
        ).scalar_one()
    )


def _next_unbilled_month(conn: Connection, prog: dict[str, Any]) -> dt.date:
    last = conn.execute(
        select(func.max(invoice.c.month)).where(invoice.c.program_id == prog["id"])
    ).scalar_one()
    if last is None:
        return prog["period_start"]
    return add_months(to_date(last), 1)


def _plan_inputs(
    conn: Connection,
    prog: dict[str, Any],
    from_month: dt.date | None,
    drop_covered: bool,
    priority: tuple[str, ...],
) -> tuple[pl.DataFrame, pl.DataFrame, dt.date, list[int], int]:
    start = first_of(from_month) if from_month else _next_unbilled_month(conn, prog)
    if from_month is None and start > prog["period_end"]:
        raise JaringError(
            "no_months_left",
            "Semua bulan periode program sudah ditagih; tidak ada yang bisa direncanakan lagi",
            "Every month of the program period has been invoiced; nothing is left to plan",
            program=prog["name"],
        )
    if not prog["period_start"] <= start <= prog["period_end"]:
        raise JaringError(
            "month_outside_period",
            f"Bulan {start:%Y-%m} di luar periode program",
            f"Month {start:%Y-%m} is outside the program period",
            month=start.isoformat(),
        )
    costs = monthly_costs(package_of(prog), start, prog["period_end"])["total"].to_list()
    people = _eligible_people(conn, prog)
    live = read_frame(
        conn,
        "SELECT person_id FROM membership WHERE program_id = :p AND state IN "
        "('planned', 'submitted', 'active') AND (end_month IS NULL OR end_month >= :m)",
        {"p": prog["id"], "m": start},
    )
    if drop_covered or live.height == 0:
        kept = people.clear()
        pool = people
    else:
        live_ids = live["person_id"].cast(pl.Int64)
        kept_people = read_frame(
            conn,
            f"SELECT {PERSON_COLUMNS} FROM person WHERE id IN "
            "(SELECT person_id FROM membership WHERE program_id = :p AND state IN "
            "('planned', 'submitted', 'active') AND (end_month IS NULL OR end_month >= :m))",
            {"p": prog["id"], "m": start},
        )
        kept = dialect.date_columns(kept_people, "birth_date", "registered_on").with_columns(
            pl.col("person_id").cast(pl.Int64), pl.col("desil").cast(pl.Int16)
        )
        kept = kept.select(people.columns) if people.height else kept
        pool = people.filter(~pl.col("person_id").is_in(live_ids.implode()))
    both = targeting.with_priority(pl.concat([pool, kept], how="diagonal_relaxed"), priority)
    kept_ids = kept["person_id"].implode()
    pool_p = both.filter(~pl.col("person_id").is_in(kept_ids))
    kept_p = both.filter(pl.col("person_id").is_in(kept_ids))
    available = int(prog["budget"]) - _billed_before(conn, prog["id"], start)
    return pool_p, kept_p, start, costs, available


def plan_program(
    engine: Engine,
    program_ref: str | int,
    *,
    budget: int | None = None,
    scenario: str = "full",
    priority: str | None = None,
    quotas: list[str] | tuple[str, ...] = (),
    from_month: dt.date | None = None,
    drop_covered: bool = False,
    name: str | None = None,
    save: bool = True,
) -> dict[str, Any]:
    """Plan what the budget buys. ``budget`` replaces the program's budget (APBD-Perubahan)
    and is recorded on the program when the plan is saved. The money for the months already
    invoiced is set aside first; the rest buys the remaining months."""
    prio = targeting.parse_priority(priority)
    quota_objs = tuple(planning.parse_quota(q) for q in quotas)
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        if budget is not None:
            prog["budget"] = int(budget)
        pool, kept, start, costs, available = _plan_inputs(
            conn, prog, from_month, drop_covered, prio
        )
        result = planning.solve(
            pool,
            month_costs=costs,
            budget=available,
            scenario=scenario,
            quotas=quota_objs,
            kept=kept,
        )
        summary = {
            **result.summary,
            "program": prog["name"],
            "program_budget": int(prog["budget"]),
            "billed_before": int(prog["budget"]) - available,
            "from_month": start,
            "to_month": first_of(prog["period_end"]),
            "priority": list(prio),
            "unspent": int(prog["budget"])
            - (int(prog["budget"]) - available)
            - result.summary["cost"],
        }
        summary["budget"] = int(prog["budget"])
        if save:
            settings = {
                "priority": list(prio),
                "quotas": [q.label for q in quota_objs],
                "drop_covered": drop_covered,
            }
            pid = conn.execute(
                insert(plan).values(
                    program_id=prog["id"],
                    name=name or f"{scenario} {start:%Y-%m}",
                    scenario=scenario,
                    budget=int(prog["budget"]),
                    from_month=start,
                    settings=settings,
                    summary=_jsonable(summary),
                    enrolled=False,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            lines = result.selection.select(
                plan_id=pl.lit(int(pid), dtype=pl.Int64),
                person_id=pl.col("person_id").cast(pl.Int64),
                start_month=pl.lit(start, dtype=pl.Date),
                months=pl.col("months").cast(pl.Int64),
                cost=pl.col("cost").cast(pl.Int64),
                kept=pl.col("kept"),
            )
            insert_frame(conn, plan_line, lines)
            if budget is not None:
                conn.execute(
                    update(program).where(program.c.id == prog["id"]).values(budget=int(budget))
                )
            summary["plan_id"] = int(pid)
    return summary


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def compare_scenarios(
    engine: Engine,
    program_ref: str | int,
    *,
    budget: int | None = None,
    priority: str | None = None,
    quotas: list[str] | tuple[str, ...] = (),
    extra: int = 1_000_000_000,
) -> dict[str, Any]:
    """ "Everyone for fewer months" vs "fewer people for the whole period", and what
    ``extra`` rupiah more would buy. Nothing is saved."""
    full = plan_program(
        engine, program_ref, scenario="full", quotas=quotas, priority=priority, save=False,
        budget=budget,
    )  # fmt: skip
    spread: dict[str, Any]
    try:
        spread = plan_program(
            engine, program_ref, scenario="spread", priority=priority, save=False, budget=budget
        )
    except JaringError as e:
        spread = {"refused": e.code, "message": e.message("en")}
    more = plan_program(
        engine,
        program_ref,
        scenario="full",
        quotas=quotas,
        priority=priority,
        save=False,
        budget=full["budget"] + extra,
    )
    keys = ("people", "months", "person_months", "cost", "unspent", "optimal_gap", "solver")
    return {
        "program": full["program"],
        "budget": full["budget"],
        "full": {k: full.get(k) for k in keys},
        "spread": {k: spread.get(k) for k in keys} if "refused" not in spread else spread,
        "extra": extra,
        "with_extra": {k: more.get(k) for k in keys},
        "extra_buys_people": more["people"] - full["people"],
        "extra_buys_person_months": more["person_months"] - full["person_months"],
    }


def enrol(
    engine: Engine, program_ref: str | int, *, plan_id: int | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    """Turn a saved plan (the latest by default) into memberships: new people ``planned``;
    people already members get the plan's months; with a re-plan that dropped covered people,
    those not in the plan end the month before the plan starts."""
    today = on or dt.date.today()
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        q = select(plan).where(plan.c.program_id == prog["id"])
        q = q.where(plan.c.id == plan_id) if plan_id else q.order_by(plan.c.id.desc())
        p = conn.execute(q).mappings().first()
        if p is None:
            raise NotFound(
                "plan_not_found",
                "Rencana tidak ditemukan; buat dulu dengan 'jaring program plan'",
                "No plan found; make one first with 'jaring program plan'",
                program=prog["name"],
                plan=plan_id,
            )
        if p["enrolled"]:
            raise JaringError(
                "plan_already_enrolled",
                f"Rencana {p['id']} sudah dipakai untuk pendaftaran",
                f"Plan {p['id']} has already been enrolled",
                plan=p["id"],
            )
        start = to_date(p["from_month"])
        lines = read_frame(
            conn,
            "SELECT person_id, months FROM plan_line WHERE plan_id = :p",
            {"p": p["id"]},
        ).with_columns(pl.col("person_id").cast(pl.Int64), pl.col("months").cast(pl.Int64))
        existing = read_frame(
            conn,
            "SELECT id, person_id, state FROM membership WHERE program_id = :p",
            {"p": prog["id"]},
        )
        existing = (
            existing.with_columns(pl.col("id").cast(pl.Int64), pl.col("person_id").cast(pl.Int64))
            if existing.height
            else pl.DataFrame(schema={"id": pl.Int64, "person_id": pl.Int64, "state": pl.String})
        )
        lines = lines.with_columns(
            end_month=pl.lit(start, dtype=pl.Date).dt.offset_by(
                (pl.col("months") - 1).cast(pl.String) + "mo"
            )
        )
        new = lines.join(existing, on="person_id", how="anti")
        pkg = package_of(prog)
        ids = pl.Series("id", [], dtype=pl.Int64)
        if new.height:
            from jaring.store.bulk import next_ids

            reserved = next_ids(conn, membership, new.height)
            ids = pl.Series("id", list(reserved), dtype=pl.Int64)
            frame = new.select(
                id=ids,
                program_id=pl.lit(prog["id"], dtype=pl.Int64),
                person_id="person_id",
                segment=pl.lit(pkg.segment),
                income_base=pl.lit(pkg.income_base, dtype=pl.Int64),
                risk=pl.lit(pkg.risk, dtype=pl.String),
                with_jht=pl.lit(pkg.with_jht),
                state=pl.lit("planned"),
                start_month=pl.lit(start, dtype=pl.Date),
                end_month="end_month",
            )
            insert_frame(conn, membership, frame)
            dialect.sync_sequence(conn, "membership")
            insert_frame(conn, membership_event, event_frame(ids, "planned", today, "enrol"))
        # people already members: extend or shorten to the plan's months
        again = lines.join(existing, on="person_id", how="inner")
        if again.height:
            temp = again.select(id="id", end_month="end_month")
            conn.execute(text("DROP TABLE IF EXISTS tmp_again"))
            conn.execute(
                text("CREATE TEMPORARY TABLE tmp_again (id BIGINT PRIMARY KEY, end_month DATE)")
            )
            insert_frame(conn, "tmp_again", temp)
            conn.execute(
                text(
                    "UPDATE membership SET end_month = (SELECT t.end_month FROM tmp_again t "
                    "WHERE t.id = membership.id) WHERE id IN (SELECT id FROM tmp_again)"
                )
            )
            drop_temp(conn, "tmp_again")
            revived = again.filter(pl.col("state").is_in(["ended"]))["id"]
            set_state(conn, revived, "planned", today, "re-plan")
        dropped = 0
        if p["settings"].get("drop_covered"):
            gone = existing.filter(
                pl.col("state").is_in(list(LIVE_STATES))
                & ~pl.col("person_id").is_in(lines["person_id"].implode())
            )["id"]
            if len(gone):
                temp_ids(conn, "tmp_gone", gone)
                conn.execute(
                    text(
                        "UPDATE membership SET end_month = :e WHERE id IN (SELECT id FROM tmp_gone)"
                    ),
                    {"e": add_months(start, -1)},
                )
                drop_temp(conn, "tmp_gone")
                dropped = set_state(conn, gone, "ended", today, "dropped_by_replan")
        conn.execute(update(plan).where(plan.c.id == p["id"]).values(enrolled=True))
    return {
        "program": prog["name"],
        "plan_id": int(p["id"]),
        "enrolled": new.height,
        "extended": again.height,
        "ended": dropped,
        "start_month": start,
    }


# --- BPJS exchange -----------------------------------------------------------------------


def bpjs_export(
    engine: Engine,
    program_ref: str | int,
    out: Path,
    *,
    template: Path | None = None,
    include_submitted: bool = False,
    on: dt.date | None = None,
) -> dict[str, Any]:
    """Write the registration file for members not yet sent (``planned``; with
    ``include_submitted`` also those sent but not answered) and mark them ``submitted``."""
    tpl = bpjs_files.registration_template(template)
    states = ("planned", "submitted") if include_submitted else ("planned",)
    today = on or dt.date.today()
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        members = read_frame(
            conn,
            "SELECT m.id AS membership_id, m.start_month, m.income_base, m.with_jht, m.kpj, "
            "p.nik, p.name, p.birth_date, p.sex, p.address, p.phone, p.occupation, "
            "p.district_code, p.village_code FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE m.program_id = :p AND m.state IN ('" + "', '".join(states) + "') "
            "ORDER BY m.id",
            {"p": prog["id"]},
        )
        if members.height == 0:
            raise JaringError(
                "nothing_to_export",
                "Tidak ada peserta yang menunggu didaftarkan ke BPJS TK",
                "No members are waiting to be registered with BPJS TK",
                program=prog["name"],
            )
        programs_text = "JKK,JKM,JHT" if prog["with_jht"] else "JKK,JKM"
        members = dialect.date_columns(members, "birth_date", "start_month").with_columns(
            programs=pl.lit(programs_text), program_name=pl.lit(prog["name"])
        )
        table = bpjs_files.render_registration(members, tpl)
        kind = bpjs_files.write_table(table, Path(out), tpl.get("sheet", "PESERTA"))
        set_state(conn, members["membership_id"].cast(pl.Int64), "submitted", today, "bpjs_export")
    return {"program": prog["name"], "file": str(out), "format": kind, "rows": table.height}


def bpjs_import_kpj(
    engine: Engine, file: Path, *, program_ref: str | int | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    """Read BPJS's answer: KPJ numbers by NIK. Good rows activate their membership; refused,
    malformed and unknown-NIK rows are reported and kept in ``bpjs_refusal`` for correction."""
    today = on or dt.date.today()
    answer = bpjs_files.classify_answer(bpjs_files.read_answer(Path(file)))
    with engine.begin() as conn:
        prog = find_program(conn, program_ref) if program_ref is not None else None
        where = "m.program_id = :p AND " if prog else ""
        waiting = read_frame(
            conn,
            "SELECT m.id AS membership_id, m.program_id, p.nik FROM membership m "
            "JOIN person p ON p.id = m.person_id WHERE "
            + where
            + "m.state IN ('planned', 'submitted')",
            {"p": prog["id"]} if prog else {},
        )
        if waiting.height == 0:
            waiting = pl.DataFrame(
                schema={"membership_id": pl.Int64, "program_id": pl.Int64, "nik": pl.String}
            )
        waiting = waiting.with_columns(
            pl.col("membership_id").cast(pl.Int64), pl.col("program_id").cast(pl.Int64)
        )
        # a NIK waiting in two programs: the answer cannot say which; refuse it as ambiguous
        ambiguous = waiting.filter(pl.col("nik").is_duplicated())["nik"].unique()
        matched = answer.join(waiting, on="nik", how="left")
        matched = (
            matched.unique("row", keep="first")
            .sort("row")
            .with_columns(
                reason=pl.when(pl.col("reason").is_not_null())
                .then(pl.col("reason"))
                .when(pl.col("nik").is_in(ambiguous.implode()))
                .then(pl.lit("ambiguous_nik"))
                .when(pl.col("membership_id").is_null())
                .then(pl.lit("unknown_nik"))
                .otherwise(None)
            )
        )
        good = matched.filter(pl.col("reason").is_null())
        bad = matched.filter(pl.col("reason").is_not_null())
        if good.height:
            conn.execute(text("DROP TABLE IF EXISTS tmp_kpj"))
            conn.execute(
                text("CREATE TEMPORARY TABLE tmp_kpj (id BIGINT PRIMARY KEY, kpj VARCHAR(11))")
            )
            insert_frame(conn, "tmp_kpj", good.select(id="membership_id", kpj="kpj"))
            conn.execute(
                text(
                    "UPDATE membership SET kpj = (SELECT t.kpj FROM tmp_kpj t WHERE t.id = membership.id) "
                    "WHERE id IN (SELECT id FROM tmp_kpj)"
                )
            )
            drop_temp(conn, "tmp_kpj")
            set_state(conn, good["membership_id"], "active", today, "kpj_import")
            # rows refused earlier for these memberships' people are now corrected
            temp_ids(conn, "tmp_ok", good["membership_id"])
            conn.execute(
                text(
                    "UPDATE bpjs_refusal SET resolved = :t WHERE resolved = :f AND nik IN "
                    "(SELECT p.nik FROM person p JOIN membership m ON m.person_id = p.id "
                    "WHERE m.id IN (SELECT id FROM tmp_ok))"
                ),
                {"t": True, "f": False},
            )
            drop_temp(conn, "tmp_ok")
        if bad.height:
            insert_frame(
                conn,
                bpjs_refusal,
                bad.select(
                    program_id=pl.col("program_id")
                    .fill_null(pl.lit(prog["id"] if prog else None))
                    .cast(pl.Int64),
                    file=pl.lit(Path(file).name),
                    row=pl.col("row"),
                    nik=pl.col("nik").str.slice(0, 40),
                    kpj=pl.col("kpj").str.slice(0, 40),
                    reason=pl.col("reason"),
                    detail=pl.col("note").str.slice(0, 300),
                    resolved=pl.lit(False),
                ),
            )
    return {
        "file": str(file),
        "rows": answer.height,
        "imported": good.height,
        "refused": bad.height,
        "refusals": bad.select("row", "nik", "kpj", "reason", "note").to_dicts(),
    }


def bpjs_refusals(engine: Engine, program_ref: str | int | None = None) -> list[dict[str, Any]]:
    """Rows BPJS refused or that could not be matched, still waiting for correction."""
    with engine.connect() as conn:
        q = (
            select(bpjs_refusal)
            .where(bpjs_refusal.c.resolved.is_(False))
            .order_by(bpjs_refusal.c.id)
        )
        if program_ref is not None:
            q = q.where(bpjs_refusal.c.program_id == find_program(conn, program_ref)["id"])
        return [dict(r) for r in conn.execute(q).mappings().all()]


# --- coverage ----------------------------------------------------------------------------


def coverage_on(
    engine: Engine, on: dt.date, *, nik: str | None = None, person_id: int | None = None
) -> dict[str, Any]:
    """Who is covered on ``on``: a query over paid coverage periods.

    With ``nik`` or ``person_id``: that person's memberships and whether each covers the
    date. Without: counts of covered people, by program."""
    with engine.connect() as conn:
        if nik is None and person_id is None:
            rows = read_frame(
                conn,
                "SELECT c.program_id, pr.name AS program, COUNT(DISTINCT c.person_id) AS people "
                "FROM coverage_period c JOIN program pr ON pr.id = c.program_id "
                "WHERE c.start_date <= :d AND c.end_date >= :d GROUP BY c.program_id, pr.name "
                "ORDER BY c.program_id",
                {"d": on},
            )
            total = conn.execute(
                text(
                    "SELECT COUNT(DISTINCT person_id) FROM coverage_period "
                    "WHERE start_date <= :d AND end_date >= :d"
                ),
                {"d": on},
            ).scalar_one()
            return {"on": on, "covered": int(total), "programs": rows.to_dicts()}
        if person_id is None:
            ids = [
                r[0] for r in conn.execute(text("SELECT id FROM person WHERE nik = :n"), {"n": nik})
            ]
            if not ids:
                raise NotFound(
                    "person_not_found",
                    "Tidak ada orang dengan NIK ini di registri",
                    "No person with this NIK in the registry",
                )
        else:
            ids = [int(person_id)]
        out_people = []
        for pid in ids:
            members = conn.execute(
                text(
                    "SELECT m.id, m.program_id, pr.name, m.kpj, m.state, m.start_month, m.end_month "
                    "FROM membership m JOIN program pr ON pr.id = m.program_id "
                    "WHERE m.person_id = :p ORDER BY m.id"
                ),
                {"p": pid},
            ).all()
            periods = conn.execute(
                text(
                    "SELECT membership_id, start_date, end_date FROM coverage_period "
                    "WHERE person_id = :p ORDER BY start_date"
                ),
                {"p": pid},
            ).all()
            memberships = []
            for m in members:
                mine = [
                    {"start": to_date(s), "end": to_date(e)} for mid, s, e in periods if mid == m[0]
                ]
                memberships.append(
                    {
                        "membership_id": int(m[0]),
                        "program": m[2],
                        "kpj": m[3],
                        "state": m[4],
                        "covered": any(p["start"] <= on <= p["end"] for p in mine),
                        "periods": mine,
                    }
                )
            out_people.append(
                {
                    "person_id": int(pid),
                    "covered": any(m["covered"] for m in memberships),
                    "memberships": memberships,
                }
            )
        return {
            "on": on,
            "covered": any(p["covered"] for p in out_people),
            "people": out_people,
        }


__all__ = [
    "bpjs_export",
    "bpjs_import_kpj",
    "bpjs_refusals",
    "compare_scenarios",
    "coverage_on",
    "create_invoice",
    "create_program",
    "enrol",
    "find_program",
    "list_invoices",
    "list_programs",
    "pay",
    "plan_program",
    "reconcile",
    "set_state",
]
