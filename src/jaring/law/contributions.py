"""BPJS TK contributions, for one worker or for millions of worker-months, by the same code.

The parameters in force on a date are a handful of scalars (33 band edges, a few rates, a wage
cap). :func:`frame` resolves them once per distinct date and then computes every column with
integer Polars expressions over the whole frame: no per-row Python, no floats, the rounding
rule of each parameter applied exactly as :func:`jaring.law.rounding.apply_bp` does. The
one-worker calls :func:`bpu` and :func:`pu` put the worker in a one-row frame, run
:func:`frame`, and add the explanation lines from the same resolved parameters.

Columns of a contribution frame (all Int64, whole rupiah):

- ``base``: the BPU band's base income ("dasar penghasilan"), or the PU wage;
- ``jkk``, ``jkm``: the two programs a Pemda pays for pekerja rentan;
- ``jht``: BPU optional JHT, or for PU the employer + worker JHT;
- ``jht_employer``, ``jht_worker``, ``jp_employer``, ``jp_worker``: PU shares (0 for BPU);
- ``discount``: PP 49/2020 relief or the PP 50/2025 discount (self-paying BPU only);
- ``total`` = jkk + jkm + jht + jp_employer + jp_worker - discount.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import polars as pl

from jaring.errors import JaringError
from jaring.law.amount import Amount, ExplanationLine, is_uncertain
from jaring.law.parameters import LAW_START, Entry, ParameterError, params
from jaring.law.rounding import apply_bp, apply_bp_expr

SEGMENTS = ("bpu", "pu")
RISKS = ("sangat-rendah", "rendah", "sedang", "tinggi", "sangat-tinggi")
PAYERS = ("apbd", "self")
#: Larger declared incomes or wages are refused: no worker earns a trillion rupiah a month,
#: and the bound keeps ``amount * basis points`` far inside Int64.
MAX_RUPIAH = 1_000_000_000_000
OUTPUT = (
    "base",
    "jkk",
    "jkm",
    "jht",
    "jht_employer",
    "jht_worker",
    "jp_employer",
    "jp_worker",
    "discount",
    "total",
)
BPU_PARAMS = ("bpu.income_bands", "bpu.jkk_rate", "bpu.jkm", "bpu.jht_rate", "discounts.pp50_2025")
PU_PARAMS = (
    "pu.jkk_rates",
    "pu.jkm_rate",
    "pu.jht_rate_employer",
    "pu.jht_rate_worker",
    "pu.jp_rate_employer",
    "pu.jp_rate_worker",
    "pu.jp_wage_cap",
)
COMMON_PARAMS = ("discounts.pp49_2020",)
#: Set while :func:`bpu`/:func:`pu` run, so refusals name the field rather than "row 1".
_single: contextvars.ContextVar[bool] = contextvars.ContextVar("single", default=False)


def _date(on: Any) -> dt.date:
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    raise JaringError(
        "bad_date",
        f"Tanggal tidak sah: {on!r}",
        f"Not a date: {on!r}",
        value=str(on),
    )


def check_date(on: dt.date) -> dt.date:
    """Refuse a date before the law (1 July 2015) with a message naming it."""
    on = _date(on)
    if on < LAW_START:
        raise ParameterError(
            "date_before_law",
            f"Tanggal {on.isoformat()} sebelum program BPJS TK berlaku ({LAW_START.isoformat()})",
            f"Date {on.isoformat()} is before the BPJS TK programs started ({LAW_START.isoformat()})",
            date=on.isoformat(),
        )
    return on


@functools.lru_cache(maxsize=4096)
def resolve(on: dt.date, segments: tuple[str, ...] = SEGMENTS) -> dict[str, Entry]:
    """The parameter entries in force on ``on`` for the given segments.

    Only the segments present are resolved, so a frame of BPU workers in 2026 computes even
    though the 2026 JP wage cap is unknown; one PU worker in it raises the error naming
    ``pu.jp_wage_cap``.
    """
    check_date(on)
    names: list[str] = list(COMMON_PARAMS)
    if "bpu" in segments:
        names += BPU_PARAMS
    if "pu" in segments:
        names += PU_PARAMS
    tree = params()
    return {name: tree.entry(name, on) for name in names}


def _key(entries: dict[str, Entry]) -> tuple[tuple[str, dt.date], ...]:
    """Two dates with the same key have the same parameter values."""
    return tuple(sorted((n, e.effective_from) for n, e in entries.items()))


# --- input checking -------------------------------------------------------------------------


def _refuse(code: str, id_: str, en: str, df: pl.DataFrame, bad: pl.Expr, field: str) -> None:
    """Raise for the first row where ``bad`` holds, naming its 1-based row and value."""
    rows = df.with_row_index("_row").filter(bad).head(1)
    if rows.height:
        row = int(rows["_row"][0]) + 1
        value = rows[field][0] if field in rows.columns else None
        if _single.get():  # one worker: there is no "row" to speak of
            raise JaringError(
                code,
                f"{id_} ({field} = {value!r})",
                f"{en} ({field} = {value!r})",
                field=field,
                value=None if value is None else str(value),
            )
        raise JaringError(
            code,
            f"{id_} (baris {row}, kolom {field}, nilai {value!r})",
            f"{en} (row {row}, field {field}, value {value!r})",
            row=row,
            field=field,
            value=None if value is None else str(value),
        )


def _as_int(df: pl.DataFrame, name: str) -> pl.DataFrame:
    dtype = df.schema[name]
    if dtype == pl.Int64:
        return df
    if dtype.is_float():
        _refuse(
            "not_whole_rupiah",
            "Nilai rupiah harus bilangan bulat",
            "Rupiah amounts must be whole numbers",
            df,
            pl.col(name).is_not_null() & (pl.col(name) != pl.col(name).floor()),
            name,
        )
    elif dtype == pl.String:
        _refuse(
            "not_a_number",
            "Nilai rupiah bukan angka",
            "Rupiah amount is not a number",
            df,
            pl.col(name).is_not_null()
            & pl.col(name).str.strip_chars().str.to_integer(strict=False).is_null(),
            name,
        )
        return df.with_columns(pl.col(name).str.strip_chars().str.to_integer(strict=False))
    elif dtype == pl.Null or dtype.is_integer():
        pass
    else:
        raise JaringError(
            "bad_column",
            f"Kolom {name} harus angka, bukan {dtype}",
            f"Column {name} must be numeric, not {dtype}",
            field=name,
        )
    return df.with_columns(pl.col(name).cast(pl.Int64))


def _prepare(df: pl.DataFrame, on: dt.date | None) -> pl.DataFrame:
    """Fill optional columns with their defaults, cast, and refuse bad rows (vectorised)."""
    if "segment" not in df.columns:
        raise JaringError(
            "missing_column",
            "Kolom segment tidak ada (isi bpu atau pu)",
            "Column segment is missing (bpu or pu)",
            field="segment",
        )
    add: list[pl.Expr] = []
    for name, default in (
        ("income", pl.lit(None, pl.Int64)),
        ("wage", pl.lit(None, pl.Int64)),
        ("risk", pl.lit(None, pl.String)),
        ("jht", pl.lit(False)),
        ("paid_by", pl.lit("apbd")),
        ("transport", pl.lit(False)),
    ):
        if name not in df.columns:
            add.append(default.alias(name))
    if add:
        df = df.with_columns(add)
    df = _as_int(_as_int(df, "income"), "wage")
    casts: list[pl.Expr] = []
    if df.schema["segment"] != pl.String:
        casts.append(pl.col("segment").cast(pl.String))
    if df.schema["risk"] != pl.String:
        casts.append(pl.col("risk").cast(pl.String))
    if df.schema["paid_by"] != pl.String:
        casts.append(pl.col("paid_by").cast(pl.String))
    for flag in ("jht", "transport"):
        if df.schema[flag] != pl.Boolean:
            casts.append(_to_bool(df, flag))
    if casts:
        df = df.with_columns(casts)
    df = df.with_columns(
        pl.col("segment").str.to_lowercase(),
        pl.col("jht").fill_null(False),
        pl.col("transport").fill_null(False),
        pl.col("paid_by").fill_null("apbd").str.to_lowercase(),
        pl.col("risk").str.to_lowercase().str.replace_all("_", "-").str.replace_all(" ", "-"),
    )
    if on is None:
        if "month" not in df.columns:
            raise JaringError(
                "missing_column",
                "Tanpa tanggal (--on), kolom month wajib ada",
                "Without a date (--on), column month is required",
                field="month",
            )
        if df.schema["month"] != pl.Date:
            try:
                df = df.with_columns(pl.col("month").cast(pl.Date))
            except pl.exceptions.PolarsError:
                raise JaringError(
                    "bad_column",
                    "Kolom month harus berisi tanggal",
                    "Column month must hold dates",
                    field="month",
                ) from None
        _refuse(
            "missing_value",
            "Bulan kosong",
            "Month is empty",
            df,
            pl.col("month").is_null(),
            "month",
        )

    seg, bpu, pu = pl.col("segment"), pl.col("segment") == "bpu", pl.col("segment") == "pu"
    checks: list[tuple[str, str, str, pl.Expr, str]] = [
        (
            "unknown_segment",
            "Segmen tidak dikenal (bpu atau pu)",
            "Unknown segment (bpu or pu)",
            seg.is_null() | ~seg.is_in(SEGMENTS),
            "segment",
        )
    ]
    for field, where, word in (("income", bpu, "Penghasilan"), ("wage", pu, "Upah")):
        col = pl.col(field)
        checks += [
            ("missing_value", f"{word} kosong", f"{field} is empty", where & col.is_null(), field),
            (
                f"negative_{field}",
                f"{word} tidak boleh negatif",
                f"{field.capitalize()} must not be negative",
                where & (col < 0),
                field,
            ),
            (
                "amount_too_large",
                "Nilai rupiah terlalu besar",
                "Rupiah amount too large",
                where & (col > MAX_RUPIAH),
                field,
            ),
        ]
    checks += [
        (
            "unknown_risk",
            f"Kelompok risiko tidak dikenal (pilih: {', '.join(RISKS)})",
            f"Unknown risk group (choose: {', '.join(RISKS)})",
            pu & (pl.col("risk").is_null() | ~pl.col("risk").is_in(RISKS)),
            "risk",
        ),
        (
            "unknown_payer",
            "Pembayar tidak dikenal (apbd atau self)",
            "Unknown payer (apbd or self)",
            ~pl.col("paid_by").is_in(PAYERS),
            "paid_by",
        ),
    ]
    # One pass over the frame for every check; only a failing check looks for its row.
    hits = df.select(
        check[3].fill_null(False).any().alias(str(i)) for i, check in enumerate(checks)
    ).row(0)
    for hit, (code, id_, en, bad, field) in zip(hits, checks, strict=True):
        if hit:
            _refuse(code, id_, en, df, bad.fill_null(False), field)
    return df


_TRUE = ("1", "true", "ya", "y", "yes", "t")
_FALSE = ("0", "false", "tidak", "n", "no", "f", "")


def _to_bool(df: pl.DataFrame, name: str) -> pl.Expr:
    """A yes/no column from text (ya/tidak, 1/0, true/false) or numbers (non-zero = yes, so a
    contribution frame's JHT amount reads back as the JHT choice)."""
    if df.schema[name].is_numeric():
        return (pl.col(name) != 0).alias(name)
    text = pl.col(name).cast(pl.String).str.strip_chars().str.to_lowercase()
    _refuse(
        "bad_flag",
        "Nilai ya/tidak tidak dikenal",
        "Unknown yes/no value",
        df,
        text.is_not_null() & ~text.is_in(_TRUE + _FALSE),
        name,
    )
    return text.is_in(_TRUE).alias(name)


# --- the computation ---------------------------------------------------------------------------


def _expressions(entries: dict[str, Entry], segments: set[str]) -> list[list[pl.Expr]]:
    """The output columns as integer expressions, with this date's parameters as literals."""
    zero = pl.lit(0, pl.Int64)
    income, wage = pl.col("income"), pl.col("wage")
    parts: dict[str, dict[str, pl.Expr]] = {}
    if "bpu" in segments:
        bands = entries["bpu.income_bands"].value
        lowers = pl.Series([row["lower"] for row in bands], dtype=pl.Int64)
        bases = pl.Series([row["base"] for row in bands], dtype=pl.Int64)
        base = pl.lit(bases).gather(
            pl.lit(lowers).search_sorted(income.fill_null(0), side="right") - 1
        )
        jkk_e, jht_e = entries["bpu.jkk_rate"], entries["bpu.jht_rate"]
        pp50 = entries["discounts.pp50_2025"]
        jkk = apply_bp_expr(pl.col("base"), jkk_e.value, jkk_e.rounding)
        jkm = pl.lit(entries["bpu.jkm"].value, pl.Int64)
        if pp50.value["transport"] or pp50.value["other"]:
            bp = (
                pl.when(pl.col("transport"))
                .then(pp50.value["transport"])
                .otherwise(pp50.value["other"])
            )
            pp50_expr = (
                pl.when(pl.col("paid_by") == "self")
                .then(apply_bp_expr(pl.col("jkk") + pl.col("jkm"), bp, pp50.rounding))
                .otherwise(0)
            )
        else:
            pp50_expr = zero
        parts["bpu"] = {
            "base": base,
            "jkk": jkk,
            "jkm": jkm,
            "jht": pl.when(pl.col("jht"))
            .then(apply_bp_expr(pl.col("base"), jht_e.value, jht_e.rounding))
            .otherwise(0),
            "jht_employer": zero,
            "jht_worker": zero,
            "jp_employer": zero,
            "jp_worker": zero,
            "pp50": pp50_expr,
        }
    if "pu" in segments:
        rates = entries["pu.jkk_rates"]
        risk_bp = pl.col("risk").replace_strict(
            dict(rates.value), default=None, return_dtype=pl.Int64
        )
        cap = pl.lit(entries["pu.jp_wage_cap"].value, pl.Int64)
        capped = pl.min_horizontal(wage, cap)

        def pct(amount: pl.Expr, name: str) -> pl.Expr:
            e = entries[name]
            return apply_bp_expr(amount, e.value, e.rounding)

        parts["pu"] = {
            "base": wage,
            "jkk": apply_bp_expr(wage, risk_bp, rates.rounding),
            "jkm": pct(wage, "pu.jkm_rate"),
            "jht": pl.col("jht_employer") + pl.col("jht_worker"),
            "jht_employer": pct(wage, "pu.jht_rate_employer"),
            "jht_worker": pct(wage, "pu.jht_rate_worker"),
            "jp_employer": pct(capped, "pu.jp_rate_employer"),
            "jp_worker": pct(capped, "pu.jp_rate_worker"),
            "pp50": zero,
        }

    def pick(name: str) -> pl.Expr:
        if len(parts) == 2:
            return (
                pl.when(pl.col("segment") == "bpu")
                .then(parts["bpu"][name])
                .otherwise(parts["pu"][name])
            )
        return next(iter(parts.values()))[name]

    pp49 = entries["discounts.pp49_2020"]
    pp49_expr = (
        apply_bp_expr(pl.col("jkk") + pl.col("jkm"), pp49.value, pp49.rounding)
        if pp49.value
        else zero
    )
    # Stages of independent columns; Polars computes the columns of one stage in parallel.
    return [
        [
            pick(n).cast(pl.Int64).alias(n)
            for n in ("base", "jht_employer", "jht_worker", "jp_employer", "jp_worker")
        ],
        [pick(n).cast(pl.Int64).alias(n) for n in ("jkk", "jkm", "jht")],
        [(pp49_expr + pick("pp50")).cast(pl.Int64).alias("discount")],
        [
            (
                pl.col("jkk")
                + pl.col("jkm")
                + pl.col("jht")
                + pl.col("jp_employer")
                + pl.col("jp_worker")
                - pl.col("discount")
            ).alias("total")
        ],
    ]


def _compute(
    df: pl.DataFrame, entries: dict[str, Entry], segments: set[str], keep: list[str]
) -> pl.DataFrame:
    lf = df.lazy()
    for stage in _expressions(entries, segments):
        lf = lf.with_columns(stage)
    return lf.select(*keep, *OUTPUT).collect()


def _segments_present(df: pl.DataFrame) -> set[str]:
    return set(df["segment"].unique().to_list())


def frame(df: pl.DataFrame, on: dt.date | None = None) -> pl.DataFrame:
    """Contributions for every row of ``df`` at ``on``, or at each row's ``month`` when None.

    Input columns: ``segment`` (bpu|pu), ``income`` (BPU declared income) and/or ``wage``
    (PU), ``risk`` (PU), ``jht`` (bool), optional ``paid_by`` (apbd|self, default apbd),
    ``transport`` (bool), and ``month`` (Date) when ``on`` is None. Returns the input columns
    plus Int64 :data:`OUTPUT`; the bool input ``jht`` is replaced by the JHT amount. Bad rows raise :class:`JaringError` naming the first one.
    """
    if on is not None:
        on = check_date(on)
    drop_cols = [c for c in OUTPUT if c in df.columns and c != "jht"]
    if drop_cols:
        df = df.drop(drop_cols)
    # The input columns come back (cast), without the defaults _prepare adds; the bool input
    # ``jht`` becomes the JHT amount (Int64) of the same name.
    keep = [col for col in df.columns if col not in OUTPUT]
    prepared = _prepare(df, on)
    if prepared.height == 0:
        return (
            prepared.with_columns(pl.lit(None, pl.Int64).alias(c) for c in OUTPUT)
            .select(*keep, *OUTPUT)
            .clear()
        )
    if on is not None:
        segments = _segments_present(prepared)
        return _compute(prepared, resolve(on, tuple(sorted(segments))), segments, keep)

    # Worker-months: resolve once per distinct month, group months with identical parameters.
    per_month = prepared.group_by("month").agg(pl.col("segment").unique())
    groups: dict[tuple[Any, ...], tuple[dict[str, Entry], set[str], list[dt.date]]] = {}
    for month, segs in per_month.iter_rows():
        segments = set(segs)
        entries = resolve(check_date(month), tuple(sorted(segments)))
        key = (_key(entries), tuple(sorted(segments)))
        groups.setdefault(key, (entries, segments, []))[2].append(month)
    if len(groups) == 1:
        entries, segments, _ = next(iter(groups.values()))
        return _compute(prepared, entries, segments, keep)
    indexed = prepared.with_row_index("_order")
    pieces = [
        _compute(
            indexed.filter(pl.col("month").is_in(months)), entries, segments, ["_order", *keep]
        )
        for entries, segments, months in groups.values()
    ]
    return pl.concat(pieces).sort("_order").drop("_order")


def totals(df: pl.DataFrame) -> dict[str, int]:
    """Sum of every money column of a contribution frame, as Python ints."""
    sums = df.select(pl.col(c).sum() for c in OUTPUT if c != "base").row(0, named=True)
    return {k: int(v) for k, v in sums.items()}


# --- one worker, with the explanation ------------------------------------------------------------


def _band(entries: dict[str, Entry], income: int) -> dict[str, Any]:
    rows = entries["bpu.income_bands"].value
    chosen = rows[0]
    for row in rows:
        if row["lower"] <= income:
            chosen = row
    nxt = [r["lower"] for r in rows if r["lower"] > chosen["lower"]]
    return {**chosen, "upper": (nxt[0] - 1) if nxt else None}


def _discount_lines(
    entries: dict[str, Entry], jkk: int, jkm: int, *, bpu_self: bool, transport: bool, bpu: bool
) -> list[ExplanationLine]:
    lines: list[ExplanationLine] = []
    pp49 = entries["discounts.pp49_2020"]
    if pp49.value:
        lines.append(ExplanationLine.of(pp49, -apply_bp(jkk + jkm, pp49.value, pp49.rounding)))
    if bpu:
        pp50 = entries["discounts.pp50_2025"]
        bp = pp50.value["transport" if transport else "other"]
        if bp and bpu_self:
            lines.append(
                ExplanationLine.of(pp50, -apply_bp(jkk + jkm, bp, pp50.rounding), value=bp)
            )
        elif bp:
            lines.append(
                ExplanationLine.of(
                    pp50,
                    0,
                    value=0,
                    note="Tidak berlaku bila iuran dibayar APBN/APBD / not when the state or a Pemda pays",
                )
            )
    return lines


def bpu(
    income: int,
    on: dt.date,
    *,
    jht: bool = False,
    paid_by: str = "apbd",
    transport: bool = False,
) -> Amount:
    """One BPU worker's monthly contribution at ``on``: band base, JKK, JKM, optional JHT.

    ``paid_by="apbd"`` (a Pemda pays) is never discounted; ``"self"`` gets PP 50/2025 in its
    windows. Components: ``base``, ``jkk``, ``jkm``, ``jht``, ``discount`` (when any), ``total``.
    """
    on = check_date(on)
    row = _one(
        {
            "segment": "bpu",
            "income": income,
            "jht": jht,
            "paid_by": paid_by,
            "transport": transport,
        },
        on,
    )
    entries = resolve(on, ("bpu",))
    band = _band(entries, income)
    lines = [
        ExplanationLine.of(entries["bpu.income_bands"], None, value=band),
        ExplanationLine.of(entries["bpu.jkk_rate"], row["jkk"]),
        ExplanationLine.of(entries["bpu.jkm"], row["jkm"]),
    ]
    if jht:
        lines.append(ExplanationLine.of(entries["bpu.jht_rate"], row["jht"]))
    lines += _discount_lines(
        entries, row["jkk"], row["jkm"], bpu_self=paid_by == "self", transport=transport, bpu=True
    )
    components = {k: row[k] for k in ("base", "jkk", "jkm", "jht")}
    if row["discount"]:
        components["discount"] = row["discount"]
    components["total"] = row["total"]
    return Amount(
        total=row["total"], components=components, explanation=lines, uncertain=is_uncertain(lines)
    )


def pu(wage: int, risk: str, on: dt.date) -> Amount:
    """One PU worker's monthly contribution at ``on`` (employer and worker shares).

    Components: ``jkk``, ``jkm``, ``jht_employer``, ``jht_worker``, ``jp_employer``,
    ``jp_worker``, ``discount`` (when any), ``total``. JP is on the wage up to that date's cap;
    a date whose cap is unknown (March 2026 on) raises the error naming ``pu.jp_wage_cap``.
    """
    on = check_date(on)
    row = _one({"segment": "pu", "wage": wage, "risk": risk}, on)
    entries = resolve(on, ("pu",))
    cap = entries["pu.jp_wage_cap"]
    lines = [
        ExplanationLine.of(
            entries["pu.jkk_rates"],
            row["jkk"],
            value={row["risk"]: entries["pu.jkk_rates"].value[row["risk"]]},
        ),
        ExplanationLine.of(entries["pu.jkm_rate"], row["jkm"]),
        ExplanationLine.of(entries["pu.jht_rate_employer"], row["jht_employer"]),
        ExplanationLine.of(entries["pu.jht_rate_worker"], row["jht_worker"]),
        ExplanationLine.of(cap, None),
        ExplanationLine.of(entries["pu.jp_rate_employer"], row["jp_employer"]),
        ExplanationLine.of(entries["pu.jp_rate_worker"], row["jp_worker"]),
    ]
    lines += _discount_lines(
        entries, row["jkk"], row["jkm"], bpu_self=False, transport=False, bpu=False
    )
    keys = ("jkk", "jkm", "jht_employer", "jht_worker", "jp_employer", "jp_worker")
    components = {k: row[k] for k in keys}
    if row["discount"]:
        components["discount"] = row["discount"]
    components["total"] = row["total"]
    return Amount(
        total=row["total"], components=components, explanation=lines, uncertain=is_uncertain(lines)
    )


def _one(values: dict[str, Any], on: dt.date) -> dict[str, Any]:
    for field in ("income", "wage"):
        if field in values and (
            isinstance(values[field], bool) or not isinstance(values[field], int)
        ):
            raise JaringError(
                "not_whole_rupiah",
                f"{field} harus bilangan bulat rupiah",
                f"{field} must be whole rupiah",
                field=field,
                value=str(values[field]),
            )
    schema = {
        "segment": pl.String,
        "income": pl.Int64,
        "wage": pl.Int64,
        "risk": pl.String,
        "jht": pl.Boolean,
        "paid_by": pl.String,
        "transport": pl.Boolean,
    }
    one = pl.DataFrame({k: [v] for k, v in values.items()}, schema={k: schema[k] for k in values})
    token = _single.set(True)
    try:
        return frame(one, on).row(0, named=True)
    finally:
        _single.reset(token)


def for_rows(rows: Iterable[dict[str, Any]], on: dt.date | None = None) -> pl.DataFrame:
    """Convenience for callers holding dicts: build a frame and run :func:`frame`."""
    return frame(pl.DataFrame(list(rows)), on)
