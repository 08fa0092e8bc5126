"""Enrolment actions: a saved plan becomes memberships, the registration file goes to BPJS TK,
BPJS's answer (KPJ numbers by NIK) activates them.

Each is one transaction, needs ``program.write`` and every region
(:func:`~jaring.programs.actions.scope.require_whole_program`; the registration file with its
clear NIKs needs ``nik.export`` too) and records its audit event in that transaction.
Everything personal stays in the store and the files: refusals carry row numbers and codes,
and the NIKs an answer reports back are masked for roles that see personal data masked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
from sqlalchemy import BigInteger, Column, Date, Engine, String, func, insert, or_, select, update

from jaring import audit
from jaring.access import Actor, mask
from jaring.i18n import _
from jaring.programs import bpjs_files, errors
from jaring.programs.actions.memberships import event_frame, set_state
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.months import add_months
from jaring.programs.queries.programs import find_program
from jaring.programs.states import LIVE_STATES, WAITING_STATES
from jaring.progress import SILENT, Progress
from jaring.store import dialect
from jaring.store.bulk import insert_frame, next_ids, read_frame
from jaring.store.tables.programs import (
    bpjs_file,
    bpjs_refusal,
    membership,
    membership_event,
    plan,
    plan_line,
)
from jaring.store.tables.registry import person
from jaring.store.temp import drop_temp, temp_ids, temp_table


@dataclasses.dataclass(frozen=True)
class Enrolment:
    """What enrolling plan ``plan_id`` did: ``enrolled`` new memberships (``planned``),
    ``extended`` memberships given the plan's months, ``ended`` memberships a re-plan
    dropped; the plan's first month."""

    program: str
    plan_id: int
    enrolled: int
    extended: int
    ended: int
    start_month: dt.date


@dataclasses.dataclass(frozen=True)
class RegistrationExport:
    """The registration file written: where, as ``csv`` or ``xlsx``, with how many members;
    ``file_id`` is its record in the exchange history (``bpjs_file``), ``filename`` the name
    it is downloaded under, ``resend`` whether it sends refused rows again."""

    program: str
    file: str
    format: str
    rows: int
    file_id: int | None = None
    filename: str = ""
    resend: bool = False


@dataclasses.dataclass(frozen=True)
class KpjRefusalRow:
    """A row of BPJS's answer that activated nothing: its 1-based ``row``, the NIK (masked
    for masked-data roles) and KPJ as received, the ``reason`` and BPJS's ``note``."""

    row: int
    nik: str | None
    kpj: str | None
    reason: str
    note: str | None


@dataclasses.dataclass(frozen=True)
class KpjImport:
    """What BPJS's answer did: ``rows`` read, ``imported`` (memberships now ``active``),
    ``refused`` rows kept in ``bpjs_refusal`` for correction, and those rows."""

    file: str
    rows: int
    imported: int
    refused: int
    refusals: list[KpjRefusalRow]
    file_id: int | None = None


def enrol(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    *,
    plan_id: int | None = None,
    on: dt.date | None = None,
    progress: Progress = SILENT,
) -> Enrolment:
    """Turn a saved plan (the latest by default) into memberships, dated ``on`` (today).

    New people become ``planned``; people already members get the plan's months (an
    ``ended`` one is ``planned`` again); with a re-plan that dropped covered people, those not
    in the plan end the month before the plan starts. Needs ``program.write`` and every
    region; refuses ``plan_not_found`` and ``plan_already_enrolled``. Audited as
    ``program.enrol``.
    """
    require_whole_program(actor, "program.write")
    today = on or dt.date.today()
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        progress.step(_("Reading the plan"))
        q = select(plan).where(plan.c.program_id == prog.id)
        q = q.where(plan.c.id == plan_id) if plan_id else q.order_by(plan.c.id.desc())
        p = conn.execute(q).mappings().first()
        if p is None:
            raise errors.PLAN_NOT_FOUND(program=prog.name, plan=plan_id)
        if p["enrolled"]:
            raise errors.PLAN_ALREADY_ENROLLED(plan=p["id"])
        start = dialect.to_date(p["from_month"])
        lines = read_frame(
            conn,
            select(plan_line.c.person_id, plan_line.c.months).where(plan_line.c.plan_id == p["id"]),
        ).with_columns(pl.col("person_id").cast(pl.Int64), pl.col("months").cast(pl.Int64))
        existing = read_frame(
            conn,
            select(membership.c.id, membership.c.person_id, membership.c.state).where(
                membership.c.program_id == prog.id
            ),
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
        progress.step(_("Writing memberships"), total=lines.height)
        pkg = prog.package
        if new.height:
            ids = pl.Series("id", list(next_ids(conn, membership, new.height)), dtype=pl.Int64)
            frame = new.select(
                id=ids,
                program_id=pl.lit(prog.id, dtype=pl.Int64),
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
            dialect.sync_sequence(conn, membership)
            insert_frame(conn, membership_event, event_frame(ids, "planned", today, "enrol"))
            progress.advance(new.height)
        # people already members: extend or shorten to the plan's months
        again = lines.join(existing, on="person_id", how="inner")
        if again.height:
            tmp = temp_table(
                conn,
                "tmp_again",
                Column("id", BigInteger, primary_key=True),
                Column("end_month", Date),
            )
            insert_frame(conn, tmp, again.select(id="id", end_month="end_month"))
            conn.execute(
                update(membership)
                .where(membership.c.id.in_(select(tmp.c.id)))
                .values(
                    end_month=select(tmp.c.end_month)
                    .where(tmp.c.id == membership.c.id)
                    .scalar_subquery()
                )
            )
            drop_temp(conn, tmp)
            revived = again.filter(pl.col("state").is_in(["ended"]))["id"]
            set_state(conn, revived, "planned", today, "re-plan")
            progress.advance(again.height)
        dropped = 0
        if p["settings"].get("drop_covered"):
            gone = existing.filter(
                pl.col("state").is_in(list(LIVE_STATES))
                & ~pl.col("person_id").is_in(lines["person_id"].implode())
            )["id"]
            if len(gone):
                tmp = temp_ids(conn, "tmp_gone", gone)
                conn.execute(
                    update(membership)
                    .where(membership.c.id.in_(select(tmp.c.id)))
                    .values(end_month=add_months(start, -1))
                )
                drop_temp(conn, tmp)
                dropped = set_state(conn, gone, "ended", today, "dropped_by_replan")
        conn.execute(update(plan).where(plan.c.id == p["id"]).values(enrolled=True))
        out = Enrolment(
            program=prog.name,
            plan_id=int(p["id"]),
            enrolled=new.height,
            extended=again.height,
            ended=dropped,
            start_month=start,
        )
        audit.record(conn, actor, "program.enrol", "program", prog.id, after=out)
    return out


def bpjs_export(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    out: Path,
    *,
    template: Path | None = None,
    include_submitted: bool = False,
    only_refused: bool = False,
    on: dt.date | None = None,
) -> RegistrationExport:
    """Write the registration file (``.csv`` or ``.xlsx``, by ``out``'s suffix) for the
    members not yet sent (``planned``; with ``include_submitted`` also those sent but not yet
    answered) and mark them ``submitted`` on ``on`` (today). With ``only_refused``: the
    members still waiting whose row BPJS refused (a resend, after the person's data was
    corrected in the registry).

    The file is kept in the exchange history (``bpjs_file``) to be downloaded again. It
    carries clear NIKs: needs ``program.write``, every region and ``nik.export``. Refuses
    ``nothing_to_export``, ``bad_template``, ``bad_file_type``. Audited as
    ``program.bpjs_export``.
    """
    require_whole_program(actor, "program.write")
    actor.require("nik.export")
    tpl = bpjs_files.registration_template(template)
    states = WAITING_STATES if include_submitted or only_refused else ("planned",)
    today = on or dt.date.today()
    m, p = membership.alias("m"), person.alias("p")
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        where = [m.c.program_id == prog.id, m.c.state.in_(states)]
        if only_refused:
            where.append(
                m.c.id.in_(
                    select(bpjs_refusal.c.membership_id).where(
                        bpjs_refusal.c.program_id == prog.id,
                        bpjs_refusal.c.resolved.is_(False),
                    )
                )
            )
        members = read_frame(
            conn,
            select(
                m.c.id.label("membership_id"),
                m.c.start_month,
                m.c.income_base,
                m.c.with_jht,
                m.c.kpj,
                p.c.nik,
                p.c.name,
                p.c.birth_date,
                p.c.sex,
                p.c.address,
                p.c.phone,
                p.c.occupation,
                p.c.district_code,
                p.c.village_code,
            )
            .select_from(m.join(p, p.c.id == m.c.person_id))
            .where(*where)
            .order_by(m.c.id),
        )
        if members.height == 0:
            raise errors.NOTHING_TO_EXPORT(program=prog.name)
        programs_text = ",".join(
            ["JKK", "JKM"]
            + ["JHT"] * prog.with_jht
            + ["JP"] * (prog.with_jp and prog.segment == "pu")
        )
        members = dialect.date_columns(members, "birth_date", "start_month").with_columns(
            programs=pl.lit(programs_text), program_name=pl.lit(prog.name)
        )
        table = bpjs_files.render_registration(members, tpl)
        kind = bpjs_files.write_table(table, Path(out), tpl.get("sheet", "PESERTA"))
        set_state(conn, members["membership_id"].cast(pl.Int64), "submitted", today, "bpjs_export")
        sent = conn.execute(
            select(func.count()).where(
                bpjs_file.c.program_id == prog.id, bpjs_file.c.direction == "sent"
            )
        ).scalar_one()
        filename = f"registrasi-{prog.id}-{today:%Y%m%d}-{int(sent) + 1}.{kind}"
        file_id = conn.execute(
            insert(bpjs_file).values(
                program_id=prog.id,
                direction="sent",
                filename=filename,
                format=kind,
                rows=table.height,
                accepted=0,
                refused=0,
                resend=only_refused,
                content=Path(out).read_bytes(),
                created_by=actor.username,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        res = RegistrationExport(
            program=prog.name,
            file=str(out),
            format=kind,
            rows=table.height,
            file_id=int(file_id),
            filename=filename,
            resend=only_refused,
        )
        audit.record(conn, actor, "program.bpjs_export", "program", prog.id, after=res)
    return res


def bpjs_export_bytes(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    fmt: str,
    *,
    include_submitted: bool = False,
    only_refused: bool = False,
) -> tuple[RegistrationExport, bytes]:
    """:func:`bpjs_export` into a temporary file, handed back as bytes (``fmt``: ``csv`` or
    ``xlsx``), for a download."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"registrasi.{fmt}"
        res = bpjs_export(
            engine,
            actor,
            program_ref,
            out,
            include_submitted=include_submitted,
            only_refused=only_refused,
        )
        return res, out.read_bytes()


def bpjs_import_kpj(
    engine: Engine,
    actor: Actor,
    file: Path,
    *,
    program_ref: str | int | None = None,
    on: dt.date | None = None,
    filename: str | None = None,
) -> KpjImport:
    """Read BPJS's answer (KPJ numbers by NIK, ``.csv`` or ``.xlsx``) for the memberships
    waiting for one (of ``program_ref``, or of every program).

    Good rows activate their membership on ``on`` (today) and resolve earlier refusals of the
    same people; refused, malformed, duplicate, unknown and ambiguous (waiting in two
    programs) NIKs are reported and kept in ``bpjs_refusal`` for correction, with the
    membership their NIK matched. The answer is recorded in the exchange history of the
    program under ``filename`` (the name it was uploaded with; the file's own by default).
    Needs
    ``program.write`` and every region; refuses ``file_not_found``, ``bad_file_type``,
    ``unreadable_file``, ``missing_column``. Audited as ``program.bpjs_import``.
    """
    require_whole_program(actor, "program.write")
    today = on or dt.date.today()
    answer = bpjs_files.classify_answer(bpjs_files.read_answer(Path(file)))
    name = (filename or Path(file).name)[-300:]
    m, p = membership.alias("m"), person.alias("p")
    with engine.begin() as conn:
        prog = find_program(conn, program_ref) if program_ref is not None else None
        q = (
            select(m.c.id.label("membership_id"), m.c.program_id, p.c.nik)
            .select_from(m.join(p, p.c.id == m.c.person_id))
            .where(m.c.state.in_(WAITING_STATES))
        )
        waiting = read_frame(conn, q.where(m.c.program_id == prog.id) if prog else q)
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
            tmp = temp_table(
                conn,
                "tmp_kpj",
                Column("id", BigInteger, primary_key=True),
                Column("kpj", String(11)),
            )
            insert_frame(conn, tmp, good.select(id="membership_id", kpj="kpj"))
            conn.execute(
                update(membership)
                .where(membership.c.id.in_(select(tmp.c.id)))
                .values(kpj=select(tmp.c.kpj).where(tmp.c.id == membership.c.id).scalar_subquery())
            )
            drop_temp(conn, tmp)
            set_state(conn, good["membership_id"], "active", today, "kpj_import")
            # rows refused earlier for these memberships' people are now corrected
            ok = temp_ids(conn, "tmp_ok", good["membership_id"])
            corrected = (
                select(p.c.nik)
                .select_from(p.join(m, m.c.person_id == p.c.id))
                .where(m.c.id.in_(select(ok.c.id)))
            )
            conn.execute(
                update(bpjs_refusal)
                .where(
                    bpjs_refusal.c.resolved.is_(False),
                    or_(
                        bpjs_refusal.c.nik.in_(corrected),
                        bpjs_refusal.c.membership_id.in_(select(ok.c.id)),
                    ),
                )
                .values(resolved=True)
            )
            drop_temp(conn, ok)
        file_id = None
        for program_id in _answer_programs(matched, prog):
            counted = (
                matched.filter(pl.col("program_id") == program_id) if prog is None else matched
            )
            file_id = conn.execute(
                insert(bpjs_file).values(
                    program_id=program_id,
                    direction="received",
                    filename=name,
                    format="xlsx" if name.lower().endswith((".xlsx", ".xls")) else "csv",
                    rows=counted.height,
                    accepted=counted.filter(pl.col("reason").is_null()).height,
                    refused=counted.filter(pl.col("reason").is_not_null()).height,
                    resend=False,
                    created_by=actor.username,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        if bad.height:
            insert_frame(
                conn,
                bpjs_refusal,
                bad.select(
                    program_id=pl.col("program_id")
                    .fill_null(pl.lit(prog.id if prog else None))
                    .cast(pl.Int64),
                    file=pl.lit(name),
                    row=pl.col("row"),
                    nik=pl.col("nik").str.slice(0, 40),
                    kpj=pl.col("kpj").str.slice(0, 40),
                    reason=pl.col("reason"),
                    detail=pl.col("note").str.slice(0, 300),
                    resolved=pl.lit(False),
                    membership_id=pl.col("membership_id").cast(pl.Int64),
                    file_id=pl.lit(file_id if prog is not None else None, dtype=pl.Int64),
                ),
            )
        res = KpjImport(
            file=name,
            rows=answer.height,
            imported=good.height,
            refused=bad.height,
            refusals=[
                KpjRefusalRow(
                    row=int(r["row"]),
                    nik=mask(r["nik"]) if actor.masked else r["nik"],
                    kpj=r["kpj"],
                    reason=r["reason"],
                    note=r["note"],
                )
                for r in bad.select("row", "nik", "kpj", "reason", "note").iter_rows(named=True)
            ],
            file_id=None if file_id is None else int(file_id),
        )
        audit.record(
            conn, actor, "program.bpjs_import", "program", prog.id if prog else None, after=res
        )
    return res


def bpjs_import_bytes(
    engine: Engine, actor: Actor, program_ref: str | int, filename: str, content: bytes
) -> KpjImport:
    """:func:`bpjs_import_kpj` of an uploaded answer: saved to a temporary file keeping its
    suffix (``.csv`` when it has none)."""
    suffix = Path(filename or "jawaban.csv").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"jawaban{suffix}"
        path.write_bytes(content)
        return bpjs_import_kpj(
            engine,
            actor,
            path,
            program_ref=program_ref,
            filename=Path(filename).name if filename else None,
        )


def _answer_programs(matched: pl.DataFrame, prog: object) -> list[int]:
    """The programs an answer is recorded for: the one named, else each program whose
    waiting members it answered."""
    pid = getattr(prog, "id", None)
    if pid is not None:
        return [int(pid)]
    return sorted(int(x) for x in matched["program_id"].drop_nulls().unique())
