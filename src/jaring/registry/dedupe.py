"""Deduplication: which source rows are the same human (Splink 5 on DuckDB, kept behind this
module so that the rest of Jaring never sees Splink's API).

1. Exact NIK: rows with the same valid NIK are one person (deterministic edges).
2. Probabilistic: a Fellegi-Sunter model over NIK (one-digit typos), normalised name (with
   term-frequency adjustment, so "muhammad" agreeing says less than "wonatorei"), birth date
   (with a level for swapped day and month), sex, area (village, district) and phone.
   u from random sampling, m by expectation maximisation blocked on birth date and on NIK.
3. Pairs at or above ``match`` probability are links; links that join twins through other
   rows are held (:func:`split_twins`); pairs between ``review`` and ``match``
   go to a review queue; operator decisions override the model (accepted = link, rejected =
   never a link).
4. Incremental: only pairs that touch a new row are scored; existing people are never
   re-clustered. A component holding an existing person gives its new rows that person.

Pure: frames in, frames out. DuckDB runs in memory.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import polars as pl

log = logging.getLogger(__name__)

RECORD_COLUMNS = (
    "id",
    "nik",
    "name_norm",
    "birth_date",
    "sex",
    "district_code",
    "village_code",
    "phone",
    "is_new",
)


@contextlib.contextmanager
def stage(name: str, *, thread: bool = False) -> Iterator[None]:
    """Time one step (wall and CPU seconds of the whole process, DuckDB's threads included;
    with ``thread``, the CPU of the calling thread only, for a step that runs beside another
    on a one-thread DuckDB connection) and log it at DEBUG as ``dedupe stage``, with
    ``stage``, ``wall`` and ``cpu`` on the record: the benchmark collects them for its
    breakdown. Counts only, never row data."""
    clock = time.thread_time if thread else time.process_time
    t0, c0 = time.perf_counter(), clock()
    try:
        yield
    finally:
        wall, cpu = time.perf_counter() - t0, clock() - c0
        log.debug("dedupe stage %s: %.2f s wall, %.2f s CPU", name, wall, cpu,
                  extra={"stage": name, "wall": wall, "cpu": cpu})  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """Match probabilities: ``match`` and above links automatically; ``review`` up to
    ``match`` asks an operator. Calibrated on the synthetic Kota Sorong (docs/registry.md)."""

    match: float = 0.99
    review: float = 0.50


# Labels of each comparison's levels by gamma value (Splink numbers levels from the most
# specific down to 0 = else; -1 = null). Shown to operators to explain a merge.
LEVELS: dict[str, dict[int, str]] = {
    "nik": {
        -1: "kosong", 6: "sama", 5: "kode wilayah lama/baru (9271/9671)",
        4: "nomor urut beda satu angka",
        3: "satu angka salah di tanggal lahir NIK", 2: "satu angka salah atau tertukar",
        1: "satu angka hilang atau ganda", 0: "beda",
    },
    "name_norm": {
        -1: "kosong", 5: "sama", 4: "kata sama, urutan lain atau bunyi sama",
        3: "sebagian (nama tengah atau inisial)", 2: "sangat mirip", 1: "mirip", 0: "beda",
    },
    "birth_date": {
        -1: "kosong", 4: "sama", 3: "hari/bulan tertukar", 2: "dua dari tiga sama", 1: "tahun sama", 0: "beda",
    },
    "sex": {-1: "kosong", 1: "sama", 0: "beda"},
    "area": {-1: "kosong", 2: "kelurahan sama", 1: "distrik sama", 0: "beda"},
    "phone": {-1: "kosong", 1: "sama", 0: "beda"},
}  # fmt: skip

# Why a pair that may score high is not linked without an operator (``hold``):
# one NIK on two rows whose names disagree, not alike at all or under other birth dates (NIK
# ganda, or a mistyped NIK that is someone else's); NIKs with consecutive serials and one birth date (twins, siblings
# registered the same day: _TWIN_NIKS) and names not written the same; names that each have
# a word the other lacks (another given name: a sibling) under NIKs that are not one; one
# name part of the other but without its given name (``name_partial``: "santoso" or
# "s santoso" and "frans santoso") with a NIK missing, or not one typo from the other. ``twins`` (consecutive serials and names in
# conflict) and ``names_apart`` (names in conflict and not alike at all, NIKs not one) are
# never linked and not asked: that is what twins and strangers born on one day look like (the
# NIK's date part and the birth date column count the same agreement twice). ``twins_joined``
# is a link held after clustering: one that joins twins through other rows (split_twins).
HOLDS: dict[str, str] = {
    "nik_conflict": "NIK sama, nama berbeda: mungkin dua orang dengan satu NIK",
    "twin": "nomor urut NIK berurutan, nama tidak sama: mungkin kembar",
    "twins": "kembar atau saudara: nomor urut NIK berurutan, nama berbeda",
    "names_differ": "nama berbeda (masing-masing punya kata yang tidak ada pada yang lain): mungkin saudara",
    "names_apart": "nama beda sama sekali, NIK bukan satu",
    "name_partial": "satu nama tanpa nama depan (hanya nama keluarga atau inisial), NIK kosong atau beda: mungkin saudara",
    "given_names": "nama depan lain (dua nama umum), nama keluarga dan tanggal lahir sama, NIK bukan satu: mungkin kembar",
    "twins_joined": "pasangan ini menyatukan dua orang dengan NIK berurutan dan nama depan berbeda: mungkin kembar",
}

# a given name is "common" when its word is on at least one row in this many (and on
# COMMON_GIVEN_NAME_MIN rows: on a small list a typo repeated by one typist reaches a few):
# a name people are given, not a typo of one (a typo's word is on a few rows of a million,
# a given name's on thousands)
COMMON_GIVEN_NAME_SHARE = 1 / 2000
COMMON_GIVEN_NAME_MIN = 20

# holds never linked and not asked either: they are what different people look like
NOT_ASKED = ("twins", "names_apart")

_TOUCHING_NEW = "(l.is_new = 1 OR r.is_new = 1)"

# Which pairs are scored at all (DuckDB SQL over a self-join ``l``/``r``; Splink scores the
# union). The union is built so that no single kind of typing error hides a pair: a mistyped
# NIK still agrees in two of its three parts (region, birth date, serial) with the right one;
# a misspelled name still sounds alike or keeps one word; a birth date with one part mistyped
# (day, month or year) or day and month swapped still agrees with the right one in two parts
# or in the swap, so the name's sound with each two of the three parts, and with the swap,
# finds it; so do the NIK and the phone. Region + serial asks the same birth date too: most
# serials are 0001 (they restart per distrik and birth date), so without it the rule pairs
# nearly everyone of a distrik. The birth date goes with the smallest and the largest sound
# key of the name's words (whatever their order) and the last word's (the family name: a
# mistyped given name can move its key past the family name's in the order); the first
# word's key as well found 0.02% more of the hard list's true pairs for 5-7% more pairs, so
# it is not a rule. The first 12 digits (kecamatan and birth date: a serial mistyped) ask
# the names to share a first letter of a word too: a NIK's serial and every word's first
# letter mistyped at once is rare, and without it the rule paired everyone born on one day
# in one kecamatan (hard list of a million rows, 2026-12-06: 681,752 pairs only this rule
# found, 3,436 of them true; with the letter 213,014, 3,435 true; a name missing shares
# with any). Recall of the union alone and pairs per rule on the lists of the benchmarks:
# docs/benchmarks.md.
BLOCKING_RULES: tuple[str, ...] = tuple(
    f"{rule} AND {_TOUCHING_NEW}"
    for rule in (
        "l.nik = r.nik",
        "substr(l.nik, 1, 12) = substr(r.nik, 1, 12) AND (l.name_initials IS NULL "
        "OR r.name_initials IS NULL OR list_has_any(l.name_initials, r.name_initials))",
        "substr(l.nik, 7, 10) = substr(r.nik, 7, 10)",
        "substr(l.nik, 1, 6) = substr(r.nik, 1, 6) AND substr(l.nik, 13, 4) = substr(r.nik, 13, 4) "
        "AND l.birth_date = r.birth_date",
        "l.birth_date = r.birth_date AND l.phon_min = r.phon_min",
        "l.birth_date = r.birth_date AND l.phon_max = r.phon_max",
        "l.birth_date = r.birth_date AND l.phon_last = r.phon_last",
        "l.name_phon = r.name_phon AND substr(l.birth_date, 1, 7) = substr(r.birth_date, 1, 7)",
        "l.name_phon = r.name_phon AND substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4) "
        "AND substr(l.birth_date, 9, 2) = substr(r.birth_date, 9, 2)",
        "l.name_phon = r.name_phon AND substr(l.birth_date, 6, 5) = substr(r.birth_date, 6, 5)",
        "l.name_phon = r.name_phon AND substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4) "
        "AND substr(l.birth_date, 6, 2) = substr(r.birth_date, 9, 2) "
        "AND substr(l.birth_date, 9, 2) = substr(r.birth_date, 6, 2)",
        "l.phone = r.phone",
    )
)

# The same rules as equalities of columns computed once per row (:func:`_block_keys`), in
# the order of BLOCKING_RULES: the left row's columns equal the right row's (the day-and-month
# swap pairs the left row's month with the right row's day). Splink joins the rows once per
# rule on expressions and drops from each the pairs of the rules before it by computing
# their expressions again on every pair it finds; on 64-bit keys the twelve joins and one
# grouping of their pairs cost a fraction of that (`_blocked_id_pairs`).
BLOCKING_KEYS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (left, right or left)
    for left, right in (
        (("k_nik",), ()),
        (("k_nik12",), ()),  # and a first letter shared (BLOCKING_KEY_FILTERS)
        (("k_nik_tail",), ()),
        (("k_nik_region", "k_nik_serial", "k_bd"), ()),
        (("k_bd", "k_phon_min"), ()),
        (("k_bd", "k_phon_max"), ()),
        (("k_bd", "k_phon_last"), ()),
        (("k_name_phon", "k_year", "k_month"), ()),
        (("k_name_phon", "k_year", "k_day"), ()),
        (("k_name_phon", "k_month", "k_day"), ()),
        (
            ("k_name_phon", "k_year", "k_month", "k_day"),
            ("k_name_phon", "k_year", "k_day", "k_month"),
        ),
        (("k_phone",), ()),
    )
)

# what a rule of BLOCKING_KEYS asks beyond its equalities, by its place: the first 12 NIK
# digits, a first letter of a word in both names (``k_initials``: a bit per letter, every
# bit for a name missing, which shares with any)
BLOCKING_KEY_FILTERS: dict[int, str] = {1: "(l.k_initials & r.k_initials) <> 0"}
_ALL_INITIALS = (1 << 26) - 1
_INITIAL_BIT = {chr(97 + i): 1 << i for i in range(26)}

# one edit of a 16-digit NIK (a digit changed, two neighbours swapped) / one dropped or
# doubled digit (the NIK shifted: a 15-digit prefix of one is the other less one digit).
# Each edit distance runs only on the pairs that pass equality tests every such typo passes
# (DuckDB's damerau_levenshtein is ~40x slower than a Jaro-Winkler). The tests sit in a CASE:
# DuckDB computes both sides of an AND on every row, but a CASE's THEN only on the rows its
# WHEN selects (an AND-guarded edit distance ran on every pair). One edit touches at most two
# neighbouring digits, so the first 8, the last 8, or all but digits 8 and 9 are the same;
# and the first 12 differ, since an edit inside the serial alone is the serial level before
# (pairs blocked on one birth date in one kecamatan share the first 12 digits). A shift
# leaves the first 8 digits the same and the last 3 moved by one place, or the first 13 the
# same (a digit dropped or doubled after the 8th), or moves digits 9-16 by one place; when
# the first 12 are the same, only the serials need comparing.
_NIK_ONE_EDIT_GUARD = (
    "(substr(nik_l, 1, 12) <> substr(nik_r, 1, 12) AND (substr(nik_l, 1, 8) = substr(nik_r, 1, 8) "
    "OR substr(nik_l, 9, 8) = substr(nik_r, 9, 8) "
    "OR (substr(nik_l, 1, 7) = substr(nik_r, 1, 7) AND substr(nik_l, 10, 7) = substr(nik_r, 10, 7))))"
)
_NIK_ONE_EDIT = (
    f"(CASE WHEN {_NIK_ONE_EDIT_GUARD} THEN damerau_levenshtein(nik_l, nik_r) = 1 ELSE false END)"
)
_NIK_SHIFT = (
    "(CASE WHEN substr(nik_l, 1, 12) = substr(nik_r, 1, 12) "
    "THEN levenshtein(substr(nik_l, 13, 4), substr(nik_r, 13, 3)) = 1 "
    "OR levenshtein(substr(nik_l, 13, 3), substr(nik_r, 13, 4)) = 1 "
    "WHEN (substr(nik_l, 1, 8) = substr(nik_r, 1, 8) AND (substr(nik_l, 14, 3) = substr(nik_r, 13, 3) "
    "OR substr(nik_l, 13, 3) = substr(nik_r, 14, 3) OR substr(nik_l, 1, 13) = substr(nik_r, 1, 13))) "
    "OR substr(nik_l, 10, 7) = substr(nik_r, 9, 7) OR substr(nik_l, 9, 7) = substr(nik_r, 10, 7) "
    "THEN levenshtein(nik_l, substr(nik_r, 1, 15)) = 1 OR levenshtein(substr(nik_l, 1, 15), nik_r) = 1 "
    "ELSE false END)"
)


# DuckDB macros the comparisons and holds use (created on the run's connection): whether every
# word of ``a`` is like (Jaro-Winkler >= t) some word of ``b``; whether each single-letter
# word (an initial) of ``a`` starts some word of ``b``; whether the first word of ``a`` is like
# some word of ``b`` (true whenever words_near(a, b, t) is: a cheap test before it).
_MACROS = (
    "CREATE OR REPLACE MACRO words_near(a, b, t) AS len(a) > 0 AND coalesce(list_bool_and("
    "list_transform(a, lambda x: coalesce(list_bool_or(list_transform(b, lambda y: "
    "jaro_winkler_similarity(x, y) >= t)), false))), false)",
    "CREATE OR REPLACE MACRO first_near(a, b, t) AS coalesce(list_bool_or(list_transform(b, "
    "lambda y: jaro_winkler_similarity(a[1], y) >= t)), false)",
    "CREATE OR REPLACE MACRO initials_in(s, i) AS list_has_all(i, s)",
)


# DuckDB for one deduplication: one thread and 1 GB before spilling to a temporary directory
# of its own. At a million rows (2026-12-05, 2-core VM) two threads took 15% more CPU for
# the same work (the hash joins' partitions and merges) and no less wall time on a machine
# that others share; the memory limit took the peak from about 2.2 to 2.0 GiB.
DUCKDB_THREADS = 1
DUCKDB_MEMORY_LIMIT = "1GB"
# ...but the scoring on two: statements (Splink's predict, the holds) whose work is the
# comparison of each pair, which DuckDB splits by row groups of the pairs, one per thread.
# With one thread the scoring took half the run's wall time on one core of two (2026-12-06).
SCORING_THREADS = 2


def _connect() -> tuple[Any, tempfile.TemporaryDirectory[str]]:
    """A fresh in-memory DuckDB connection with :data:`DUCKDB_THREADS` and
    :data:`DUCKDB_MEMORY_LIMIT`, spilling to a temporary directory (not the working
    directory, DuckDB's default): the connection and the directory, to close and clean up."""
    import duckdb

    spill = tempfile.TemporaryDirectory(prefix="jaring-dedupe-")
    con = duckdb.connect(
        config={
            "threads": DUCKDB_THREADS,
            "memory_limit": DUCKDB_MEMORY_LIMIT,
            "temp_directory": spill.name,
        }
    )
    return con, spill


def macro_connection() -> Any:
    """A fresh in-memory DuckDB connection (DuckDB's defaults) with :data:`_MACROS`: for the
    statements over a few pairs or rows (the twins, the national holds)."""
    import duckdb

    con = duckdb.connect()
    for macro in _MACROS:
        con.execute(macro)
    return con


def _settings(prior: float) -> Any:
    # Splink and DuckDB take about 0.6 s to import; only a deduplication run needs them, and
    # every registry command (and the web app) imports this module through the actions.
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    def null(col: str) -> Any:
        return cll.NullLevel(col)

    comparisons: list[Any] = [
        cl.CustomComparison(
            output_column_name="nik",
            comparison_levels=[
                null("nik"),
                cll.ExactMatchLevel("nik"),
                cll.CustomLevel(
                    "substr(nik_l, 3, 14) = substr(nik_r, 3, 14) "
                    "AND substr(nik_l, 1, 2) IN ('92', '96') AND substr(nik_r, 1, 2) IN ('92', '96')",
                    label_for_charts="old and new Papua code",
                ),
                # the serial alone differs, by one digit or a swap: a typo, or twins and
                # siblings registered on one day; never enough alone (see HOLDS). Two serials
                # further apart are two NIKs issued: different people (else)
                cll.CustomLevel(
                    "CASE WHEN substr(nik_l, 1, 12) = substr(nik_r, 1, 12) "
                    "THEN damerau_levenshtein(substr(nik_l, 13, 4), substr(nik_r, 13, 4)) = 1 "
                    "ELSE false END",
                    label_for_charts="serial differs by one digit",
                ),
                # a one-digit typo that left a NIK disagreeing with its own row's birth date:
                # the typo is visible, so this says more than a typo that is not
                # (in a CASE: most pairs have both NIKs agreeing with their birth dates,
                # and then the edit distance is not computed twice)
                cll.CustomLevel(
                    "CASE WHEN nik_bd_ok_l = 1 AND nik_bd_ok_r = 1 THEN false "
                    f"ELSE {_NIK_ONE_EDIT} END",
                    label_for_charts="one digit, birth date part disagrees",
                ),
                cll.CustomLevel(_NIK_ONE_EDIT, label_for_charts="one digit changed or swapped"),
                cll.CustomLevel(_NIK_SHIFT, label_for_charts="one digit dropped or doubled"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="name_norm",
            comparison_levels=[
                null("name_norm"),
                cll.ExactMatchLevel("name_norm", term_frequency_adjustments=True),
                cll.CustomLevel(
                    "name_sorted_l = name_sorted_r OR name_phon_l = name_phon_r",
                    label_for_charts="same words in any order, or same sound",
                ),
                cll.CustomLevel(
                    # (a share a word with b and hold all b's words: b is not empty; half
                    # the CPU of list_intersect, which builds a list for every pair)
                    "(len(name_parts_r) > 0 AND list_has_all(name_parts_l, name_parts_r) "
                    "AND initials_in(name_single_r, name_initials_l)) "
                    "OR (len(name_parts_l) > 0 AND list_has_all(name_parts_r, name_parts_l) "
                    "AND initials_in(name_single_l, name_initials_r))",
                    label_for_charts="one name part of the other (middle name, initial)",
                ),
                # (in CASEs: each test only on the pairs the cheaper one before lets through,
                # as an AND does not; first_near is true wherever words_near is, and false
                # for most pairs of strangers, so their words are compared once, not four
                # times)
                cll.CustomLevel(
                    "CASE WHEN NOT first_near(name_parts_l, name_parts_r, 0.92) THEN false "
                    "WHEN words_near(name_parts_l, name_parts_r, 0.92) "
                    "THEN words_near(name_parts_r, name_parts_l, 0.92) ELSE false END",
                    label_for_charts="every word very like one of the other's",
                ),
                cll.CustomLevel(
                    "CASE WHEN jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.88 THEN true "
                    "WHEN first_near(name_parts_l, name_parts_r, 0.85) "
                    "OR first_near(name_parts_r, name_parts_l, 0.85) "
                    "THEN words_near(name_parts_l, name_parts_r, 0.85) "
                    "OR words_near(name_parts_r, name_parts_l, 0.85) ELSE false END",
                    label_for_charts="the words of one like words of the other",
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="birth_date",
            comparison_levels=[
                null("birth_date"),
                cll.ExactMatchLevel("birth_date"),
                cll.CustomLevel(
                    "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
                    "AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
                    "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)",
                    label_for_charts="day and month swapped",
                ),
                cll.CustomLevel(
                    "(substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7)) "
                    "OR (substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
                    "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 9, 2)) "
                    "OR (substr(birth_date_l, 6, 5) = substr(birth_date_r, 6, 5))",
                    label_for_charts="two of day, month, year",
                ),
                cll.CustomLevel(
                    "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)",
                    label_for_charts="same year",
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("sex"),
        cl.CustomComparison(
            output_column_name="area",
            comparison_levels=[
                cll.CustomLevel(
                    "district_code_l IS NULL OR district_code_r IS NULL", label_for_charts="null"
                ).configure(is_null_level=True),
                cll.ExactMatchLevel("village_code"),
                cll.ExactMatchLevel("district_code"),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("phone"),
    ]
    blocking: list[Any] = list(BLOCKING_RULES)  # Splink takes SQL text as well as creators
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


# Two NIKs of 16 ASCII characters each more than two characters apart (Hamming distance)
# reach none of the NIK levels from "old and new Papua code" to "one digit changed or
# swapped": the first differs in the two leading digits only, the others by one digit
# changed or two neighbours swapped. Most pairs (strangers born on one day) are such; the
# test, one pass over the two texts, goes before each of those levels in the registry's
# model (:func:`_duckdb_settings`) so that they skip the levels' substrings. (Not in
# :func:`_settings`: the national model's Spark SQL has no ``hamming``.) 1M rows of the
# benchmark, 1.94M blocked pairs (2026-12-06): the NIK comparison 1.29 -> 0.68 CPU s, every
# pair's level the same.
_NIK_FAR = (
    "(CASE WHEN strlen(nik_l) = 16 AND strlen(nik_r) = 16 AND length(nik_l) = 16 "
    "AND length(nik_r) = 16 THEN hamming(nik_l, nik_r) > 2 ELSE false END)"
)
_NIK_FAR_SKIPS = (
    "old and new Papua code",
    "serial differs by one digit",
    "one digit, birth date part disagrees",
    "one digit changed or swapped",
)


# The name level "one name part of the other" on the columns of :func:`_compare_columns`:
# the words as integers (list_has_all of two lists of text cost twice as much), tried only
# when the words' bits allow it (a word of one whose bit the other lacks is not among its
# words), and the initials as bits (each single letter of one a first letter of the other's
# words). 1M rows of the benchmark, 1.44M blocked pairs (2026-12-06): the level's test
# 0.97 -> 0.25 CPU s, every pair's level the same.
_PART_OF_OTHER = " OR ".join(
    f"(CASE WHEN len(name_ids_{b}) = 0 OR (part_bits_{b} & ~part_bits_{a}) <> 0 "
    f"OR (single_bits_{b} & ~initial_bits_{a}) <> 0 THEN false "
    f"ELSE list_has_all(name_ids_{a}, name_ids_{b}) END)"
    for a, b in (("l", "r"), ("r", "l"))
)


# The name level "same words in any order, or same sound" on the hashes of the sorted words
# and of the sound keys (:func:`_name_table`): the rows carry no text of either.
_SAME_WORDS_OR_SOUND = "k_name_sorted_l = k_name_sorted_r OR k_name_phon_l = k_name_phon_r"


def _duckdb_settings(prior: float) -> dict[str, Any]:
    """:func:`_settings` as a DuckDB settings dict for the registry's own runs (on records
    of :func:`_scoring_records`), with the :data:`_NIK_FAR` test before the NIK levels it
    rules out and the name levels "one name part of the other" as :data:`_PART_OF_OTHER`
    and "same words in any order, or same sound" as :data:`_SAME_WORDS_OR_SOUND` (the same
    level for every pair, less work), and no blocking rules (the registry blocks on its
    own keys: :func:`_blocked_id_pairs`)."""
    s = _settings(prior).get_settings("duckdb").as_dict()
    for comparison in s["comparisons"]:
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts")
            if comparison.get("output_column_name") == "nik" and label in _NIK_FAR_SKIPS:
                cond = level["sql_condition"]
                level["sql_condition"] = f"CASE WHEN {_NIK_FAR} THEN false ELSE ({cond}) END"
            if label == "one name part of the other (middle name, initial)":
                level["sql_condition"] = _PART_OF_OTHER
            if label == "same words in any order, or same sound":
                level["sql_condition"] = _SAME_WORDS_OR_SOUND
    # the blocking is the registry's own (_blocked_id_pairs), on keys: no rule of Splink's
    s["blocking_rules_to_generate_predictions"] = []
    return s


def _letter_bits(letters: pl.Expr, missing: int = 0) -> pl.Expr:
    """A list of one-letter texts as bits, a bit per letter a..z (every bit for another
    character; ``missing`` for a null list)."""
    return (
        letters.list.eval(
            pl.element().replace_strict(_INITIAL_BIT, default=_ALL_INITIALS, return_dtype=pl.Int32)
        )
        .list.eval(pl.element().bitwise_or())
        .list.first()
        .fill_null(missing)
    )


def _compare_columns(recs: pl.DataFrame) -> pl.DataFrame:
    """``recs`` (names of :func:`_name_keys`, or rows of :func:`_records`) with what
    :data:`_PART_OF_OTHER` compares: the name parts as integers, one per distinct word in
    the process (``name_ids``), and as bits, a word's number modulo 62 (``part_bits``); the
    first letters of the words and the single letters as bits, a bit per letter a..z
    (``initial_bits``, ``single_bits``; every bit for another character)."""
    ids = pl.col("name_parts").cast(pl.List(pl.Categorical)).list.eval(pl.element().to_physical())
    return recs.with_columns(ids.alias("name_ids")).with_columns(
        part_bits=pl.col("name_ids")
        .list.eval(pl.lit(2, pl.Int64).pow(pl.element().cast(pl.Int64) % 62))
        .list.eval(pl.element().bitwise_or())
        .list.first()
        .fill_null(0),
        initial_bits=_letter_bits(pl.col("name_initials")),
        single_bits=_letter_bits(pl.col("name_single")),
    )


# Polars' own Arrow layout (text as string views) when a frame is handed to DuckDB, which
# reads it as it is: the older layout copies every text (and each text in a list) into
# one buffer first (the million rows' records with their name lists: 0.3 CPU s a copy).
_ARROW = pl.CompatLevel.newest()


def _arrow(frame: pl.DataFrame) -> Any:
    """``frame`` as an Arrow table for DuckDB: in :data:`_ARROW`, but a frame with lists of
    text in the older layout. Lists of text gathered by a join (the names' initials joined
    to the rows of the pairs kept, an import of 19,558 rows into 958,332) can hold empty
    views whose offset points past an empty buffer, which Arrow refuses ("View buffer size
    (bytes): 0 isn't large enough", Polars 2.1, 2026-12-06); the older layout copies
    them."""
    if any(dtype == pl.List(pl.String) for dtype in frame.dtypes):
        return frame.to_arrow()
    return frame.to_arrow(compat_level=_ARROW)


def _phonetic(token: pl.Expr) -> pl.Expr:
    """A sound key of one name word as Indonesian and Papuan names are spelled: old Dutch
    spellings (dj, tj, oe, j for y), ph/v/f, z/s, q/k, doubled letters, h and vowels after
    the first letter dropped: "yohanis", "johanes" and "yohannes" share "yns"."""
    t = token
    for a, b in (("dj", "j"), ("tj", "c"), ("sj", "sy"), ("oe", "u"), ("ph", "f"), ("kh", "k"),
                 ("ch", "k"), ("th", "t"), ("v", "f"), ("z", "s"), ("q", "k"), ("x", "ks"),
                 ("j", "y"), ("w", "u"), ("c", "k")):  # fmt: skip
        t = t.str.replace_all(a, b, literal=True)
    head, rest = t.str.slice(0, 1), t.str.slice(1).str.replace_all("[aeiouyh]", "")
    key = head + rest
    for c in "bdfgklmnprst":  # doubled letters once (no back-references in Polars' regex)
        key = key.str.replace_all(f"{c}{c}+", c)
    return key


def _name_keys(names: pl.Series) -> pl.DataFrame:
    """Name keys for comparing and blocking, one row per distinct ``name_norm``: words
    sorted (``name_sorted``), their sound keys sorted (``name_phon``), the words of two
    letters or more (``name_parts``: an initial is not a name part), the first letters of
    every word (``name_initials``), the initials (``name_single``: each must start a word of
    the other name), the smallest and largest sound key (``phon_min``, ``phon_max``: the same
    whatever the order) and those of the first and last word (``phon_first``,
    ``phon_last``). Sound keys are computed once per distinct word (a list of a million rows
    has a few thousand)."""
    distinct = pl.DataFrame({"name_norm": names.cast(pl.String)}).unique().drop_nulls()
    per = distinct.with_columns(_words=pl.col("name_norm").str.split(" "))
    # the distinct words in order, with their sound keys; each word's rank and its sound
    # key's rank looked up inside the lists (no explode, sort and regroup of the names),
    # the lists sorted as integers and taken back to text: sorting lists of text cost 2.5x
    # (210,000 names of a million rows: 1.33 -> 0.82 CPU s for all the keys, 2026-12-06)
    words = (
        per.select(pl.col("_words").explode().unique().sort().alias("word"))
        .drop_nulls()
        .with_columns(phon=_phonetic(pl.col("word")))
    )
    phons = words.get_column("phon").unique().sort()
    text, sound = words.get_column("word").to_list(), words.get_column("phon").to_list()
    word_rank = dict(zip(text, range(len(text)), strict=True))
    phon_rank = dict(zip(phons.to_list(), range(phons.len()), strict=True))
    sound_rank = {w: phon_rank[k] for w, k in zip(text, sound, strict=True)}

    def ranks(lookup: dict[str, int]) -> pl.Expr:
        return pl.col("_words").list.eval(
            pl.element().replace_strict(lookup, default=None, return_dtype=pl.UInt32)
        )

    def back(ranked: pl.Expr, values: list[str]) -> pl.Expr:
        return ranked.replace_strict(dict(enumerate(values)), default=None, return_dtype=pl.String)

    def joined(col: str, values: list[str]) -> pl.Expr:
        return pl.col(col).list.sort().list.eval(back(pl.element(), values)).list.join(" ")

    sounds = phons.to_list()
    per = per.with_columns(_r=ranks(word_rank), _p=ranks(sound_rank))
    return per.select(
        "name_norm",
        back(pl.col("_p").list.first(), sounds).alias("phon_first"),
        back(pl.col("_p").list.last(), sounds).alias("phon_last"),
        joined("_r", text).alias("name_sorted"),
        joined("_p", sounds).alias("name_phon"),
        pl.col("_words")
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 1))
        .alias("name_parts"),
        pl.col("_words")
        .list.eval(pl.element().str.slice(0, 1))
        .list.unique()
        .alias("name_initials"),
        pl.col("_words")
        .list.eval(pl.element().filter(pl.element().str.len_chars() == 1))
        .alias("name_single"),
        back(pl.col("_p").list.min(), sounds).alias("phon_min"),
        back(pl.col("_p").list.max(), sounds).alias("phon_max"),
    )


def _nik_birth_date_agrees(nik: pl.Expr, birth: pl.Expr) -> pl.Expr:
    """Whether a NIK's birth-date part (day, +40 for women, month, year) is the row's birth
    date (either sex: the sex column has its own comparison)."""
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    day = pl.when(day > 40).then(day - 40).otherwise(day)
    return (
        (day == birth.dt.day())
        & (nik.str.slice(8, 2).cast(pl.Int32, strict=False) == birth.dt.month())
        & (nik.str.slice(10, 2).cast(pl.Int32, strict=False) == birth.dt.year() % 100)
    )


def _row_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns Splink compares, birth date as ISO text (for the swapped-day level), and
    ``nik_bd_ok`` (1 when the NIK's date part is the row's birth date): what
    :func:`_records` and :func:`_scoring_records` take per row, before the name keys."""
    birth = pl.col("birth_date").cast(pl.Date)
    return frame.select(
        pl.col("id").cast(pl.Int64),
        pl.col("nik").cast(pl.String),
        pl.col("name_norm").cast(pl.String),
        birth.dt.strftime("%Y-%m-%d").alias("birth_date"),
        pl.col("sex").cast(pl.String),
        pl.col("district_code").cast(pl.String),
        pl.col("village_code").cast(pl.String),
        pl.col("phone").cast(pl.String),
        pl.col("is_new").cast(pl.Int8),
        _nik_birth_date_agrees(pl.col("nik").cast(pl.String), birth)
        .fill_null(False)
        .cast(pl.Int8)
        .alias("nik_bd_ok"),
    )


def _records(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns of :func:`_row_columns` with the name keys of :func:`_name_keys`: every
    column the model as written (:func:`_settings`) and :data:`BLOCKING_RULES` compare."""
    base = _row_columns(frame)
    keys = _name_keys(base.get_column("name_norm"))
    return base.join(keys, on="name_norm", how="left", maintain_order="left")


def _key(text: pl.Expr) -> pl.Expr:
    """A text as a 64-bit hash (two different texts share one with odds of about one in
    10^19 a pair), null where the text is null, so that nulls pair with nothing, as in SQL."""
    return pl.when(text.is_not_null()).then(text.hash(seed=0))


def _name_table(names: pl.Series) -> pl.DataFrame:
    """One row per distinct name of ``names``: the keys of :func:`_name_keys` with the
    columns of :func:`_compare_columns` and, for the blocking, the first letters of the
    words as bits (``k_initials``) and the sound keys and the sorted words as 64-bit hashes
    of their text (:func:`_key`: ``k_phon_min``, ``k_phon_max``, ``k_phon_last``,
    ``k_name_phon``, ``k_name_sorted``). Computed once per name, not per row: a million rows
    have about 210,000 names."""
    keys = _compare_columns(_name_keys(names))
    return keys.with_columns(
        _letter_bits(pl.col("name_initials"), _ALL_INITIALS).alias("k_initials"),
        *[
            _key(pl.col(c)).alias(f"k_{c}")
            for c in ("phon_min", "phon_max", "phon_last", "name_phon", "name_sorted")
        ],
    )


# What each row carries of its name's columns (:func:`_name_table`) into the registry's
# scoring, the training and the blocking: the words as text and as numbers, the letter bits
# and the hashed keys; the lists of initials and the sound keys as text stay in the name
# table, for the holds (the rows of the pairs kept) and the model as written. A million
# rows' lists gathered from the names cost about 1 CPU s of the records' 3 (2026-12-06).
SCORING_NAME_COLUMNS = (
    "name_parts", "name_ids", "part_bits", "initial_bits", "single_bits", "k_initials",
    "k_phon_min", "k_phon_max", "k_phon_last", "k_name_phon", "k_name_sorted",
)  # fmt: skip


# What the blocking reads of a row's name (:func:`_block_keys`): its hashed keys and first
# letters, without the lists of words the scoring compares.
BLOCKING_NAME_COLUMNS = ("k_initials", "k_phon_min", "k_phon_max", "k_phon_last", "k_name_phon")


def _with_names(
    rows: pl.DataFrame, names: pl.DataFrame, columns: tuple[str, ...] = SCORING_NAME_COLUMNS
) -> pl.DataFrame:
    """``rows`` (of :func:`_row_columns`) with ``columns`` of their names (``names``:
    :func:`_name_table`; :data:`SCORING_NAME_COLUMNS`, or :data:`BLOCKING_NAME_COLUMNS`),
    in the order of ``rows``; a row without a name has no words, no letter bits but every
    first letter (it shares with any: ``k_initials``) and null keys, as
    :func:`_compare_columns` and :func:`_block_keys` give it."""
    bits = [c for c in ("part_bits", "initial_bits", "single_bits") if c in columns]
    return rows.join(
        names.select("name_norm", *columns), on="name_norm", how="left", maintain_order="left"
    ).with_columns(pl.col(bits).fill_null(0), pl.col("k_initials").fill_null(_ALL_INITIALS))


def _scoring_records(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The registry's records for scoring (:func:`_row_columns` with
    :data:`SCORING_NAME_COLUMNS`: what :func:`_duckdb_settings` compares and
    :func:`_block_keys` reads) and the table of their names (:func:`_name_table`)."""
    base = _row_columns(frame)
    names = _name_table(base.get_column("name_norm"))
    return _with_names(base, names), names


def _block_keys(recs: pl.DataFrame) -> pl.DataFrame:
    """``id``, ``is_new`` and the columns of :data:`BLOCKING_KEYS` for rows of
    :func:`_scoring_records`: the NIK, its first 12 digits, digits 7-16, region (1-6) and
    serial (13-16) and the phone as 64-bit hashes of their text (:func:`_key`: a pair
    scored that no rule asks for, never one lost), with the name's hashed sound keys and
    first letters as bits (``k_initials``, a bit per letter a..z; every bit for a name
    missing) as the rows carry them; the birth date as its day number and its year, month
    and day."""
    nik, bd = pl.col("nik"), pl.col("birth_date")
    return recs.select(
        "id",
        "is_new",
        _key(nik).alias("k_nik"),
        _key(nik.str.slice(0, 12)).alias("k_nik12"),
        _key(nik.str.slice(6, 10)).alias("k_nik_tail"),
        _key(nik.str.slice(0, 6)).alias("k_nik_region"),
        _key(nik.str.slice(12, 4)).alias("k_nik_serial"),
        _key(pl.col("phone")).alias("k_phone"),
        "k_phon_min",
        "k_phon_max",
        "k_phon_last",
        "k_name_phon",
        _key(bd).alias("k_bd"),
        bd.str.slice(0, 4).cast(pl.Int16, strict=False).alias("k_year"),
        bd.str.slice(5, 2).cast(pl.Int8, strict=False).alias("k_month"),
        bd.str.slice(8, 2).cast(pl.Int8, strict=False).alias("k_day"),
        "k_initials",
    )


def _blocked_id_pairs(con: Any, recs: pl.DataFrame, table: str) -> None:
    """Create the DuckDB table ``table`` (in the database, not the connection's temporary
    schema: another connection to it may build it) of the pairs :data:`BLOCKING_RULES` put
    in front of the model, as Splink's blocked pairs (``match_key``: the first rule that
    finds the pair; ``join_key_l`` < ``join_key_r``: the rows' ids), by
    :data:`BLOCKING_KEYS`: one join per rule on plain columns, the union grouped once."""
    _keys_table(con, recs, "dedupe_keys")
    joins = " UNION ALL ".join(
        f"SELECT {i} AS k, l.id AS a, r.id AS b FROM {_key_join(i, 'dedupe_keys', 'dedupe_keys')}"
        f" WHERE l.id < r.id AND {_TOUCHING_NEW}"
        for i in range(len(BLOCKING_KEYS))
    )
    con.execute(
        f"CREATE TABLE {table} AS SELECT CAST(min(k) AS VARCHAR) AS match_key, "
        f"a AS join_key_l, b AS join_key_r FROM ({joins}) GROUP BY a, b"
    )
    con.execute("DROP TABLE dedupe_keys")


def _keys_table(con: Any, recs: pl.DataFrame, table: str) -> None:
    """Create the temporary DuckDB table ``table`` of :func:`_block_keys` of ``recs``."""
    con.register(f"{table}_arrow", _arrow(_block_keys(recs)))
    con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_arrow")
    con.unregister(f"{table}_arrow")


def _key_join(rule: int, left: str, right: str) -> str:
    """SQL: the rows of ``left`` (``l``) and ``right`` (``r``), tables of
    :func:`_block_keys`, that rule ``rule`` of :data:`BLOCKING_KEYS` pairs: a join on its
    columns, with what :data:`BLOCKING_KEY_FILTERS` asks beyond them."""
    lk, rk = BLOCKING_KEYS[rule]
    on = " AND ".join(f"l.{x} = r.{y}" for x, y in zip(lk, rk, strict=True))
    extra = f" AND {BLOCKING_KEY_FILTERS[rule]}" if rule in BLOCKING_KEY_FILTERS else ""
    return f"{left} l JOIN {right} r ON {on}{extra}"


def _train(
    db_api: Any, sample: pl.DataFrame, names: pl.DataFrame, prior: float, seed: int
) -> dict[str, Any]:
    """The registry's model (:func:`_duckdb_settings`) trained on ``sample`` (rows of
    :func:`_row_columns`, with their names' columns from ``names``) through ``db_api``: u
    from 300,000 random pairs, then m by EM on the pairs of one birth date and of one NIK
    (a rule with too few pairs to train on keeps its defaults). Returns the model as
    Splink's JSON. EM's iterations leave the names' term frequencies out (Splink's
    ``estimate_without_term_frequencies``: they work on the counts of each pattern of
    levels, not on every pair; the scoring still adjusts for them). The stages are timed
    with the CPU of the thread it runs on (it runs beside the blocking)."""
    from splink import Linker, block_on

    training = _with_names(sample, names)
    train_sdf = db_api.register(_arrow(training), table_name="records_train")
    trainer = Linker(train_sdf, _duckdb_settings(prior), log_level="ERROR")
    with stage("train u (random sampling)", thread=True):
        trainer.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=seed, num_chunks=1)
    with stage("train m (EM)", thread=True):
        for rule in (block_on("birth_date"), block_on("nik")):
            try:
                trainer.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True
                )
            except Exception as e:  # too few pairs to train on: keep the defaults
                log.info("EM skipped (%s): %s", rule, type(e).__name__)
    model: dict[str, Any] = trainer.misc.save_model_to_json()
    return model


_T = TypeVar("_T")


def _here(job: concurrent.futures.Future[_T], fn: Callable[..., _T], *args: Any) -> _T:
    """The result of ``job`` (queued on another thread), or ``fn(*args)`` on this thread
    when the other has not started it."""
    return fn(*args) if job.cancel() else job.result()


def _row_facts(base: pl.DataFrame, names: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What the scoring and the holds read of the rows of ``base`` (of :func:`_row_columns`;
    ``names``: its :func:`_name_table`) beyond the compared columns, over every row: the
    names' term frequencies, not only the candidates' (``name_norm``, ``tf_name_norm``),
    and each name's columns of the holds (``name_norm``, its words, initials, single
    letters, first sound and :func:`_given_names`), joined to the rows of the pairs kept
    only (a million rows' lists of words, held through the scoring, took the peak up by
    about 300 MiB)."""
    tf = (
        base.filter(pl.col("name_norm").is_not_null())
        .group_by("name_norm")
        .agg(tf_name_norm=pl.len().cast(pl.Float64) / base.get_column("name_norm").count())
    )
    per_name = names.select(
        "name_norm", "name_parts", "name_initials", "name_single", "phon_first"
    ).join(_given_names(base), on="name_norm", how="left")
    return tf, per_name


def _predict(linker: Any, blocked: Any, threshold: float | None) -> Any:
    """Splink's ``linker.inference.predict`` on the blocked pairs ``blocked`` (a Splink
    dataframe named ``__splink__blocked_id_pairs``), kept at ``threshold`` (a match
    probability, or None for every pair): the same statements (Splink's own, as its
    predict builds them; Splink is pinned in constraints.txt), with a last SELECT that keeps
    only ``id_l``, ``id_r``, ``match_weight``, ``match_probability`` and the ``gamma_`` and
    ``mw_`` columns. Predict wrote every compared column of both rows as well (the name's
    lists of words among them), which nothing reads: at a million rows of the hard list,
    566,586 pairs kept, writing them took 1.06 of the scoring's 6.9 CPU s (2026-12-06)."""
    from splink.internals.comparison_vector_values import (
        compute_comparison_vector_values_from_id_pairs_sqls,
    )
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    settings = linker._settings_obj
    pipeline = CTEPipeline([blocked])
    enqueue_df_concat_with_tf(linker, pipeline)
    pipeline.enqueue_list_of_sqls(
        compute_comparison_vector_values_from_id_pairs_sqls(
            settings._columns_to_select_for_blocking,
            settings._columns_to_select_for_comparison_vector_values,
            input_tablename_l="__splink__df_concat_with_tf",
            input_tablename_r="__splink__df_concat_with_tf",
            source_dataset_input_column=settings.column_info_settings.source_dataset_input_column,
            unique_id_input_column=settings.column_info_settings.unique_id_input_column,
            link_type=settings._link_type,
            sql_dialect_str=linker._sql_dialect_str,
        )
    )
    pipeline.enqueue_list_of_sqls(
        predict_from_comparison_vectors_sqls_using_settings(settings, threshold, None)
    )
    pipeline.enqueue_sql(
        "SELECT id_l, id_r, match_weight, match_probability, COLUMNS('^(gamma|mw)_') "
        "FROM __splink__df_predict",
        "__splink__df_predict_kept",
    )
    return linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)


def _words_apart(a: str, b: str) -> str:
    """SQL: row ``a``'s name has a word (two letters or more) like none of row ``b``'s (not
    one typo away, nor Jaro-Winkler 0.85 with lengths within two: "mama" is not like
    "mambrasar"), or an initial that no word of ``b`` starts
    with."""
    return (
        f"(len(list_filter({a}.name_parts, lambda x: NOT coalesce(list_bool_or(list_transform("
        f"{b}.name_parts, lambda y: levenshtein(x, y) <= 1 OR (jaro_winkler_similarity(x, y) >= 0.85 "
        f"AND abs(length(x) - length(y)) <= 2))), false))) > 0 "
        f"OR NOT initials_in({a}.name_single, {b}.name_initials))"
    )


# names in conflict: each has a word the other lacks (another given name), not a dropped
# middle name, an initial, a misspelling, another order or a space lost ("abdulmomot")
_NAMES_CONFLICT = (
    f"({_words_apart('l', 'r')} AND {_words_apart('r', 'l')} AND levenshtein("
    "replace(l.name_norm, ' ', ''), replace(r.name_norm, ' ', '')) > 1)"
)
_SERIAL_GAP = "abs(cast(substr(l.nik, 13, 4) AS INTEGER) - cast(substr(r.nik, 13, 4) AS INTEGER))"
# two NIKs issued one after the other to people born on one day: serials one or two apart
# (0009 and 0010 too, which no digit-typo level sees) and the birth dates, or the NIKs' own
# date parts, the same. What twins and siblings registered together look like, whatever
# level the NIK comparison reached (the region, say, mistyped in one row as well); a serial
# mistyped by one is the same, so the names decide.
_TWIN_NIKS = (
    f"({_SERIAL_GAP} BETWEEN 1 AND 2 "
    "AND (p.gamma_birth_date = 4 OR substr(l.nik, 7, 6) = substr(r.nik, 7, 6)))"
)

# one name is part of the other but lacks the other's first word (the given name: only the
# family name is left, or an initial): all a twin or a sibling shares with the person too
_GIVEN_NAME_MISSING = (
    "((len(l.name_parts) < len(r.name_parts) AND NOT list_contains(l.name_parts, r.name_parts[1])) "
    "OR (len(r.name_parts) < len(l.name_parts) AND NOT list_contains(r.name_parts, l.name_parts[1])))"
)

# two common given names (see _given_names) that differ and do not sound alike, one family
# name, and the NIKs' region and date parts or the birth dates the same, the NIKs not one
# (nor the old and new Papua code), and neither name a part of the other: twins or siblings
# born on one day ("rudi mandowen", "budi mandowen"), whatever typo brought their NIKs
# close; a misspelt given name is rarely another common one. Hard list of a million rows
# (2026-12-05): 24 links held, 6 of them twins; twins merged 39 -> 31, recall unchanged.
_GIVEN_NAMES_DIFFER = (
    "(p.gamma_nik NOT IN (6, 5) AND p.gamma_name_norm NOT IN (5, 3) "
    "AND l.given <> r.given AND l.phon_first <> r.phon_first AND l.family = r.family "
    "AND (substr(l.nik, 1, 12) = substr(r.nik, 1, 12) OR p.gamma_birth_date = 4))"
)

# the pairs whose holds read the names' conflict (_NAMES_CONFLICT): one NIK with the birth
# dates or the names apart, NIKs of twins, or NIKs not one. Names the same or one a part of
# the other (levels 5 and 3, 61% of the kept pairs of the hard list of a million rows) are
# in no conflict: each lacks no word of the other, or the shorter lacks none of the longer's.
_CONFLICT_ASKED = (
    "(p.gamma_nik = 6 AND (p.gamma_birth_date <= 2 OR p.gamma_name_norm = 0)) "
    f"OR p.gamma_nik NOT IN (6, 5) OR {_TWIN_NIKS}"
)
_CONFLICT_ONCE = (
    "CASE WHEN p.gamma_name_norm IN (5, 3) THEN false "
    f"WHEN {_CONFLICT_ASKED} THEN {_NAMES_CONFLICT} END"
)

# the hold of a scored pair (HOLDS), in DuckDB SQL over the pair ``p`` (with its
# ``names_conflict``: see hold_statement) and its rows l, r
_HOLD_SQL = f"""
CASE
  WHEN p.gamma_nik = 6 AND (p.gamma_birth_date <= 2 OR p.gamma_name_norm = 0)
       AND p.names_conflict THEN 'nik_conflict'
  WHEN {_TWIN_NIKS} AND p.names_conflict THEN 'twins'
  WHEN {_TWIN_NIKS} AND p.gamma_name_norm < 5 THEN 'twin'
  WHEN p.gamma_nik NOT IN (6, 5) AND p.names_conflict AND p.gamma_name_norm = 0
       THEN 'names_apart'
  WHEN p.gamma_nik NOT IN (6, 5) AND p.names_conflict THEN 'names_differ'
  WHEN p.gamma_nik IN (-1, 0, 4) AND p.gamma_name_norm = 3 AND {_GIVEN_NAME_MISSING}
       THEN 'name_partial'
END"""
# the registry's holds: those above and two common given names (the national matching,
# which shares _HOLD_SQL, has no given-name frequencies)
_HOLD_SQL_GIVEN = _HOLD_SQL.replace(
    "\nEND", f"\n  WHEN {_GIVEN_NAMES_DIFFER} THEN 'given_names'\nEND"
)


def hold_statement(pairs: str, rows: str, select: str, rule: str = _HOLD_SQL) -> str:
    """DuckDB SQL: ``select`` (over the pair ``p`` and its rows ``l`` and ``r``) and the
    pair's hold (``rule``, as ``hold``) for every pair of the relation ``pairs`` (``id_l``,
    ``id_r`` and the gamma columns) joined to its two rows of ``rows`` (``id`` and the
    columns the rule reads). The names' conflict, the rule's dearest test (two lists of
    words compared both ways and a Levenshtein), is computed once per pair that asks for it
    (``names_conflict``), in an inner SELECT, not in each branch that reads it: at a
    million rows of the hard list (570,655 pairs) the CASE read it up to four times per
    pair."""
    return (
        f"SELECT {select}, {rule} AS hold FROM ("
        f"SELECT p.*, l, r, {_CONFLICT_ONCE} AS names_conflict "
        f"FROM {pairs} p JOIN {rows} l ON l.id = p.id_l JOIN {rows} r ON r.id = p.id_r) p"
    )


def score_pairs(
    records: pl.DataFrame,
    *,
    min_probability: float,
    seed: int = 42,
    max_training_rows: int = 100_000,
) -> pl.DataFrame:
    """Score candidate pairs that touch at least one new row (``is_new``).

    ``records`` has the columns of :data:`RECORD_COLUMNS`. Returns ``id_l``, ``id_r``
    (``id_l < id_r``), ``match_weight``, ``match_probability``, ``hold`` (a key of
    :data:`HOLDS` or null), one ``gamma_<field>`` and ``mw_<field>`` (match weight in
    bits) column per comparison, ``nik_head_same`` and ``content_l``, ``content_r`` (each
    row's :func:`_content`), for pairs at or above ``min_probability`` and every pair of
    one NIK (see :func:`decide`).
    """
    return _score(records, min_probability, seed, max_training_rows, twins=False)[0]


def score_pairs_and_twins(
    records: pl.DataFrame,
    *,
    min_probability: float,
    seed: int = 42,
    max_training_rows: int = 100_000,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """:func:`score_pairs`, and the rows of ``records`` that are twins (:func:`_twin_pairs`,
    for :func:`keep_twins_apart`), found on the training's thread while the blocking runs
    (0.3 s at a million rows, 2026-12-06); None when there was nothing to score."""
    return _score(records, min_probability, seed, max_training_rows, twins=True)


def _score(
    records: pl.DataFrame,
    min_probability: float,
    seed: int,
    max_training_rows: int,
    *,
    twins: bool,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)  # progress chatter, not for operators
    with stage("records"):
        base = _row_columns(records)
        names = _name_table(base.get_column("name_norm"))
    n = base.height
    if n < 2 or base.filter(pl.col("is_new") == 1).height == 0:
        return _empty_pairs(), None
    con, spill = _connect()
    con.execute("SET enable_progress_bar = false")
    for macro in _MACROS:
        con.execute(macro)
    db_api = DuckDBAPI(connection=con)
    # prior: share of random pairs that match, from a rough expectation of one duplicate
    # per three rows (EM refines m; the prior only shifts the weights).
    prior = min(0.5, max(1e-9, (n / 3) / (n * (n - 1) / 2)))
    sample = base if n <= max_training_rows else base.sample(max_training_rows, seed=seed)
    # The training (u and m on a sample of the rows, one DuckDB thread) runs on a thread of
    # its own from here, and after it, on the same thread, what the holds read of every row
    # (_row_facts). Beside them run the block keys (the names' hashed keys only), the
    # candidates, the blocking (a join per rule on the candidates' keys, one DuckDB thread,
    # on a cursor of their own) and every row's name columns for the scoring: neither side
    # needs the other, and on two cores the run's wall time loses the shorter of the two.
    # The same pairs and the same model as one after the other.
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="dedupe-training") as pool:
        trained = pool.submit(_train, db_api, sample, names, prior, seed)
        facts = pool.submit(_row_facts, base, names)
        twin_rows = pool.submit(_twins_beside, base) if twins else None
        blocker = con.cursor()
        try:
            with stage("block keys", thread=True):
                keyed = _with_names(base, names, BLOCKING_NAME_COLUMNS)
            with stage("rows that can pair with a new row", thread=True):
                pairable = _candidates(blocker, keyed)
            with stage("blocking", thread=True):
                _blocked_id_pairs(blocker, pairable, "dedupe_blocked")
            # (the keys of a million rows, released before their name columns are made)
            some = None if pairable is keyed else pairable.select("id")
            del keyed, pairable
        finally:
            blocker.close()
        with stage("records, every row", thread=True):
            recs = _with_names(base, names)
        # the facts (and the twins) are made here when the training has not let its thread
        # come to them yet: where the training takes longer than the blocking (an import
        # against a large registry: few candidates to block), not after it
        tf, hold_names = _here(facts, _row_facts, base, names)
        twin_pairs = _here(twin_rows, _twin_pairs, base) if twin_rows is not None else None
        with stage("training, waited for"):
            model = trained.result()
    candidates = recs if some is None else recs.join(some, on="id", how="semi").sort("id")
    del base, sample  # a million rows' columns: the peak is the scoring's
    model["retain_intermediate_calculation_columns"] = True  # gamma and Bayes factors: explain
    model["retain_matching_columns"] = True  # Splink 5 writes gamma_ columns only then
    # (in the older Arrow layout: Splink's scoring read the string views slower, 10.9 and
    # 13.2 against 10.2 and 8.9 CPU s at a million rows, 2026-12-06 06:02 UTC)
    sdf = db_api.register(candidates.to_arrow(), table_name="records_all")
    # the pairs are _blocked_id_pairs' (below): without the rules in its settings, Splink
    # does not carry the columns only they use (is_new, the sound keys) through the scoring
    linker = Linker(sdf, {**model, "blocking_rules_to_generate_predictions": []}, log_level="ERROR")
    tf_sdf = db_api.register(_arrow(tf), table_name="tf_name_norm")
    linker.table_management.register_term_frequency_lookup(tf_sdf, "name_norm")
    # Splink scores the pairs it finds in its cache under this name as its own blocking's
    # (Splink is pinned in constraints.txt). Its public register_blocked_pairs_for_predict
    # scores them too, but first copies the rows of each side into a table of their own:
    # at 200,000 rows of the hard list 2.1 CPU s against 1.6 for the scoring.
    cache = linker._intermediate_table_cache
    cache["__splink__blocked_id_pairs"] = db_api.table_to_splink_dataframe(
        "__splink__blocked_id_pairs", "dedupe_blocked"
    )
    with stage("predict (scoring)"):
        # only the pairs kept leave DuckDB's pipeline; the others are scored and dropped as
        # they stream (materialised, the four million pairs of a million rows, with the
        # columns they were compared on, took about 3 GiB). From here on the work is each
        # pair's (the scoring, the one-NIK pairs, the holds): SCORING_THREADS
        con.execute(f"SET threads = {SCORING_THREADS}")
        pred = _predict(linker, cache["__splink__blocked_id_pairs"], min_probability)
    with stage("pairs of one NIK below the floor"):
        # every pair of one NIK is kept whatever its probability (the nik_conflict hold):
        # those the scoring dropped (below the floor) are scored again by the same model,
        # on their rows. Splink's cache is the connection's, not a linker's: the pairs it
        # scores next are these, not all the blocked ones again. (Not every pair of one NIK
        # again: at a million rows 44,147 pairs, of which the scoring kept all but a few.)
        con.execute(
            "CREATE TEMP TABLE dedupe_blocked_nik AS SELECT b.* FROM dedupe_blocked b "
            f"ANTI JOIN {pred.physical_name} p ON p.id_l = b.join_key_l "
            "AND p.id_r = b.join_key_r WHERE b.match_key = '0'"
        )
        con.execute("DROP TABLE dedupe_blocked")
        cache["__splink__blocked_id_pairs"] = db_api.table_to_splink_dataframe(
            "__splink__blocked_id_pairs", "dedupe_blocked_nik"
        )
        below = con.sql(
            "SELECT join_key_l AS id FROM dedupe_blocked_nik "
            "UNION SELECT join_key_r FROM dedupe_blocked_nik"
        ).pl()
        shared = candidates.join(below.cast(pl.Int64), on="id", how="semi")
        one_nik = None
        if shared.height > 1 and shared.get_column("is_new").max() == 1:
            nik_linker = Linker(
                db_api.register(_arrow(shared), table_name="records_one_nik"),
                {**model, "blocking_rules_to_generate_predictions": []},
                log_level="ERROR",
            )
            nik_linker.table_management.register_term_frequency_lookup(tf_sdf, "name_norm")
            one_nik = _predict(nik_linker, cache["__splink__blocked_id_pairs"], None)
        del cache["__splink__blocked_id_pairs"]
    with stage("holds and pairs to Polars"):
        keep = ["p.id_l", "p.id_r", "p.match_weight", "p.match_probability"]
        every = con.sql(f"SELECT * FROM {pred.physical_name} LIMIT 0").columns
        cols = [c for c in every if c.startswith(("gamma_", "mw_"))]
        keep += [f"p.{c}" for c in cols]
        # a list too small to train on may come back without some comparisons: null levels
        missing = [
            c for c in ("gamma_nik", "gamma_name_norm", "gamma_birth_date") if c not in every
        ]
        source = pred.physical_name
        if one_nik is not None:
            source = (
                f"(SELECT * FROM {pred.physical_name} UNION ALL BY NAME SELECT * FROM "
                f"{one_nik.physical_name} WHERE match_probability < {float(min_probability)!r})"
            )
        kept = f"(match_probability >= {float(min_probability)!r} OR gamma_nik = 6)"
        if missing:
            nulls = ", ".join(f"CAST(NULL AS INTEGER) AS {c}" for c in missing)
            source = f"(SELECT *, {nulls} FROM {source})"
            keep += [f"p.{c}" for c in missing]
        # the rows of the pairs kept (a few per cent of the candidates at a million rows)
        ids = con.sql(
            f"SELECT id_l AS id FROM {source} p WHERE {kept} UNION "
            f"SELECT id_r FROM {source} p WHERE {kept}"
        ).pl()
        con.register(
            "dedupe_recs",
            candidates.join(ids.cast(pl.Int64), on="id", how="semi")
            .select("id", "nik", "name_norm", _content())
            .join(hold_names, on="name_norm", how="left")
            .pipe(_arrow),
        )
        select = (
            f"{', '.join(keep)}, substr(l.nik, 1, 12) = substr(r.nik, 1, 12) AS nik_head_same, "
            "l.content AS content_l, r.content AS content_r"
        )
        pairs = f"(SELECT * FROM {source} p WHERE {kept})"
        sql = hold_statement(pairs, "dedupe_recs", select, _HOLD_SQL_GIVEN)
        out = con.sql(sql).pl()
        con.close()
        spill.cleanup()
        out = out.with_columns(pl.col("id_l", "id_r").cast(pl.Int64))
        # Splink puts the lower id left already; make it certain
        out = out.with_columns(
            id_l=pl.min_horizontal("id_l", "id_r"), id_r=pl.max_horizontal("id_l", "id_r")
        )
    return out, twin_pairs


# the fields the model compares: two rows equal on all of them are scored alike with every
# other row, and the holds see them alike too
COMPARED = ("nik", "name_norm", "birth_date", "sex", "district_code", "village_code", "phone")


def _content() -> pl.Expr:
    """``content``: a 64-bit hash of a row's :data:`COMPARED` fields (rows of one content,
    a row typed twice, share it; two contents share one with odds of about one in 10^19)."""
    return pl.struct(COMPARED).hash(seed=0).alias("content")


def _given_names(recs: pl.DataFrame) -> pl.DataFrame:
    """Per distinct ``name_norm`` of ``recs``: ``family`` (its last word) and ``given`` (its
    first word when the name has two words or more, the first of three letters or more, on
    at least :data:`COMMON_GIVEN_NAME_SHARE` of the rows and :data:`COMMON_GIVEN_NAME_MIN`
    rows: a name people are given, not a typo; null otherwise)."""
    # words counted over the rows from the distinct names and their rows
    per = (
        recs.group_by("name_norm")
        .len("rows")
        .drop_nulls("name_norm")
        .with_columns(_w=pl.col("name_norm").str.split(" "))
    )
    words = per.select("_w", "rows").explode("_w").group_by("_w").agg(pl.col("rows").sum())
    floor = max(COMMON_GIVEN_NAME_MIN, int(recs.height * COMMON_GIVEN_NAME_SHARE))
    common = words.filter(pl.col("rows") >= floor).get_column("_w")
    first = pl.col("_w").list.first()
    return per.select(
        "name_norm",
        pl.col("_w").list.last().alias("family"),
        pl.when(
            (pl.col("_w").list.len() >= 2)
            & (first.str.len_chars() >= 3)
            & first.is_in(common.to_list())
        )
        .then(first)
        .alias("given"),
    )


def _candidates(con: Any, recs: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``recs`` (of :func:`_scoring_records`) that can form a scored pair, in
    the order of their ids: the new rows and the existing rows that share a blocking key
    with one (:data:`BLOCKING_KEYS`, the keys the blocking joins on, so no pair is lost). For
    an import of 20,000 rows into a registry of a million this is a small part of the
    registry, so the blocking no longer pairs the existing rows with each other only to drop
    them. When every row is new, all of them."""
    if recs.get_column("is_new").min() == 1:
        return recs
    _keys_table(con, recs, "dedupe_keys_all")
    con.execute(
        "CREATE TEMP TABLE dedupe_keys_new AS SELECT * FROM dedupe_keys_all WHERE is_new = 1"
    )
    touching = " UNION ".join(
        f"SELECT r.id FROM {_key_join(i, 'dedupe_keys_new', 'dedupe_keys_all')}"
        for i in range(len(BLOCKING_KEYS))
    )
    ids = con.sql(f"SELECT id FROM dedupe_keys_new UNION {touching}").pl()
    con.execute("DROP TABLE dedupe_keys_new")
    con.execute("DROP TABLE dedupe_keys_all")
    return recs.join(ids.cast(pl.Int64), on="id", how="semi").sort("id")


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "id_l": pl.Int64,
            "id_r": pl.Int64,
            "match_weight": pl.Float64,
            "match_probability": pl.Float64,
            "hold": pl.String,
        }
    )


def explain(pairs: pl.DataFrame) -> pl.Series:
    """One JSON text per pair: each field's agreement level (Indonesian labels) and its
    weight in bits (Splink's match weight), so an operator sees why two rows were joined;
    with ``hold`` (its label as the level, weight 0) when a rule keeps the pair for review
    (:data:`HOLDS`), e.g. one NIK with two names."""
    fields = [f for f in LEVELS if f"gamma_{f}" in pairs.columns]
    exprs = []
    for f in fields:
        label = pl.col(f"gamma_{f}").replace_strict(LEVELS[f], default="?", return_dtype=pl.String)
        mw = pl.col(f"mw_{f}") if f"mw_{f}" in pairs.columns else pl.lit(0.0)
        if f"mw_tf_adj_{f}" in pairs.columns:
            mw = mw + pl.col(f"mw_tf_adj_{f}")
        exprs.append(pl.struct(level=label, weight=mw.round(2)).alias(f))
    if not exprs:
        return pl.Series("explain", ["{}"] * pairs.height, dtype=pl.String)
    text = pairs.select(pl.struct(exprs).struct.json_encode().alias("explain")).to_series()
    if "hold" not in pairs.columns:
        return text
    out = []
    for t, hold in zip(text.to_list(), pairs.get_column("hold").to_list(), strict=True):
        if hold is not None:
            d = json.loads(t)
            d["hold"] = {"level": HOLDS.get(hold, hold), "weight": 0.0, "code": hold}
            t = json.dumps(d, ensure_ascii=False)
        out.append(t)
    return pl.Series("explain", out, dtype=pl.String)


def nik_edges(records: pl.DataFrame) -> pl.DataFrame:
    """Edges between rows sharing a NIK, touching a new row: each row to the lowest id of its
    NIK group (a star is enough for connected components)."""
    r = records.filter(pl.col("nik").is_not_null()).select("id", "nik", "is_new")
    groups = r.group_by("nik").agg(root=pl.col("id").min(), any_new=(pl.col("is_new") == 1).any())
    return (
        r.join(groups.filter("any_new"), on="nik")
        .filter(pl.col("id") != pl.col("root"))
        .select(
            id_l=pl.min_horizontal("id", "root"),
            id_r=pl.max_horizontal("id", "root"),
        )
    )


def components(nodes: pl.Series, edges: pl.DataFrame) -> pl.DataFrame:
    """Connected components of the graph of ``nodes`` and ``edges`` (``id_l``, ``id_r``).
    Returns ``node``, ``root`` (the smallest node id of its component), one row per
    distinct node, in ascending order of node. Edges to nodes outside ``nodes`` are
    ignored.

    SciPy's ``connected_components`` (a breadth-first search over a sparse matrix, linear
    in nodes and edges) on the nodes' positions in the sorted list: at a million rows and
    488,613 links 0.20 s, against 1.2-1.4 s for a minimum-label propagation in Polars
    (2026-12-06)."""
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    ids = nodes.cast(pl.Int64).drop_nulls().unique().sort()
    n = ids.len()
    edges = edges.drop_nulls(["id_l", "id_r"])
    if n == 0 or edges.height == 0:
        return pl.DataFrame({"node": ids, "root": ids})
    nd = ids.to_numpy()
    ends = []
    for side in ("id_l", "id_r"):
        e = edges.get_column(side).cast(pl.Int64).to_numpy()
        at = np.searchsorted(nd, e)
        ends.append((e, np.minimum(at, n - 1)))
    (el, al), (er, ar) = ends
    known = (nd[al] == el) & (nd[ar] == er)
    graph = csr_array(
        (np.ones(int(known.sum()), dtype=np.int8), (al[known], ar[known])), shape=(n, n)
    )
    count, label = connected_components(graph, directed=False)
    # the nodes are sorted: a component's smallest node is its first position
    first = np.empty(count, dtype=np.int64)
    first[label[::-1]] = np.arange(n - 1, -1, -1)
    return pl.DataFrame({"node": ids, "root": pl.Series(nd[first[label]], dtype=pl.Int64)})


# rounds of :func:`split_twins` (a cluster with three given names on twins' NIKs needs two)
SPLIT_ROUNDS = 3


def _near(a: str, b: str) -> str:
    """SQL: words ``a`` and ``b`` alike as :func:`_words_apart` counts them (one typo, or
    Jaro-Winkler 0.85 with lengths within two)."""
    return (
        f"(levenshtein({a}, {b}) <= 1 OR (jaro_winkler_similarity({a}, {b}) >= 0.85 "
        f"AND abs(length({a}) - length({b})) <= 2))"
    )


# two names of two words or more, one of whose first words (a given name, not an initial) is
# like no word of the other name (another given name, not the same words in another order)
_FIRST_L, _FIRST_R = "split_part(l.name_norm, ' ', 1)", "split_part(r.name_norm, ' ', 1)"


def _near_given(a: str, b: str) -> str:
    """SQL: a given name ``b`` like word ``a`` of the other name: one typo, or Jaro-Winkler
    0.85 with lengths within two when both have three letters or more. A word of two
    letters is like another only by one typo: "wa" ("Wa Ode") is not "wati", two letters
    dropped (Jaro-Winkler 0.87 for the shared start)."""
    return (
        f"(levenshtein({a}, {b}) <= 1 OR (jaro_winkler_similarity({a}, {b}) >= 0.85 "
        f"AND abs(length({a}) - length({b})) <= 2 AND length({a}) >= 3 AND length({b}) >= 3))"
    )


def _in_words(word: str, t: str) -> str:
    return (
        f"coalesce(list_bool_or(list_transform({t}.name_parts, "
        f"lambda w: {_near_given('w', word)})), false)"
    )


_GIVEN_APART = (
    f"(len(l.name_parts) >= 2 AND len(r.name_parts) >= 2 AND length({_FIRST_L}) >= 2 "
    f"AND length({_FIRST_R}) >= 2 "
    f"AND (NOT {_in_words(_FIRST_L, 'r')} OR NOT {_in_words(_FIRST_R, 'l')}))"
)


def _twin_pairs(records: pl.DataFrame, con: Any = None) -> pl.DataFrame:
    """Every pair of rows of ``records`` that are two people born together: NIKs of twins
    (region, month and year the same, the day the same but for the 40 added for women,
    serials one or two apart) and another given name (``_GIVEN_APART``) or the other sex in
    the NIK (a woman's day and a man's: two typos in one NIK otherwise), wherever the links
    put them: ``id_l``, ``id_r``, ``nik_l``, ``nik_r``, ``given_apart`` and ``first_apart``
    (each first word like no word of the other name: both names begin with the given name,
    where "sapulete bambang" / "yohana sapulete" is apart by its family name written first)."""
    # NIKs of 16 digits as integers: region (digits 1-6), day (7-8, +40 for women), month
    # and year (9-12), serial (13-16). A row's key is its NIK with the day taken mod 40 and
    # room for a serial of five digits, so that the twin of serial + 1 or + 2 is one
    # equality join per gap on one integer: only the pairs found come out (a self-join on
    # the first digits pairs everyone born on one day in one kecamatan first: 0.74 against
    # 0.14 CPU s at a million rows, 2026-12-06).
    v = pl.col("nik").cast(pl.Int64, strict=False)
    day = (v // 10**8) % 100
    head = (v // 10**10) * 10**6 + (day % 40) * 10**4 + (v // 10**4) % 10**4
    r = (
        records.lazy()
        .select(pl.col("id").cast(pl.Int64), "nik")
        .filter(pl.col("nik").str.len_bytes() == 16)
        .select("id", "nik", key=head * 10**5 + v % 10**4, female=day > 40)
        .drop_nulls()
        .collect()
    )
    pairs = pl.concat(
        [r.join(r.with_columns(key=pl.col("key") + gap), on="key", suffix="_r") for gap in (1, 2)]
    ).select(
        id_l=pl.min_horizontal("id", "id_r"),
        id_r=pl.max_horizontal("id", "id_r"),
        nik_l=pl.when(pl.col("id") < pl.col("id_r")).then("nik").otherwise("nik_r"),
        nik_r=pl.when(pl.col("id") < pl.col("id_r")).then("nik_r").otherwise("nik"),
        sex_apart=pl.col("female") != pl.col("female_r"),
    )
    if pairs.height == 0:
        return pairs.select(
            "id_l", "id_r", "nik_l", "nik_r", given_apart="sex_apart", first_apart="sex_apart"
        )
    if con is None:  # a connection of its own, closed when done
        with macro_connection() as own:
            return _twin_pairs(records, own)
    ids = pl.concat([pairs.get_column("id_l"), pairs.get_column("id_r")]).unique()
    named = (
        records.select(pl.col("id").cast(pl.Int64), "name_norm")
        .filter(pl.col("id").is_in(ids.implode()))
        .drop_nulls()
    )
    con.register(
        "twin_rows",
        named.join(_name_keys(named.get_column("name_norm")), on="name_norm").to_arrow(),
    )
    con.register("twin_pairs", pairs.to_arrow())
    found = con.sql(
        f"SELECT p.id_l, p.id_r, p.nik_l, p.nik_r, {_GIVEN_APART} AS given_apart, "
        f"{_GIVEN_APART} AND NOT {_in_words(_FIRST_L, 'r')} AND NOT {_in_words(_FIRST_R, 'l')} "
        "AS first_apart "
        "FROM twin_pairs p JOIN twin_rows l ON l.id = p.id_l JOIN twin_rows r ON r.id = p.id_r "
        f"WHERE {_GIVEN_APART} OR p.sex_apart"
    ).pl()
    con.unregister("twin_rows")
    con.unregister("twin_pairs")
    return found.select(
        pl.col("id_l", "id_r").cast(pl.Int64),
        "nik_l",
        "nik_r",
        pl.col("given_apart", "first_apart").cast(pl.Boolean),
    )


def _twins_beside(records: pl.DataFrame) -> pl.DataFrame:
    """:func:`_twin_pairs` of ``records`` on a connection of its own, with SciPy's graphs
    imported for the components that follow them (0.3 s), beside the scoring's blocking."""
    import scipy.sparse.csgraph  # noqa: F401

    return _twin_pairs(records)


def _twin_conflicts(
    scope: pl.DataFrame, twins: pl.DataFrame, stand: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The groups of clusters of ``scope`` (``node``, ``root``) that hold two people born
    together (``twins``: :func:`_twin_pairs`), in one cluster or in two: a cluster holding
    one twin's rows is put with the clusters holding the other's (a row of one twin may
    have linked to the other's rows under a NIK or a name that does not show it). Pairs
    whose rows ``stand`` (edges an operator made, never undone) joins are one person.
    Returns the rows of those groups (``node``, ``root``: the group's smallest root) and per
    group ``root``, ``x``, ``y`` (the two rows: first a pair whose names both begin with the
    given name, ``first_apart``, so that the sides go by given names and not by a family
    name written first; then another given name; then the lowest ids)."""
    none = pl.DataFrame(schema={"root": pl.Int64, "x": pl.Int64, "y": pl.Int64})
    if twins.height == 0:
        return scope.clear(), none
    p = twins.join(scope.rename({"node": "id_l", "root": "r_l"}), on="id_l").join(
        scope.rename({"node": "id_r", "root": "r_r"}), on="id_r"
    )
    if p.height and stand.height:
        # two rows an operator (or an earlier run) made one person stay one (a path of such
        # edges between the two), and so do their two NIKs on other rows
        ends = pl.concat([p.get_column("id_l"), p.get_column("id_r"), stand.get_column("id_l")])
        joined = components(pl.concat([ends, stand.get_column("id_r")]), stand)
        one = (
            p.join(joined.rename({"node": "id_l", "root": "_rx"}), on="id_l")
            .join(joined.rename({"node": "id_r", "root": "_ry"}), on="id_r")
            .filter(pl.col("_rx") == pl.col("_ry"))
            .select("nik_l", "nik_r")
        )
        one = pl.concat([one, one.select(nik_l="nik_r", nik_r="nik_l")])
        p = p.join(one, on=["nik_l", "nik_r"], how="anti")
    if p.height == 0:
        return scope.clear(), none
    roots = pl.concat([p.get_column("r_l"), p.get_column("r_r")]).unique()
    group = components(roots, p.select(id_l="r_l", id_r="r_r")).rename({"node": "r", "root": "g"})
    rows = scope.join(group, left_on="root", right_on="r").select("node", root="g")
    conflicts = (
        p.join(group, left_on="r_l", right_on="r")
        .sort("first_apart", "given_apart", "id_l", "id_r", descending=[True, True, False, False])
        .group_by("g", maintain_order=True)
        .first()
        .select(root="g", x="id_l", y="id_r")
    )
    return rows, conflicts


def _twin_sides(
    members: pl.DataFrame, conflicts: pl.DataFrame, records: pl.DataFrame, con: Any
) -> pl.DataFrame:
    """Each row of the groups of ``conflicts`` (``members``: ``node``, ``root``) with its
    ``side``: ``x`` or ``y`` when its first word is that twin's given name (alike: one typo,
    or Jaro-Winkler 0.85) or its initial and not the other's, or alike both but clearly more
    like that one ("dwei": Dewi, not Dedi); when its first word is neither (the family name
    first), when some word of it is that twin's given name and none the other's. A row its
    name leaves to neither twin (the family name alone, one initial for two given names of
    one letter) takes the side of the twin whose NIK it carries, else the side of the one
    twin whose name holds all its words (a row of someone else born on the day); ``u``
    otherwise: it may be either twin."""
    rows = members.rename({"node": "id"}).join(
        records.select(pl.col("id").cast(pl.Int64), "nik", "name_norm"), on="id", how="left"
    )
    keys = _name_keys(rows.get_column("name_norm"))
    con.register("twin_rows", rows.join(keys, on="name_norm", how="left").to_arrow())
    con.register("twin_conf", conflicts.to_arrow())

    def first(t: str) -> str:
        return f"split_part({t}.name_norm, ' ', 1)"

    def gives(t: str) -> str:  # the row's first word is twin t's given name or its initial
        return (
            f"coalesce((length({first('m')}) >= 2 AND {_near(first('m'), first(t))}) "
            f"OR (length({first('m')}) = 1 AND {first('m')} = left({first(t)}, 1)), false)"
        )

    def closer(t: str, o: str) -> str:  # alike both twins' given names, clearly more t's
        return (
            f"jaro_winkler_similarity({first('m')}, {first(t)}) "
            f"> jaro_winkler_similarity({first('m')}, {first(o)}) + 0.05"
        )

    def has(t: str) -> str:  # some word of the row is twin t's given name
        return (
            f"coalesce(list_bool_or(list_transform(m.name_parts, lambda w: "
            f"{_near('w', first(t))})), false)"
        )

    def fits(t: str) -> str:  # every word of the row is in twin t's name, each initial too
        return f"coalesce(NOT {_words_apart('m', t)}, false)"

    by_name = (
        "CASE "
        f"WHEN {gives('x')} AND NOT {gives('y')} THEN 'x' "
        f"WHEN {gives('y')} AND NOT {gives('x')} THEN 'y' "
        f"WHEN {gives('x')} AND length({first('m')}) >= 2 "
        f"AND {closer('x', 'y')} THEN 'x' "
        f"WHEN {gives('y')} AND length({first('m')}) >= 2 "
        f"AND {closer('y', 'x')} THEN 'y' "
        f"WHEN {gives('x')} OR {gives('y')} THEN 'u' "
        f"WHEN {has('x')} AND NOT {has('y')} THEN 'x' "
        f"WHEN {has('y')} AND NOT {has('x')} THEN 'y' ELSE 'u' END"
    )
    out = con.sql(
        f"SELECT m.id AS node, m.root, CASE WHEN ({by_name}) <> 'u' THEN ({by_name}) "
        "WHEN m.nik = x.nik THEN 'x' WHEN m.nik = y.nik THEN 'y' "
        f"WHEN {fits('x')} AND NOT {fits('y')} THEN 'x' "
        f"WHEN {fits('y')} AND NOT {fits('x')} THEN 'y' ELSE 'u' END AS side "
        "FROM twin_rows m JOIN twin_conf f ON f.root = m.root "
        "JOIN twin_rows x ON x.id = f.x JOIN twin_rows y ON y.id = f.y"
    ).pl()
    con.unregister("twin_rows")
    con.unregister("twin_conf")
    return out.with_columns(pl.col("node", "root").cast(pl.Int64))


def _reached(edges: pl.DataFrame, side: pl.DataFrame, s: str) -> pl.Series:
    """The rows (``side``: ``node``, ``side``) that ``edges`` (``id_l``, ``id_r``, ``s_l``,
    ``s_r``) reach from a row of side ``s`` through rows of that side or of none (``u``)."""
    sub = edges.filter(pl.col("s_l").is_in([s, "u"]) & pl.col("s_r").is_in([s, "u"]))
    nodes = side.filter(pl.col("side").is_in([s, "u"])).get_column("node")
    c = components(nodes, sub).join(side, on="node")
    roots = c.filter(pl.col("side") == s).get_column("root").implode()
    return c.filter(pl.col("root").is_in(roots)).get_column("node")


def split_twins(
    links: pl.DataFrame,
    records: pl.DataFrame,
    fixed: pl.DataFrame | None = None,
    comp: pl.DataFrame | None = None,
    twins: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Keep twins apart however many links join them: the pair-level holds see two rows at a
    time, and a row with the family name only or an initial, or carrying the other twin's
    NIK, can link to each twin so that the clusters join them, or link to one twin's rows
    while it is the other's. Two rows of ``records`` with twins' NIKs and another given
    name or sex (:func:`_twin_pairs`) are two people; the clusters of ``links`` (and
    ``fixed``: edges that stand, e.g. an operator's; never undone) that hold them are looked
    at together (:func:`_twin_conflicts`): their rows take the side of the twin whose given
    name they give, or whose NIK they carry (:func:`_twin_sides`), and these links are held
    (``twins_joined``) for an operator: those between the two sides, every link of a row
    the links reach from both sides (the bridge), and every link between a twin's row and a
    row that may be either twin (the family name alone, an initial both given names start,
    without a twin's NIK). Group by group until none joins twins (at most
    :data:`SPLIT_ROUNDS` rounds). ``records``: ``id``, ``nik``, ``name_norm``; ``comp``:
    the components of ``links`` and ``fixed`` when already made (:func:`components`:
    ``node``, ``root``); ``twins``: the :func:`_twin_pairs` of ``records`` when already
    found. Returns the links kept, the links held (with ``hold``) and the components of the
    links kept and ``fixed``."""
    ends = ["id_l", "id_r"]
    stand = fixed.select(ends) if fixed is not None else links.select(ends).clear()
    kept = links
    held: list[pl.DataFrame] = []
    if comp is None:
        edges = pl.concat([kept.select(ends), stand])
        comp = components(pl.concat([edges.get_column("id_l"), edges.get_column("id_r")]), edges)
    con = macro_connection()
    try:
        if twins is None:
            twins = _twin_pairs(records, con)
        twin_rows = pl.concat([twins.get_column("id_l"), twins.get_column("id_r")]).unique()
        # the clusters holding a twin's row (no other cluster can hold a conflict: the rest
        # of the list is not looked at); a twin's row without a link is a cluster of its own
        alone = pl.DataFrame({"node": twin_rows}).join(comp, on="node", how="anti")
        twin_roots = comp.join(pl.DataFrame({"node": twin_rows}), on="node", how="semi")
        scope = pl.concat(
            [
                comp.filter(pl.col("root").is_in(twin_roots.get_column("root").implode())),
                alone.with_columns(root=pl.col("node")),
            ]
        )
        decided = pl.DataFrame(schema={"x": pl.Int64, "y": pl.Int64})
        for _ in range(SPLIT_ROUNDS):
            members, conflicts = _twin_conflicts(scope, twins, stand)
            # a group whose two rows a round has decided already asks nothing again: its
            # rows' sides depend on the row and the two only, and its links between sides
            # are gone (groups only split). Only a group split off with two new rows does.
            conflicts = conflicts.join(decided, on=["x", "y"], how="anti")
            if conflicts.height == 0:
                break
            decided = pl.concat([decided, conflicts.select("x", "y")])
            members = members.join(conflicts.select("root"), on="root", how="semi")
            sides = _twin_sides(members, conflicts, records, con)
            ids = sides.get_column("node").implode()
            inside = pl.col("id_l").is_in(ids) & pl.col("id_r").is_in(ids)
            e = pl.concat([kept.select(ends).filter(inside), stand.filter(inside)])
            side = sides.select("node", "side")
            e = e.join(side.rename({"node": "id_l", "side": "s_l"}), on="id_l").join(
                side.rename({"node": "id_r", "side": "s_r"}), on="id_r"
            )
            bridge = (
                side.filter(
                    (pl.col("side") == "u")
                    & pl.col("node").is_in(_reached(e, side, "x").implode())
                    & pl.col("node").is_in(_reached(e, side, "y").implode())
                )
                .get_column("node")
                .implode()
            )
            twin = ["x", "y"]
            cut = (
                e.filter(
                    ((pl.col("s_l") == "x") & (pl.col("s_r") == "y"))
                    | ((pl.col("s_l") == "y") & (pl.col("s_r") == "x"))
                    | ((pl.col("s_l") == "u") & pl.col("s_r").is_in(twin))
                    | ((pl.col("s_r") == "u") & pl.col("s_l").is_in(twin))
                    | pl.col("id_l").is_in(bridge)
                    | pl.col("id_r").is_in(bridge)
                )
                .select(ends)
                .unique()
            )
            out = kept.join(cut, on=ends, how="semi")
            if out.height == 0:
                break
            held.append(out.with_columns(hold=pl.lit("twins_joined")))
            kept = kept.join(cut, on=ends, how="anti")
            # the clusters split are made again; the next round looks at them only
            sub = pl.concat([kept.select(ends).filter(inside), stand.filter(inside)])
            scope = components(members.get_column("node"), sub)
            comp = pl.concat([comp.filter(~pl.col("node").is_in(ids)), scope])
    finally:
        con.close()
    return kept, pl.concat(held, how="diagonal_relaxed") if held else links.clear(), comp


@dataclasses.dataclass
class Decided:
    """What a scoring says: ``links`` (pairs linked without an operator), ``queue`` (pairs
    for an operator: between the review and match probabilities, or held, see
    :data:`HOLDS`) and ``left_out`` (every pair neither linked nor judged apart by a hold of
    :data:`NOT_ASKED`: the queue and the pairs below it, for :func:`calibration`)."""

    links: pl.DataFrame
    queue: pl.DataFrame
    left_out: pl.DataFrame


def decide(scored: pl.DataFrame, thresholds: Thresholds | None = None) -> Decided:
    """Split pairs scored by :func:`score_pairs` (at a low ``min_probability``, so that the
    calibration sees the pairs below review too) into links and the review queue."""
    th = thresholds or Thresholds()
    if "hold" not in scored.columns:
        scored = scored.with_columns(hold=pl.lit(None, dtype=pl.String))
    p = pl.col("match_probability")
    held = pl.col("hold").is_not_null()
    asked = ~pl.col("hold").fill_null("").is_in(NOT_ASKED)
    # one NIK, names alike and the birth date agreeing in two of its three parts at least
    # (or names very alike, the birth date mistyped further): one person whatever the model
    # says (a small list trains it poorly; a large one's prior is too low for a NIK with a
    # typo in the date beside it). One NIK on two people with names in conflict is held.
    same_nik = (
        (pl.col("gamma_nik") == 6)
        & (
            ((pl.col("gamma_name_norm") >= 1) & (pl.col("gamma_birth_date") >= 2))
            | (pl.col("gamma_name_norm") >= 2)
        )
        if {"gamma_nik", "gamma_name_norm", "gamma_birth_date"} <= set(scored.columns)
        else pl.lit(False)
    )
    # a NIK one typo from the other (a digit changed or two swapped, dropped or doubled, the
    # old Papua code), names alike and the same birth date (or day and month swapped; two of
    # day, month and year when the typo shows: a NIK at odds with its own row's birth date,
    # or shifted): the typo explains the NIKs' difference and the rest says one person,
    # however rare the level made the model's weight at this list's size. Not when the NIKs
    # share region and date part (a serial apart: two NIKs issued on one day, see the twin
    # holds) unless the serials are one shifted digit apart (a dropped or doubled digit, not
    # how serials are issued), and never over a hold.
    typo_explained = (
        pl.col("gamma_nik").is_in([1, 2, 3, 5])
        & (pl.col("gamma_name_norm") >= 1)
        & (
            (pl.col("gamma_birth_date") >= 3)
            | ((pl.col("gamma_birth_date") == 2) & pl.col("gamma_nik").is_in([1, 3]))
        )
        & (~pl.col("nik_head_same").fill_null(True) | (pl.col("gamma_nik") == 1))
        if {"gamma_nik", "gamma_name_norm", "gamma_birth_date", "nik_head_same"}
        <= set(scored.columns)
        else pl.lit(False)
    )
    # (a comparison a small list's model lacks comes back null: not a reason to link)
    linked = ((p >= th.match) | same_nik.fill_null(False) | typo_explained.fill_null(False)) & ~held
    # for the calibration, a NIK the typo explains weighs as the NIK it was typed from (the
    # weight of the exact level), and a birth date beside one NIK as the date it was typed
    # from: the model's own probability, low because the level is rare, is not what the link
    # rests on
    calibrated = p
    cols = set(scored.columns)

    def as_exact(field: str, top: int) -> pl.Expr | None:
        if not {f"mw_{field}", "match_weight", f"gamma_{field}"} <= cols:
            return None
        exact_w = scored.filter(pl.col(f"gamma_{field}") == top).get_column(f"mw_{field}").max()
        if exact_w is None:
            return None
        w = pl.col("match_weight") - pl.col(f"mw_{field}") + float(exact_w)  # type: ignore[arg-type]
        return pl.max_horizontal(p, 1 / (1 + (2.0 ** (-w))))

    nik_exact, bd_exact = as_exact("nik", 6), as_exact("birth_date", 4)
    if nik_exact is not None:
        calibrated = pl.when(typo_explained.fill_null(False)).then(nik_exact).otherwise(calibrated)
    if bd_exact is not None:
        calibrated = pl.when(same_nik.fill_null(False)).then(bd_exact).otherwise(calibrated)
    links = scored.filter(linked).with_columns(
        scored.filter(linked).select(calibrated.alias("calibrated_probability"))
    )
    queue = scored.filter(
        (((p >= th.review) & ((p < th.match) | held)) | (pl.col("hold") == "nik_conflict"))
        & asked
        & ~linked
    )
    if {"content_l", "content_r"} <= cols:
        # one question once: pairs whose two rows have the contents of another pair's two
        # (rows typed twice, word for word: the same levels, weight and hold) are the same
        # question, asked by the pair of the lowest ids: the answer is the same for each.
        # They stay in ``left_out`` for the calibration.
        queue = queue.sort("id_l", "id_r").filter(
            pl.struct(
                a=pl.min_horizontal("content_l", "content_r"),
                b=pl.max_horizontal("content_l", "content_r"),
                w=pl.col("match_weight"),
                h=pl.col("hold"),
            ).is_first_distinct()
        )
    return Decided(links=links, queue=queue, left_out=scored.filter(~linked & asked))


def keep_twins_apart(
    decided: Decided,
    records: pl.DataFrame,
    fixed: pl.DataFrame | None = None,
    comp: pl.DataFrame | None = None,
    twins: pl.DataFrame | None = None,
) -> tuple[Decided, pl.DataFrame]:
    """``decided`` with the links :func:`split_twins` holds moved to the queue (and to the
    pairs left out, for the calibration), and the components it leaves (``fixed``, ``comp``:
    see :func:`split_twins`; ``twins``: the :func:`_twin_pairs` of ``records`` when already
    found, as :func:`score_pairs_and_twins` gives them)."""
    kept, held, comp = split_twins(decided.links, records, fixed, comp, twins)
    if held.height == 0:
        return decided, comp
    held = held.select([c for c in decided.queue.columns if c in held.columns])
    return Decided(
        links=kept,
        queue=pl.concat([decided.queue, held], how="diagonal_relaxed"),
        left_out=pl.concat([decided.left_out, held], how="diagonal_relaxed"),
    ), comp


def calibration(decided: Decided, clusters: pl.DataFrame) -> tuple[float, float]:
    """Expected wrong merges and missed pairs of a run, from the model's probabilities:
    ``expected_false_merges`` is the sum of 1 - p over the links; ``expected_missed`` the
    sum of p over the pairs left out whose rows did not end up in one person anyway
    (``clusters``: ``id``, ``cluster``). Pairs the blocking never compared are not counted
    (its recall is measured in the benchmark). A link made because a typo explains its NIKs
    counts with ``calibrated_probability`` (see :func:`decide`)."""
    col = (
        "calibrated_probability"
        if "calibrated_probability" in decided.links.columns
        else "match_probability"
    )
    efm = float((1 - decided.links.get_column(col)).sum())
    c = clusters.select(pl.col("id").cast(pl.Int64), "cluster")
    apart = (
        decided.left_out.join(c.rename({"id": "id_l", "cluster": "c_l"}), on="id_l", how="left")
        .join(c.rename({"id": "id_r", "cluster": "c_r"}), on="id_r", how="left")
        .filter(
            pl.col("c_l").is_null() | pl.col("c_r").is_null() | (pl.col("c_l") != pl.col("c_r"))
        )
    )
    return efm, float(apart.get_column("match_probability").sum())


@dataclasses.dataclass
class Deduplicated:
    """A deduplication from scratch (:func:`deduplicate`): ``clusters`` (``id`` ->
    ``cluster``, the smallest id of its person), the links and queue of :class:`Decided`,
    ``review_clusters`` (groups of rows the queue asks about: one decision each) and the
    calibration."""

    clusters: pl.DataFrame
    links: pl.DataFrame
    queue: pl.DataFrame
    review_clusters: int
    expected_false_merges: float
    expected_missed: float


# pairs below this are not worth keeping even for the calibration's missed pairs
CALIBRATION_FLOOR = 0.01


def deduplicate(
    records: pl.DataFrame, thresholds: Thresholds | None = None, *, seed: int = 42
) -> Deduplicated:
    """Deduplicate a frame of records (:data:`RECORD_COLUMNS` but ``is_new``) from scratch,
    without a store. The store's incremental path (:func:`jaring.registry.actions.linking.
    dedupe`) uses the same parts."""
    recs = records.with_columns(is_new=pl.lit(1, dtype=pl.Int8))
    scored, twins = score_pairs_and_twins(recs, min_probability=CALIBRATION_FLOOR, seed=seed)
    d = decide(scored, thresholds)
    with stage("connected components"):
        comp = components(recs.get_column("id"), d.links.select("id_l", "id_r"))
    with stage("twins kept apart"):
        d, comp = keep_twins_apart(d, recs, comp=comp, twins=twins)
        clusters = comp.rename({"node": "id", "root": "cluster"})
    efm, missed = calibration(d, clusters)
    queue = open_questions(d.queue, clusters)
    return Deduplicated(
        clusters=clusters,
        links=d.links,
        queue=queue,
        review_clusters=review_clusters(queue, clusters),
        expected_false_merges=efm,
        expected_missed=missed,
    )


def open_questions(queue: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """The pairs of ``queue`` whose rows are in two people (``clusters``: ``id``,
    ``cluster``): a pair whose rows the links have already made one person asks nothing."""
    c = clusters.select(pl.col("id").cast(pl.Int64), "cluster")
    return (
        queue.join(c.rename({"id": "id_l", "cluster": "_c_l"}), on="id_l", how="left")
        .join(c.rename({"id": "id_r", "cluster": "_c_r"}), on="id_r", how="left")
        .filter(
            pl.col("_c_l").is_null() | pl.col("_c_r").is_null() | (pl.col("_c_l") != pl.col("_c_r"))
        )
        .drop("_c_l", "_c_r")
    )


def review_clusters(queue: pl.DataFrame, clusters: pl.DataFrame) -> int:
    """How many decisions the queue asks for: its pairs grouped by the people (``clusters``)
    they would join, each group one decision."""
    c = clusters.select(pl.col("id").cast(pl.Int64), "cluster")
    q = (
        queue.join(c.rename({"id": "id_l", "cluster": "a"}), on="id_l")
        .join(c.rename({"id": "id_r", "cluster": "b"}), on="id_r")
        .select(id_l="a", id_r="b")
    )
    if q.height == 0:
        return 0
    nodes = pl.concat([q.get_column("id_l"), q.get_column("id_r")]).unique()
    return components(nodes, q).get_column("root").n_unique()


def link_records(
    records: pl.DataFrame, thresholds: Thresholds | None = None, *, seed: int = 42
) -> pl.DataFrame:
    """Deduplicate a frame of records from scratch (no store): ``id`` -> ``cluster`` (the
    smallest id of its person): the links of :func:`deduplicate`."""
    return deduplicate(records, thresholds, seed=seed).clusters


def blocked_pairs(records: pl.DataFrame) -> pl.DataFrame:
    """Every pair (``id_l`` < ``id_r``) the blocking rules put in front of the model, for
    measuring their recall (the benchmark): all rows count as new."""
    recs = _records(records.with_columns(is_new=pl.lit(1, dtype=pl.Int8)))
    con, spill = _connect()
    con.register("recs", recs.to_arrow())
    union = " UNION ".join(
        f"SELECT l.id AS id_l, r.id AS id_r FROM recs l JOIN recs r ON l.id < r.id AND {rule}"
        for rule in BLOCKING_RULES
    )
    out = con.sql(union).pl()
    con.close()
    spill.cleanup()
    return out
