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
BAD_PU_FILE = CATALOGUE.refused("bad_pu_file", "Row {row} of {file} is invalid: {reason}.")
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
