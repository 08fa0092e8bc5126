"""Refusals of the national domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/national.po``); see :mod:`jaring.errors`."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("national")

KEY_TOO_SHORT = CATALOGUE.refused(
    "key_too_short",
    "The key in {file} is {bytes} bytes long; a pseudonymisation key needs at least 32.",
)
SNAPSHOT_EXISTS = CATALOGUE.conflict(
    "snapshot_exists", "{dir} already holds a snapshot; choose an empty folder."
)
NOT_A_SNAPSHOT = CATALOGUE.refused("not_a_snapshot", "{dir} is not a national snapshot.")
SNAPSHOT_DAMAGED = CATALOGUE.refused(
    "snapshot_damaged",
    "The snapshot in {dir} is damaged: {file} is missing or differs from its manifest.",
)
NO_SNAPSHOTS = CATALOGUE.refused("no_snapshots", "Give at least one snapshot.")
SNAPSHOTS_MIXED = CATALOGUE.refused(
    "snapshots_mixed",
    "These snapshots cannot be combined: some carry clear NIKs and others keyed hashes, or "
    "their hashes were made with different keys.",
)
SNAPSHOT_SOURCES_REPEAT = CATALOGUE.refused(
    "snapshot_sources_repeat", "Two snapshots come from the same region: {sources}."
)
NOTHING_TO_MATCH = CATALOGUE.refused(
    "nothing_to_match",
    "The snapshots hold {rows} listed row(s): at least two are needed to look for duplicates.",
)
BAD_ENGINE = CATALOGUE.refused("bad_engine", "Unknown engine: {value} (choose duckdb or spark).")
SPARK_UNAVAILABLE = CATALOGUE.kind(
    "unavailable",
    "spark_unavailable",
    "Spark cannot start here: {reason}. Install a Java runtime (17 or later) or use the "
    "duckdb engine.",
)
BAD_LEVEL = CATALOGUE.refused(
    "national_bad_level", "Unknown level: {value} (choose province, regency or district)."
)
BAD_PU_FILE = CATALOGUE.refused("bad_pu_file", "Row {row} of {file} is invalid (column {column}).")
PU_NEEDS_KEY = CATALOGUE.refused(
    "pu_needs_key",
    "The snapshots carry keyed hashes of NIKs: give the same key so that the participants' "
    "NIKs can be hashed alike.",
)
NOT_DEDUPED = CATALOGUE.refused(
    "not_deduped", "{dir} holds no deduplication result (pairs.parquet, clusters.parquet)."
)
FLAG_NOT_FOUND = CATALOGUE.not_found("cross_region_pair_not_found", "No cross-region pair {pair}.")
FLAG_DECIDED = CATALOGUE.conflict(
    "cross_region_pair_decided", "Cross-region pair {pair} was already decided ({status})."
)
FLAG_PENDING = CATALOGUE.conflict(
    "cross_region_pair_pending",
    "Cross-region pair {pair} has not been decided yet: there is nothing to undo.",
)
RESULT_NOT_PARQUET = CATALOGUE.refused(
    "national_result_not_parquet",
    "{file} is not a Parquet file (or it is damaged): choose the file the national "
    "deduplication wrote for this Pemda, named by its code, e.g. 96.71.parquet.",
)
RESULT_NAME = CATALOGUE.refused(
    "national_result_name",
    "The name of {file} does not say which Pemda it is for: the national deduplication "
    "names each Pemda's file by its code, e.g. 96.71.parquet.",
)
RESULT_COLUMNS = CATALOGUE.refused(
    "national_result_columns",
    "{file} is not a national result for a Pemda: the columns {missing} are missing.",
)
RESULT_COLUMN_TYPE = CATALOGUE.refused(
    "national_result_column_type",
    "{file} is not a national result for a Pemda: the column {column} holds the wrong kind "
    "of value.",
)
RESULT_BAD_VALUE = CATALOGUE.refused(
    "national_result_bad_value",
    "Row {row} of {file}: the column {column} holds a value a national result never has.",
)
RESULT_NOT_LEVELS = CATALOGUE.refused(
    "national_result_not_levels",
    "Row {row} of {file}: the column explain holds something other than agreement levels "
    "(a national result carries no personal data of the other region).",
)
RESULT_UNKNOWN_PEOPLE = CATALOGUE.refused(
    "national_result_unknown_people",
    "{file} names {count:number} people who are not in this store (the first in row {row}): "
    "it does not come from this store's snapshot.",
)
RESULT_OTHER_STORE = CATALOGUE.refused(
    "national_result_other_store",
    "{file} was made from the snapshot of another Jaring database: its person numbers name "
    "other people here. Receive it in the database whose snapshot went into the national "
    "deduplication.",
)
RESULT_UNMARKED = CATALOGUE.refused(
    "national_result_unmarked",
    "{file} does not say which Jaring database's snapshot it was made from, so its person "
    "numbers cannot be trusted here. Make the snapshot again with this version of Jaring, "
    "then the national deduplication from it.",
)
RESULT_OTHER_PEMDA = CATALOGUE.refused(
    "national_result_other_pemda",
    "{file} holds the results of {pemda}, but {count:number} of its people do not live in "
    "{pemda} in this store (the first in row {row}): it is another Pemda's file.",
)
RESULT_OUT_OF_REGION = CATALOGUE.forbidden(
    "national_result_out_of_region",
    "{file} holds {count:number} people who live outside your regions (the first in row "
    "{row}): it must be received by someone who works for the whole Pemda.",
)
RESULT_SELF_PAIR = CATALOGUE.refused(
    "national_result_self_pair",
    "Row {row} of {file} pairs a person with a listing of {pemda} itself: a file for {pemda} "
    "only pairs its people with other Pemda, so this one was written for another Pemda.",
)
RESULT_TOO_LARGE = CATALOGUE.refused(
    "national_result_too_large",
    "{file} holds {rows:number} rows or unpacks to more than 2 GiB: a Pemda's national result "
    "is far smaller; choose the file written for this Pemda.",
)
