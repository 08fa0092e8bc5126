"""A list of deaths, as a Dukcapil office or a kelurahan sends it: read, checked, and each row
judged against what the registry knows (pure: the store is read by the caller).

The file goes through the registry's intake (:mod:`jaring.registry.intake`): CSV in any
delimiter and encoding, XLSX with every sheet, a title line above the header, NIK checked by
the same rules as a worker list (length, digits, date inside, Excel's ``9.27101E+15``). Two
columns only a death list has are found here: the date of death and the place.

Each row ends one of four ways, with a stable reason code:

- ``recorded``: exactly one person has the NIK and nothing contradicts the row;
- ``review``: a person who may be meant, waiting for a supervisor (``near_match``: no one has
  the NIK, but the registry's deduplication model finds a person at or above its review
  probability, as it would for a new row of a worker list;
  ``already_dead_other_date``: the person is recorded dead on another date; ``nik_shared``:
  more than one person has the NIK; ``name_differs``: the one person with the NIK has a name
  unlike the list's, as when a NIK typed with a slip is someone else's);
- ``refused``: ``bad_nik``, ``bad_death_date``, ``death_in_future``, ``death_before_birth``,
  ``unknown_nik``;
- ``unchanged``: the person is already recorded dead on that date (``already_recorded``), or
  the list repeats a row (``duplicate_row``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import polars as pl

from jaring.families import errors
from jaring.i18n import N_, _
from jaring.registry import columns as cols
from jaring.registry import intake
from jaring.registry.normalise import normalise_name, parse_date

# fmt: off
DEATH_DATE = (
    "Tanggal Meninggal", "Tgl Meninggal", "Tgl. Meninggal", "Tgl_Meninggal", "Tanggal Kematian",
    "Tgl Kematian", "Tanggal Wafat", "Meninggal Tanggal", "Tanggal_Meninggal", "Date of Death",
    "Death Date", "Tgl Wafat", "Tanggal Meninggal Dunia",
)
DEATH_PLACE = (
    "Tempat Meninggal", "Tempat Kematian", "Tempat Wafat", "Lokasi Meninggal", "Tempat_Meninggal",
    "Place of Death", "Tempat Meninggal Dunia",
)
# fmt: on
_DATE_KEYS = {cols.fold(h) for h in DEATH_DATE}
_PLACE_KEYS = {cols.fold(h) for h in DEATH_PLACE}

#: Why a row was not recorded as it stood (code -> English; Indonesian in families.po).
ROW_REASONS: dict[str, str] = {
    "bad_nik": N_("The NIK is not valid"),
    "bad_death_date": N_("The date of death is missing or cannot be read"),
    "death_in_future": N_("The date of death is in the future"),
    "death_before_birth": N_("The date of death is before the person's birth date"),
    "unknown_nik": N_("No one in the registry has this NIK, nor a near match"),
    "near_match": N_("No one has this NIK; the matching model finds a person who may be meant"),
    "nik_shared": N_("More than one person has this NIK"),
    "name_differs": N_("The NIK belongs to a person with a different name"),
    "already_dead_other_date": N_("The person is already recorded dead on another date"),
    "already_recorded": N_("The person is already recorded dead on this date"),
    "duplicate_row": N_("The list repeats this row"),
}


def reason_text(code: str | None) -> str:
    """The reason of a row in the current language."""
    return _(ROW_REASONS[code]) if code in ROW_REASONS else (code or "")


@dataclasses.dataclass
class DeathRows:
    """A death list read: ``rows`` (``sheet``, ``row_number``, ``cells`` as typed,
    ``nik``, ``nik_ok``, ``name``, ``name_norm``, ``birth_date``, ``sex``,
    ``district_code``, ``village_code`` (typed, else from the NIK), ``death_date``,
    ``place``, ``death_date_text``), and the file's ``name``, ``sha256`` and ``size``."""

    name: str
    sha256: str
    size: int
    rows: pl.DataFrame


def read(path: str | Path, *, listed_on: dt.date) -> DeathRows:
    """Read a death list (CSV or XLSX). Refused: ``death_columns`` without a NIK and a date of
    death column; ``death_list_empty``; and what reading any list refuses."""
    f = intake.read_file(path)
    parts: list[pl.DataFrame] = []
    for s in f.sheets:
        keys = [cols.fold(h) for h in s.headers]
        at_date = next((i for i, k in enumerate(keys) if k in _DATE_KEYS), None)
        at_place = next((i for i, k in enumerate(keys) if k in _PLACE_KEYS), None)
        if at_date is None or "nik" not in s.mapping.values():
            raise errors.DEATH_COLUMNS(
                file=f.name, headers=", ".join(h for h in s.headers if h.strip()) or "-"
            )
        staged = intake.canonical(s)
        checked = intake.validate_rows(staged, listed_on=listed_on)
        nik_bad = checked.select(
            pl.col("issues")
            .list.eval(
                (pl.element().struct.field("field") == "nik")
                & (pl.element().struct.field("severity") == "error")
            )
            .list.any()
            .fill_null(False)
        ).to_series()
        cells = staged.select([f"c{i}" for i in range(len(s.headers))]).rows()
        headers = [h or f"c{i}" for i, h in enumerate(s.headers)]
        date_text = staged[f"c{at_date}"].cast(pl.String).str.strip_chars()
        parts.append(
            pl.DataFrame(
                {
                    "sheet": [s.sheet] * staged.height,
                    "row_number": staged["row_number"],
                    "cells": [dict(zip(headers, r, strict=False)) for r in cells],
                    "nik": checked["nik"],
                    "nik_text": staged["nik"].cast(pl.String).str.strip_chars(),
                    "nik_ok": ~nik_bad & checked["nik"].is_not_null(),
                    "name": checked["name"],
                    "name_norm": checked["name_norm"],
                    "birth_date": checked["birth_date"],
                    "sex": checked["sex"],
                    "district_code": checked["district_code"],
                    "village_code": checked["village_code"],
                    "death_date_text": date_text,
                    "place": (
                        staged[f"c{at_place}"].cast(pl.String).str.strip_chars()
                        if at_place is not None
                        else pl.Series([None] * staged.height, dtype=pl.String)
                    ),
                },
                schema_overrides={"cells": pl.Object, "sheet": pl.String},
            ).with_columns(death_date=parse_date(pl.col("death_date_text")))
        )
    rows = pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame()
    if rows.height == 0:
        raise errors.DEATH_LIST_EMPTY(file=f.name)
    return DeathRows(name=f.name, sha256=f.sha256, size=f.size, rows=rows)


def norm_name(name: str | None) -> str | None:
    """A name as the registry normalises it (for matching)."""
    if not name:
        return None
    out = pl.select(normalise_name(pl.lit(name, dtype=pl.String))).item()
    return str(out) if out else None


def name_score(a: str | None, b: str | None) -> float:
    """How alike two normalised names are, 0..1 (1: the same).

    >>> name_score("yohana wonatorei", "yohana wonatorei"), round(name_score("yohana", "yohanna"), 2)
    (1.0, 0.92)
    >>> name_score("yohana", "yohana wonatorei"), round(name_score("markus sawaki", "siti aminah"), 2)
    (0.9, 0.17)
    """
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    short, long = sorted((set(a.split()), set(b.split())), key=len)
    return max(ratio, 0.9) if short <= long else ratio  # "yohanis" in "yohanis wonatorei"


OTHER_NAME = 0.6  # an exact NIK whose person has a name less alike than this waits for review


def judge(
    row: dict[str, Any],
    *,
    today: dt.date,
    people: list[dict[str, Any]],
    near: dict[str, Any] | None,
    dead: dict[int, dt.date],
    seen: dict[str, dt.date],
) -> tuple[str, str | None, int | None, float | None]:
    """What becomes of one row: ``(outcome, reason, person_id, score)``.

    ``people``: the persons with the row's NIK (``id``, ``birth_date``); ``near``: the
    person the registry's deduplication model proposes when no one has the NIK (``id``,
    ``probability``: :func:`jaring.families.queries.matching.near_matches`), or ``None``;
    ``dead``: person id -> date of death already recorded; ``seen``: NIK -> date of death of
    an earlier row of this list. A near match waits for review whatever its probability.
    """
    if not row.get("nik_ok"):
        return "refused", "bad_nik", None, None
    nik, died = row["nik"], row.get("death_date")
    if died is None:
        return "refused", "bad_death_date", None, None
    if died > today:
        return "refused", "death_in_future", None, None
    if nik in seen:
        one = int(people[0]["id"]) if len(people) == 1 else None
        if seen[nik] == died:
            return "unchanged", "duplicate_row", one, None
        return "review", "already_dead_other_date", one, None
    if len(people) > 1:
        return "review", "nik_shared", None, None
    if len(people) == 1:
        p = people[0]
        if p.get("birth_date") is not None and died < p["birth_date"]:
            return "refused", "death_before_birth", int(p["id"]), None
        if int(p["id"]) in dead:
            if dead[int(p["id"])] == died:
                return "unchanged", "already_recorded", int(p["id"]), None
            return "review", "already_dead_other_date", int(p["id"]), None
        alike = name_score(row.get("name_norm"), p.get("name_norm"))
        if row.get("name_norm") and p.get("name_norm") and alike < OTHER_NAME:
            # a NIK typed with a slip can be someone else's: the names must agree too
            return "review", "name_differs", int(p["id"]), round(alike, 3)
        return "recorded", None, int(p["id"]), 1.0
    if near is not None:
        return "review", "near_match", int(near["id"]), round(float(near["probability"]), 6)
    return "refused", "unknown_nik", None, None
