"""Every read of the registry a page, the API, a report or the CLI needs, by group:
:mod:`~jaring.registry.queries.people` (search, one person, by NIK, region scope, masking),
:mod:`~jaring.registry.queries.batches` (imports and the issues of their rows),
:mod:`~jaring.registry.queries.review` (possible duplicates, the scope of decisions),
:mod:`~jaring.registry.queries.exports` (frames for analysts and files) and
:mod:`~jaring.registry.queries.rows` (source rows read back from their chunks).

Other domains ask the registry about people through the three names kept here::

    person_id = queries.person_by_nik(engine, actor, nik)  # person_not_found, nik_shared
    queries.require_person_in_scope(conn, actor, person_id)  # person_out_of_region
    visible = queries.ids_in_scope(conn, actor, person_ids)
"""

from jaring.registry.queries.people import ids_in_scope, person_by_nik, require_person_in_scope

__all__ = ["ids_in_scope", "person_by_nik", "require_person_in_scope"]
