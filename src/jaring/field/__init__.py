"""Field registration: registrars enrol workers where they are (a market, an ojek base, a
village) on a phone that works offline, or with ODK Collect / KoboToolbox, and the records
enter the registry as a list's rows would: :mod:`~jaring.field.rules` (the record, its checks,
the region lists), :mod:`~jaring.field.rows` (records as a list's rows),
:mod:`~jaring.field.errors`, :mod:`~jaring.field.actions` (sync, ODK pulls, photos),
:mod:`~jaring.field.queries` (lists, own records, progress), :mod:`~jaring.field.xlsform`
(the ODK form) and :mod:`~jaring.field.odk` (ODK Central and exports).
"""
