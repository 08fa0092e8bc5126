"""Refusals of the registry domain, and the issues found in imported rows, with their English
wording (Indonesian in ``locales/id/LC_MESSAGES/registry.po``, keyed by the code); see
:mod:`jaring.errors`.

Two tables share the codes' name space (a code is never both):

* :data:`CATALOGUE`: what the registry refuses (a file it cannot read, a batch or person
  outside one's reach, a pair already decided...);
* :data:`ISSUES`: what intake finds wrong in one row of a list (:mod:`jaring.registry.intake`),
  with its :data:`SEVERITY`: ``error`` (the row waits for a correction) or ``warning``
  (accepted, flagged). ``{value}`` is the value as typed and ``{detail}`` what it was checked
  against; :mod:`jaring.registry.issues` writes them out. Issue codes are stored with every
  imported row, shown in the errors file and asserted by tests: the wording may change, the
  codes may not.
"""

from __future__ import annotations

# shared with other domains, defined once in jaring.errors (re-exported)
from jaring.errors import BAD_FILE_TYPE as BAD_FILE_TYPE
from jaring.errors import Catalogue, Refusal

CATALOGUE = Catalogue("registry")

# --------------------------------------------------------------------------- reading lists

SOURCE_MISSING = CATALOGUE.refused(
    "source_missing", 'Name the source of the list (e.g. "Pasar Remu").'
)
FILE_TYPE = CATALOGUE.refused("file_type", "{file}: unsupported file type (use CSV or XLSX).")
CSV_UNCLOSED_QUOTE = CATALOGUE.refused(
    "csv_unclosed_quote",
    '{file}: line {row}: a quote (") is opened and never closed; fix that cell and import again.',
)
SHEET_NOT_FOUND = CATALOGUE.refused(
    "sheet_not_found", "{file}: sheet '{sheet}' does not exist (there are: {sheets})."
)
FILE_EMPTY = CATALOGUE.refused("file_empty", "{file}: no rows.")
COLUMNS_UNMAPPED = CATALOGUE.refused(
    "columns_unmapped",
    "{file}: columns cannot be mapped. Found: {headers}. Needed: a name column (e.g. 'Nama', "
    "'Nama Lengkap') and a NIK ('NIK', 'No. KTP') or birth-date column ('Tgl Lahir', "
    "'Tanggal Lahir').",
)
FILE_MISSING = CATALOGUE.refused("file_missing", "Choose a file to upload.")
FILE_TOO_LARGE = CATALOGUE.refused("file_too_large", "File too large: {file}")
REGION_UNKNOWN = CATALOGUE.refused(
    "region_unknown", "Region {value} does not exist (a regency code such as 96.71)."
)
LISTED_ON_FUTURE = CATALOGUE.refused(
    "listed_on_future", "The list's date {value} lies in the future: give the date it speaks for."
)
BAD_THRESHOLDS = CATALOGUE.refused(
    "bad_thresholds",
    "Thresholds must keep 0 < review < match <= 1 (review {review}, match {match}).",
)
FILE_UNREADABLE = CATALOGUE.refused(
    "file_unreadable",
    "{file}: this file cannot be read as a workbook (it is damaged, protected by a password, or "
    "not an Excel file); save it again as XLSX or CSV.",
)
WORKBOOK_TOO_LARGE = CATALOGUE.refused(
    "workbook_too_large",
    "{file}: the workbook unpacks to more than {limit_mb} MB, or to more than {ratio} times its "
    "size; split it into smaller files or save it as CSV.",
)
SHEET_TOO_LARGE = CATALOGUE.refused(
    "sheet_too_large",
    "{file} [{sheet}]: the sheet reaches cell {cell} ({rows} rows by {columns} columns; at most "
    "{limit} cells); delete the empty rows and columns beyond the data, or save it as CSV.",
)
FILE_NOT_TEXT = CATALOGUE.refused(
    "file_not_text", "{file}: not a text (CSV) file; save the list as CSV (UTF-8) or XLSX."
)
CELL_TOO_LONG = CATALOGUE.refused(
    "cell_too_long",
    "{file}: a cell in the first lines holds more than {limit:number} characters, which no list of "
    "workers does; check that this is the right file, or save the list again as CSV or XLSX.",
)
FILE_ENCODING = CATALOGUE.refused(
    "file_encoding",
    "{file}: the text cannot be decoded ({encoding}); save the list as CSV (UTF-8) or XLSX.",
)
# --------------------------------------------------------------------------- batches and rows

BATCH_NOT_FOUND = CATALOGUE.not_found("batch_not_found", "Batch {batch} does not exist.")
BATCH_NOT_YOURS = CATALOGUE.forbidden("batch_not_yours", "Another user uploaded this batch.")
ROW_NOT_FOUND = CATALOGUE.not_found("row_not_found", "Row {row} does not exist.")
FIELD_UNKNOWN = CATALOGUE.refused("field_unknown", "Unknown field: {unknown} (use: {choices}).")
FORMAT_UNKNOWN = CATALOGUE.refused(
    "format_unknown", "Unknown format: {format} (use csv, xlsx or parquet)."
)
NEEDS_CLEAR_DATA = CATALOGUE.forbidden(
    "registry_needs_clear_data", "Your role may not see the registry's source rows."
)
# --------------------------------------------------------------------------- linking rows to people

PAIR_NOT_FOUND = CATALOGUE.not_found("pair_not_found", "Pair {pair} does not exist.")
PAIR_DECIDED = CATALOGUE.refused(
    "pair_decided", "Pair {pair} was already decided ({status}) by {decided_by}."
)
PAIR_OUT_OF_REGION = CATALOGUE.forbidden(
    "pair_out_of_region", "This pair involves people outside your regions."
)
BAD_REVIEW_ACTION = CATALOGUE.refused(
    "bad_review_action", "Use: jaring registry review list | accept ID | reject ID"
)
ROW_NOT_LINKED = CATALOGUE.not_found(
    "row_not_linked",
    "Row {row} is not linked to any person (not deduplicated yet, or rejected), or not to "
    "this one.",
)
SPLIT_SINGLE_ROW = CATALOGUE.refused(
    "split_single_row", "Row {row} is the only row of person {person}: nothing to split."
)
ROW_OUT_OF_REGION = CATALOGUE.forbidden(
    "row_out_of_region", "This row comes from a distrik outside your regions."
)
REASON_REQUIRED = CATALOGUE.refused("reason_required", "Write the reason for the split.")
MERGE_CONFLICT = CATALOGUE.refused(
    "merge_conflict",
    "People {keep} and {gone} are both members of one program: end one membership first.",
)
PAIR_PENDING = CATALOGUE.refused(
    "pair_pending", "Pair {pair} has not been decided yet: there is nothing to undo."
)
BAD_THRESHOLD = CATALOGUE.refused(
    "bad_threshold", "The probability to accept from must be between 0.5 and 1 (got {value})."
)
NIK_NOT_OF_PERSON = CATALOGUE.refused(
    "nik_not_of_person", "NIK {nik} is on none of the rows of person {person}."
)
# --------------------------------------------------------------------------- people

BAD_NIK = CATALOGUE.refused("bad_nik", "A NIK has 16 digits.")
NIK_PREFIX_FORBIDDEN = CATALOGUE.forbidden(
    "nik_prefix_forbidden", "Your role may search only by a full NIK (16 digits) or by name."
)
NIK_LOOKUPS_LIMITED = CATALOGUE.kind(
    "rate_limited",
    "nik_lookups_limited",
    "Too many searches by NIK: your role sees NIKs masked, so it may look up at most {limit:number} "
    "NIKs in {minutes:number} minutes. Try again in {retry_after:number} seconds, or search by "
    "name.",
)
FILTER_INVALID = CATALOGUE.refused(
    "filter_invalid", "A filter cannot take the value {value}; choose one from the list."
)
NOTHING_SELECTED = CATALOGUE.refused(
    "nothing_selected", "Choose at least one person, or take everyone the filters keep."
)
QUERY_TOO_SHORT = CATALOGUE.refused("query_too_short", "Type at least 2 letters of the name.")
NAME_SEARCH_WINDOW = CATALOGUE.refused(
    "name_search_window",
    "A name search pages through its {window:number} most alike people only: ask with an offset "
    "below {window:number}, or type more of the name (a birth year narrows it too).",
)
PERSON_NOT_FOUND = CATALOGUE.not_found(
    "person_not_found", "No such person: nobody with this id, or with this NIK in your regions."
)
NIK_SHARED = CATALOGUE.refused(
    "nik_shared", "More than one person carries this NIK; resolve it in the registry first."
)
PERSON_OUT_OF_REGION = CATALOGUE.forbidden(
    "person_out_of_region", "This person lives outside your regions."
)
# --------------------------------------------------------------------------- issues in rows

ISSUES = Catalogue("registry")
#: Issue code -> ``error`` (the row waits for a correction) or ``warning`` (accepted, flagged).
SEVERITY: dict[str, str] = {}


def _issue(code: str, severity: str, en: str) -> Refusal:
    SEVERITY[code] = severity
    return ISSUES.refused(code, en)


_issue(
    "nik_excel_mangled",
    "error",
    "NIK {value} was mangled by Excel (scientific notation): its last digits are lost. "
    "Retype the NIK as text (cell format Text, or prefix it with ').",
)
_issue("nik_not_digits", "error", "NIK {value} has non-digits.")
_issue("nik_length", "error", "NIK {value} must have 16 digits (it has {detail}).")
_issue("nik_date_invalid", "error", "NIK {value} encodes an impossible birth date ({detail}).")
_issue("nik_serial_zero", "error", "NIK {value}: serial 0000 is never issued.")
_issue(
    "nik_region_unknown",
    "warning",
    "NIK {value}: region code {detail} is unknown (accepted; please check).",
)
_issue(
    "nik_missing",
    "warning",
    "NIK is empty: this person can only be matched by name and birth date.",
)
_issue(
    "nik_birth_date_mismatch",
    "warning",
    "Birth date {value} differs from the date in the NIK ({detail}).",
)
_issue("nik_sex_mismatch", "warning", "Sex {value} differs from the sex in the NIK ({detail}).")
_issue("name_missing", "error", "Name is empty.")
_issue(
    "identity_missing",
    "error",
    "Neither a valid NIK nor a birth date: this person cannot be identified.",
)
_issue("birth_date_invalid", "error", "Birth date {value} cannot be read or is impossible.")
_issue(
    "birth_date_invalid_nik_used",
    "warning",
    "Birth date {value} cannot be read; the date from the NIK ({detail}) is used.",
)
_issue(
    "birth_date_out_of_range",
    "warning",
    "Birth date {value}: age {detail} is implausible for a worker.",
)
_issue("sex_invalid", "warning", "Sex {value} is not recognised (use L or P).")
_issue("phone_invalid", "warning", "Phone {value} is invalid; dropped.")
_issue(
    "district_unknown",
    "warning",
    "District {value} is unknown; the NIK's district is used when there is one.",
)
_issue("village_unknown", "warning", "Village {value} is unknown.")
_issue("desil_invalid", "warning", "Desil {value} must be 1 to 10.")
_issue("income_invalid", "warning", "Income {value} is not a rupiah amount.")
_issue(
    "formula_like",
    "warning",
    "{value} begins like a spreadsheet formula (=, +, -, @): check it; files Jaring writes "
    "show it as text.",
)

# --------------------------------------------------------------------------- fixing in Excel
ERRORS_FILE_COLUMNS = CATALOGUE.refused(
    "errors_file_columns",
    "{file} is not an error list of this page: it needs the columns {columns}. Download the "
    "error list again and change only the column value.",
)
ROW_NOT_IN_BATCH = CATALOGUE.refused(
    "row_not_in_batch", "Row {row} is not a row of batch {batch}; upload the list of this batch."
)
# --------------------------------------------------------------------------- one worker
WORKER_ALREADY_REGISTERED = CATALOGUE.refused(
    "worker_already_registered",
    "This worker was already registered today with the same details.",
)
PERSON_VALUE_INVALID = CATALOGUE.refused("person_value_invalid", "{problem}")
IDENTITY_NEEDS_REQUEST = CATALOGUE.refused(
    "identity_needs_request",
    "NIK, name, birth date and sex change through a change request that a supervisor "
    "approves; use the change request form.",
)
CHANGE_NOT_FOUND = CATALOGUE.not_found(
    "change_not_found", "Change request {change} does not exist."
)
CHANGE_DECIDED = CATALOGUE.refused(
    "change_decided", "Change request {change} was already decided ({status})."
)
CHANGE_EMPTY = CATALOGUE.refused(
    "change_empty", "Change at least one of NIK, name, birth date or sex."
)
CHANGE_REASON_REQUIRED = CATALOGUE.refused(
    "change_reason_required", "Write why the identity must change (what the evidence shows)."
)
CHANGE_SAME_USER = CATALOGUE.forbidden(
    "change_same_user",
    "You asked for this change; a second person (a supervisor in the region) decides it.",
)
CHANGE_PENDING = CATALOGUE.refused(
    "change_pending",
    "A change request for this person is already waiting (request {change}); it is decided first.",
)
