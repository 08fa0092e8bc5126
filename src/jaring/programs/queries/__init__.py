"""Every read of the programs domain that a page, the API, a report or the CLI needs, and the
one program look-up other domains use (:func:`find_program`). Reads return dataclasses;
each needs ``program.read`` of the actor and keeps to the actor's regions where people are
concerned.

- :mod:`.programs`: :func:`find_program`, :func:`list_programs`
- :mod:`.plans`: what a budget buys without saving (:func:`draft_plan`,
  :func:`compare_scenarios`)
- :mod:`.billing`: invoices, :func:`reconcile`, :func:`program_status`, :func:`money_to_settle`
- :mod:`.enrolment`: BPJS answer rows waiting for correction (:func:`bpjs_refusals`)
- :mod:`.exchange`: the set-up steps (:func:`program_steps`), the BPJS file exchange
  (:func:`bpjs_exchange`), payments (:func:`payments`)
- :mod:`.refunds`: months paid after a death, owed back (:func:`program_refunds`)
- :mod:`.coverage`: who is covered on a date (:func:`coverage_count`, :func:`coverage_of`)
- :mod:`.candidates`: the people added to a program's candidates by hand
  (:func:`candidate_list`)
"""

from jaring.programs.queries.billing import (
    InvoiceRecord,
    InvoiceRow,
    MoneyToSettle,
    ProgramStatus,
    Reconciliation,
    find_invoice,
    list_invoices,
    money_to_settle,
    program_status,
    reconcile,
)
from jaring.programs.queries.candidates import Candidate, CandidateList, candidate_list
from jaring.programs.queries.coverage import (
    CoverageCount,
    MembershipCoverage,
    PeopleCoverage,
    Period,
    PersonCoverage,
    ProgramCoverage,
    coverage_count,
    coverage_of,
)
from jaring.programs.queries.enrolment import BpjsRefusal, bpjs_refusals
from jaring.programs.queries.exchange import (
    STEPS,
    Choice,
    Exchange,
    ExchangedFile,
    PaymentRow,
    ProgramSteps,
    RefusedRow,
    Step,
    bpjs_exchange,
    district_choices,
    funder_choices,
    payments,
    program_steps,
)
from jaring.programs.queries.plans import (
    Draft,
    PlanSummary,
    QuotaResult,
    ScenarioFigures,
    ScenarioRefusal,
    Scenarios,
    compare_scenarios,
    draft_plan,
    preview_plan,
)
from jaring.programs.queries.programs import Program, find_program, list_programs
from jaring.programs.queries.refunds import REFUND_STATUSES, ProgramRefund, program_refunds

__all__ = [
    "REFUND_STATUSES",
    "STEPS",
    "BpjsRefusal",
    "Candidate",
    "CandidateList",
    "Choice",
    "CoverageCount",
    "Draft",
    "Exchange",
    "ExchangedFile",
    "InvoiceRecord",
    "InvoiceRow",
    "MembershipCoverage",
    "MoneyToSettle",
    "PaymentRow",
    "PeopleCoverage",
    "Period",
    "PersonCoverage",
    "PlanSummary",
    "Program",
    "ProgramCoverage",
    "ProgramRefund",
    "ProgramStatus",
    "ProgramSteps",
    "QuotaResult",
    "Reconciliation",
    "RefusedRow",
    "ScenarioFigures",
    "ScenarioRefusal",
    "Scenarios",
    "Step",
    "bpjs_exchange",
    "bpjs_refusals",
    "candidate_list",
    "compare_scenarios",
    "coverage_count",
    "coverage_of",
    "district_choices",
    "draft_plan",
    "find_invoice",
    "find_program",
    "funder_choices",
    "list_invoices",
    "list_programs",
    "money_to_settle",
    "payments",
    "preview_plan",
    "program_refunds",
    "program_status",
    "program_steps",
    "reconcile",
]
