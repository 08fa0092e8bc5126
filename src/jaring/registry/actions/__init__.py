"""Everything that changes the registry, one transaction each, for an actor (checked for
its right and regions, recorded in the audit trail), by group:
:mod:`~jaring.registry.actions.imports` (lists into a batch),
:mod:`~jaring.registry.actions.corrections` (fixing rejected rows),
:mod:`~jaring.registry.actions.linking` (deduplication: rows to people),
:mod:`~jaring.registry.actions.decisions` (review decisions and splits) and
:mod:`~jaring.registry.actions.exports` (audited files of people).
"""
