"""Who a program may cover (its targeting rules, held as data on the program) and in what
order (priorities). Pure functions on Polars frames of people.

Rules (``program.rules`` JSON), every key optional:
``occupations`` (list of words; a person matches when the occupation contains one),
``desil_max`` (e.g. 4: deciles 1..4), ``desil`` (explicit list), ``districts`` /
``villages`` (dotted code prefixes), ``age_min`` / ``age_max`` (age on the first day of the
program period; BPJS publishes no age limit for BPU, so it is a program setting),
``sex`` ('L' or 'P'), ``require_nik`` (default true: people without a 16-digit NIK cannot
be registered with BPJS TK, so they are not eligible until the registry has their NIK).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources
from typing import Any

import polars as pl

from jaring.errors import JaringError
from jaring.programs import errors

PRIORITY_KEYS = ("desil", "risk", "registered")
DEFAULT_PRIORITY = ("desil", "risk", "registered")
UNKNOWN_DESIL = 11  # people without a decile come after decile 10


@cache
def occupation_risk_table() -> pl.DataFrame:
    """``pattern`` (regex of words) -> ``risk_rank`` (1 = most dangerous work, served first).

    Jaring's own ranking, held as data (``templates/occupation_risk.csv``) so a Pemda can
    change it; BPJS's JKK risk groups apply to wage earners, not to BPU occupations.
    """
    path = resources.files("jaring.programs") / "templates" / "occupation_risk.csv"
    return pl.read_csv(str(path))


def risk_rank(occupation: pl.Expr) -> pl.Expr:
    """The risk rank of each occupation: the first pattern of the table that matches."""
    table = occupation_risk_table()
    default = int(table.filter(pl.col("pattern") == "*")["risk_rank"][0])
    occ = occupation.fill_null("").str.to_lowercase()
    expr: pl.Expr = pl.lit(default, dtype=pl.Int8)
    for pattern, rank in reversed(
        table.filter(pl.col("pattern") != "*").select("pattern", "risk_rank").rows()
    ):
        expr = (
            pl.when(occ.str.contains(f"(?:{pattern})"))
            .then(pl.lit(rank, dtype=pl.Int8))
            .otherwise(expr)
        )
    return expr


def parse_priority(text: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"desil,risk"`` -> ``("desil", "risk", "registered")``. Unknown keys are refused.

    ``registered`` (who asked first) is always the last tie-break, then the person id, so a
    plan is reproducible.
    """
    if text is None or text == "":
        return DEFAULT_PRIORITY
    keys = [k.strip() for k in (text.split(",") if isinstance(text, str) else text) if k.strip()]
    for key in keys:
        if key not in PRIORITY_KEYS:
            raise errors.BAD_PRIORITY(value=key, choices=", ".join(PRIORITY_KEYS), field="priority")
    if "registered" not in keys:
        keys.append("registered")
    return tuple(dict.fromkeys(keys))


_LISTS = ("occupations", "desil", "districts", "villages")


def check_rules(rules: Any) -> dict[str, Any]:
    """``rules`` when they are targeting rules :func:`eligible` can apply: an object whose
    lists are lists of words or numbers, deciles 1 to 10, ages 0 to 120 with the minimum not
    above the maximum, sex ``L`` or ``P``. Else ``bad_rules`` (field ``rules``), saying
    what is wrong."""
    if rules is None:
        return {}

    def bad(reason: str) -> JaringError:
        return errors.BAD_RULES(reason=reason, field="rules")

    if not isinstance(rules, dict):
        raise bad("an object {...} is required")
    for key in _LISTS:
        value = rules.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str | int) for v in value)
        ):
            raise bad(f"{key}: a list of words or codes is required")
    for key, lo, hi in (("desil_max", 1, 10), ("age_min", 0, 120), ("age_max", 0, 120)):
        value = rules.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi
        ):
            raise bad(f"{key}: a whole number from {lo} to {hi} is required")
    if any(not isinstance(d, int) or not 1 <= d <= 10 for d in rules.get("desil") or []):
        raise bad("desil: deciles 1 to 10")
    young, old = rules.get("age_min"), rules.get("age_max")
    if young is not None and old is not None and young > old:
        raise bad(f"age_min {young} is above age_max {old}")
    if rules.get("sex") not in (None, "L", "P"):
        raise bad("sex: L or P")
    return rules


def eligible(people: pl.DataFrame, rules: dict[str, Any] | None, on: dt.date) -> pl.DataFrame:
    """The people the rules admit on ``on`` (the program's first day)."""
    rules = rules or {}
    cond = pl.lit(True)
    if rules.get("require_nik", True):  # BPJS TK registers people by NIK: none, none enrolled
        cond &= pl.col("nik").fill_null("").str.contains(r"^\d{16}$")
    occupations = rules.get("occupations")
    if occupations:
        pattern = "|".join(_escape(o.lower()) for o in occupations)
        cond &= pl.col("occupation").fill_null("").str.to_lowercase().str.contains(pattern)
    if rules.get("desil_max") is not None:
        cond &= pl.col("desil").is_not_null() & (pl.col("desil") <= int(rules["desil_max"]))
    if rules.get("desil"):
        cond &= pl.col("desil").is_in([int(d) for d in rules["desil"]])
    for key, column in (("districts", "district_code"), ("villages", "village_code")):
        if rules.get(key):
            prefix = pl.lit(False)
            for code in rules[key]:
                prefix |= pl.col(column).fill_null("").str.starts_with(str(code))
            cond &= prefix
    if rules.get("sex"):
        cond &= pl.col("sex") == rules["sex"]
    if rules.get("age_min") is not None or rules.get("age_max") is not None:
        age = _age_on(pl.col("birth_date"), on)
        if rules.get("age_min") is not None:
            cond &= age >= int(rules["age_min"])
        if rules.get("age_max") is not None:
            cond &= age <= int(rules["age_max"])
    return people.filter(cond)


def with_priority(people: pl.DataFrame, priority: tuple[str, ...]) -> pl.DataFrame:
    """Add ``risk_rank``, ``desil_rank`` and ``class_rank`` (0 = served first).

    The class is made of the discrete priority keys (desil, risk) in the order given; people
    of one class are interchangeable for the optimiser and ordered inside it by
    ``registered_on`` then ``person_id``.
    """
    df = people.with_columns(
        risk_rank=risk_rank(pl.col("occupation")),
        desil_rank=pl.col("desil").fill_null(UNKNOWN_DESIL).cast(pl.Int16),
    )
    keys = [{"desil": "desil_rank", "risk": "risk_rank"}[k] for k in priority if k != "registered"]
    if not keys:
        return df.with_columns(class_rank=pl.lit(0, dtype=pl.Int32))
    classes = df.select(keys).unique().sort(keys).with_row_index("class_rank")
    return df.join(classes.with_columns(pl.col("class_rank").cast(pl.Int32)), on=keys, how="left")


def _age_on(birth: pl.Expr, on: dt.date) -> pl.Expr:
    had_birthday = (birth.dt.month() < on.month) | (
        (birth.dt.month() == on.month) & (birth.dt.day() <= on.day)
    )
    return pl.lit(on.year) - birth.dt.year() - pl.when(had_birthday).then(0).otherwise(1)


def _escape(text: str) -> str:
    return re.escape(text)
