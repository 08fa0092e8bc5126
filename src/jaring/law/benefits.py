"""BPJS TK benefits: JKM, JKK (death, disability, STMB, medical) and scholarships.

Each function takes the event date, reads the parameters in force on it (PP 44/2015 before
PP 82/2019, PP 82/2019 after) and returns an :class:`~jaring.law.amount.Amount` whose lines
name every parameter used. Percentages are exact (``Decimal``) and the result is rounded once,
half up, to whole rupiah. For a BPU, "wage" means the band's base income: an inference
(docs/law.md marks it unsure), so JKK amounts say so in their explanation.

The column versions :func:`jkm_frame` and :func:`jkk_frame` compute many claims at once by the
same rules, resolving the parameters once per distinct event date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from jaring.formatting import rupiah
from jaring.law import errors
from jaring.law.amount import Amount, ExplanationLine, is_uncertain
from jaring.law.contributions import check_date
from jaring.law.inputs import MAX_RUPIAH, NEGATIVE
from jaring.law.parameters import Entry, params
from jaring.law.rounding import apply_bp

SEGMENTS = ("bpu", "pu")
LEVELS = ("tk-sd", "tk", "sd", "smp", "sma", "pt")
#: TK and SD are each capped (2 and 6 years) and together ("tk-sd") at 8.
COMBINED = {"tk": "tk-sd", "sd": "tk-sd"}
CAUSES = ("jkm", "jkk")
JKK_KINDS = ("death", "total_disability", "partial_disability")


def _entry(name: str, on: dt.date) -> Entry:
    return params().entry(name, on)


def _rupiah(value: Any, field: str) -> int:
    """``value`` of ``field`` (``wage`` or ``cost``) when it is whole rupiah, not negative and
    not absurd; else the refusal naming the field."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.of_value(errors.NOT_WHOLE_RUPIAH, field, value)
    if value < 0:
        raise errors.of_value(NEGATIVE[field], field, value)
    if value > MAX_RUPIAH:
        raise errors.of_value(errors.AMOUNT_TOO_LARGE, field, value)
    return value


def _both(formula: str, amount: int) -> tuple[str, str]:
    """A formula note in both languages, ``{rp}`` in it the amount as each language writes
    rupiah: ``_both("48 x {rp}", 2_000_000)`` is ``("48 x Rp2.000.000", "48 x Rp2,000,000")``."""
    return (
        formula.replace("{rp}", rupiah(amount, "id")),
        formula.replace("{rp}", rupiah(amount, "en")),
    )


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
        nxt - dt.timedelta(days=1),
    )


def _amount(
    components: dict[str, int], lines: list[ExplanationLine], *, uncertain: bool | None = None
) -> Amount:
    """An Amount whose total is the sum of its components; ``uncertain`` when told so, else
    when any line rests on an ``unsure`` value."""
    total = sum(components.values())
    return Amount(
        total=total,
        components={**components, "total": total},
        explanation=lines,
        uncertain=is_uncertain(lines) if uncertain is None else uncertain,
    )


# --- JKM ---------------------------------------------------------------------------------------


def _early_death(
    event_date: dt.date, segment: str, member_since: dt.date | None
) -> tuple[bool, Entry]:
    """Whether the first-months rule for BPU applies to this death, and its entry."""
    rule = _entry("benefits.jkm.early_death_bpu", event_date)
    if segment != "bpu" or member_since is None or not rule.value["months"]:
        return False, rule
    return event_date < add_months(member_since, rule.value["months"]), rule


def _check_segment(segment: str) -> str:
    if segment not in SEGMENTS:
        raise errors.of_value(errors.UNKNOWN_SEGMENT, "segment", segment)
    return segment


def _check_membership(event_date: dt.date, member_since: dt.date | None) -> None:
    if member_since is not None and member_since > event_date:
        raise errors.of_value(
            errors.EVENT_BEFORE_MEMBERSHIP,
            "member_since",
            member_since,
            event_date=event_date.isoformat(),
        )


def jkm(
    event_date: dt.date, *, segment: str = "bpu", member_since: dt.date | None = None
) -> Amount:
    """JKM for a death not caused by work: lump sum + periodic (paid at once) + funeral.

    Rp42M from PP 82/2019, Rp24M before. A BPU dying in the first 3 months of membership gets
    Rp8M death benefit and Rp2M funeral only (Peraturan BPJS TK 5/2021, applied from 2021); a
    BPU result without ``member_since`` is ``uncertain`` (the rule is unchecked).

    >>> jkm(dt.date(2024, 3, 31), segment="bpu", member_since=dt.date(2024, 1, 1)).components
    {'lump_sum': 8000000, 'periodic': 0, 'funeral': 2000000, 'total': 10000000}
    """
    event_date = check_date(event_date, "event_date")
    _check_segment(segment)
    _check_membership(event_date, member_since)
    early, rule = _early_death(event_date, segment, member_since)
    if early:
        lump, funeral = rule.value["lump_sum"], rule.value["funeral"]
        line = ExplanationLine.of(
            rule,
            lump + funeral,
            note=(
                f"Meninggal sebelum {rule.value['months']} bulan kepesertaan: santunan kematian "
                f"{rupiah(lump, 'id')} dan biaya pemakaman {rupiah(funeral, 'id')}. {rule.note_id}",
                f"Died within {rule.value['months']} months of joining: death benefit "
                f"{rupiah(lump, 'en')} and funeral {rupiah(funeral, 'en')}. {rule.note_en}",
            ),
        )
        return _amount({"lump_sum": lump, "periodic": 0, "funeral": funeral}, [line])
    components: dict[str, int] = {}
    lines: list[ExplanationLine] = []
    for part in ("lump_sum", "periodic", "funeral"):
        entry = _entry(f"benefits.jkm.{part}", event_date)
        components[part] = entry.value
        lines.append(ExplanationLine.of(entry, entry.value))
    unchecked = segment == "bpu" and member_since is None and bool(rule.value["months"])
    if unchecked:
        lines.append(
            ExplanationLine.of(
                rule,
                None,
                note=(
                    "Tanggal kepesertaan tidak diberikan: aturan masa awal tidak diperiksa",
                    "Membership date not given: the early-death rule was not checked",
                ),
            )
        )
    elif segment == "bpu" and rule.value["months"]:
        lines.append(
            ExplanationLine.of(
                rule, 0, note=("Lewat masa awal kepesertaan", "Past the first months of membership")
            )
        )
    return _amount(components, lines, uncertain=unchecked)


# --- JKK ---------------------------------------------------------------------------------------


def _times_wage(name: str, wage: int, event_date: dt.date) -> tuple[int, ExplanationLine]:
    entry = _entry(name, event_date)
    amount = entry.value * wage
    return amount, ExplanationLine.of(entry, amount, note=_both(f"{entry.value} x {{rp}}", wage))


def _death_lump(wage: int, event_date: dt.date) -> tuple[int, list[ExplanationLine]]:
    """48 x wage, but never less than the JKM death lump sum in force (Rp20M under PP 82/2019,
    Rp16.2M under PP 44/2015): the lump sum and the lines that explain it."""
    lump, line = _times_wage("benefits.jkk.death_multiplier", wage, event_date)
    floor = _entry("benefits.jkm.lump_sum", event_date)
    if lump >= floor.value:
        return lump, [line]
    note = (
        f"48 x upah = {rupiah(lump, 'id')} kurang dari santunan kematian JKM: "
        f"dibayar paling sedikit {rupiah(floor.value, 'id')}",
        f"48 x wage = {rupiah(lump, 'en')} is less than the JKM death lump sum: "
        f"at least {rupiah(floor.value, 'en')} is paid",
    )
    minimum = ExplanationLine.of(floor, floor.value, note=note)
    return floor.value, [dataclasses.replace(line, amount=None), minimum]


def jkk_death(wage: int, event_date: dt.date) -> Amount:
    """Death from a work accident: 48 x wage (never less than the JKM death lump sum in force),
    plus the periodic benefit and funeral costs.

    >>> jkk_death(400_000, dt.date(2024, 5, 1)).components
    {'lump_sum': 20000000, 'periodic': 12000000, 'funeral': 10000000, 'total': 42000000}
    """
    wage = _rupiah(wage, "wage")
    event_date = check_date(event_date, "event_date")
    lump, lines = _death_lump(wage, event_date)
    periodic = _entry("benefits.jkk.periodic", event_date)
    funeral = _entry("benefits.jkk.funeral", event_date)
    lines += [
        ExplanationLine.of(periodic, periodic.value),
        ExplanationLine.of(funeral, funeral.value),
    ]
    return _amount({"lump_sum": lump, "periodic": periodic.value, "funeral": funeral.value}, lines)


def jkk_total_disability(wage: int, event_date: dt.date) -> Amount:
    """Total permanent disability from a work accident: 56 x wage, plus the periodic benefit
    paid at once, as for a death (Rp12M under PP 82/2019; 24 x Rp200.000 under PP 44/2015).

    >>> jkk_total_disability(3_000_000, dt.date(2024, 5, 1)).components
    {'lump_sum': 168000000, 'periodic': 12000000, 'total': 180000000}
    """
    wage = _rupiah(wage, "wage")
    event_date = check_date(event_date, "event_date")
    lump, line = _times_wage("benefits.jkk.total_disability_multiplier", wage, event_date)
    periodic = _entry("benefits.jkk.periodic", event_date)
    lines = [line, ExplanationLine.of(periodic, periodic.value)]
    return _amount({"lump_sum": lump, "periodic": periodic.value}, lines)


def disability_parts(on: dt.date) -> list[dict[str, Any]]:
    """The rows of the disability table in force on ``on`` (only the rows we know)."""
    table = _entry("benefits.jkk.disability_table", check_date(on, "event_date"))
    return [dict(row) for row in table.value]


def _percent(value: Any, field: str) -> Decimal:
    try:
        pct = Decimal(str(value))
    except ArithmeticError:
        pct = Decimal("NaN")
    if not pct.is_finite() or pct < 0 or pct > 100:
        raise errors.of_value(errors.BAD_PERCENT, field, value)
    return pct


def jkk_partial_disability(
    wage: int,
    event_date: dt.date,
    *,
    part: str | None = None,
    percent: Decimal | None = None,
    function_loss: Decimal | None = None,
) -> Amount:
    """Partial disability: table % x 80 x wage, times the % loss of function when functional.

    Give ``part`` (a row of the disability table, e.g. ``mata-satu``) or ``percent`` (the
    table percentage, for rows Jaring does not hold yet); ``function_loss`` (0-100) for a
    functional disability (the formula is from one source: likely).
    """
    wage = _rupiah(wage, "wage")
    event_date = check_date(event_date, "event_date")
    table = _entry("benefits.jkk.disability_table", event_date)
    lines: list[ExplanationLine] = []
    if (part is None) == (percent is None):
        raise errors.DISABILITY_PART_OR_PERCENT(field="part")
    if part is not None:
        rows = {row["part"]: row for row in table.value}
        if part not in rows:
            raise errors.of_value(
                errors.UNKNOWN_DISABILITY_PART, "part", part, choices=", ".join(rows)
            )
        pct = Decimal(rows[part]["percent"])
        lines.append(ExplanationLine.of(table, None, value=dict(rows[part])))
    else:
        pct = _percent(percent, "percent")
    multiplier = _entry("benefits.jkk.partial_disability_multiplier", event_date)
    raw = pct / 100 * multiplier.value * wage
    formula = f"{pct}% x {multiplier.value} x {{rp}}"
    if function_loss is not None:
        loss = _percent(function_loss, "function_loss")
        raw = raw * loss / 100
        formula = f"{loss}% x " + formula
    note = _both(formula, wage)
    amount = _half_up(raw)
    lines.append(ExplanationLine.of(multiplier, amount, note=note))
    return _amount({"lump_sum": amount}, lines)


def stmb(wage: int, months: int, event_date: dt.date | None = None) -> Amount:
    """Temporary incapacity (STMB) for ``months`` months: 100% of wage for the first 12 months,
    then 50% until healed (PP 82/2019; PP 44/2015 had 6 x 100%, 6 x 75%, then 50%).

    ``event_date`` (the accident) picks the rules; without it, today's rules apply.
    """
    wage = _rupiah(wage, "wage")
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise errors.of_value(errors.BAD_MONTHS, "months", months)
    event_date = check_date(event_date or dt.date.today(), "event_date")
    entry = _entry("benefits.jkk.stmb", event_date)
    left = months
    components: dict[str, int] = {}
    lines: list[ExplanationLine] = []
    for stage in entry.value:
        n = left if stage["months"] is None else min(left, stage["months"])
        if n <= 0:
            continue
        monthly = apply_percent(wage, stage["percent"], entry.rounding)
        key = f"pct_{stage['percent']}"
        components[key] = components.get(key, 0) + n * monthly
        lines.append(
            ExplanationLine.of(
                entry,
                n * monthly,
                value=dict(stage),
                note=(
                    f"{n} bulan x {stage['percent']}% x {rupiah(wage, 'id')}",
                    f"{n} months x {stage['percent']}% x {rupiah(wage, 'en')}",
                ),
            )
        )
        left -= n
    return _amount(components, lines)


def apply_percent(amount: int, percent: int, rounding: str | None) -> int:
    """``percent``% of ``amount`` in whole rupiah by ``rounding``."""
    result: int = apply_bp(amount, percent, rounding, scale=100)
    return result


def jkk_medical(cost: int, event_date: dt.date) -> Amount:
    """Medical care after a work accident: by medical need, no ceiling (the full cost)."""
    cost = _rupiah(cost, "cost")
    event_date = check_date(event_date, "event_date")
    entry = _entry("benefits.jkk.medical_ceiling", event_date)
    ceiling = entry.value["ceiling"]
    amount = cost if ceiling is None else min(cost, ceiling)
    return _amount({"medical": amount}, [ExplanationLine.of(entry, amount)])


def jkk_home_care(cost: int, event_date: dt.date) -> Amount:
    """Home care after a work accident: the cost, up to the ceiling (Rp20M for up to a year)."""
    cost = _rupiah(cost, "cost")
    event_date = check_date(event_date, "event_date")
    entry = _entry("benefits.jkk.home_care", event_date)
    amount = min(cost, entry.value["ceiling"])
    note = (
        f"paling lama {entry.value['max_months']} bulan",
        f"at most {entry.value['max_months']} months",
    )
    return _amount({"home_care": amount}, [ExplanationLine.of(entry, amount, note=note)])


TRANSPORT_MODES = ("land", "sea", "air")


def jkk_transport(cost: int, mode: str, event_date: dt.date) -> Amount:
    """Transport to hospital or home after a work accident: the cost, up to the mode's ceiling."""
    return jkk_transport_modes({mode: cost}, event_date)


def jkk_transport_modes(
    costs: dict[str, int], event_date: dt.date, *, return_to_work: dict[str, int] | None = None
) -> Amount:
    """Transport in one claim by several modes (land, sea, air): each mode's costs, the
    accident's and the return-to-work programme's together (``return_to_work``), up to that
    mode's ceiling (PP 82/2019 Lampiran III: land Rp5M, sea Rp2M, air Rp10M).

    >>> jkk_transport_modes({"land": 1_000_000, "air": 12_000_000}, dt.date(2024, 5, 1)).components
    {'land': 1000000, 'air': 10000000, 'total': 11000000}
    """
    event_date = check_date(event_date, "event_date")
    entry = _entry("benefits.jkk.transport", event_date)
    components: dict[str, int] = {}
    lines: list[ExplanationLine] = []
    rtw = return_to_work or {}
    for mode in dict.fromkeys([*costs, *rtw]):
        if mode not in TRANSPORT_MODES:
            raise errors.of_value(errors.UNKNOWN_TRANSPORT_MODE, "mode", mode)
        spent = _rupiah(costs.get(mode, 0), "cost") + _rupiah(rtw.get(mode, 0), "cost")
        amount = min(spent, entry.value[mode])
        components[mode] = amount
        note = None
        if mode in rtw:
            note = _both(f"{mode}: {{rp}} (termasuk program kembali kerja)", spent)
            note = (
                note[0],
                note[1].replace("termasuk program kembali kerja", "with return to work"),
            )
        lines.append(ExplanationLine.of(entry, amount, value={mode: entry.value[mode]}, note=note))
    if len(components) == 1:  # one mode: the single "transport" component, as before
        return _amount({"transport": next(iter(components.values()))}, lines)
    return _amount(components, lines)


# --- scholarships -------------------------------------------------------------------------------


def scholarship(
    event_date: dt.date,
    children: list[tuple[str, int]],
    *,
    cause: str = "jkm",
    contribution_months: int | None = None,
) -> Amount:
    """Scholarship for a deceased (or, for JKK, totally disabled) member's children.

    ``children`` lists, per child, the school level (``tk``, ``sd``, ``tk-sd``, ``smp``,
    ``sma``, ``pt``) and the years to fund at that level (capped at the level's maximum, which
    the explanation shows; TK at most 2 and SD at most 6 years, 8 together). At most 2
    children. A JKM death needs at least 36 contribution months (3 years); a JKK case needs no
    minimum. Before PP 82/2019 (PP 44/2015): Rp12,000,000 at once for one child, after at
    least 5 years of contributions for JKM (``benefits.scholarship.flat``); levels and years
    do not matter then. Refusals are :class:`~jaring.errors.JaringError` s naming the condition.

    >>> scholarship(dt.date(2018, 5, 1), [("sd", 3)], contribution_months=60).total
    12000000
    >>> scholarship(dt.date(2024, 5, 1), [("tk", 3)], cause="jkk").total  # TK: 2 years at most
    3000000
    """
    event_date = check_date(event_date, "event_date")
    if cause not in CAUSES:
        raise errors.of_value(errors.UNKNOWN_CAUSE, "cause", cause)
    flat = _entry("benefits.scholarship.flat", event_date)
    most = _entry("benefits.scholarship.max_children", event_date)
    lines: list[ExplanationLine] = []
    if cause == "jkm":
        minimum = _entry("benefits.scholarship.jkm_min_contribution_months", event_date)
        if contribution_months is None:
            raise errors.CONTRIBUTION_MONTHS_REQUIRED(field="contribution_months")
        if contribution_months < minimum.value:
            raise errors.SCHOLARSHIP_MIN_CONTRIBUTION(
                field="contribution_months",
                value=str(contribution_months),
                parameter=minimum.name,
                minimum=minimum.value,
                reference=minimum.reference,
            )
        lines.append(
            ExplanationLine.of(
                minimum,
                None,
                note=(
                    f"masa iur {contribution_months} bulan",
                    f"{contribution_months} months contributed",
                ),
            )
        )
    if len(children) > most.value:
        raise errors.SCHOLARSHIP_TOO_MANY_CHILDREN(
            field="children", value=str(len(children)), parameter=most.name, most=most.value
        )
    components: dict[str, int] = {}
    if flat.value:  # PP 44/2015: one amount at once, whatever the level
        for i, (_level, years) in enumerate(children, 1):
            if isinstance(years, bool) or not isinstance(years, int) or years < 0:
                raise errors.of_value(errors.BAD_YEARS, "years", years, child=i)
            components[f"child_{i}"] = flat.value
            lines.append(
                ExplanationLine.of(
                    flat,
                    flat.value,
                    note=(f"anak {i}: sekaligus", f"child {i}: at once"),
                )
            )
        lines.append(ExplanationLine.of(most, None))
        return _amount(components, lines)
    levels = _entry("benefits.scholarship.levels", event_date)
    rows = {row["level"]: row for row in levels.value}
    for i, (level, years) in enumerate(children, 1):
        if level not in rows:
            raise errors.of_value(
                errors.UNKNOWN_SCHOOL_LEVEL, "level", level, choices=", ".join(rows), child=i
            )
        if isinstance(years, bool) or not isinstance(years, int) or years < 0:
            raise errors.of_value(errors.BAD_YEARS, "years", years, child=i)
        row = rows[level]
        funded = min(years, row["years"])
        amount = funded * row["per_year"]
        components[f"child_{i}"] = amount
        capped_id = f" (dibatasi {row['years']} tahun)" if funded < years else ""
        capped_en = f" (capped at {row['years']} years)" if funded < years else ""
        lines.append(
            ExplanationLine.of(
                levels,
                amount,
                value=dict(row),
                note=(
                    f"anak {i}: {funded} x {rupiah(row['per_year'], 'id')}{capped_id}",
                    f"child {i}: {funded} x {rupiah(row['per_year'], 'en')}{capped_en}",
                ),
            )
        )
    lines.append(ExplanationLine.of(most, None))
    return _amount(components, lines)


def sudden_death_is_jkk(event_date: dt.date, caused_by_work: bool) -> bool:
    """Whether a sudden death (meninggal mendadak) is a work accident (JKK) rather than JKM:
    when work caused it, under Permenaker 5/2021 (``benefits.jkk.sudden_death``), for PU and
    BPU (honorer included) alike."""
    rule = _entry("benefits.jkk.sudden_death", check_date(event_date, "event_date"))
    return bool(caused_by_work and rule.value["counts_as_jkk"])


def scholarship_end(
    on: dt.date,
    birth_date: dt.date | None = None,
    *,
    married: bool = False,
    working: bool = False,
) -> str | None:
    """Why a child's scholarship has ended on ``on``, or None: ``age`` (23 or older),
    ``marriage`` or ``work`` (``benefits.scholarship.ends``).

    >>> scholarship_end(dt.date(2024, 7, 1), dt.date(2001, 7, 1)), scholarship_end(dt.date(2024, 6, 30), dt.date(2001, 7, 1))
    ('age', None)
    """
    rule = _entry("benefits.scholarship.ends", check_date(on, "event_date")).value
    if birth_date is not None and add_months(birth_date, 12 * int(rule["age"])) <= on:
        return "age"
    if married and rule["marriage"]:
        return "marriage"
    if working and rule["work"]:
        return "work"
    return None


# --- column versions for claims --------------------------------------------------------------


def _first(df: pl.DataFrame, bad: pl.Expr) -> tuple[int, dict[str, Any]] | None:
    """The 1-based number and values of the first row of ``df`` where ``bad`` holds."""
    hit = df.with_row_index("_row").filter(bad).head(1)
    if not hit.height:
        return None
    return int(hit["_row"][0]) + 1, hit.row(0, named=True)


def _dates(df: pl.DataFrame, name: str) -> pl.DataFrame:
    if name not in df.columns:
        raise errors.missing_column(name)
    if df.schema[name] != pl.Date:
        df = df.with_columns(pl.col(name).cast(pl.Date))
    found = _first(df, pl.col(name).is_null())
    if found:
        raise errors.of_value(errors.MISSING_VALUE, name, None, row=found[0])
    return df


def jkm_frame(df: pl.DataFrame) -> pl.DataFrame:
    """JKM for many deaths at once: columns ``event_date``, ``segment``, ``member_since``.

    Returns the input plus Int64 ``lump_sum``, ``periodic``, ``funeral``, ``total`` and Boolean
    ``uncertain``, by the same rules as :func:`jkm` (parameters resolved once per event date).
    """
    df = _dates(df, "event_date")
    if "segment" not in df.columns:
        df = df.with_columns(pl.lit("bpu").alias("segment"))
    if "member_since" not in df.columns:
        df = df.with_columns(pl.lit(None, pl.Date).alias("member_since"))
    elif df.schema["member_since"] != pl.Date:
        df = df.with_columns(pl.col("member_since").cast(pl.Date))
    found = _first(df, ~pl.col("segment").is_in(SEGMENTS) | pl.col("segment").is_null())
    if found:
        row, values = found
        raise errors.of_value(errors.UNKNOWN_SEGMENT, "segment", values["segment"], row=row)
    found = _first(df, pl.col("member_since") > pl.col("event_date"))
    if found:
        row, values = found
        raise errors.of_value(
            errors.EVENT_BEFORE_MEMBERSHIP,
            "member_since",
            values["member_since"],
            row=row,
            event_date=values["event_date"].isoformat(),
        )
    days = df["event_date"].unique().to_list()
    table = []
    for day in days:
        check_date(day, "event_date")
        rule = _entry("benefits.jkm.early_death_bpu", day)
        table.append(
            {
                "event_date": day,
                "_lump": _entry("benefits.jkm.lump_sum", day).value,
                "_periodic": _entry("benefits.jkm.periodic", day).value,
                "_funeral": _entry("benefits.jkm.funeral", day).value,
                "_early_months": rule.value["months"],
                "_early_lump": rule.value["lump_sum"],
                "_early_funeral": rule.value["funeral"],
                "_early_unsure": rule.confidence == "unsure",
            }
        )
    rates = pl.DataFrame(
        table,
        schema={
            "event_date": pl.Date,
            "_lump": pl.Int64,
            "_periodic": pl.Int64,
            "_funeral": pl.Int64,
            "_early_months": pl.Int64,
            "_early_lump": pl.Int64,
            "_early_funeral": pl.Int64,
            "_early_unsure": pl.Boolean,
        },
    )
    bpu = pl.col("segment") == "bpu"
    has_rule = pl.col("_early_months") > 0
    # add_months, clamped to month end, exactly as the scalar add_months does.
    cutoff = pl.col("member_since").dt.offset_by(pl.format("{}mo", pl.col("_early_months")))
    early = bpu & has_rule & pl.col("member_since").is_not_null() & (pl.col("event_date") < cutoff)
    unchecked = bpu & has_rule & pl.col("member_since").is_null()
    out = (
        df.join(rates, on="event_date", how="left", maintain_order="left")
        .with_columns(
            pl.when(early).then(pl.col("_early_lump")).otherwise(pl.col("_lump")).alias("lump_sum"),
            pl.when(early).then(0).otherwise(pl.col("_periodic")).cast(pl.Int64).alias("periodic"),
            pl.when(early)
            .then(pl.col("_early_funeral"))
            .otherwise(pl.col("_funeral"))
            .cast(pl.Int64)
            .alias("funeral"),
            (unchecked | (early & pl.col("_early_unsure"))).alias("uncertain"),
        )
        .with_columns((pl.col("lump_sum") + pl.col("periodic") + pl.col("funeral")).alias("total"))
    )
    return out.drop(
        "_lump",
        "_periodic",
        "_funeral",
        "_early_months",
        "_early_lump",
        "_early_funeral",
        "_early_unsure",
    )


def jkk_frame(df: pl.DataFrame) -> pl.DataFrame:
    """JKK death and disability for many claims at once.

    Columns: ``kind`` (death, total_disability, partial_disability), ``wage``, ``event_date``,
    and for partial disability ``percent`` (the table %, may be fractional) and optionally
    ``function_loss`` (%). Returns the input plus Int64 ``lump_sum``, ``periodic``,
    ``funeral``, ``total``, by the same rules as the scalar functions: a death's lump sum never
    below the JKM death lump sum; the periodic benefit on death and on total disability.
    """
    df = _dates(df, "event_date")
    for name in ("percent", "function_loss"):
        if name not in df.columns:
            df = df.with_columns(pl.lit(None, pl.Float64).alias(name))
    checks = (
        (errors.UNKNOWN_KIND, ~pl.col("kind").is_in(JKK_KINDS) | pl.col("kind").is_null(), "kind"),
        (errors.MISSING_VALUE, pl.col("wage").is_null(), "wage"),
        (errors.NEGATIVE_WAGE, pl.col("wage") < 0, "wage"),
        (errors.AMOUNT_TOO_LARGE, pl.col("wage") > MAX_RUPIAH, "wage"),
        (
            errors.BAD_PERCENT,
            (pl.col("kind") == "partial_disability")
            & (pl.col("percent").is_null() | (pl.col("percent") < 0) | (pl.col("percent") > 100)),
            "percent",
        ),
        (
            errors.BAD_PERCENT,
            pl.col("function_loss").is_not_null()
            & ((pl.col("function_loss") < 0) | (pl.col("function_loss") > 100)),
            "function_loss",
        ),
    )
    for refusal, bad, field in checks:
        found = _first(df, bad)
        if found:
            row, values = found
            raise errors.of_value(refusal, field, values[field], row=row)
    table = []
    for day in df["event_date"].unique().to_list():
        check_date(day, "event_date")
        table.append(
            {
                "event_date": day,
                "_death": _entry("benefits.jkk.death_multiplier", day).value,
                "_total": _entry("benefits.jkk.total_disability_multiplier", day).value,
                "_partial": _entry("benefits.jkk.partial_disability_multiplier", day).value,
                "_periodic": _entry("benefits.jkk.periodic", day).value,
                "_funeral": _entry("benefits.jkk.funeral", day).value,
                "_floor": _entry("benefits.jkm.lump_sum", day).value,
            }
        )
    names = ("_death", "_total", "_partial", "_periodic", "_funeral", "_floor")
    rates = pl.DataFrame(table, schema={"event_date": pl.Date} | dict.fromkeys(names, pl.Int64))
    kind, wage = pl.col("kind"), pl.col("wage").cast(pl.Int64)
    # Partial disability in exact integers: percent and loss as hundredths of a percent
    # (Decimal-exact for up to 2 decimals), so amount = pct_bp * 80 * wage / 10_000, half up,
    # then x loss_bp / 10_000 in the same single rounding.
    pct_bp = (pl.col("percent").cast(pl.Decimal(12, 2)) * 100).cast(pl.Int64)
    loss_bp = (
        (pl.col("function_loss").cast(pl.Decimal(12, 2)) * 100).cast(pl.Int64).fill_null(10_000)
    )
    num = (
        pl.col("_partial").cast(pl.Int128)
        * wage.cast(pl.Int128)
        * pct_bp.cast(pl.Int128)
        * loss_bp.cast(pl.Int128)
    )
    scale = 10_000 * 10_000
    partial = ((num + scale // 2) // scale).cast(pl.Int64)
    out = (
        df.join(rates, on="event_date", how="left", maintain_order="left")
        .with_columns(
            pl.when(kind == "death")
            .then(pl.max_horizontal(pl.col("_death") * wage, pl.col("_floor")))
            .when(kind == "total_disability")
            .then(pl.col("_total") * wage)
            .otherwise(partial)
            .cast(pl.Int64)
            .alias("lump_sum"),
            pl.when(kind.is_in(("death", "total_disability")))
            .then(pl.col("_periodic"))
            .otherwise(0)
            .cast(pl.Int64)
            .alias("periodic"),
            pl.when(kind == "death")
            .then(pl.col("_funeral"))
            .otherwise(0)
            .cast(pl.Int64)
            .alias("funeral"),
        )
        .with_columns((pl.col("lump_sum") + pl.col("periodic") + pl.col("funeral")).alias("total"))
    )
    return out.drop(*names)
