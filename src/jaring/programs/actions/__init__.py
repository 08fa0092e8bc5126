"""Everything that changes the programs store: one function per user action, one transaction
each, taking ``(engine, actor, ...)``, checking the actor's right and regions, recording its
audit event in the same transaction and returning a dataclass.

- :mod:`.programs`: :func:`create_program`, :func:`plan_program`
- :mod:`.enrolment`: :func:`enrol`, :func:`bpjs_export`, :func:`bpjs_import_kpj`
- :mod:`.setup`: :func:`update_program`, :func:`sent_file`, :func:`dismiss_refusal`
- :mod:`.billing`: :func:`create_invoice`, :func:`pay`
- :mod:`.refunds`: :func:`return_refund`, :func:`return_refunds` (months paid after a death,
  returned to the payer, one transfer for several)
- :mod:`.coverage`: coverage periods from paid months (inside billing's transaction)
- :mod:`.memberships`: state changes with their dated history (:func:`set_state`)
- :mod:`.candidates`: people added to a program's candidates by hand
  (:func:`add_candidates`, :func:`remove_candidates`)
- :mod:`.scope`: who may change a program
"""

from jaring.programs.actions.billing import (
    IssuedInvoice,
    PaymentRecorded,
    create_invoice,
    pay,
)
from jaring.programs.actions.candidates import (
    CandidatesAdded,
    CandidatesRemoved,
    add_candidates,
    remove_candidates,
)
from jaring.programs.actions.coverage import extend_coverage, refresh_coverage
from jaring.programs.actions.enrolment import (
    Enrolment,
    KpjImport,
    KpjRefusalRow,
    RegistrationExport,
    bpjs_export,
    bpjs_export_bytes,
    bpjs_import_bytes,
    bpjs_import_kpj,
    enrol,
)
from jaring.programs.actions.memberships import set_state
from jaring.programs.actions.programs import create_program, plan_program
from jaring.programs.actions.refunds import return_refund, return_refunds
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.actions.setup import SentFile, dismiss_refusal, sent_file, update_program

__all__ = [
    "CandidatesAdded",
    "CandidatesRemoved",
    "Enrolment",
    "IssuedInvoice",
    "KpjImport",
    "KpjRefusalRow",
    "PaymentRecorded",
    "RegistrationExport",
    "SentFile",
    "add_candidates",
    "bpjs_export",
    "bpjs_export_bytes",
    "bpjs_import_bytes",
    "bpjs_import_kpj",
    "create_invoice",
    "create_program",
    "dismiss_refusal",
    "enrol",
    "extend_coverage",
    "pay",
    "plan_program",
    "refresh_coverage",
    "remove_candidates",
    "require_whole_program",
    "return_refund",
    "return_refunds",
    "sent_file",
    "set_state",
    "update_program",
]
