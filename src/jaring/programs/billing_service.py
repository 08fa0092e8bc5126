"""Billing as user actions: issue a month's invoice, record a payment, reconcile a program.

Each function is one transaction. Lapse rule (RULES.md 1, "likely"; the number of months is
the law's parameter ``bpu.inactive_after_unpaid_months``, 3): when the invoice for month M is
issued, an active membership whose lines for M-3, M-2 and M-1 are all unpaid is
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
from jaring.programs.fmt import rupiah
from jaring.programs.months import add_months, first_of, last_day
from jaring.programs.pricing import package_frame
from jaring.programs.repo import (
    drop_temp,
    find_program,
    program_months,
    set_state,
    temp_ids,
    to_date,
)
from jaring.store import dialect
from jaring.store.bulk import insert_frame, next_ids, read_frame
from jaring.store.tables.programs import coverage_period, invoice, payment

LAPSE_PARAMETER = "bpu.inactive_after_unpaid_months"  # the law's value, 3 since 2015 (likely)


def lapse_months(on: dt.date) -> int:
    """How many unpaid months make a BPU membership non-active on ``on``, from the law."""
    from jaring.law.parameters import params

    return int(params().value(LAPSE_PARAMETER, on))


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
        # 1. lapse: the previous N months (the law's bpu.inactive_after_unpaid_months, 3)
        # all invoiced and unpaid
        lapse = lapse_months(month)
        lapsed = read_frame(
            conn,
            "SELECT l.membership_id FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
            "JOIN membership m ON m.id = l.membership_id "
            "WHERE i.program_id = :p AND i.month >= :m3 AND i.month < :m AND l.paid < l.amount "
            "AND m.state = 'active' GROUP BY l.membership_id HAVING COUNT(*) = :n",
            {
                "p": prog["id"],
                "m3": add_months(month, -lapse),
                "m": month,
                "n": lapse,
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
        # 3. lines for the active memberships of this month, written by the database itself:
        # the law prices each distinct package once (a few rows in a temporary table) and one
        # INSERT ... SELECT joins it onto the memberships; no member row travels to Python
        live = (
            "m.program_id = :p AND m.state = 'active' AND m.start_month <= :m "
            "AND (m.end_month IS NULL OR m.end_month >= :m)"
        )
        params = {"p": prog["id"], "m": month}
        packages = read_frame(
            conn,
            "SELECT DISTINCT m.segment, m.income_base, m.risk, m.with_jht FROM membership m "
            f"WHERE {live}",
            params,
        )
        if packages.height == 0:
            raise JaringError(
                "nothing_to_invoice",
                f"Tidak ada peserta aktif (ber-KPJ) untuk ditagih pada {month:%Y-%m}",
                f"No active members (with a KPJ) to invoice for {month:%Y-%m}",
                month=month.isoformat(),
            )
        packages = packages.with_columns(
            pl.col("income_base").cast(pl.Int64),
            pl.col("risk").cast(pl.String),
            pl.col("with_jht").cast(pl.Boolean),
            paid_by=pl.lit("self" if prog["funder_type"] == "self" else "apbd"),
        )
        prices = package_frame(packages, [month]).with_row_index("pkg")
        conn.execute(text("DROP TABLE IF EXISTS tmp_price"))
        conn.execute(
            text(
                "CREATE TEMPORARY TABLE tmp_price (pkg BIGINT, segment VARCHAR(3), "
                "income_base BIGINT, risk VARCHAR(20), with_jht BOOLEAN, jkk BIGINT, jkm BIGINT, "
                "jht BIGINT, amount BIGINT)"
            )
        )
        insert_frame(
            conn,
            "tmp_price",
            prices.select(
                pl.col("pkg").cast(pl.Int64),
                "segment",
                "income_base",
                "risk",
                "with_jht",
                "jkk",
                "jkm",
                "jht",
                amount="total",
            ),
        )
        inv_id = conn.execute(
            insert(invoice).values(
                number=number, program_id=prog["id"], month=month, lines=0, amount=0
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        priced = (
            "FROM membership m JOIN tmp_price t ON t.segment = m.segment "
            "AND t.income_base = m.income_base AND COALESCE(t.risk, '') = COALESCE(m.risk, '') "
            f"AND t.with_jht = m.with_jht WHERE {live}"
        )
        if dialect.of(conn).copy_in:  # computed in Polars and copied in
            _write_lines_pg(conn, int(inv_id), priced, params, prices)
        else:
            # SQLite runs INSERT ... SELECT in its own engine, without a round trip
            conn.execute(
                text(
                    "INSERT INTO invoice_line (invoice_id, membership_id, jkk, jkm, jht, amount, "
                    f"paid) SELECT :i, m.id, t.jkk, t.jkm, t.jht, t.amount, 0 {priced}"
                ),
                {**params, "i": int(inv_id)},
            )
        conn.execute(text("DROP TABLE IF EXISTS tmp_price"))
        n_lines, total = conn.execute(
            text(
                "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM invoice_line WHERE invoice_id = :i"
            ),
            {"i": int(inv_id)},
        ).one()
        n_lines, total = int(n_lines), int(total)
        conn.execute(
            invoice.update().where(invoice.c.id == int(inv_id)).values(lines=n_lines, amount=total)
        )
    return {
        "invoice": number,
        "id": int(inv_id),
        "program": prog["name"],
        "month": month,
        "lines": n_lines,
        "amount": total,
        "suspended": n_lapsed,
        "ended": ended.height,
        "issued_on": today,
    }


def _write_lines_pg(
    conn: Connection, invoice_id: int, priced: str, params: dict[str, Any], prices: pl.DataFrame
) -> None:
    """PostgreSQL: the lines of one invoice through COPY instead of ``INSERT ... SELECT``.

    ``INSERT ... SELECT`` inserts heap tuples one by one (a WAL record each, beside the key's),
    COPY in batches: for 1M lines it wrote 186 MB of WAL in 2M records against COPY's 140 MB,
    and took about three times as long. So the database still matches each membership to its
    package (only ``(membership id, package index)`` travels, two integer columns), the prices
    are gathered here, and the lines go back sorted by the key ``(invoice_id,
    membership_id)``, every insert landing on the right edge of the B-tree."""
    conn.execute(text("ANALYZE tmp_price"))  # a few rows: a hash join, not a sort of 1M members
    members = read_frame(conn, f"SELECT m.id AS membership_id, t.pkg {priced}", params).sort(
        "membership_id"
    )
    table = prices.select(pl.col("pkg").cast(pl.Int64), "jkk", "jkm", "jht", amount=pl.col("total"))
    lines = billing.stored_lines(invoice_id, members.join(table, on="pkg", how="left"))
    insert_frame(conn, "invoice_line", lines)


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
                f"Pembayaran {rupiah(amount)} melebihi sisa tagihan {inv['number']} ({rupiah(outstanding)})",
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
        i = {"i": inv["id"]}
        conn.execute(text("DROP TABLE IF EXISTS tmp_paid"))
        conn.execute(text("CREATE TEMPORARY TABLE tmp_paid (id BIGINT PRIMARY KEY)"))
        if amount == outstanding:  # the usual SP2D settles the invoice: all in the database
            conn.execute(
                text(
                    "INSERT INTO tmp_paid (id) SELECT membership_id FROM invoice_line "
                    "WHERE invoice_id = :i AND paid < amount"
                ),
                i,
            )
            conn.execute(
                text(
                    "UPDATE invoice_line SET paid = amount WHERE invoice_id = :i AND paid < amount"
                ),
                i,
            )
            n_full, n_part = _count(conn, "tmp_paid"), 0
        else:  # a part-payment: allocate by the rule, in Polars
            lines = read_frame(
                conn,
                "SELECT membership_id, amount, paid FROM invoice_line "
                "WHERE invoice_id = :i AND paid < amount",
                i,
            ).with_columns(pl.all().cast(pl.Int64))
            changed = billing.allocate(lines, amount)
            conn.execute(text("DROP TABLE IF EXISTS tmp_alloc"))
            conn.execute(
                text(
                    "CREATE TEMPORARY TABLE tmp_alloc (id BIGINT PRIMARY KEY, paid BIGINT NOT NULL)"
                )
            )
            insert_frame(conn, "tmp_alloc", changed.select(id="membership_id", paid="paid"))
            conn.execute(
                text(
                    "UPDATE invoice_line SET paid = (SELECT t.paid FROM tmp_alloc t "
                    "WHERE t.id = invoice_line.membership_id) "
                    "WHERE invoice_id = :i AND membership_id IN (SELECT id FROM tmp_alloc)"
                ),
                i,
            )
            drop_temp(conn, "tmp_alloc")
            full = changed.filter(pl.col("full")).select(id=pl.col("membership_id"))
            insert_frame(conn, "tmp_paid", full)
            n_full, n_part = full.height, changed.height - full.height
        extend_coverage(conn, "tmp_paid", inv["month"])
        revived = _revive(conn, "tmp_paid", on)
        drop_temp(conn, "tmp_paid")
    return {
        "invoice": inv["number"],
        "sp2d": sp2d,
        "paid_on": on,
        "amount": amount,
        "invoice_amount": int(inv["amount"]),
        "paid": paid_before + amount,
        "outstanding": outstanding - amount,
        "lines_paid": n_full,
        "lines_part_paid": n_part,
        "reactivated": revived,
    }


def _count(conn: Connection, table: str) -> int:
    return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def extend_coverage(conn: Connection, ids_table: str, month: dt.date) -> int:
    """Add ``month`` (now paid in full) to the coverage periods of these memberships, set-wise.

    One invoice is one month, so every membership gains the same month: a period ending the
    day before it is extended, a period starting the day after it is pulled back, two periods
    that now touch are merged, and memberships with neither get a new one-month period. Only
    the rows of these memberships are touched (``refresh_coverage`` is the full recompute;
    the tests check both agree). ``ids_table`` is a temporary table ``(id)`` of the
    memberships. Returns the number of new periods."""
    first, last = first_of(month), last_day(month)
    p = {
        "f": first,
        "l": last,
        "before": first - dt.timedelta(days=1),
        "after": last + dt.timedelta(days=1),
    }
    mine = f"membership_id IN (SELECT id FROM {ids_table})"
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
        f"WHERE m.id IN (SELECT id FROM {ids_table}) AND NOT EXISTS (SELECT 1 FROM coverage_period c "
        "WHERE c.membership_id = m.id AND c.start_date <= :f AND c.end_date >= :f)",
        {"f": first},
    )
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
    dialect.sync_sequence(conn, "coverage_period")
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
    paid = dialect.date_columns(paid, "month").with_columns(
        pl.col("membership_id").cast(pl.Int64),
        pl.col("person_id").cast(pl.Int64),
        pl.col("program_id").cast(pl.Int64),
    )
    islands = billing.coverage_islands(paid)
    ids = next_ids(conn, coverage_period, islands.height)  # contract table: BIGINT id
    islands = islands.with_columns(id=pl.Series(list(ids), dtype=pl.Int64))
    written = insert_frame(conn, coverage_period, islands)
    dialect.sync_sequence(conn, "coverage_period")
    return written


def _revive(conn: Connection, ids_table: str, on: dt.date) -> int:
    """Suspended memberships among ``ids_table`` with nothing left unpaid become active."""
    rows = read_frame(
        conn,
        f"SELECT m.id FROM membership m WHERE m.id IN (SELECT id FROM {ids_table}) "
        "AND m.state = 'suspended' AND NOT EXISTS (SELECT 1 FROM invoice_line l "
        "WHERE l.membership_id = m.id AND l.paid < l.amount)",
    )
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
    rows = dialect.date_columns(rows, "month").with_columns(
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
        future = dialect.date_columns(future, "start_month", "end_month").with_columns(
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
