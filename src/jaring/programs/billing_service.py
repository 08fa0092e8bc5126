"""Billing as user actions: issue a month's invoice, record a payment, reconcile a program.

Each function is one transaction. Lapse rule (RULES.md 1, "likely"): when the invoice for
month M is issued, an active membership whose lines for M-3, M-2 and M-1 are all unpaid is
``suspended`` and gets no line for M; paying its arrears in full makes it ``active`` again
(and it is billed from the next invoice on).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from jaring.errors import JaringError, NotFound
from jaring.programs import billing
from jaring.programs.months import add_months, first_of, last_day
from jaring.programs.repo import (
    as_dates,
    drop_temp,
    find_program,
    program_months,
    set_state,
    sync_pg_sequence,
    temp_ids,
    to_date,
)
from jaring.store.bulk import insert_frame, next_ids, read_frame
from jaring.store.tables.programs import coverage_period, invoice, invoice_line, payment

LAPSE_MONTHS = 3


def invoice_number(program_id: int, month: dt.date) -> str:
    return f"INV-{program_id}-{month:%Y-%m}"


def find_invoice(conn: Connection, ref: str | int) -> dict[str, Any]:
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = conn.execute(select(invoice).where(invoice.c.id == int(ref))).mappings().first()
    if row is None:
        row = conn.execute(select(invoice).where(invoice.c.number == str(ref))).mappings().first()
    if row is None:
        raise NotFound(
            "invoice_not_found",
            f"Tagihan tidak ditemukan: {ref}",
            f"Invoice not found: {ref}",
            invoice=str(ref),
        )
    out = dict(row)
    out["month"] = to_date(out["month"])
    return out


def _paid_total(conn: Connection, invoice_id: int) -> int:
    return int(
        conn.execute(
            select(func.coalesce(func.sum(payment.c.amount), 0)).where(
                payment.c.invoice_id == invoice_id
            )
        ).scalar_one()
    )


def create_invoice(
    engine: Engine, program_ref: str | int, month: dt.date, *, on: dt.date | None = None
) -> dict[str, Any]:
    """Issue the invoice of ``month``: first suspend memberships 3 months in arrears and end
    those past their last month, then one line per active membership, amounts from the law."""
    month = first_of(month)
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        if not prog["period_start"] <= month <= prog["period_end"]:
            raise JaringError(
                "month_outside_period",
                f"Bulan {month:%Y-%m} di luar periode program ({prog['period_start']:%Y-%m} s.d. "
                f"{prog['period_end']:%Y-%m})",
                f"Month {month:%Y-%m} is outside the program period ({prog['period_start']:%Y-%m} "
                f"to {prog['period_end']:%Y-%m})",
                month=month.isoformat(),
            )
        number = invoice_number(prog["id"], month)
        if conn.execute(select(invoice.c.id).where(invoice.c.number == number)).first():
            raise JaringError(
                "invoice_exists",
                f"Tagihan {number} sudah dibuat",
                f"Invoice {number} already exists",
                invoice=number,
            )
        today = on or month
        # 1. lapse: the three previous months all invoiced and unpaid
        lapsed = read_frame(
            conn,
            "SELECT l.membership_id FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
            "JOIN membership m ON m.id = l.membership_id "
            "WHERE i.program_id = :p AND i.month >= :m3 AND i.month < :m AND l.paid < l.amount "
            "AND m.state = 'active' GROUP BY l.membership_id HAVING COUNT(*) = :n",
            {
                "p": prog["id"],
                "m3": add_months(month, -LAPSE_MONTHS),
                "m": month,
                "n": LAPSE_MONTHS,
            },
        )
        n_lapsed = 0
        if lapsed.height:
            n_lapsed = set_state(
                conn, lapsed["membership_id"].cast(pl.Int64), "suspended", month, "arrears_3_months"
            )
        # 2. memberships whose last month has passed end
        ended = read_frame(
            conn,
            "SELECT id FROM membership WHERE program_id = :p AND state = 'active' "
            "AND end_month IS NOT NULL AND end_month < :m",
            {"p": prog["id"], "m": month},
        )
        if ended.height:
            set_state(conn, ended["id"].cast(pl.Int64), "ended", month, "period_over")
        # 3. lines for the active memberships of this month
        members = read_frame(
            conn,
            "SELECT id AS membership_id, segment, income_base, risk, with_jht FROM membership "
            "WHERE program_id = :p AND state = 'active' AND start_month <= :m "
            "AND (end_month IS NULL OR end_month >= :m) ORDER BY id",
            {"p": prog["id"], "m": month},
        )
        paid_by = "self" if prog["funder_type"] == "self" else "apbd"
        if members.height == 0:
            raise JaringError(
                "nothing_to_invoice",
                f"Tidak ada peserta aktif (ber-KPJ) untuk ditagih pada {month:%Y-%m}",
                f"No active members (with a KPJ) to invoice for {month:%Y-%m}",
                month=month.isoformat(),
            )
        if members.height:
            members = members.with_columns(
                pl.col("membership_id").cast(pl.Int64),
                pl.col("income_base").cast(pl.Int64),
                pl.col("risk").cast(pl.String),
                pl.col("with_jht").cast(pl.Boolean),
                paid_by=pl.lit(paid_by),
            )
            lines = billing.invoice_lines(members, [month])
        else:
            lines = pl.DataFrame(
                schema={
                    "membership_id": pl.Int64,
                    "jkk": pl.Int64,
                    "jkm": pl.Int64,
                    "jht": pl.Int64,
                    "amount": pl.Int64,
                }
            )
        total = int(lines["amount"].sum()) if lines.height else 0
        inv_id = conn.execute(
            insert(invoice).values(
                number=number,
                program_id=prog["id"],
                month=month,
                lines=lines.height,
                amount=total,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        insert_frame(
            conn,
            invoice_line,
            lines.select(
                invoice_id=pl.lit(int(inv_id), dtype=pl.Int64),
                membership_id="membership_id",
                jkk="jkk",
                jkm="jkm",
                jht="jht",
                amount="amount",
                paid=pl.lit(0, dtype=pl.Int64),
            ),
        )
    return {
        "invoice": number,
        "id": int(inv_id),
        "program": prog["name"],
        "month": month,
        "lines": lines.height,
        "amount": total,
        "suspended": n_lapsed,
        "ended": ended.height,
        "issued_on": today,
    }


def pay(
    engine: Engine, invoice_ref: str | int, *, amount: int, sp2d: str, on: dt.date
) -> dict[str, Any]:
    """Record a payment (SP2D) against an invoice and allocate it to the lines (ascending
    membership id, each line in full before the next). Fully paid months become coverage;
    suspended members whose arrears are now all paid become active again."""
    sp2d = str(sp2d).strip()
    if amount <= 0:
        raise JaringError(
            "bad_amount",
            f"Jumlah pembayaran harus positif: {amount}",
            f"The payment amount must be positive: {amount}",
            amount=amount,
        )
    if not sp2d:
        raise JaringError("missing_sp2d", "Nomor SP2D wajib diisi", "The SP2D number is required")
    with engine.begin() as conn:
        inv = find_invoice(conn, invoice_ref)
        if conn.execute(select(payment.c.id).where(payment.c.sp2d == sp2d)).first():
            raise JaringError(
                "sp2d_used",
                f"Nomor SP2D {sp2d} sudah dipakai untuk pembayaran lain",
                f"SP2D number {sp2d} is already used by another payment",
                sp2d=sp2d,
            )
        paid_before = _paid_total(conn, inv["id"])
        outstanding = int(inv["amount"]) - paid_before
        if amount > outstanding:
            raise JaringError(
                "payment_exceeds_invoice",
                f"Pembayaran Rp{amount:,} melebihi sisa tagihan {inv['number']} (Rp{outstanding:,})",
                f"Payment Rp{amount:,} exceeds what is left of invoice {inv['number']} "
                f"(Rp{outstanding:,})",
                invoice=inv["number"],
                amount=amount,
                outstanding=outstanding,
            )
        try:
            conn.execute(
                insert(payment).values(invoice_id=inv["id"], paid_on=on, amount=amount, sp2d=sp2d)
            )
        except IntegrityError:  # a concurrent payment took the number
            raise JaringError(
                "sp2d_used",
                f"Nomor SP2D {sp2d} sudah dipakai untuk pembayaran lain",
                f"SP2D number {sp2d} is already used by another payment",
                sp2d=sp2d,
            ) from None
        lines = read_frame(
            conn,
            "SELECT membership_id, amount, paid FROM invoice_line "
            "WHERE invoice_id = :i AND paid < amount",
            {"i": inv["id"]},
        )
        lines = lines.with_columns(pl.all().cast(pl.Int64))
        changed = billing.allocate(lines, amount)
        conn.execute(text("DROP TABLE IF EXISTS tmp_alloc"))
        conn.execute(
            text("CREATE TEMPORARY TABLE tmp_alloc (id BIGINT PRIMARY KEY, paid BIGINT NOT NULL)")
        )
        insert_frame(conn, "tmp_alloc", changed.select(id="membership_id", paid="paid"))
        conn.execute(
            text(
                "UPDATE invoice_line SET paid = (SELECT t.paid FROM tmp_alloc t "
                "WHERE t.id = invoice_line.membership_id) "
                "WHERE invoice_id = :i AND membership_id IN (SELECT id FROM tmp_alloc)"
            ),
            {"i": inv["id"]},
        )
        conn.execute(text("DROP TABLE IF EXISTS tmp_alloc"))
        full = changed.filter(pl.col("full"))["membership_id"]
        extend_coverage(conn, full, inv["month"])
        revived = _revive(conn, full, on)
    return {
        "invoice": inv["number"],
        "sp2d": sp2d,
        "paid_on": on,
        "amount": amount,
        "invoice_amount": int(inv["amount"]),
        "paid": paid_before + amount,
        "outstanding": outstanding - amount,
        "lines_paid": full.len(),
        "lines_part_paid": changed.height - full.len(),
        "reactivated": revived,
    }


def extend_coverage(conn: Connection, membership_ids: pl.Series, month: dt.date) -> int:
    """Add ``month`` (now paid in full) to the coverage periods of these memberships, set-wise.

    One invoice is one month, so every membership gains the same month: a period ending the
    day before it is extended, a period starting the day after it is pulled back, two periods
    that now touch are merged, and memberships with neither get a new one-month period. Only
    the rows of these memberships are touched (``refresh_coverage`` is the full recompute;
    the tests check both agree). Returns the number of new periods."""
    if membership_ids.len() == 0:
        return 0
    first, last = first_of(month), last_day(month)
    p = {
        "f": first,
        "l": last,
        "before": first - dt.timedelta(days=1),
        "after": last + dt.timedelta(days=1),
    }
    temp_ids(conn, "tmp_ext", membership_ids)
    mine = "membership_id IN (SELECT id FROM tmp_ext)"
    conn.execute(
        text(f"UPDATE coverage_period SET end_date = :l WHERE {mine} AND end_date = :before"), p
    )
    conn.execute(
        text(f"UPDATE coverage_period SET start_date = :f WHERE {mine} AND start_date = :after"),
        p,
    )
    # merge [x, last] and [first, y] of one membership into [x, y]
    later = (
        "SELECT b.end_date FROM coverage_period b WHERE b.membership_id = "
        "coverage_period.membership_id AND b.start_date = :f AND b.end_date > :l"
    )
    conn.execute(
        text(
            f"UPDATE coverage_period SET end_date = ({later}) WHERE {mine} AND end_date = :l "
            f"AND start_date < :f AND EXISTS ({later})"
        ),
        p,
    )
    conn.execute(
        text(
            f"DELETE FROM coverage_period WHERE {mine} AND start_date = :f AND EXISTS ("
            "SELECT 1 FROM coverage_period a WHERE a.membership_id = coverage_period.membership_id "
            "AND a.start_date < :f AND a.end_date = coverage_period.end_date)"
        ),
        p,
    )
    fresh = read_frame(
        conn,
        "SELECT m.id AS membership_id, m.person_id, m.program_id, m.segment FROM membership m "
        "WHERE m.id IN (SELECT id FROM tmp_ext) AND NOT EXISTS (SELECT 1 FROM coverage_period c "
        "WHERE c.membership_id = m.id AND c.start_date <= :f AND c.end_date >= :f)",
        {"f": first},
    )
    drop_temp(conn, "tmp_ext")
    if fresh.height == 0:
        return 0
    ids = next_ids(conn, coverage_period, fresh.height)  # contract table: BIGINT id
    fresh = fresh.with_columns(
        pl.col("membership_id").cast(pl.Int64),
        pl.col("person_id").cast(pl.Int64),
        pl.col("program_id").cast(pl.Int64),
        id=pl.Series(list(ids), dtype=pl.Int64),
        start_date=pl.lit(first, dtype=pl.Date),
        end_date=pl.lit(last, dtype=pl.Date),
    )
    written = insert_frame(conn, coverage_period, fresh)
    sync_pg_sequence(conn, "coverage_period")
    return written


def refresh_coverage(conn: Connection, membership_ids: pl.Series) -> int:
    """Recompute ``coverage_period`` for these memberships from their fully paid lines."""
    if membership_ids.len() == 0:
        return 0
    temp_ids(conn, "tmp_cov", membership_ids)
    paid = read_frame(
        conn,
        "SELECT l.membership_id, m.person_id, m.program_id, m.segment, i.month "
        "FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
        "JOIN membership m ON m.id = l.membership_id "
        "WHERE l.membership_id IN (SELECT id FROM tmp_cov) AND l.paid >= l.amount",
    )
    conn.execute(
        text("DELETE FROM coverage_period WHERE membership_id IN (SELECT id FROM tmp_cov)")
    )
    drop_temp(conn, "tmp_cov")
    if paid.height == 0:
        return 0
    paid = as_dates(paid, "month").with_columns(
        pl.col("membership_id").cast(pl.Int64),
        pl.col("person_id").cast(pl.Int64),
        pl.col("program_id").cast(pl.Int64),
    )
    islands = billing.coverage_islands(paid)
    ids = next_ids(conn, coverage_period, islands.height)  # contract table: BIGINT id
    islands = islands.with_columns(id=pl.Series(list(ids), dtype=pl.Int64))
    written = insert_frame(conn, coverage_period, islands)
    sync_pg_sequence(conn, "coverage_period")
    return written


def _revive(conn: Connection, ids: pl.Series, on: dt.date) -> int:
    """Suspended memberships among ``ids`` with nothing left unpaid become active again."""
    if ids.len() == 0:
        return 0
    temp_ids(conn, "tmp_rev", ids)
    rows = read_frame(
        conn,
        "SELECT m.id FROM membership m WHERE m.id IN (SELECT id FROM tmp_rev) "
        "AND m.state = 'suspended' AND NOT EXISTS (SELECT 1 FROM invoice_line l "
        "WHERE l.membership_id = m.id AND l.paid < l.amount)",
    )
    drop_temp(conn, "tmp_rev")
    if rows.height == 0:
        return 0
    return set_state(conn, rows["id"].cast(pl.Int64), "active", on, "arrears_paid")


def list_invoices(engine: Engine, program_ref: str | int) -> list[dict[str, Any]]:
    """Invoices of a program with what was paid and what is still owed."""
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        rows = read_frame(
            conn,
            "SELECT i.id, i.number, i.month, i.lines, i.amount, "
            "COALESCE((SELECT SUM(p.amount) FROM payment p WHERE p.invoice_id = i.id), 0) AS paid "
            "FROM invoice i WHERE i.program_id = :p ORDER BY i.month",
            {"p": prog["id"]},
        )
    if rows.height == 0:
        return []
    rows = as_dates(rows, "month").with_columns(
        pl.col("amount").cast(pl.Int64), pl.col("paid").cast(pl.Int64)
    )
    return rows.with_columns(outstanding=pl.col("amount") - pl.col("paid")).to_dicts()


def reconcile(engine: Engine, program_ref: str | int) -> dict[str, Any]:
    """Where the budget stands, to the rupiah: ``budget = spent + committed + unspent``.

    ``spent``: payments recorded. ``committed``: invoiced and not yet paid (arrears), plus
    the law's amounts for the months still to invoice of every live membership (planned,
    submitted, active) up to its last month. ``unspent``: the rest (negative = overcommitted).
    Checks that every payment is allocated to lines and every invoice equals its lines."""
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        p = {"p": prog["id"]}
        spent = int(
            conn.execute(
                text(
                    "SELECT COALESCE(SUM(y.amount), 0) FROM payment y JOIN invoice i "
                    "ON i.id = y.invoice_id WHERE i.program_id = :p"
                ),
                p,
            ).scalar_one()
        )
        invoiced, lines_total, lines_paid = (
            int(v)
            for v in conn.execute(
                text(
                    "SELECT (SELECT COALESCE(SUM(amount), 0) FROM invoice WHERE program_id = :p), "
                    "COALESCE(SUM(l.amount), 0), COALESCE(SUM(l.paid), 0) FROM invoice_line l "
                    "JOIN invoice i ON i.id = l.invoice_id WHERE i.program_id = :p"
                ),
                p,
            ).one()
        )
        last = conn.execute(
            select(func.max(invoice.c.month)).where(invoice.c.program_id == prog["id"])
        ).scalar_one()
        next_month = add_months(to_date(last), 1) if last else prog["period_start"]
        future = read_frame(
            conn,
            "SELECT id AS membership_id, segment, income_base, risk, with_jht, start_month, "
            "end_month FROM membership WHERE program_id = :p AND state IN "
            "('planned', 'submitted', 'active')",
            p,
        )
    to_come = 0
    months = [m for m in program_months(prog) if m >= next_month]
    if future.height and months:
        future = as_dates(future, "start_month", "end_month").with_columns(
            pl.col("membership_id").cast(pl.Int64),
            pl.col("income_base").cast(pl.Int64),
            pl.col("risk").cast(pl.String),
            pl.col("with_jht").cast(pl.Boolean),
            paid_by=pl.lit("self" if prog["funder_type"] == "self" else "apbd"),
        )
        lines = billing.invoice_lines(future, months).join(
            future.select("membership_id", "start_month", "end_month"), on="membership_id"
        )
        lines = lines.filter(
            (pl.col("month") >= pl.col("start_month"))
            & (pl.col("end_month").is_null() | (pl.col("month") <= pl.col("end_month")))
        )
        to_come = int(lines["amount"].sum())
    arrears = invoiced - spent
    committed = arrears + to_come
    budget = int(prog["budget"])
    unspent = budget - spent - committed
    return {
        "program": prog["name"],
        "budget": budget,
        "spent": spent,
        "committed": committed,
        "unspent": unspent,
        "invoiced": invoiced,
        "arrears": arrears,
        "to_invoice": to_come,
        "balanced": budget == spent + committed + unspent
        and invoiced == lines_total
        and spent == lines_paid,
        "checks": {
            "invoices_equal_lines": invoiced == lines_total,
            "payments_equal_allocations": spent == lines_paid,
        },
        "through": last_day(add_months(next_month, -1)) if last else None,
    }
