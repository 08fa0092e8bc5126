"""Transitional names for the web modules of other domains (``web/claims.py``,
``web/dashboard.py``) until they ask :mod:`jaring.registry.queries` themselves: people are
read, scoped and masked there. Delete this module when nothing imports it."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import ColumnElement, Engine

from jaring.access import Actor
from jaring.registry.queries import people


def scope_clause(actor: Actor) -> ColumnElement[bool] | None:
    """:func:`jaring.registry.queries.people.scope_clause`."""
    return people.scope_clause(actor)


def find_by_nik(engine: Engine, actor: Actor, nik: str) -> list[dict[str, Any]]:
    """:func:`jaring.registry.queries.people.find_by_nik`, as dicts."""
    return [dataclasses.asdict(r) for r in people.find_by_nik(engine, actor, nik)]


def check_person_scope(engine: Engine, actor: Actor, person_id: int) -> None:
    """:func:`jaring.registry.queries.require_person_in_scope`."""
    people.require_person_in_scope(engine, actor, person_id)


def ids_in_scope(engine: Engine, actor: Actor, person_ids: list[int]) -> set[int]:
    """:func:`jaring.registry.queries.ids_in_scope`."""
    return people.ids_in_scope(engine, actor, person_ids)
