"""The national records prepared in SQL (``dedupe.PREPARE_SQL``, out of core) are the
registry's own preparation (``registry.dedupe._records``, in Polars), column by column: on a
generated national set and on names, NIKs and dates drawn by hypothesis (spaces doubled,
initials, empty names, short and hashed NIKs, women's NIK days)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring.national import dedupe

from .conftest import manifests

_COLS = list(dedupe.PREPARED_SCHEMA)


def _by_sql(raw: pl.DataFrame) -> pl.DataFrame:
    con = duckdb.connect()
    try:
        con.register("raw_frame", raw.to_arrow())
        n = dedupe.prepare_sql(con, "SELECT * FROM raw_frame")
        out = con.sql("SELECT * FROM national_prepared").pl()
    finally:
        con.close()
    assert n == raw.height
    return out


def _by_registry(raw: pl.DataFrame) -> pl.DataFrame:
    return dedupe.prepare(
        raw.with_columns(pl.col("birth_date").cast(pl.String), is_new=pl.lit(1, dtype=pl.Int8))
    )


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    a, b = a.select(_COLS).sort("id"), b.select(_COLS).sort("id")
    # the initials are a set (the registry's list.unique keeps no order)
    a, b = (f.with_columns(pl.col("name_initials").list.sort()) for f in (a, b))
    assert a.schema == b.schema
    assert a.equals(b), a.join(b, on="id", suffix="_sql").head(3)


def _raw(rows: list[tuple[str | None, str | None, dt.date | None, str]]) -> pl.DataFrame:
    n = len(rows)
    return pl.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "pemda": ["96.71"] * n,
            "person_id": list(range(1, n + 1)),
            "nik": [r[0] for r in rows],
            "name_norm": [r[1] for r in rows],
            "birth_date": [r[2] for r in rows],
            "sex": [r[3] for r in rows],
            "district_code": ["96.71.01"] * n,
            "village_code": [None] * n,
            "phone": [None] * n,
            "province_code": ["96"] * n,
            "regency_code": ["96.71"] * n,
        },
        schema={
            "id": pl.Int64, "pemda": pl.String, "person_id": pl.Int64, "nik": pl.String,
            "name_norm": pl.String, "birth_date": pl.Date, "sex": pl.String,
            "district_code": pl.String, "village_code": pl.String, "phone": pl.String,
            "province_code": pl.String, "regency_code": pl.String,
        },
    )  # fmt: skip


def test_prepared_in_sql_as_the_registry_prepares(clear_dir: Path) -> None:
    con = duckdb.connect()
    try:
        raw = con.sql(dedupe.raw_sql(manifests(clear_dir))).pl()
    finally:
        con.close()
    assert raw.height > 1000
    _same(_by_sql(raw), _by_registry(raw))


_WORD = st.text(alphabet="abcdjkmnoprstuvwyzhéx", min_size=0, max_size=7)
_NAME = st.one_of(st.none(), st.lists(_WORD, min_size=1, max_size=4).map(" ".join))
_NIK = st.one_of(
    st.none(),
    st.text(alphabet="0123456789", min_size=0, max_size=16),
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    st.builds(
        lambda d, m, y: f"917101{d:02d}{m:02d}{y:02d}0001",
        st.integers(0, 71), st.integers(0, 13), st.integers(0, 99),
    ),
)  # fmt: skip
_DATE = st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2025, 12, 31)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_NIK, _NAME, _DATE, st.sampled_from(["L", "P"])), min_size=1))
def test_any_names_niks_and_dates_prepare_alike(
    rows: list[tuple[str | None, str | None, dt.date | None, str]],
) -> None:
    raw = _raw(rows)
    _same(_by_sql(raw), _by_registry(raw))


def test_birth_date_and_name_sound_rules_ask_the_same_sex() -> None:
    rules = [
        r["blocking_rule"]
        for r in dedupe.settings("duckdb", 1e-6)["blocking_rules_to_generate_predictions"]
    ]
    sound = [r for r in rules if r.startswith(dedupe.NATIONAL_SAME_SEX)]
    # the birth date with the first and the last word as spelled; the name's sound with the
    # year and the month, the day or day and month swapped (one rule), and with month and day;
    # no rule on the birth date and one word's sound key
    assert len(sound) == 4
    assert not any("phon_min" in r or "l.phon_first = r.phon_first AND" in r for r in rules)
    # a NIK's parts and the name's sound ask for a word of the name besides
    assert all(dedupe.ONE_WORD_SPELLED in r for r in rules if r.startswith("l.name_phon"))
    assert sum(dedupe.ONE_WORD_SOUND in r for r in rules if r.startswith("substr(l.nik")) == 2
    assert not any(dedupe.ONE_WORD_SOUND in r for r in rules if r.startswith("l.nik = r.nik"))
    assert all(dedupe.SAME_SEX in r for r in sound)
    assert not any(dedupe.SAME_SEX in r for r in rules if r not in sound)


def test_spelling_keeps_vowels_and_joins_old_spellings() -> None:
    words = pl.Series(["djoko", "joko", "yohannes", "johanes", "budi", "bodi", "tjahjo", "cahyo"])
    got = pl.select(dedupe.spelling(pl.lit(words))).to_series().to_list()
    assert got[0] == got[1] == "yoko"
    assert got[2] == got[3] == "yohanes"
    assert got[4] != got[5]  # alike by sound, not as spelled: the blocks stay small
    assert got[6] == got[7]


def _candidates(rows: list[tuple[str, str | None, str, dt.date, str]]) -> set[tuple[int, int]]:
    """The pairs (ids) the national blocking rules put in front of the model, for rows of
    (Pemda, NIK, name, birth date, sex)."""
    raw = _raw([(nik, name, born, sex) for _, nik, name, born, sex in rows]).with_columns(
        pemda=pl.Series([r[0] for r in rows])
    )
    con = duckdb.connect()
    try:
        con.register("raw_frame", raw.to_arrow())
        dedupe.prepare_sql(con, "SELECT * FROM raw_frame")
        rules = dedupe.settings("duckdb", 1e-6)["blocking_rules_to_generate_predictions"]
        sql = " UNION ".join(
            f"SELECT l.id, r.id FROM national_prepared l JOIN national_prepared r "
            f"ON ({rule['blocking_rule']}) AND l.id < r.id"
            for rule in rules
        )
        return {(a, b) for a, b in con.execute(sql).fetchall()}
    finally:
        con.close()


def test_cross_region_blocking_keeps_one_word_mistyped_not_a_sound_alike() -> None:
    born = dt.date(1980, 3, 14)
    got = _candidates(
        [
            ("96.71", None, "budi santoso", born, "L"),
            ("96.01", None, "budi santozo", born, "L"),  # the same human, last word mistyped
            ("96.02", None, "budi sanroso", born, "L"),  # a consonant: the sound changes
            ("96.03", None, "bodi wirawan", born, "L"),  # a stranger: first word sounds alike
            ("96.71", None, "budi santoso", born, "L"),  # the same Pemda: the registry's job
            ("96.04", None, "budi santoso", born, "P"),  # another sex
        ]
    )
    assert (1, 2) in got and (1, 3) in got and (2, 3) in got
    assert not any(4 in p for p in got)  # "bodi" is not "budi" as spelled
    assert (1, 5) not in got
    assert not any(6 in p for p in got)


def test_nik_part_rules_need_a_name_alike() -> None:
    born = dt.date(1980, 3, 14)
    got = _candidates(
        [
            ("96.71", "9171015403800001", "noni sujapu", born, "P"),
            ("96.01", "9171015403800002", "nonirsujapu", born, "P"),  # serial and space mistyped
            ("96.02", "9171015403800003", "wiwa buna", born, "P"),  # a neighbour by serial
        ]
    )
    assert got == {(1, 2)}
