"""Who may change a program. A program action (create, plan, enrol, BPJS files, invoices,
payments) touches every member of the program wherever they live, so it needs its right and
every region: an actor limited to some regions is refused ``program_needs_all_regions``,
from the CLI as from the pages and the API."""

from __future__ import annotations

from jaring.access import Actor
from jaring.programs import errors


def require_whole_program(actor: Actor, right: str) -> None:
    """Refuse (``forbidden``) unless ``actor`` holds ``right``, then
    (``program_needs_all_regions``) unless they work in every region."""
    actor.require(right)
    if not actor.all_regions:
        raise errors.PROGRAM_NEEDS_ALL_REGIONS()
