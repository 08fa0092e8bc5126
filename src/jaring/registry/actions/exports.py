"""Files of people leaving the system: the people of the actor's regions with NIKs, phones
and addresses in clear, so only roles that see personal data in clear may take them
(``registry_needs_clear_data``), and every such file is audited (``registry.export``) in the
transaction that reads it."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from sqlalchemy import Engine

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors, files
from jaring.registry.queries.exports import people_frame


@dataclasses.dataclass
class Exported:
    """A file of people written: where, in which format, how many people."""

    path: str
    format: str
    rows: int


@dataclasses.dataclass
class PeopleFile:
    """A file of people as bytes (to send): its format, how many people, the content."""

    format: str
    rows: int
    content: bytes


def _export(engine: Engine, actor: Actor, fmt: str, out: Path | io.BytesIO) -> int:
    actor.require("person.read")
    if fmt not in files.FORMATS:
        raise errors.FORMAT_UNKNOWN(format=fmt, field="format")
    with engine.begin() as conn:
        frame = people_frame(conn, actor)
        files.write_frame(frame, fmt, out, sheet="Orang")
        after = {"format": fmt, "rows": frame.height}
        audit.record(conn, actor, "registry.export", "person", None, after=after)
    return frame.height


def export_people(engine: Engine, actor: Actor, fmt: str, out: Path) -> Exported:
    """The people of the actor's regions, by id, with the number of source rows behind each,
    written to ``out`` in ``fmt`` (``csv``, ``xlsx`` or ``parquet``); audited as
    ``registry.export``. Refuses ``registry_needs_clear_data`` and ``format_unknown``."""
    rows = _export(engine, actor, fmt, out)
    return Exported(path=str(out), format=fmt, rows=rows)


def people_file(engine: Engine, actor: Actor, fmt: str) -> PeopleFile:
    """:func:`export_people`, the file handed back as bytes."""
    buf = io.BytesIO()
    rows = _export(engine, actor, fmt, buf)
    return PeopleFile(format=fmt, rows=rows, content=buf.getvalue())
