"""Refusals of the families domain (families, deaths, the tasks and letters that follow a
death), with their English wording (Indonesian in ``locales/id/LC_MESSAGES/families.po``);
see :mod:`jaring.errors`.

The reasons a row of a death list is refused or queued (``unknown_nik``, ``death_in_future``
...) are not refusals of the whole action: they are kept on the row, worded by
:data:`ROW_REASONS` (:mod:`jaring.families.deathlist`)."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("families")

# families
BAD_KK = CATALOGUE.refused("bad_kk", "A KK number has 16 digits: {value}.")
BAD_RELATION = CATALOGUE.refused(
    "bad_relation", "Unknown relation to the head of the family: {value} (choose {choices})."
)
MEMBER_NAME_MISSING = CATALOGUE.refused("member_name_missing", "The member's name is required.")
BAD_MEMBER_NIK = CATALOGUE.refused("bad_member_nik", "A NIK has 16 digits: {value}.")
FAMILY_NOT_FOUND = CATALOGUE.not_found("family_not_found", "No family has the KK number {kk}.")
MEMBER_NOT_FOUND = CATALOGUE.not_found("member_not_found", "No family member {member}.")
MEMBER_EXISTS = CATALOGUE.conflict(
    "member_exists", "This NIK is already a member of the family (member {member})."
)
CHANGE_NOT_FOUND = CATALOGUE.not_found(
    "family_change_not_found", "No family change request {change}."
)
CHANGE_DECIDED = CATALOGUE.conflict(
    "family_change_decided", "Family change request {change} was already {status}."
)
CHANGE_EMPTY = CATALOGUE.refused(
    "family_change_empty", "The family change request changes nothing."
)
REASON_MISSING = CATALOGUE.refused("reason_missing", "Write the reason.")
OWN_CHANGE = CATALOGUE.forbidden(
    "own_change", "A change request is decided by someone other than who asked for it."
)

# deaths
DEATH_COLUMNS = CATALOGUE.refused(
    "death_columns",
    "{file}: a death list needs a NIK column and a date of death column; found: {headers}.",
)
DEATH_LIST_EMPTY = CATALOGUE.refused("death_list_empty", "{file} holds no rows.")
DEATH_SOURCE_MISSING = CATALOGUE.refused(
    "death_source_missing", "Name the source of the list (e.g. 'Dukcapil Kota Sorong')."
)
DEATH_NOT_FOUND = CATALOGUE.not_found("death_not_found", "No recorded death {death}.")
DEATH_UNDONE = CATALOGUE.conflict("death_undone", "Death {death} was already undone.")
DEATH_ROW_NOT_FOUND = CATALOGUE.not_found(
    "death_row_not_found", "No row {row} of a death list waits for review."
)
DEATH_DATE_FUTURE = CATALOGUE.refused(
    "death_date_future", "The date of death {value} is in the future."
)
DEATH_BEFORE_BIRTH = CATALOGUE.refused(
    "death_before_birth", "The date of death {value} is before the birth date {birth}."
)
ALREADY_DEAD = CATALOGUE.conflict(
    "already_dead", "This person is already recorded as dead on {date} (death {death})."
)
PERSON_REQUIRED = CATALOGUE.refused(
    "person_required", "Row {row} names no one for certain: choose the person who died."
)
TASK_NOT_FOUND = CATALOGUE.not_found(
    "task_not_found", "No open 'claim not filed' task for death {death}."
)
