"""BPJS TK contributions: what a worker, or the Pemda for them, pays each month.

**BPU** (bukan penerima upah, PP 44/2015 Lampiran II): the declared income falls in a band;
the contribution is a percentage of the band's base income ("dasar penghasilan"): JKK 1%,
JHT 2% when the worker opts into it, plus a fixed JKM (Rp6.800). A worker declaring Rp1.000.000
pays JKK Rp10.000 + JKM Rp6.800 = Rp16.800 a month. **PU** (penerima upah): JKK by the risk
group of the work, JKM, JHT (employer and worker shares) as percentages of the wage, and JP
on the wage up to that year's cap. **Discounts**: PP 49/2020 (99% of JKK + JKM, August 2020 to
January 2021) and PP 50/2025 (50% of JKK + JKM for a BPU paying for themself, never when a
Pemda pays). Every rate, band and date is a parameter (:mod:`jaring.law.parameters`), each
percentage rounded by its own rule (:func:`jaring.law.rounding.apply_bp`); worked examples are
the cases in ``law/cases/contributions.yaml``.

One worker (:func:`bpu`, :func:`pu`: an :class:`~jaring.law.amount.Amount` with the lines that
explain it) and millions of workers or worker-months (:func:`frame`) are computed by the same
code, :func:`_amounts`, on numpy columns (:mod:`jaring.law.blocks` runs it block by block;
:mod:`jaring.law.inputs` checks and encodes a frame).

Columns of a contribution frame (all Int64, whole rupiah):

- ``base``: the BPU band's base income ("dasar penghasilan"), or the PU wage;
- ``jkk``, ``jkm``: the two programs a Pemda pays for pekerja rentan;
- ``jht``: BPU optional JHT, or for PU the employer + worker JHT;
- ``jht_employer``, ``jht_worker``, ``jp_employer``, ``jp_worker``: PU shares (0 for BPU);
- ``discount``: PP 49/2020 relief or the PP 50/2025 discount (self-paying BPU only);
- ``total`` = jkk + jkm + jht + jp_employer + jp_worker - discount.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, cast

import numpy as np
import polars as pl

from jaring import errors as common
from jaring.law import blocks, errors, inputs
from jaring.law.amount import Amount, ExplanationLine, is_uncertain
from jaring.law.blocks import BandTable, Column, Compute
from jaring.law.inputs import MAX_RUPIAH, PAYERS, RISKS, SEGMENTS
from jaring.law.parameters import LAW_START, Entry, ParameterError, params
from jaring.law.rounding import apply_bp

__all__ = [
    "MAX_RUPIAH",
    "OUTPUT",
    "PAYERS",
    "RISKS",
    "SEGMENTS",
    "bpu",
    "check_date",
    "frame",
    "pu",
    "resolve",
    "totals",
]

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
_EPOCH = dt.date(1970, 1, 1)


def check_date(on: Any, field: str = "on") -> dt.date:
    """``on`` as a date; refused when it is not one (``bad_date``, naming ``field``) or when it
    is before the law (1 July 2015: ``date_before_law``)."""
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(on, dt.date):
        raise common.BAD_DATE(field=field, value=str(on))
    if on < LAW_START:
        raise ParameterError(errors.DATE_BEFORE_LAW, date=on.isoformat())
    return on


@functools.lru_cache(maxsize=4096)
def resolve(
    on: dt.date, segments: tuple[str, ...] = SEGMENTS, *, jp: bool = True
) -> dict[str, Entry]:
    """The parameter entries in force on ``on`` for the given segments.

    Only the segments present are resolved, so a frame of BPU workers in 2026 computes even
    though the 2026 JP wage cap is unknown; one PU worker with JP in it raises the error naming
    ``pu.jp_wage_cap`` (``jp=False``: no PU package has JP, the cap is not asked for).
    """
    check_date(on)
    names: list[str] = list(COMMON_PARAMS)
    if "bpu" in segments:
        names += BPU_PARAMS
    if "pu" in segments:
        names += [n for n in PU_PARAMS if jp or n != "pu.jp_wage_cap"]
    tree = params()
    return {name: tree.entry(name, on) for name in names}


def _key(entries: dict[str, Entry]) -> tuple[tuple[str, dt.date], ...]:
    """Two dates with the same key have the same parameter values."""
    return tuple(sorted((n, e.effective_from) for n, e in entries.items()))


# --- the rules, on columns of workers ------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _bpu_bands(
    bands: tuple[Any, ...],
    jkk_bp: int,
    jkk_round: str | None,
    jht_bp: int,
    jht_round: str | None,
    jkm: int,
) -> BandTable:
    """Per BPU income band: its base income, JKK and JHT on that base (each by its own
    rounding rule) and JKK + JKM, the band's total before JHT and discounts."""
    bases = [row["base"] for row in bands]
    jkk = [apply_bp(b, jkk_bp, jkk_round) for b in bases]
    jht = [apply_bp(b, jht_bp, jht_round) for b in bases]
    per_band = {"base": bases, "jkk": jkk, "jht": jht, "jkk_jkm": [j + jkm for j in jkk]}
    return BandTable.of([row["lower"] for row in bands], per_band)


def _bpu(
    cols: dict[str, np.ndarray], entries: dict[str, Entry], out: dict[str, np.ndarray]
) -> None:
    """BPU: JKK and (when chosen) JHT are percentages of the base income of the band the
    declared income falls in; JKM is one amount for everyone.

    Computed for every row of the block (a PU row reads some band and is overwritten later).
    """
    jkk, jht = entries["bpu.jkk_rate"], entries["bpu.jht_rate"]
    jkm = entries["bpu.jkm"].value
    table = _bpu_bands(
        entries["bpu.income_bands"].value, jkk.value, jkk.rounding, jht.value, jht.rounding, jkm
    )
    band = table.index(cols["income"])
    table.take("base", band, out["base"])
    table.take("jkk", band, out["jkk"])
    out["jkm"].fill(jkm)
    table.take("jkk_jkm", band, out["total"])
    if "_jht" in cols:
        table.take("jht", band, out["jht"])
        np.multiply(out["jht"], cols["_jht"], out=out["jht"])
        np.add(out["total"], out["jht"], out=out["total"])


def _pu(
    cols: dict[str, np.ndarray], entries: dict[str, Entry], out: dict[str, np.ndarray], at: Any
) -> None:
    """PU, on the rows ``at``: JKK at the rate of the work's risk group, JKM and JHT (employer
    and worker) as percentages of the wage; JP (employer and worker) on the wage up to the cap
    in force. JHT and JP only when the package has them (``_jht``, ``_jp``; default yes)."""
    wage = cols["wage"][at]
    rates = entries["pu.jkk_rates"]
    risk_bp = np.asarray([rates.value[r] for r in RISKS], dtype=np.int64)[cols["_risk"][at]]
    cap = entries.get("pu.jp_wage_cap")  # absent when no row's package has JP
    capped = np.minimum(wage, cap.value) if cap is not None else np.zeros_like(wage)

    def pct(amount: np.ndarray, name: str) -> np.ndarray:
        e = entries[name]
        return apply_bp(amount, e.value, e.rounding)

    jkk = apply_bp(wage, risk_bp, rates.rounding)
    jkm = pct(wage, "pu.jkm_rate")
    jht_employer = pct(wage, "pu.jht_rate_employer")
    jht_worker = pct(wage, "pu.jht_rate_worker")
    jp_employer = pct(capped, "pu.jp_rate_employer")
    jp_worker = pct(capped, "pu.jp_rate_worker")
    if "_jht" in cols:  # the package: JKK + JKM always, JHT and JP when chosen
        jht_employer = jht_employer * cols["_jht"][at]
        jht_worker = jht_worker * cols["_jht"][at]
    if "_jp" in cols:
        jp_employer = jp_employer * cols["_jp"][at]
        jp_worker = jp_worker * cols["_jp"][at]
    jht = jht_employer + jht_worker
    out["base"][at] = wage
    out["jkk"][at] = jkk
    out["jkm"][at] = jkm
    out["jht"][at] = jht
    out["jht_employer"][at] = jht_employer
    out["jht_worker"][at] = jht_worker
    out["jp_employer"][at] = jp_employer
    out["jp_worker"][at] = jp_worker
    out["total"][at] = jkk + jkm + jht + jp_employer + jp_worker


def _discount(
    cols: dict[str, np.ndarray], entries: dict[str, Entry], out: dict[str, np.ndarray]
) -> np.ndarray | None:
    """The discount on JKK + JKM, or None when no row gets one: PP 49/2020 for everyone in its
    window; PP 50/2025 for a BPU paying for themself (its rate by transport or other work)."""
    discount: np.ndarray | None = None
    pp49 = entries["discounts.pp49_2020"]
    if pp49.value:
        discount = apply_bp(out["jkk"] + out["jkm"], pp49.value, pp49.rounding)
    pp50 = entries.get("discounts.pp50_2025")
    if pp50 is not None and "_self" in cols and (pp50.value["transport"] or pp50.value["other"]):
        who = cols["bpu"] & cols["_self"].astype(bool)
        if "_transport" in cols:
            bp = np.where(cols["_transport"], pp50.value["transport"], pp50.value["other"])
        else:
            bp = np.full(len(who), pp50.value["other"], dtype=np.int64)
        pp50_off = apply_bp(out["jkk"] + out["jkm"], bp * who, pp50.rounding)
        discount = pp50_off if discount is None else discount + pp50_off
    return discount


def _amounts(
    cols: dict[str, np.ndarray],
    entries: dict[str, Entry],
    segments: set[str],
    out: dict[str, np.ndarray],
) -> set[str]:
    """Every :data:`OUTPUT` column for the rows in ``cols``, written into ``out`` (zeroed, same
    length); returns the names of the columns written (the others stay zero).

    The BPU rules run on every row, the PU rules on the PU rows only (so a BPU-only block never
    touches the PU shares); then the discount comes off the total. Rounding is
    :func:`~jaring.law.rounding.apply_bp`, the very function the explanations use, so every
    path gives the same rupiah. One worker is this on arrays of length 1.
    """
    written: set[str] = set()
    if "bpu" in segments:
        _bpu(cols, entries, out)
        written.update(("base", "jkk", "jkm", "total"))
        if "_jht" in cols:
            written.add("jht")
    if "pu" in segments:
        at = np.flatnonzero(~cols["bpu"]) if "bpu" in segments else slice(None)
        _pu(cols, entries, out, at)
        written.update(("base", "jkk", "jkm", "jht", "total"))
        written.update(("jht_employer", "jht_worker", "jp_employer", "jp_worker"))
    discount = _discount(cols, entries, out)
    if discount is not None:
        out["discount"][:] = discount
        np.subtract(out["total"], discount, out=out["total"])
        written.add("discount")
    return written


def _plan(entries: dict[str, Entry], segments: set[str]) -> Compute:
    """The rules under one parameter set, as :mod:`jaring.law.blocks` runs them."""

    def compute(cols: dict[str, np.ndarray], out: dict[str, np.ndarray]) -> set[str]:
        return _amounts(cols, entries, segments, out)

    return compute


# --- many workers --------------------------------------------------------------------------------


def frame(df: pl.DataFrame, on: dt.date | None = None) -> pl.DataFrame:
    """Contributions for every row of ``df`` at ``on``, or at each row's ``month`` when None.

    Input columns: ``segment`` (bpu|pu), ``income`` (BPU declared income) and/or ``wage``
    (PU), ``risk`` (PU), ``jht`` (bool; empty: no for a BPU, yes for a PU), ``jp`` (bool, PU;
    empty: yes), optional ``paid_by`` (apbd|self|apbn|apbdes|donor, default apbd; only
    ``self`` gets the PP 50/2025 discount), ``transport`` (bool), and ``month`` (Date) when
    ``on`` is None. Returns the input columns
    (cast) plus Int64 :data:`OUTPUT`; the bool input ``jht`` is replaced by the JHT amount.
    Bad rows raise :class:`~jaring.errors.JaringError` naming the first one; a date without a
    value of a parameter it needs raises :class:`~jaring.law.parameters.ParameterError`.

    >>> workers = pl.DataFrame({"segment": ["bpu", "bpu"], "income": [1_000_000, 2_500_000]})
    >>> frame(workers, dt.date(2024, 3, 1))["total"].to_list()
    [16800, 32800]
    """
    if on is not None:
        on = check_date(on)
    keep = [col for col in df.columns if col not in OUTPUT]
    prepared, segments, cols = inputs.prepare(df, on)
    if prepared.height == 0:
        return (
            prepared.with_columns(pl.lit(None, pl.Int64).alias(c) for c in OUTPUT)
            .select(*keep, *OUTPUT)
            .clear()
        )
    jp = _needs_jp(segments, cols)
    if on is not None:
        entries = resolve(on, tuple(sorted(segments)), jp=jp)
        return _result(prepared, keep, blocks.run(cols, OUTPUT, _plan(entries, segments)))
    return _result(prepared, keep, _worker_months(prepared, segments, cols, jp))


def _needs_jp(segments: set[str], cols: dict[str, Column]) -> bool:
    """Whether some PU row's package has JP (then the JP wage cap must be known)."""
    if "pu" not in segments:
        return False
    if "_jp" not in cols:
        return True
    return bool(np.any(cast(np.ndarray, cols["_jp"]) & ~cast(np.ndarray, cols["bpu"])))


def _worker_months(
    prepared: pl.DataFrame, segments: set[str], cols: dict[str, Column], jp: bool = True
) -> dict[str, np.ndarray]:
    """The outputs of worker-months: the parameters resolved once per distinct month; months
    with identical parameters computed together, block by block."""
    first, inverse = blocks.distinct_days(
        blocks.numbers(prepared["month"].to_physical()).whole()[0]
    )
    has_pu = np.zeros(len(first), dtype=bool)
    if "pu" in segments:
        has_pu = np.bincount(inverse, weights=~cast(np.ndarray, cols["bpu"]), minlength=len(first))
        has_pu = has_pu > 0
    keys: dict[tuple[Any, ...], int] = {}
    plans: list[tuple[dict[str, Entry], set[str]]] = []
    group_of = np.empty(len(first), dtype=np.int64)
    for i, (number, pu) in enumerate(zip(first.tolist(), has_pu.tolist(), strict=True)):
        present = {"bpu", "pu"} if pu else {"bpu"}
        day = _EPOCH + dt.timedelta(days=number)
        entries = resolve(check_date(day), tuple(sorted(present)), jp=jp)
        key = (_key(entries), tuple(sorted(present)))
        if key not in keys:
            keys[key] = len(plans)
            plans.append((entries, present))
        group_of[i] = keys[key]
    if len(plans) == 1:
        entries, present = plans[0]
        return blocks.run(cols, OUTPUT, _plan(entries, present & segments))
    computes = [_plan(e, p & segments) for e, p in plans]
    return blocks.grouped(cols, OUTPUT, computes, group_of[inverse])


def _result(df: pl.DataFrame, keep: list[str], out: dict[str, np.ndarray]) -> pl.DataFrame:
    """The kept input columns plus the outputs (numpy arrays become Series without a copy)."""
    return pl.DataFrame([df.get_column(c) for c in keep] + [pl.Series(n, out[n]) for n in OUTPUT])


def totals(df: pl.DataFrame) -> dict[str, int]:
    """Sum of every money column of a contribution frame, as Python ints."""
    sums = df.select(pl.col(c).sum() for c in OUTPUT if c != "base").row(0, named=True)
    return {k: int(v) for k, v in sums.items()}


# --- one worker, with the explanation ------------------------------------------------------------


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
    Refuses a negative, fractional or absurd income, an unknown payer and a date before the law.

    >>> bpu(1_000_000, dt.date(2024, 3, 1)).components
    {'base': 1000000, 'jkk': 10000, 'jkm': 6800, 'jht': 0, 'total': 16800}
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
        entries,
        row["jkk"],
        row["jkm"],
        bpu_self=row["paid_by"] == "self",  # as written by the law: "SELF" and " self" too
        transport=transport,
        bpu=True,
    )
    components = {k: row[k] for k in ("base", "jkk", "jkm", "jht")}
    if row["discount"]:
        components["discount"] = row["discount"]
    components["total"] = row["total"]
    return Amount(
        total=row["total"], components=components, explanation=lines, uncertain=is_uncertain(lines)
    )


def pu(wage: int, risk: str, on: dt.date, *, jht: bool = True, jp: bool = True) -> Amount:
    """One PU worker's monthly contribution at ``on`` (employer and worker shares).

    The package is JKK + JKM, with JHT and JP unless ``jht``/``jp`` say no (a Pemda's non-ASN
    staff: JKK, JKM and JHT, Permenaker 1/2025). Components: ``jkk``, ``jkm``,
    ``jht_employer``, ``jht_worker``, ``jp_employer``, ``jp_worker``, ``discount`` (when
    any), ``total``. JP is on the wage up to that date's cap; a date whose cap is unknown
    (March 2026 on) raises the error naming ``pu.jp_wage_cap`` when JP is in the package.
    Refuses a negative, fractional or absurd wage and an unknown risk group.

    >>> pu(4_000_000, "sangat-rendah", dt.date(2026, 6, 1), jp=False).total
    249600
    """
    on = check_date(on)
    values: dict[str, Any] = {"segment": "pu", "wage": wage, "risk": risk}
    if not jht:
        values["jht"] = False
    if not jp:
        values["jp"] = False
    row = _one(values, on)
    entries = resolve(on, ("pu",), jp=jp)
    cap = entries.get("pu.jp_wage_cap")
    lines = [
        ExplanationLine.of(
            entries["pu.jkk_rates"],
            row["jkk"],
            value={row["risk"]: entries["pu.jkk_rates"].value[row["risk"]]},
        ),
        ExplanationLine.of(entries["pu.jkm_rate"], row["jkm"]),
    ]
    if jht:
        lines += [
            ExplanationLine.of(entries["pu.jht_rate_employer"], row["jht_employer"]),
            ExplanationLine.of(entries["pu.jht_rate_worker"], row["jht_worker"]),
        ]
    if jp and cap is not None:
        lines += [
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


def _band(entries: dict[str, Entry], income: int) -> dict[str, Any]:
    """The row of the BPU income band table ``income`` falls in, with its ``upper`` edge."""
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
                    note=(
                        "Hanya bagi pekerja mandiri yang membayar sendiri; tidak berlaku bila "
                        "iuran dibayar APBN, APBD, APBDes atau donatur",
                        "Only for a pekerja mandiri paying for themself; never when the state "
                        "(APBN), a Pemda (APBD), a village budget (APBDes) or a donor pays",
                    ),
                )
            )
    return lines


def _one(values: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """One worker's row of the contribution frame: its inputs (codes as the law writes them)
    and every :data:`OUTPUT` amount.

    Valid input goes straight to :func:`_amounts` on arrays of length 1: no frame is built, so
    the web and the CLI pay microseconds per call. Anything :func:`_quick` does not accept goes
    through a one-row frame and :func:`frame`, so every refusal is word for word the frame's
    (naming the field, not "row 1").
    """
    for field in ("income", "wage"):
        if field in values and (
            isinstance(values[field], bool) or not isinstance(values[field], int)
        ):
            raise errors.of_value(errors.NOT_WHOLE_RUPIAH, field, values[field])
    row = _quick(values, on)
    if row is not None:
        return row
    schema = {
        "segment": pl.String,
        "income": pl.Int64,
        "wage": pl.Int64,
        "risk": pl.String,
        "jht": pl.Boolean,
        "jp": pl.Boolean,
        "paid_by": pl.String,
        "transport": pl.Boolean,
    }
    one = pl.DataFrame({k: [v] for k, v in values.items()}, schema={k: schema[k] for k in values})
    token = inputs.single.set(True)
    try:
        return frame(one, on).row(0, named=True)
    finally:
        inputs.single.reset(token)


def _quick(values: dict[str, Any], on: dt.date) -> dict[str, Any] | None:
    """The row for one valid worker by :func:`_amounts` on length-1 arrays, or None when any
    input is one the frame path would refuse or convert (then :func:`_one` takes that path).

    The columns are encoded as :func:`~jaring.law.inputs.prepare` encodes them: the segment as
    ``bpu``, codes normalised by the same :func:`~jaring.law.inputs.code`, flags as bools, and
    only the inputs given (a ``pu`` call has no JHT choice, payer or transport flag, as its
    one-row frame has none).
    """
    segment = values["segment"]
    field = "income" if segment == "bpu" else "wage"
    if not 0 <= values[field] <= MAX_RUPIAH:
        return None
    row = dict(values)
    cols: dict[str, np.ndarray] = {
        "bpu": np.array([segment == "bpu"]),
        "income": np.array([values.get("income") or 0], dtype=np.int64),
        "wage": np.array([values.get("wage") or 0], dtype=np.int64),
    }
    for name, codes in (("risk", RISKS), ("paid_by", PAYERS)):
        if name in values:
            text = values[name]
            code = inputs.code(text, codes) if isinstance(text, str) else -1
            if code < 0:
                return None
            row[name] = codes[code]
            if name == "risk":
                cols["_risk"] = np.array([code], dtype=np.int8)
            else:
                cols["_self"] = np.array([code == 1])
    for flag in ("jht", "jp", "transport"):
        if flag in values:
            if not isinstance(values[flag], bool):
                return None
            cols[f"_{flag}"] = np.array([values[flag]])
    out = blocks.outputs(1, OUTPUT)
    jp = segment == "pu" and values.get("jp", True)
    _amounts(cols, resolve(on, (segment,), jp=jp), {segment}, out)
    row.update((name, int(column[0])) for name, column in out.items())
    return row
