"""The web's side of programs: who may act on a whole program, and files in and out.

Program actions (plan, enrol, BPJS files, invoices) touch every member of a program, so an
operator limited to some distrik may not take them: only users with every region may. The
domain service functions own their transactions; the audit trail records each action after
it committed, with the service's (aggregate, non-personal) summary as ``after``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from jaring import audit
from jaring.errors import Forbidden
from jaring.web import dashboard
from jaring.web.roles import Principal


def check_program_scope(principal: Principal) -> None:
    if not principal.all_regions:
        raise Forbidden(
            "program_needs_all_regions",
            "Tindakan program berlaku untuk semua peserta; hanya pengguna tanpa batas wilayah "
            "yang boleh melakukannya.",
            "Program actions apply to every member; only users without a region limit may "
            "take them.",
        )


def done(
    engine: Engine, p: Principal, action: str, entity: str, entity_id: Any, after: Any
) -> None:
    """Record a committed domain action and refresh the dashboard's figures."""
    audit.record_now(engine, p, action, entity, entity_id=entity_id, after=after)
    dashboard.invalidate()


def bpjs_export_bytes(
    engine: Engine, program_id: int, fmt: str, include_submitted: bool
) -> tuple[dict[str, Any], bytes]:
    """Run the registration export into a temporary file and hand back its bytes."""
    from jaring.programs import service

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"registrasi.{fmt}"
        summary = service.bpjs_export(engine, program_id, out, include_submitted=include_submitted)
        return summary, out.read_bytes()


def bpjs_import_bytes(
    engine: Engine, program_id: int, filename: str, content: bytes
) -> dict[str, Any]:
    """Save an uploaded BPJS answer to a temporary file (keeping its suffix) and import it."""
    from jaring.programs import service

    suffix = Path(filename or "jawaban.csv").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"jawaban{suffix}"
        path.write_bytes(content)
        return service.bpjs_import_kpj(engine, path, program_ref=program_id)


MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
