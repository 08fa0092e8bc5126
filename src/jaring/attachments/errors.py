"""Refusals of the attachment store, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/attachments.po``); see :mod:`jaring.errors`."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("attachments")

EMPTY = CATALOGUE.refused("attachment_empty", "The file {filename} is empty.")
TOO_LARGE = CATALOGUE.refused(
    "attachment_too_large",
    "The file {filename} is {size:number} bytes; at most {maximum:number} bytes are accepted.",
)
BAD_TYPE = CATALOGUE.refused(
    "attachment_bad_type",
    "The file {filename} is not {accepted}: its content is not one of these types, "
    "whatever its name says.",
)
NOT_FOUND = CATALOGUE.not_found("attachment_not_found", "No attachment {attachment_id}.")
DELETED = CATALOGUE.kind(
    "not_found",
    "attachment_deleted",
    "The attachment {attachment_id} was deleted on {deleted_on:date}.",
)
KEY_MISSING = CATALOGUE.kind(
    "unavailable",
    "attachment_key_missing",
    "The key that encrypts attachments is not available; ask the administrator to set it.",
)
KEY_WRONG = CATALOGUE.kind(
    "unavailable",
    "attachment_key_wrong",
    "The attachment {attachment_id} was encrypted with another key than the one set now.",
)
BAD_REASON = CATALOGUE.refused("attachment_reason_required", "Say why the file is deleted.")
