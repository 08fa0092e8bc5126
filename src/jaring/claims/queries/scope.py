"""The program look-up the programs domain owns, kept thin here until ``programs.queries``
lands.

Transitional: ``programs.queries.find_program(bind, ref).id`` replaces :func:`program_id`,
with the same refusal (``program_not_found``, which belongs to the programs catalogue and is
written inline here until then).
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from jaring.errors import NotFound
from jaring.store.tables.programs import program


def program_id(conn: Connection, ref: str | int) -> int:
    """A program named by id or by name; ``program_not_found`` otherwise."""
    q = select(program.c.id)
    if isinstance(ref, int) or str(ref).isdigit():
        q = q.where(program.c.id == int(ref))
    else:
        q = q.where(program.c.name == str(ref))
    pid = conn.execute(q).scalar()
    if pid is None:
        raise NotFound(
            "program_not_found",
            f"Program tidak ditemukan: {ref}",
            f"Program not found: {ref}",
            program=str(ref),
        )
    return int(pid)
