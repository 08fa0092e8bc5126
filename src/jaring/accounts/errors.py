"""Refusals of the accounts domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/accounts.po``); see :mod:`jaring.errors`.

Sign-in and the web's own checks (``login_required``, ``password_change_required``,
``rate_limited``, ``csrf_failed``) are here too: they are refusals about who is asking, and
their kind gives the HTTP status (401, 403, 429).
"""

from __future__ import annotations

from jaring.coverage.errors import UNKNOWN_REGION as UNKNOWN_REGION
from jaring.errors import OUT_OF_REGION as OUT_OF_REGION
from jaring.errors import Catalogue

CATALOGUE = Catalogue("accounts")

# --------------------------------------------------------------------------- account fields
WEAK_PASSWORD = CATALOGUE.refused(
    "weak_password", "A password needs at least {minimum:number} characters."
)
COMMON_PASSWORD = CATALOGUE.refused(
    "common_password",
    "This password is too easy to guess (a common password, a repeated character, a run of "
    "keys or digits, or your username); choose a phrase of several words.",
)
BAD_USERNAME = CATALOGUE.refused(
    "bad_username", "A username holds only letters, digits, dots, underscores or hyphens."
)
USERNAME_TAKEN = CATALOGUE.refused("username_taken", "The username {value} is taken.")
BAD_ROLE = CATALOGUE.refused("bad_role", "Unknown role: {value}")
BAD_REGION = CATALOGUE.refused("bad_region", "Unknown region code: {value}")
OPERATOR_NEEDS_REGION = CATALOGUE.refused(
    "operator_needs_region", "An operator must be limited to at least one region."
)
ROLE_NEEDS_REGION = CATALOGUE.refused(
    "role_needs_region", "The role {role} must be limited to at least one region."
)
USER_NOT_FOUND = CATALOGUE.not_found("user_not_found", "No user {user_id}.")
CANNOT_DEMOTE_SELF = CATALOGUE.forbidden(
    "cannot_demote_self", "You cannot demote or deactivate your own account."
)

# --------------------------------------------------------------------------- passwords
WRONG_PASSWORD = CATALOGUE.refused("wrong_password", "The current password is wrong.")
SAME_PASSWORD = CATALOGUE.refused(
    "same_password", "The new password must differ from the current one."
)

# --------------------------------------------------------------------------- sign-in
# One answer for a wrong name, a wrong password and a locked account: which one it was would
# tell a stranger that the account exists.
BAD_CREDENTIALS = CATALOGUE.refused(
    "bad_credentials",
    "Wrong username or password. After {failures:number} failed attempts in a row an account "
    "waits {minutes:number} minutes.",
)
LOGIN_REQUIRED = CATALOGUE.kind("unauthorised", "login_required", "Please sign in first.")
PASSWORD_CHANGE_REQUIRED = CATALOGUE.forbidden(
    "password_change_required", "Change your temporary password first."
)
RATE_LIMITED = CATALOGUE.kind(
    "rate_limited",
    "rate_limited",
    "Too many sign-in attempts. Wait a moment and try again.",
)
CSRF_FAILED = CATALOGUE.forbidden(
    "csrf_failed", "The form expired or is not valid. Reload the page and try again."
)

# --------------------------------------------------------------------------- API tokens
TOKEN_NEEDS_NAME = CATALOGUE.refused(
    "token_needs_name", "Give the token a name (for example: BPJS Sorong branch)."
)
TOKEN_NOT_FOUND = CATALOGUE.not_found("token_not_found", "No token {token_id}.")

# --------------------------------------------------------------------------- letterheads
BAD_LOGO = CATALOGUE.refused(
    "bad_logo", "The logo must be a PNG or JPEG image of at most {max_kb:number} KB."
)
MISSING_AUTHORITY = CATALOGUE.refused(
    "missing_authority", "Write the name of the government the letterhead is for."
)
