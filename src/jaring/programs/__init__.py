"""Pemda-funded programs: budget planning, enrolment, BPJS exchange files, billing.

Rule modules (pure): :mod:`.months`, :mod:`.pricing`, :mod:`.targeting`, :mod:`.planning`,
:mod:`.bpjs_files`, :mod:`.billing`, :mod:`.states`. The store: :mod:`.actions` (every change,
one transaction each, with the actor) and :mod:`.queries` (every read, and the one program
look-up other domains use). Refusals: :mod:`.errors`.
"""
