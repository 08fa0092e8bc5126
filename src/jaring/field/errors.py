"""Refusals of field registration, and the issues the field form finds in one record beyond
those of a list's row, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/field.po``); see :mod:`jaring.errors`.

* :data:`CATALOGUE`: what field registration refuses (a sync too large, an ODK server that
  does not answer, a region that does not exist...);
* :data:`ISSUES`: what the form finds wrong in one record (consent not recorded, a distrik
  outside the registrar's region...), with its :data:`SEVERITY`. A record's other issues are
  the registry's own (:data:`jaring.registry.errors.ISSUES`): a record is checked as a row of
  a list is. The phone (``web/static/field/checks.js``) knows the same codes.
"""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("field")

TOO_MANY_RECORDS = CATALOGUE.refused(
    "field_too_many_records", "Send at most {limit} records at a time (sent: {count})."
)
NO_RECORDS = CATALOGUE.refused("field_no_records", "Nothing to send: no records.")
REGION_UNKNOWN = CATALOGUE.refused(
    "field_region_unknown", "Region {region} does not exist (e.g. 96.71 for Kota Sorong)."
)
REGION_LEVEL = CATALOGUE.refused(
    "field_region_level", "Region {region} is not a regency or city (write it as 96.71)."
)
ODK_URL_MISSING = CATALOGUE.refused(
    "odk_url_missing", "Give the ODK Central address, project, form and token."
)
ODK_UNREACHABLE = CATALOGUE.kind(
    "unavailable", "odk_unreachable", "ODK Central at {url} does not answer ({reason})."
)
ODK_REFUSED = CATALOGUE.refused(
    "odk_refused", "ODK Central refused the request ({status}): check the token and form."
)
RECORD_NOT_FOUND = CATALOGUE.not_found(
    "field_record_not_found", "Field record {record} does not exist or is not yours."
)
PHOTO_TOO_LARGE = CATALOGUE.refused(
    "field_photo_too_large", "The KTP photo is too large ({size} bytes; at most {limit})."
)

# --------------------------------------------------------------------------- issues in records

ISSUES = Catalogue("field")
#: Issue code -> ``error`` (the record needs a fix) or ``warning`` (accepted, flagged).
SEVERITY: dict[str, str] = {}


def _issue(code: str, severity: str, en: str) -> None:
    SEVERITY[code] = severity
    ISSUES.refused(code, en)


_issue(
    "consent_missing",
    "error",
    "Consent is not recorded: read the purpose to the worker, tick the box and write the "
    "name of the person who agreed.",
)
_issue("nik_required", "error", "NIK is required: copy the 16 digits from the KTP.")
_issue("district_required", "error", "Choose the distrik.")
_issue("district_not_in_region", "error", "Distrik {value} is not in your region.")
_issue(
    "village_not_in_district",
    "error",
    "Kelurahan {value} is not a kelurahan of distrik {detail} (the region list may have "
    "changed): choose it again.",
)
_issue(
    "record_id_taken",
    "error",
    "This record's id was sent by another registrar: delete it and enter it again.",
)

# the phone's PIN, reset when forgotten
PIN_PROOF_REQUIRED = CATALOGUE.refused(
    "pin_proof_required",
    "To reset the PIN, type your password or the code your supervisor gave you.",
)
PIN_CODE_BAD = CATALOGUE.refused(
    "pin_code_bad",
    "The PIN reset code is wrong, used already or expired; ask your supervisor for a new one.",
)
PIN_NOT_REGISTRAR = CATALOGUE.refused(
    "pin_not_registrar", "{user} is not an active registrar of your regions."
)
