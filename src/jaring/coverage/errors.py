"""Refusals of the coverage domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/coverage.po``); see :mod:`jaring.errors`.

``bad_file`` and ``bad_segment`` are raised by other domains too; they are worded here so
that every use reads true, and belong in the common catalogue once the domains agree on it.
``bad_value`` (a working population that is not positive) is the registry's entry.
"""

from __future__ import annotations

# shared with other domains, defined once in jaring.errors (re-exported)
from jaring.errors import BAD_FILE as BAD_FILE
from jaring.errors import BAD_SEGMENT as BAD_SEGMENT
from jaring.errors import Catalogue

CATALOGUE = Catalogue("coverage")

# regions and the reader's scope
UNKNOWN_REGION = CATALOGUE.refused(
    "unknown_region", "Unknown region code: {value} (e.g. 96, 96.71, 96.71.01)."
)
BAD_LEVEL = CATALOGUE.refused("bad_level", "Region level must be 1-4: {value}.")
REGION_OUT_OF_SCOPE = CATALOGUE.forbidden(
    "region_out_of_scope", "Region {region} is outside your regions."
)

# figures a region enters
SOURCE_REQUIRED = CATALOGUE.refused(
    "source_required", "A source is required (e.g. 'BPS Sakernas August 2024')."
)
BAD_TARGET = CATALOGUE.refused(
    "bad_target",
    "Give the target as a ratio in percent (0-100, at most 2 decimals) or as a number of "
    "people, one of them: {value}.",
)
MISSING_COLUMNS = CATALOGUE.refused("missing_columns", "Required columns missing: {columns}.")
BAD_ROW = CATALOGUE.refused("bad_row", "Row {row} of {file} is invalid: {reason}")

# reports
REPORT_DOES_NOT_FIT = CATALOGUE.refused(
    "report_does_not_fit", "This region's report does not fit one PDF page; download the XLSX."
)
BAD_FORMAT = CATALOGUE.refused("bad_format", "Unknown report format: {file} (use .pdf or .xlsx).")
CANNOT_WRITE = CATALOGUE.refused("cannot_write", "Cannot write {file}.")
