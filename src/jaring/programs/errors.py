"""Refusals of the programs domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/programs.po``); see :mod:`jaring.errors`.

Raise an entry with the facts behind it: ``raise errors.SP2D_USED(sp2d=number)``. A refusal
about something the user typed names its ``field`` (``field="drop_covered"``), never a CLI
flag: the CLI adds its own option, the pages their form field.
"""

from __future__ import annotations

# shared with other domains, defined once in jaring.errors (re-exported)
from jaring.errors import BAD_FILE_TYPE as BAD_FILE_TYPE
from jaring.errors import BAD_SEGMENT as BAD_SEGMENT
from jaring.errors import MISSING_COLUMN as MISSING_COLUMN
from jaring.errors import MISSING_OPTION as MISSING_OPTION
from jaring.errors import Catalogue
from jaring.registry import errors as registry

CATALOGUE = Catalogue("programs")

# --------------------------------------------------------------------------- programs
BAD_FUNDER = CATALOGUE.refused(
    "bad_funder", "Funder must be apbd, self, apbn, apbdes or donor: {value}."
)
JP_NOT_FOR_BPU = CATALOGUE.refused(
    "jp_not_for_bpu", "JP (Jaminan Pensiun) is for wage earners (PU) only, not for BPU."
)
BAD_BUDGET = CATALOGUE.refused(
    "bad_budget", "A budget lies between Rp0 and Rp1,000,000,000,000: {value:rupiah}."
)
BAD_MONEY = CATALOGUE.refused(
    "bad_money",
    "Not an amount of rupiah: {value}. Write it as 1,5 miliar or Rp1.500.000.000.",
)
BAD_PERIOD = CATALOGUE.refused(
    "bad_period", "The period ends ({end:date}) before it starts ({start:date})."
)
MISSING_WAGE = CATALOGUE.refused("missing_wage", "A PU program needs the monthly wage.")
PROGRAM_EXISTS = CATALOGUE.refused(
    "program_exists", "A program with this name already exists: {name}."
)
PROGRAM_NOT_FOUND = CATALOGUE.not_found("program_not_found", "Program not found: {program}.")
PROGRAM_NEEDS_ALL_REGIONS = CATALOGUE.forbidden(
    "program_needs_all_regions",
    "Program actions apply to every member; only users without a region limit may take them.",
)
BAD_RULES = CATALOGUE.refused("bad_rules", "Targeting rules are not valid: {reason}.")
PROGRAM_STARTED = CATALOGUE.refused(
    "program_started",
    "{program} already has members: its period and package can no longer change.",
)
BPJS_FILE_NOT_FOUND = CATALOGUE.not_found("bpjs_file_not_found", "BPJS file not found: {file}.")
REFUSAL_NOT_FOUND = CATALOGUE.not_found(
    "refusal_not_found", "Refused row not found or already settled: {row}."
)
MISSING_REASON = CATALOGUE.refused("missing_reason", "Give the reason.")
NO_CANDIDATES_CHOSEN = CATALOGUE.refused("no_candidates_chosen", "Choose at least one person.")
TOO_MANY_CANDIDATES = CATALOGUE.refused(
    "too_many_candidates",
    "{count} people at once is more than {limit}; narrow the filters.",
)

# --------------------------------------------------------------------------- planning
BAD_PRIORITY = CATALOGUE.refused(
    "bad_priority", "Unknown priority: {value} (choose from {choices})."
)
BAD_QUOTA = CATALOGUE.refused(
    "bad_quota",
    "Not a quota: {value}; name a kind ({choices}) and a share between 0 and 1, e.g. distrik=0.2.",
)
BAD_SCENARIO = CATALOGUE.refused("bad_scenario", "Unknown scenario: {value} (full or spread).")
NO_MONTHS_LEFT = CATALOGUE.refused(
    "no_months_left",
    "No month of the program period is left to plan: every month has been invoiced or the "
    "period is over.",
)
MONTH_OUTSIDE_PERIOD = CATALOGUE.refused(
    "month_outside_period",
    "Month {month:month} is outside the program period ({start:month} to {end:month}).",
)
BUDGET_TOO_SMALL = CATALOGUE.refused(
    "budget_too_small", "Budget {budget:rupiah} is below one person-month ({person_month:rupiah})."
)
NOBODY_ELIGIBLE = CATALOGUE.refused("nobody_eligible", "Nobody is eligible for this program.")
BUDGET_BELOW_COVERED = CATALOGUE.refused(
    "budget_below_covered",
    "Budget {budget:rupiah} cannot keep the {people:number} people already covered (needs "
    "{needed:rupiah}); let the re-plan drop some of the people already covered.",
)
SPREAD_UNAFFORDABLE = CATALOGUE.refused(
    "spread_unaffordable",
    "The budget does not buy one month for all {people:number} people (needs {needed:rupiah}, "
    "available {available:rupiah}).",
)
QUOTA_UNAFFORDABLE = CATALOGUE.refused(
    "quota_unaffordable",
    "Quota {quota} needs {people_needed:number} more people ({cost_needed:rupiah}); the budget "
    "available is {available:rupiah}, short by {shortfall:rupiah}.",
)
QUOTAS_INFEASIBLE = CATALOGUE.refused(
    "quotas_infeasible", "The quotas ({quotas}) cannot all be met with this budget."
)
PLAN_NOT_FOUND = CATALOGUE.not_found(
    "plan_not_found", "No plan found for this program; plan it first."
)
PLAN_ALREADY_ENROLLED = CATALOGUE.refused(
    "plan_already_enrolled", "Plan {plan} has already been enrolled."
)

# --------------------------------------------------------------------------- BPJS files
NOTHING_TO_EXPORT = CATALOGUE.refused(
    "nothing_to_export", "No members are waiting to be registered with BPJS TK."
)
UNKNOWN_FUNDER_REGION = CATALOGUE.refused(
    "unknown_funder_region",
    "No region has the code {value}: write the paying region's Kemendagri code, e.g. 96.71 "
    "for Kota Sorong or 96 for Papua Barat Daya.",
)
BAD_TEMPLATE = CATALOGUE.refused(
    "bad_template",
    "The registration template cannot be used ({reason}): it must be readable YAML with a "
    "'columns' list of known sources.",
)
UNREADABLE_FILE = CATALOGUE.refused("unreadable_file", "File cannot be read: {name} ({reason}).")

# --------------------------------------------------------------------------- billing
INVOICE_NOT_FOUND = CATALOGUE.not_found("invoice_not_found", "Invoice not found: {invoice}.")
INVOICE_EXISTS = CATALOGUE.refused("invoice_exists", "Invoice {invoice} already exists.")
NOTHING_TO_INVOICE = CATALOGUE.refused(
    "nothing_to_invoice", "No active members (with a KPJ) to invoice for {month:month}."
)
BAD_AMOUNT = CATALOGUE.refused(
    "bad_amount", "Not a valid payment amount: {amount}; it must be a positive number of rupiah."
)
MISSING_SP2D = CATALOGUE.refused("missing_sp2d", "The SP2D number is required.")
REFUND_NOT_FOUND = CATALOGUE.not_found(
    "refund_not_found", "Refund {refund} not found in program {program}."
)
NO_REFUND_CHOSEN = CATALOGUE.refused(
    "no_refund_chosen", "Choose at least one refund that the transfer returned."
)
REFUND_NOT_DUE = CATALOGUE.refused(
    "refund_not_due", "Refund {refund} is no longer owed: it was returned or cancelled."
)
MISSING_REFUND_REFERENCE = CATALOGUE.refused(
    "missing_refund_reference", "The reference of the transfer back to the payer is required."
)
REFUND_DATE_FUTURE = CATALOGUE.refused(
    "refund_date_future", "The day the refund was returned ({value:date}) is after today."
)
SP2D_USED = CATALOGUE.refused("sp2d_used", "SP2D number {sp2d} is already used by another payment.")
PAYMENT_EXCEEDS_INVOICE = CATALOGUE.refused(
    "payment_exceeds_invoice",
    "Payment {amount:rupiah} exceeds what is left of invoice {invoice} ({outstanding:rupiah}).",
)

# --------------------------------------------------------------------------- coverage
PERSON_NOT_FOUND = registry.PERSON_NOT_FOUND  # one code, one wording: the registry's
