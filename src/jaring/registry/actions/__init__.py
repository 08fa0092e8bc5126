"""Everything that changes the registry, one transaction each, for an actor (checked for
its right and regions, recorded in the audit trail), by group:
:mod:`~jaring.registry.actions.imports` (lists into a batch),
:mod:`~jaring.registry.actions.corrections` (fixing rejected rows),
:mod:`~jaring.registry.actions.linking` (deduplication: rows to people),
:mod:`~jaring.registry.actions.decisions` (review decisions, their undoing and splits),
:mod:`~jaring.registry.actions.niks` (which of two NIKs is right) and
:mod:`~jaring.registry.actions.exports` (audited files of people).
"""

from jaring.i18n import _
from jaring.progress import SILENT, Progress


def step(progress: Progress, message: str, total: int | None = None) -> None:
    """Begin a phase of ``progress`` named by ``message`` (English, marked with ``N_``),
    translated only when someone shows it: a silent import or deduplication does not load
    the catalogues."""
    if progress is not SILENT:
        progress.step(_(message), total)
