"""What the law's front ends ask of it: one worker's contribution from what a user typed, a
file of workers, the parameters in force on a date.

The law keeps no store, so these take neither an engine nor an actor: anyone who may read the
law (``law.read``) may ask them anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jaring import i18n
from jaring.errors import JaringError, require_file
from jaring.i18n import _
from jaring.law import contributions, deferral, errors
from jaring.law.amount import Amount
from jaring.law.parameters import ParameterError, params
from jaring.progress import SILENT, Progress
from jaring.registry.files import write_csv


def contribution(
    segment: str | None,
    on: dt.date,
    *,
    income: int | None = None,
    wage: int | None = None,
    risk: str | None = None,
    jht: bool | None = None,
    paid_by: str = "apbd",
    transport: bool = False,
    jp: bool | None = None,
    pp49_jp_deferral: bool = False,
) -> Amount:
    """One worker's monthly contribution at ``on``: :func:`~jaring.law.contributions.bpu` with
    ``income`` (and ``jht``, ``paid_by``, ``transport``) or :func:`~jaring.law.contributions.pu`
    with ``wage`` and ``risk`` (and the package: ``jht``, ``jp``), by ``segment`` (any case).
    ``jht`` and ``jp`` left out are the segment's default: a BPU without JHT, a PU with both.

    Refuses ``missing_option`` naming the field (segment; income for a BPU; wage, then risk,
    for a PU), ``unknown_segment``, and whatever the law refuses.

    >>> contribution("BPU", dt.date(2024, 3, 1), income=1_000_000).total
    16800
    """
    if segment is None:
        raise errors.MISSING_OPTION(field="segment", fields="segment")
    seg = segment.lower()
    if seg == "bpu":
        if income is None:
            raise errors.MISSING_OPTION(field="income", fields="income")
        return contributions.bpu(
            income, on, jht=bool(jht), paid_by=paid_by.lower(), transport=transport
        )
    if seg == "pu":
        if wage is None:
            raise errors.MISSING_OPTION(field="wage", fields="wage")
        if not risk:
            raise errors.MISSING_OPTION(field="risk", fields="risk")
        if pp49_jp_deferral:  # the employer used PP 49/2020's JP deferral
            return deferral.pu_with_deferral(wage, risk, on, jht=jht is None or jht)
        return contributions.pu(wage, risk, on, jht=jht is None or jht, jp=jp is None or jp)
    raise errors.of_value(errors.UNKNOWN_SEGMENT, "segment", segment)


@dataclass(frozen=True)
class ContributionFile:
    """Contributions of a file of workers: where they were read and written, the date (None:
    each row's ``month``), the number of rows and the sum of every money column."""

    input: str
    output: str | None
    on: dt.date | None
    rows: int
    totals: dict[str, int]


def contribution_file(
    path: Path, on: dt.date | None, output: Path | None, progress: Progress = SILENT
) -> ContributionFile:
    """The contributions of every worker in the CSV or Parquet file ``path`` at ``on`` (without
    it, at each row's ``month``, or today when there is no such column), written to ``output``
    (CSV or Parquet) when given; ``progress`` is told of each phase (read, compute, write).

    Refuses ``file_not_found``, ``bad_file_type``, ``bad_file`` (unreadable), and the first bad
    row as :func:`~jaring.law.contributions.frame` does, with the file in its facts (and a
    missing column named as missing from the file).
    """
    require_file(path)
    progress.step(_("Reading %(name)s", name=path.name))
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pl.read_parquet(path)
        elif suffix in (".csv", ".txt"):
            df = pl.read_csv(
                path,
                schema_overrides={"segment": pl.String, "risk": pl.String, "paid_by": pl.String},
                infer_schema_length=10_000,
            )
        else:
            raise errors.BAD_FILE_TYPE(file=path.name, allowed="CSV, Parquet")
    except pl.exceptions.PolarsError as e:
        raise errors.BAD_FILE(file=path.name, kind=type(e).__name__) from None
    if on is None and "month" not in df.columns:
        on = dt.date.today()  # no date and no month column: today, as for one worker
    progress.step(_("Computing contributions"))
    try:
        out = contributions.frame(df, on)
    except JaringError as e:
        e.context.setdefault("file", str(path))
        if e.code == errors.MISSING_COLUMN.code:
            e.context["name"] = path.name
        raise
    if output is not None:
        progress.step(_("Writing %(name)s", name=output.name))
        if output.suffix.lower() == ".parquet":
            out.write_parquet(output)
        elif output.suffix.lower() == ".csv":
            write_csv(out, output)
        else:
            raise errors.BAD_FILE_TYPE(file=output.name, allowed="CSV, Parquet")
    return ContributionFile(
        input=str(path),
        output=str(output) if output else None,
        on=on,
        rows=out.height,
        totals=contributions.totals(out),
    )


@dataclass(frozen=True)
class ParameterValue:
    """A parameter's value in force on a date, with its label and note in one language."""

    parameter: str
    label: str
    value: Any
    unit: str
    effective_from: dt.date
    reference: str
    confidence: str
    note: str | None


@dataclass(frozen=True)
class ParameterMissing:
    """A parameter with no value in force on a date: the refusal's code and message."""

    parameter: str | None
    error: str
    message: str


def parameters_in_force(
    on: dt.date, lang: str | None = None
) -> list[ParameterValue | ParameterMissing]:
    """Every parameter on ``on``, by name: its value, or why there is none (labels, notes and
    messages in ``lang``, default the current language)."""
    lang = lang or i18n.lang()
    rows: list[ParameterValue | ParameterMissing] = []
    for item in params().in_force(on):
        if isinstance(item, ParameterError):
            parameter = item.context.get("parameter")
            rows.append(ParameterMissing(parameter, item.code, item.message(lang)))
        else:
            rows.append(
                ParameterValue(
                    parameter=item.name,
                    label=item.label_en if lang == "en" else item.label_id,
                    value=item.value,
                    unit=item.unit,
                    effective_from=item.effective_from,
                    reference=item.reference,
                    confidence=item.confidence,
                    note=item.note_en if lang == "en" else item.note_id,
                )
            )
    return rows
