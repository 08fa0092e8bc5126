"""Cross-region duplicates: the same human listed by two Pemda (a move, a province's list and
a city's), found with Splink and the registry's own model (:mod:`jaring.registry.dedupe`:
its comparisons, levels and blocking rules are imported, not copied), on DuckDB or Spark.

1. Records: every snapshot's people, ``id`` = the snapshot's number times 2^40 plus the
   person's id there, ``pemda`` = the snapshot's source.
2. Blocking: the registry's rules, each narrowed to pairs of two Pemda (``l.pemda <>
   r.pemda``): a snapshot's own duplicates were the registry's job at home; and narrower
   than at home where a key is shared across the country (:func:`national_blocking`): on
   10M generated rows 0.9 million candidate pairs against 16.2 million with the registry's
   rules, the same true pairs less 2 of 473,388.
3. Training once, on DuckDB, over a sample that keeps pairs together (the records born on a
   few days of the month): u by random sampling, m by EM blocked on birth date and on NIK.
   The trained probabilities are carried into the target engine's settings level by level,
   so both engines score with one model and give the same pairs.
4. Holds: the registry's holds (:data:`~jaring.registry.dedupe.HOLDS`) on every scored pair,
   by its own rule: a held pair (twins: consecutive NIK serials and another given name; one
   NIK on two people whose names and birth dates conflict; names in conflict) is never a
   link, whatever its probability; it goes to an operator, except the holds the registry
   does not ask about either (:data:`~jaring.registry.dedupe.NOT_ASKED`: twins and names
   apart, what two people look like), kept in the pairs but sent to nobody.
5. Links: pairs at or above the match probability, and every pair sharing a NIK (as at home),
   unless held; pairs between review and match are kept for an operator. Clusters: connected components
   of the links (the registry's :func:`~jaring.registry.dedupe.components`, on the driver:
   links are a few per hundred records).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
import time
from typing import Any

import polars as pl

from jaring.national import errors, spark_sql
from jaring.national.engines import DuckDBEngine, Engine
from jaring.national.snapshot import Manifest
from jaring.registry import dedupe as registry_dedupe

log = logging.getLogger(__name__)

ID_SHIFT = 1 << 40
CROSS = " AND l.pemda <> r.pemda"


@dataclasses.dataclass
class Result:
    """A cross-region deduplication: the pairs (``pairs``: both sides' ids, Pemda and person,
    probability, weight, ``link``, ``hold`` (the registry's hold or null), the agreement
    levels as ``explain`` JSON) and the clusters
    of linked records (``clusters``: ``id``, ``pemda``, ``person_id``, ``cluster``)."""

    engine: str
    records: int
    pairs: pl.DataFrame
    clusters: pl.DataFrame
    seconds: dict[str, float]
    # each snapshot's source (Pemda) and the mark of the store it came from (None: unmarked)
    stores: dict[str, str | None] = dataclasses.field(default_factory=dict)

    @property
    def cross_region_pairs(self) -> int:
        return int(self.pairs.filter("link").height)

    @property
    def for_review(self) -> pl.DataFrame:
        """The pairs an operator decides: not linked, and not held as two people
        (:data:`~jaring.registry.dedupe.NOT_ASKED`)."""
        asked = ~pl.col("hold").fill_null("").is_in(registry_dedupe.NOT_ASKED)
        return self.pairs.filter(~pl.col("link") & asked)

    @property
    def cross_region_people(self) -> int:
        """Humans listed by more than one Pemda (clusters spanning two or more)."""
        if self.clusters.height == 0:
            return 0
        return int(
            self.clusters.group_by("cluster")
            .agg(pl.col("pemda").n_unique().alias("n"))
            .filter(pl.col("n") > 1)
            .height
        )


# Levels of the registry's model that mean nothing across regions, by comparison and label
# (none left in the registry's model today; kept for when one comes back).
NATIONAL_DROPS: dict[str, tuple[str, ...]] = {"nik": ("region code differs",)}

# Levels narrowed across regions: a NIK one digit away from another only in its region code
# (digits 1-6; digits 7-16, birth date and serial, the same) is, inside one regency, one NIK
# mistyped; across the country it is two strangers born on one day in neighbouring distrik
# with serial 0001 (serials restart per distrik and birth date). On generated sets EM took
# those strangers for matches (precision 0.89 on the test set), as it did with the registry's
# former "region code differs" level (F1 0.969 on 1M rows). Nationally such a pair falls to
# the levels below (else).
NATIONAL_NOT_REGION_ONLY = "substr(nik_l, 7, 10) <> substr(nik_r, 7, 10)"
NATIONAL_NARROWS: dict[str, tuple[str, ...]] = {
    "nik": ("one digit, birth date part disagrees", "one digit changed or swapped"),
}


# Blocking rules of the registry narrowed (or left out) nationally, by their SQL without the
# registry's "touching a new row" clause. NIK serials restart per distrik and birth date, so
# most NIKs end in 0001: inside one regency "the same NIK but the region" or "the same region
# and serial" are a few rows, across the country they are everyone born on one day, or
# everyone of one distrik listed by both the province and the city (on 1M generated rows
# these two rules made hundreds of millions of candidate pairs: the run did not finish in
# 12 GiB). The first only finds pairs that differ in the region code alone, which the
# national NIK levels treat as strangers (NATIONAL_NARROWS): it is left out. The second is the
# registry's own rule now: it also asks for the same birth date.
NATIONAL_BLOCKING: dict[str, str | None] = {
    "substr(l.nik, 7, 10) = substr(r.nik, 7, 10)": None,
}
_TOUCHING_NEW = " AND (l.is_new = 1 OR r.is_new = 1)"

# The registry's rules that pair records on a birth date and the sound of one word of the
# name (``WORD_SOUND_RULES``: the smallest, largest, first or last word's sound key, whichever
# the registry has) are replaced nationally by two on the birth date and the first or the
# last word as spelled (``SPELLED_WORD_RULES``, where the first of them was) (:func:`spelling`: the
# registry's spelling equivalences, vowels kept), and every rule on a birth date (or part of
# one) and the name's sound asks for the same sex as well. A sound key drops the vowels, so
# it is shared by many names (1,712 first-word keys against 6,339 first words on 1M
# generated rows): its blocks are everyone born on one day whose first word sounds alike,
# across the whole country, and their candidate pairs grow as the square of the records
# (on 1M generated rows 133,677 of the 230,188 candidate pairs came from these four rules,
# at 10M 11.7 million of 16.2 million). What these rules are for is one word mistyped while
# the other keeps: the other word as spelled finds it as well (blocking recall on 1M rows
# 0.99930 either way, 47,340 of 47,373 true pairs) in 108,972 candidate pairs; the reordered
# name and the name whose every word sounds alike are the name-sound rules' (name_phon with
# parts of the birth date). Lost against the sound rules: a pair with one word mistyped and
# the other spelled differently beyond the equivalences (two errors in one name), none on
# the generated sets. The generator never mistypes sex, so on a list that does, the pairs
# resting on a birth date and a name with sex differing are lost (docs/national.md).
WORD_SOUND_RULES = "l.birth_date = r.birth_date AND l.phon_"
SPELLED_WORD_RULES = (
    "l.birth_date = r.birth_date AND l.spell_first = r.spell_first",
    "l.birth_date = r.birth_date AND l.spell_last = r.spell_last",
)
# The registry's three rules on the name's sound and the birth year (with the month, with
# the day, with day and month swapped) as one rule: one self-join of the records instead of
# three (Splink joins the records once per rule), the same pairs. On 1M generated rows
# Splink's prediction took 4.2 CPU s against 5.3 (5.6 against 6.7 when DuckDB spills).
_YEAR = "substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4)"
_MONTH, _DAY = "substr(l.birth_date, 6, 2)", "substr(l.birth_date, 9, 2)"
_R_MONTH, _R_DAY = "substr(r.birth_date, 6, 2)", "substr(r.birth_date, 9, 2)"
NATIONAL_BLOCKING.update(
    {
        "l.name_phon = r.name_phon AND substr(l.birth_date, 1, 7) = substr(r.birth_date, 1, 7)": (
            f"l.name_phon = r.name_phon AND {_YEAR} AND ({_MONTH} = {_R_MONTH} OR "
            f"{_DAY} = {_R_DAY} OR ({_MONTH} = {_R_DAY} AND {_DAY} = {_R_MONTH}))"
        ),
        f"l.name_phon = r.name_phon AND {_YEAR} AND {_DAY} = {_R_DAY}": None,
        f"l.name_phon = r.name_phon AND {_YEAR} AND {_MONTH} = {_R_DAY} "
        f"AND {_DAY} = {_R_MONTH}": None,
    }
)
NATIONAL_SAME_SEX = (
    "l.birth_date = r.birth_date AND l.spell",
    "l.name_phon = r.name_phon AND substr(l.birth_date",
)
SAME_SEX = " AND l.sex = r.sex"

# Rules asked nationally for one word of the name besides (a residual condition on the
# rule's own join keys: the blocks are no larger, but what is scored is). A NIK's first 12
# digits (distrik, birth date, sex) or its region and serial with the birth date are, within
# one regency, a mistyped serial or birth-date part; across the country they pair everyone of
# one distrik born on one day listed by two Pemda (the province's list beside the city's):
# the same human still has a word of the name sounding alike (first or last word's sound
# key). The name's sound with parts of the birth date pairs everyone whose every word sounds
# alike: the same human, a vowel mistyped in one word, still has the other spelled alike.
# The NIK rules also take names alike as written (Jaro-Winkler 0.9: the words run together
# by a mistyped space, "noni sujapu" and "nonirsujapu", have no word alike; without it 5 true
# pairs of 1M rows were lost). A pair with no name on one side is left to the other rules.
# On 1M generated rows: candidate pairs 108,972 -> 59,468 (false ones 61,632 -> 12,128), true
# pairs found 47,340 of 47,373, as before.
ONE_WORD_SOUND = (
    " AND (l.phon_first = r.phon_first OR l.phon_last = r.phon_last"
    " OR jaro_winkler_similarity(l.name_norm, r.name_norm) >= 0.9)"
)
ONE_WORD_SPELLED = " AND (l.spell_first = r.spell_first OR l.spell_last = r.spell_last)"
NATIONAL_ONE_WORD: dict[str, str] = {
    "substr(l.nik, 1, 12) = substr(r.nik, 1, 12)": ONE_WORD_SOUND,
    "substr(l.nik, 1, 6) = substr(r.nik, 1, 6) AND substr(l.nik, 13, 4)": ONE_WORD_SOUND,
    "l.name_phon = r.name_phon AND substr(l.birth_date": ONE_WORD_SPELLED,
}

# The registry's spelling equivalences (:func:`jaring.registry.dedupe._phonetic`'s first
# step: old Dutch spellings, ph/v/f, z/s, q/k, ...), in its order
_SPELLING = (("dj", "j"), ("tj", "c"), ("sj", "sy"), ("oe", "u"), ("ph", "f"), ("kh", "k"),
             ("ch", "k"), ("th", "t"), ("v", "f"), ("z", "s"), ("q", "k"), ("x", "ks"),
             ("j", "y"), ("w", "u"), ("c", "k"))  # fmt: skip


def spelling(token: pl.Expr) -> pl.Expr:
    """A name word as spelled, up to the registry's spelling equivalences (:data:`_SPELLING`)
    and doubled letters, vowels kept: "djoko" and "joko" share "yoko", "yohannes" and
    "johanes" share "yohanes", "budi" and "bodi" do not (the sound key, which drops vowels
    after the first letter, has them alike)."""
    t = token
    for a, b in _SPELLING:
        t = t.str.replace_all(a, b, literal=True)
    for c in "abdefgiklmnoprstuy":  # doubled letters once (no back-references in Polars)
        t = t.str.replace_all(f"{c}{c}+", c)
    return t


def national_blocking(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The registry's blocking rules (Splink's dicts) as the national run uses them: each
    narrowed to pairs of two Pemda (:data:`CROSS`), those of :data:`NATIONAL_BLOCKING`
    replaced or left out, those on a birth date and one word's sound (whichever the
    registry has, :data:`WORD_SOUND_RULES`) replaced by :data:`SPELLED_WORD_RULES`, those
    of :data:`NATIONAL_SAME_SEX` asking for the same sex and those of
    :data:`NATIONAL_ONE_WORD` for a word of the name besides."""
    out: list[dict[str, Any]] = []
    spelled = False
    for r in rules:
        text = r["blocking_rule"]
        core = text.removesuffix(_TOUCHING_NEW)
        if core.startswith(WORD_SOUND_RULES):
            if not spelled:
                spelled = True
                rest = text[len(core) :]
                out.extend(
                    {**r, "blocking_rule": rule + rest + SAME_SEX + CROSS}
                    for rule in SPELLED_WORD_RULES
                )
            continue
        if core in NATIONAL_BLOCKING:
            repl = NATIONAL_BLOCKING[core]
            if repl is None:
                continue
            text = repl + (text[len(core) :])
        if text.startswith(NATIONAL_SAME_SEX):
            text += SAME_SEX
        text += "".join(w for start, w in NATIONAL_ONE_WORD.items() if text.startswith(start))
        out.append({**r, "blocking_rule": text + CROSS})
    return out


def _narrow_levels(comparison: dict[str, Any]) -> dict[str, Any]:
    """``comparison`` with its :data:`NATIONAL_NARROWS` levels not met by two NIKs that
    differ only in the region code."""
    narrows = NATIONAL_NARROWS.get(comparison.get("output_column_name", ""), ())
    levels = [
        {**lv, "sql_condition": f"({lv['sql_condition']}) AND {NATIONAL_NOT_REGION_ONLY}"}
        if lv.get("label_for_charts") in narrows
        else lv
        for lv in comparison["comparison_levels"]
    ]
    return {**comparison, "comparison_levels": levels}


def _drop_levels(comparison: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """``comparison`` without its :data:`NATIONAL_DROPS` levels, and the gamma values (in the
    registry's numbering) of the levels dropped."""
    drops = NATIONAL_DROPS.get(comparison.get("output_column_name", ""), ())
    levels = comparison["comparison_levels"]
    real = [lv for lv in levels if not lv.get("is_null_level")]
    gone = [len(real) - 1 - i for i, lv in enumerate(real) if lv.get("label_for_charts") in drops]
    kept = [lv for lv in levels if lv.get("label_for_charts") not in drops]
    return {**comparison, "comparison_levels": kept}, gone


def settings(dialect: str, prior: float) -> dict[str, Any]:
    """The registry's model for ``dialect`` (``duckdb``, ``spark``) as a Splink settings dict,
    its blocking rules narrowed to pairs of two Pemda (:func:`national_blocking`), without the levels that mean nothing
    across regions (:data:`NATIONAL_DROPS`) and with the NIK typo levels not met by a region
    code alone (:data:`NATIONAL_NARROWS`). For Spark the levels' DuckDB SQL is rewritten in
    Spark SQL (:mod:`~jaring.national.spark_sql`)."""
    s = registry_dedupe._settings(prior).get_settings(dialect).as_dict()
    s["comparisons"] = [_narrow_levels(_drop_levels(c)[0]) for c in s["comparisons"]]
    s["blocking_rules_to_generate_predictions"] = national_blocking(
        s["blocking_rules_to_generate_predictions"]
    )
    s["retain_intermediate_calculation_columns"] = True
    s["retain_matching_columns"] = True
    s["additional_columns_to_retain"] = ["pemda", "person_id"]
    if dialect == "spark":
        s = spark_sql.settings_to_spark(s)
    return s


def carry_parameters(trained: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """``target`` (one dialect's settings) with the probabilities ``trained`` (another's,
    same comparisons and levels in the same order) learnt."""
    out = dict(target)
    out["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    comps = []
    learnt = {c["output_column_name"]: c for c in trained["comparisons"]}
    for oc in target["comparisons"]:
        tc = learnt.get(oc["output_column_name"])
        if tc is None or len(tc["comparison_levels"]) != len(oc["comparison_levels"]):
            comps.append(oc)  # not learnt: Splink's defaults
            continue
        levels = []
        for tl, ol in zip(tc["comparison_levels"], oc["comparison_levels"], strict=True):
            lv = dict(ol)
            for k in ("m_probability", "u_probability"):
                if k in tl:
                    lv[k] = tl[k]
            levels.append(lv)
        comps.append({**oc, "comparison_levels": levels})
    out["comparisons"] = comps
    return out


# The records as the registry's model reads them (the columns and name keys of
# :func:`jaring.registry.dedupe._records`), made in SQL over ``national_records_raw`` and
# ``national_word_sounds`` (each distinct name word, its sound key by the registry's own
# :func:`~jaring.registry.dedupe._phonetic` and its spelling by :func:`spelling`): the
# engine reads, joins and spills; nothing of the size of the input passes through the
# driver's memory. A name's words are looked up by position, one join per word position up
# to the longest name's count of words (``{phons}``, ``{spells}``, ``{joins}``: see
# :func:`prepare_query`), each probing the small table of words, in one pass over the
# records. (Unnesting the words and gathering them again in order took 4.7 s of 1M rows'
# 9 s on this machine; by position 0.25 s.)
PREPARE_SQL = """
WITH k AS (
  SELECT r.*, string_split(r.name_norm, ' ') AS ws,
         CASE WHEN r.name_norm IS NOT NULL
              THEN list_value({phons})[1:len(string_split(r.name_norm, ' '))] END AS ks,
         CASE WHEN r.name_norm IS NOT NULL
              THEN list_value({spells})[1:len(string_split(r.name_norm, ' '))] END AS ss,
         try_cast(substr(r.nik, 7, 2) AS INTEGER) AS nik_d,
         try_cast(substr(r.nik, 9, 2) AS INTEGER) AS nik_m,
         try_cast(substr(r.nik, 11, 2) AS INTEGER) AS nik_y
  FROM national_records_raw r
  {joins}
)
SELECT k.id, k.nik, k.name_norm, CAST(k.birth_date AS VARCHAR) AS birth_date, k.sex,
       k.district_code, k.village_code, k.phone, CAST(1 AS TINYINT) AS is_new,
       CAST(coalesce(CASE WHEN k.nik_d > 40 THEN k.nik_d - 40 ELSE k.nik_d END
                       = day(k.birth_date)
                     AND k.nik_m = month(k.birth_date)
                     AND k.nik_y = year(k.birth_date) % 100, false) AS TINYINT)
         AS nik_bd_ok,
       k.ks[1] AS phon_first, k.ks[-1] AS phon_last,
       array_to_string(list_sort(k.ws), ' ') AS name_sorted,
       array_to_string(list_sort(k.ks), ' ') AS name_phon,
       list_filter(k.ws, lambda x: length(x) > 1) AS name_parts,
       list_distinct(list_transform(k.ws, lambda x: substr(x, 1, 1))) AS name_initials,
       list_filter(k.ws, lambda x: length(x) = 1) AS name_single,
       list_min(k.ks) AS phon_min, list_max(k.ks) AS phon_max,
       k.ss[1] AS spell_first, k.ss[-1] AS spell_last,
       k.pemda, k.person_id, k.province_code, k.regency_code
FROM k
"""


def prepare_query(words: int) -> str:
    """:data:`PREPARE_SQL` for names of at most ``words`` words."""
    n = range(1, max(words, 1) + 1)
    return PREPARE_SQL.format(
        phons=", ".join(f"w{i}.phon" for i in n),
        spells=", ".join(f"w{i}.spell" for i in n),
        joins="\n  ".join(
            f"LEFT JOIN national_word_sounds w{i} ON w{i}.word = split_part(r.name_norm, ' ', {i})"
            for i in n
        ),
    )


# The records' columns a run reads: the model's, and the national ones beside them
RAW_SQL = """
SELECT CAST({index} AS BIGINT) * {shift} + person_id AS id,
       '{source}' AS pemda, person_id, nik, name_norm, CAST(birth_date AS DATE) AS birth_date,
       sex, district_code, village_code, phone, province_code, regency_code
FROM {view}
"""


def register_records(engine: Engine, manifests: list[Manifest]) -> int:
    """A table ``national_records`` on ``engine``: every snapshot's people as the
    registry's model compares them (:data:`PREPARE_SQL`); returns its rows. Prepared by
    DuckDB in SQL, out of core (:func:`prepare_sql`); the Spark engine reads the prepared
    records from Parquet in its work directory."""
    if isinstance(engine, DuckDBEngine):
        total = prepare_sql(engine.con, raw_sql(manifests))
        engine.con.execute("DROP TABLE IF EXISTS national_records")
        engine.con.execute("ALTER TABLE national_prepared RENAME TO national_records")
        add_macros(engine)
        return total
    import duckdb

    path = os.path.join(engine.work_dir(), "national_records.parquet")
    con = duckdb.connect()
    tmp = tempfile.mkdtemp(prefix="jaring-national-prepare-")
    try:
        con.execute("SET temp_directory = ?", [tmp])
        con.execute("SET preserve_insertion_order = false")
        total = prepare_sql(con, raw_sql(manifests))
        con.execute(f"COPY national_prepared TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
    engine.register("national_records_file", [path], PREPARED_SCHEMA)
    engine.materialise("national_records", "SELECT * FROM national_records_file")
    return total


def raw_sql(manifests: list[Manifest]) -> str:
    """DuckDB SQL of every snapshot's people with the columns of :data:`RAW_SQL`, read
    from their Parquet files."""
    parts = []
    for i, m in enumerate(manifests):
        paths = m.paths("people")
        src = m.source.replace("'", "")
        if not paths:
            continue
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        view = f"read_parquet([{files}], hive_partitioning = false)"
        parts.append(RAW_SQL.format(index=i, shift=ID_SHIFT, source=src, view=view))
    if not parts:  # no people at all: no rows, the same columns
        return (
            "SELECT CAST(NULL AS BIGINT) AS id, '' AS pemda, CAST(NULL AS BIGINT) AS person_id, "
            "'' AS nik, '' AS name_norm, CAST(NULL AS DATE) AS birth_date, '' AS sex, "
            "'' AS district_code, '' AS village_code, '' AS phone, '' AS province_code, "
            "'' AS regency_code WHERE false"
        )
    return " UNION ALL ".join(parts)


def prepare_sql(con: Any, raw: str) -> int:
    """On the DuckDB connection ``con``: the table ``national_prepared`` of the records that
    the SQL ``raw`` gives (the columns of :data:`RAW_SQL`), prepared by
    :data:`PREPARE_SQL` (:func:`prepare_query`); returns its rows."""
    con.execute("DROP TABLE IF EXISTS national_records_raw")
    con.execute("CREATE TABLE national_records_raw AS " + raw)
    words = con.sql(
        "SELECT DISTINCT unnest(string_split(name_norm, ' ')) AS word FROM national_records_raw "
        "WHERE name_norm IS NOT NULL"
    ).pl()
    sounds = words.with_columns(
        phon=registry_dedupe._phonetic(pl.col("word")), spell=spelling(pl.col("word"))
    )
    con.register("national_word_sounds_frame", sounds.to_arrow())
    con.execute("DROP TABLE IF EXISTS national_word_sounds")
    con.execute("CREATE TABLE national_word_sounds AS SELECT * FROM national_word_sounds_frame")
    con.unregister("national_word_sounds_frame")
    con.execute("DROP TABLE IF EXISTS national_prepared")
    longest = con.execute(
        "SELECT max(len(string_split(name_norm, ' '))) FROM national_records_raw"
    ).fetchall()[0][0]
    con.execute("CREATE TABLE national_prepared AS " + prepare_query(int(longest or 0)))
    con.execute("DROP TABLE national_records_raw")
    con.execute("DROP TABLE national_word_sounds")
    total = con.execute("SELECT count(*) FROM national_prepared").fetchall()[0][0]
    return int(total)


# The prepared records' columns and types (Spark reads them with this schema)
PREPARED_SCHEMA: dict[str, Any] = {
    "id": pl.Int64, "nik": pl.String, "name_norm": pl.String, "birth_date": pl.String,
    "sex": pl.String, "district_code": pl.String, "village_code": pl.String,
    "phone": pl.String, "is_new": pl.Int8, "nik_bd_ok": pl.Int8, "phon_first": pl.String,
    "phon_last": pl.String, "name_sorted": pl.String, "name_phon": pl.String,
    "name_parts": pl.List(pl.String), "name_initials": pl.List(pl.String),
    "name_single": pl.List(pl.String), "phon_min": pl.String, "phon_max": pl.String,
    "spell_first": pl.String, "spell_last": pl.String,
    "pemda": pl.String, "person_id": pl.Int64, "province_code": pl.String,
    "regency_code": pl.String,
}  # fmt: skip


def prepare(raw: pl.DataFrame) -> pl.DataFrame:
    """``raw`` (the columns of :data:`RAW_SQL`, birth date as ISO text, and ``is_new``) with the derived columns the registry's
    model compares (name keys, ``nik_bd_ok``), made by the registry's own preparation
    (:func:`jaring.registry.dedupe._records`), the first and last word as spelled
    (:func:`spelling`) and the national columns beside them: the reference
    :data:`PREPARE_SQL` is tested against."""
    extra = [c for c in raw.columns if c not in registry_dedupe.RECORD_COLUMNS]
    base = raw.select(registry_dedupe.RECORD_COLUMNS).with_columns(
        pl.col("birth_date").cast(pl.String).str.to_date(strict=False)
    )
    words = pl.col("name_norm").str.split(" ")
    recs = registry_dedupe._records(base).with_columns(
        spell_first=spelling(words.list.first()), spell_last=spelling(words.list.last())
    )
    return recs.join(raw.select(["id", *extra]), on="id", how="left", maintain_order="left")


def add_macros(engine: DuckDBEngine) -> None:
    """The DuckDB macros the registry's comparisons call, on ``engine``'s connection."""
    for macro in registry_dedupe._MACROS:
        engine.con.execute(macro)


# The population the match probability is stated for (see prior_for): a Pemda's list
PRIOR_RECORDS = 100_000


def prior_for(total: int) -> float:
    """The probability that two random records are one human, for a run of ``total``
    records: a cross-listed share of about one record in twenty over all pairs of ``total``
    records up to :data:`PRIOR_RECORDS`, and of that many beyond. The registry's thresholds
    were calibrated on one Pemda's list (Kota Sorong, 25,573 rows); Splink's prior over all
    pairs falls as 1/n, so at the registry's 0.99 a national run of n records asked log2(n /
    100,000) bits more evidence of the same two listings than a Pemda-sized list does (3.3
    at 1M, 6.6 at 10M) and lost recall for nothing: on 1M generated rows every pair scored at
    0.5 or more and not held was a true pair (none of 46,956 false), while 0.99 kept recall
    at 0.967. Stated for a Pemda-sized population, the same evidence links across regions
    as at home: on those rows recall 0.987, precision 1.0."""
    n = max(min(total, PRIOR_RECORDS), 2)
    return min(0.5, max(1e-12, (n / 20) / (n * (n - 1) / 2)))


def training_sample(engine: Engine, total: int, max_rows: int) -> pl.DataFrame:
    """The records born on the first days of the month (and, when one day of every month is
    still more than about ``max_rows`` records, in the first months of the year): a sample
    in which a human's two listings stay together (unlike a random one), so EM sees true
    pairs, and whose size stays near ``max_rows`` at any ``total`` (EM blocked on birth date
    compares every pair born on one day: at 10M records a whole day of every month would be
    about 320,000 records and 90 million pairs)."""
    share = max_rows / max(total, 1)
    days = max(1, min(31, int(31 * share)))
    months = max(1, min(12, -(-12 * 31 * share // days))) if days == 1 else 12
    wanted_d = ", ".join(f"'{d:02d}'" for d in range(1, days + 1))
    wanted_m = ", ".join(f"'{m:02d}'" for m in range(1, int(months) + 1))
    return engine.sql(
        f"SELECT * FROM national_records WHERE substr(birth_date, 9, 2) IN ({wanted_d}) "
        f"AND substr(birth_date, 6, 2) IN ({wanted_m})"
    )


def train(sample: pl.DataFrame, total: int, *, seed: int = 42) -> dict[str, Any]:
    """The registry's model trained on ``sample`` with DuckDB (see the module)."""
    from splink import Linker, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    prior = prior_for(total)
    duck = DuckDBEngine(threads=2)
    add_macros(duck)
    try:
        sdf = duck.splink_api().register(sample.to_arrow(), table_name="national_train")
        trainer = Linker(sdf, settings("duckdb", prior), log_level="ERROR")
        trainer.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=seed, num_chunks=1)
        model: dict[str, Any] = trainer.misc.save_model_to_json()
        for rule in (block_on("birth_date"), block_on("nik")):
            try:
                trainer.training.estimate_parameters_using_expectation_maximisation(rule)
            except Exception as e:  # too few pairs to train on: keep the model as it was
                log.info("EM skipped (%s): %s", rule, type(e).__name__)
                # a failed session can leave the linker without the comparisons it set
                # aside (seen: birth date gone after EM on NIK failed): start again from
                # the last good model
                trainer = Linker(sdf, model, log_level="ERROR")
                continue
            model = trainer.misc.save_model_to_json()
        return model
    finally:
        duck.close()


def run(
    engine: Engine,
    manifests: list[Manifest],
    *,
    thresholds: registry_dedupe.Thresholds | None = None,
    seed: int = 42,
    max_training_rows: int = 100_000,
    model: dict[str, Any] | None = None,
) -> Result:
    """Cross-region pairs and clusters of the snapshots ``manifests`` on ``engine``.
    ``model``: a trained model (:func:`train`) to use instead of training."""
    from splink import Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    th = thresholds or registry_dedupe.Thresholds()
    secs: dict[str, float] = {}
    t = time.perf_counter()
    total = register_records(engine, manifests)
    if total < 2:
        raise errors.NOTHING_TO_MATCH(rows=total, field="snapshots")
    secs["records"] = time.perf_counter() - t
    t = time.perf_counter()
    if model is None:
        model = train(training_sample(engine, total, max_training_rows), total, seed=seed)
    secs["train"] = time.perf_counter() - t
    t = time.perf_counter()
    target = carry_parameters(model, settings(engine.name, 1e-6))
    target["probability_two_random_records_match"] = prior_for(total)
    linker = Linker(engine.splink_api().register("national_records"), target, log_level="ERROR")
    pred = linker.inference.predict(threshold_match_probability=th.review, warning_mode="never")
    keep = ["id_l", "id_r", "pemda_l", "pemda_r", "person_id_l", "person_id_r",
            "match_weight", "match_probability", "nik_l", "nik_r"]  # fmt: skip
    pairs_sql = f"SELECT * FROM {pred.physical_name}"
    scored = engine.sql(pairs_sql)
    secs["predict"] = time.perf_counter() - t
    t = time.perf_counter()
    gammas = [c for c in scored.columns if c.startswith(("gamma_", "mw_"))]
    held = [f"{c}_{side}" for c in HOLD_COLUMNS for side in ("l", "r")]
    scored = _registry_gammas(
        scored.select([c for c in dict.fromkeys([*keep, *held]) if c in scored.columns] + gammas)
    )
    scored = holds(scored).drop([c for c in held if c not in keep], strict=False)
    pairs = _with_nik_pairs(engine, _finish(scored, th))
    clusters = _clusters(pairs)
    secs["clusters"] = time.perf_counter() - t
    stores = {m.source: m.store for m in manifests}
    return Result(engine.name, total, pairs, clusters, secs, stores)


# the columns of each side the registry's holds read
HOLD_COLUMNS = ("nik", "name_norm", "name_parts", "name_initials", "name_single")


def holds(scored: pl.DataFrame) -> pl.DataFrame:
    """``scored`` (pairs with the registry's gamma numbering and :data:`HOLD_COLUMNS` of
    both sides) with ``hold``: the registry's hold of each pair (a key of
    :data:`jaring.registry.dedupe.HOLDS` or null), by the registry's own rule
    (``_HOLD_SQL`` and its macros), so that across regions as at home twins (consecutive
    NIK serials, another given name) and one NIK on two people (names and birth dates in
    conflict) are never linked. Run on the driver with DuckDB for either engine: the scored
    pairs are already there (a few per hundred records), and one rule text gives both
    engines the same holds. Serials are read with ``try_cast``: a pseudonymised NIK has no
    digits (and then no serial level either)."""
    if scored.height == 0:
        return scored.with_columns(hold=pl.lit(None, dtype=pl.String))
    gammas = ("gamma_nik", "gamma_birth_date", "gamma_name_norm")
    p = scored.select(
        pl.col("id_l", "id_r").cast(pl.Int64),
        *[pl.col(g) if g in scored.columns else pl.lit(None, dtype=pl.Int32).alias(g)
          for g in gammas],
    )  # fmt: skip
    sides = pl.concat(
        [
            scored.select(
                pl.col(f"id_{s}").cast(pl.Int64).alias("id"),
                *[pl.col(f"{c}_{s}").alias(c) for c in HOLD_COLUMNS],
            )
            for s in ("l", "r")
        ]
    ).unique("id")
    sql = registry_dedupe.hold_statement("hold_pairs", "hold_recs", "p.id_l, p.id_r")
    con = registry_dedupe.macro_connection()
    try:
        con.execute("SET threads = 2")
        con.register("hold_pairs", p.to_arrow())
        con.register("hold_recs", sides.to_arrow())
        got = con.sql(sql.replace("cast(", "try_cast(")).pl()
    finally:
        con.close()
    out = scored.with_columns(pl.col("id_l", "id_r").cast(pl.Int64))
    return out.join(got, on=["id_l", "id_r"], how="left", maintain_order="left")


NIK_PAIRS_SQL = """
SELECT l.id AS id_l, r.id AS id_r, l.pemda AS pemda_l, l.person_id AS person_l,
       r.pemda AS pemda_r, r.person_id AS person_r
FROM national_records l JOIN national_records r
  ON l.nik = r.nik AND l.pemda <> r.pemda AND l.id < r.id
"""


def _with_nik_pairs(engine: Engine, pairs: pl.DataFrame) -> pl.DataFrame:
    """``pairs`` and every pair of two Pemda sharing a NIK that scored below review, for an
    operator: not linked, since across regions such a pair is as often a mistyped NIK landing
    on a neighbour's (serials are consecutive) as one human typed differently everywhere (on
    1M generated rows linking them cost 0.17% precision for 0.2% recall). They carry no
    probability (null) and NIK "sama" as their explanation."""
    nik = engine.sql(NIK_PAIRS_SQL).with_columns(
        pl.col("id_l", "id_r", "person_l", "person_r").cast(pl.Int64)
    )
    extra = nik.join(pairs.select("id_l", "id_r"), on=["id_l", "id_r"], how="anti")
    if extra.height == 0:
        return pairs
    label = registry_dedupe.LEVELS["nik"][max(registry_dedupe.LEVELS["nik"])]
    extra = extra.with_columns(
        match_weight=pl.lit(None, dtype=pl.Float64),
        match_probability=pl.lit(None, dtype=pl.Float64),
        link=pl.lit(False),
        hold=pl.lit(None, dtype=pl.String),
        explain=pl.lit('{"nik":{"level":"' + label + '","weight":null}}'),
    )
    return pl.concat([pairs, extra.select(pairs.columns)]).sort("id_l", "id_r")


def _registry_gammas(scored: pl.DataFrame) -> pl.DataFrame:
    """Gamma values renumbered as in the registry's model (levels dropped nationally leave a
    gap), so that its labels explain them."""
    full = registry_dedupe._settings(1e-6).get_settings("duckdb").as_dict()["comparisons"]
    out = scored
    for c in full:
        col = f"gamma_{c['output_column_name']}"
        for g in sorted(_drop_levels(c)[1]):
            if col in out.columns:
                out = out.with_columns(
                    pl.when(pl.col(col) >= g)
                    .then(pl.col(col) + 1)
                    .otherwise(pl.col(col))
                    .alias(col)
                )
    return out


def _finish(scored: pl.DataFrame, th: registry_dedupe.Thresholds) -> pl.DataFrame:
    """Pairs with the lower id left, the agreement levels as JSON (with the hold, if any),
    ``link`` set at the match probability or on a shared NIK unless the pair is held
    (:func:`holds`: a held pair is never a link); sorted by ids (both engines give the
    same order)."""
    s = scored.with_columns(pl.col("id_l", "id_r").cast(pl.Int64))
    swap = pl.col("id_l") > pl.col("id_r")

    def pick(a: str, b: str) -> pl.Expr:
        return pl.when(swap).then(pl.col(b)).otherwise(pl.col(a))

    same_nik = (pl.col("nik_l") == pl.col("nik_r")).fill_null(False)
    s = s.with_columns(
        pick("id_l", "id_r").alias("a"),
        pick("id_r", "id_l").alias("b"),
        pick("pemda_l", "pemda_r").alias("pa"),
        pick("pemda_r", "pemda_l").alias("pb"),
        pick("person_id_l", "person_id_r").alias("qa"),
        pick("person_id_r", "person_id_l").alias("qb"),
        (((pl.col("match_probability") >= th.match) | same_nik) & pl.col("hold").is_null())
        .fill_null(False)
        .alias("link"),
    )
    return (
        s.select(
            pl.col("a").alias("id_l"),
            pl.col("b").alias("id_r"),
            pl.col("pa").alias("pemda_l"),
            pl.col("qa").cast(pl.Int64).alias("person_l"),
            pl.col("pb").alias("pemda_r"),
            pl.col("qb").cast(pl.Int64).alias("person_r"),
            "match_weight",
            "match_probability",
            "link",
            "hold",
            registry_dedupe.explain(s).alias("explain"),
        )
        .unique(["id_l", "id_r"], keep="first")
        .sort("id_l", "id_r")
    )


def _clusters(pairs: pl.DataFrame) -> pl.DataFrame:
    links = pairs.filter("link")
    if links.height == 0:
        return pl.DataFrame(
            schema={"id": pl.Int64, "pemda": pl.String, "person_id": pl.Int64, "cluster": pl.Int64}
        )
    nodes = pl.concat(
        [
            links.select(id="id_l", pemda="pemda_l", person_id="person_l"),
            links.select(id="id_r", pemda="pemda_r", person_id="person_r"),
        ]
    ).unique("id")
    comp = registry_dedupe.components(nodes.get_column("id"), links.select("id_l", "id_r"))
    return (
        nodes.join(comp.rename({"node": "id", "root": "cluster"}), on="id")
        .select("id", "pemda", "person_id", "cluster")
        .sort("id")
    )
