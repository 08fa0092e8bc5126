"""The worker registry: lists in, NIK validated, one record per human.

Rule modules (pure): :mod:`~jaring.registry.nik`, :mod:`~jaring.registry.columns`,
:mod:`~jaring.registry.normalise`, :mod:`~jaring.registry.regions`,
:mod:`~jaring.registry.intake` (files to validated rows), :mod:`~jaring.registry.issues`,
:mod:`~jaring.registry.chunks` (how source rows are stored), :mod:`~jaring.registry.dedupe`
(the Splink model), :mod:`~jaring.registry.files`; refusals and row issues in
:mod:`~jaring.registry.errors`; the store through :mod:`~jaring.registry.actions` and
:mod:`~jaring.registry.queries`.
"""
