"""Refusals of the claims domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/claims.po``); see :mod:`jaring.errors`.

A refusal that a written reason may override (a duplicate, missing documents, an ineligible
claim, the heirs' order, an amount that differs) says so and names the field ``reason``; the
CLI then adds ``--reason`` and the pages their reason field.
"""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("claims")

# --------------------------------------------------------------------------- the catalogues
CLAIM_TYPE_UNKNOWN = CATALOGUE.refused(
    "claim_type_unknown", "Unknown claim type: {value} (choose: {choices})."
)
CLAIM_STATUS_UNKNOWN = CATALOGUE.refused(
    "claim_status_unknown", "Unknown status: {value} (choose: {choices})."
)
CLAIM_TRANSITION_NOT_ALLOWED = CATALOGUE.refused(
    "claim_transition_not_allowed",
    "A claim in status {from_status} cannot move to {to_status} (allowed: {allowed}).",
)
DOCUMENT_UNKNOWN = CATALOGUE.refused(
    "document_unknown", "Unknown document: {value} (choose: {choices})."
)

# --------------------------------------------------------------------------- heirs
HEIR_RELATION_UNKNOWN = CATALOGUE.refused(
    "heir_relation_unknown", "Unknown heir relation: {value} (choose: {choices})."
)
HEIR_FORMAT = CATALOGUE.refused(
    "heir_format",
    "Write an heir as relation:name[:NIK][:birth_date], the NIK of 16 digits and the date "
    "YYYY-MM-DD, e.g. spouse:Siti Aminah.",
)
HEIR_NAME_MISSING = CATALOGUE.refused("heir_name_missing", "Heir name is empty.")
HEIR_NIK_INVALID = CATALOGUE.refused("heir_nik_invalid", "Heir NIK must be 16 digits.")
HEIR_RECIPIENT_MANY = CATALOGUE.refused(
    "heir_recipient_many", "Only one heir can be marked as the recipient."
)
HEIR_MISSING = CATALOGUE.refused(
    "heir_missing", "A death claim must name the heir who receives it."
)
CLAIM_CLOSED = CATALOGUE.refused(
    "claim_closed", "Claim {claim} is already {status}; heirs are recorded before approval."
)

# --------------------------------------------------------------------------- filing
CLAIM_NOT_FOUND = CATALOGUE.not_found("claim_not_found", "Claim {claim} does not exist.")
MEMBERSHIP_NOT_FOUND = CATALOGUE.not_found(
    "membership_not_found",
    "Membership not found: the person has none, or the one named ({membership}) does not exist.",
)
PERSON_MISSING = CATALOGUE.refused("person_missing", "Give the member's NIK or person id.")
REPORTER_MISSING = CATALOGUE.refused("reporter_missing", "The reporter is required.")
EVENT_DATE_MISSING = CATALOGUE.refused("event_date_missing", "The event date is required.")
EVENT_IN_FUTURE = CATALOGUE.refused(
    "event_in_future", "Event date {value:date} is after the filing date {filed_on:date}."
)
CLAIM_INPUT_BAD = CATALOGUE.refused(
    "claim_input_bad", "{field} must be a whole number from 0 to {maximum:number}."
)
CLAIM_INPUT_MISSING = CATALOGUE.refused(
    "claim_input_missing", "A {type} claim needs a value for {field}."
)
SCHOLARSHIP_WITHOUT_DEATH = CATALOGUE.refused(
    "scholarship_without_death",
    "A scholarship needs the member's death claim or a total permanent disability claim from a "
    "work accident on record; file that claim first.",
)
SCHOLARSHIP_CHILDREN_MAX = CATALOGUE.refused(
    "scholarship_children_max", "Scholarships are for at most {limit} children."
)
CLAIM_DUPLICATE = CATALOGUE.refused(
    "claim_duplicate",
    "A claim for this benefit exists (claim {existing_claim}, status {status}); an operator may "
    "go on only with a written reason.",
)
CLAIM_ALREADY_PAID = CATALOGUE.refused(
    "claim_already_paid",
    "This benefit was already paid (claim {existing_claim}); an operator may go on only with a "
    "written reason.",
)
STMB_MONTHS_ALREADY_CLAIMED = CATALOGUE.refused(
    "stmb_months_already_claimed",
    "STMB for this accident was claimed for {before} months already; give the total months so "
    "far (more than {before}), or a written reason to go on.",
)

# --------------------------------------------------------------------------- moving a claim on
DOCUMENTS_MISSING = CATALOGUE.refused(
    "documents_missing",
    "Documents missing: {documents}; an operator may go on only with a written reason.",
)
CLAIM_NOT_ELIGIBLE = CATALOGUE.refused(
    "claim_not_eligible",
    "The claim is not eligible: {why}; an operator may go on only with a written reason.",
)
HEIR_ORDER = CATALOGUE.refused(
    "heir_order",
    "The recipient (rank {recipient_rank}) is not of the earliest recorded heir rank "
    "({earliest_rank}); an operator may go on only with a written reason.",
)
REJECT_REASON_REQUIRED = CATALOGUE.refused(
    "reject_reason_required", "A rejection needs a reason code from the list: {choices}."
)
PAYMENT_DETAILS_MISSING = CATALOGUE.refused(
    "payment_details_missing", "A payment needs the date paid, the amount and the reference."
)
PAID_BEFORE_EVENT = CATALOGUE.refused(
    "paid_before_event", "Payment date {value:date} is before the event date."
)
PAID_AMOUNT_MISMATCH = CATALOGUE.refused(
    "paid_amount_mismatch",
    "Amount paid {amount:rupiah} differs from the entitlement {entitlement:rupiah}; an "
    "operator may go on only with a written reason.",
)

# --------------------------------------------------------------------------- reading
MONTH_FORMAT = CATALOGUE.refused("month_format", "Write the month as YYYY-MM, not {value}.")
CLAIMS_COLUMNS = CATALOGUE.refused("claims_columns", "Required columns: {columns}.")
MORTALITY_FILE_MISSING = CATALOGUE.refused(
    "mortality_file_missing", "Mortality table file not found: {file}."
)
MORTALITY_COLUMNS = CATALOGUE.refused(
    "mortality_columns", "Mortality table {file} needs columns age, qx_l, qx_p."
)
MORTALITY_VALUES = CATALOGUE.refused(
    "mortality_values",
    "Mortality table {file}: each age must be a whole number given once, with qx_l and qx_p "
    "numbers between 0 and 1 (age {row}).",
)

# --------------------------------------------------------------------------- maker-checker
SAME_USER_APPROVAL = CATALOGUE.forbidden(
    "claim_same_user",
    "Claim {claim} was filed by you; approval and payment need a second user with the claims "
    "approver role.",
)
APPROVER_REQUIRED = CATALOGUE.forbidden(
    "claim_approver_required",
    "Approving and paying a claim needs the claims approver role in the claim's region.",
)
UNCERTAIN_NOT_CONFIRMED = CATALOGUE.refused(
    "claim_amount_uncertain",
    "The amount of claim {claim} is marked uncertain; tick the confirmation and write the reason "
    "you accept it.",
)
DOCUMENT_DATE_FUTURE = CATALOGUE.refused(
    "document_date_future", "The date received ({value:date}) is after today."
)
DOCUMENTS_NONE_CHOSEN = CATALOGUE.refused(
    "documents_none_chosen", "Tick at least one document received."
)
