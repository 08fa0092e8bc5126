"""The web's side of the registry: uploads to temporary files, batches by who may see them,
errors grouped by row for fixing in place, and possible duplicates limited to one's regions.

Importing and linking are the registry's service functions (``import_files``, ``dedupe``,
``correct_row``, ``review_decide``); this module only adapts them to uploads and scopes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from jaring.errors import Forbidden, JaringError
from jaring.web.roles import Principal

MAX_UPLOAD = 200 * 1024 * 1024  # 200 MB: a province's list, not a denial of service
SUFFIXES = {".csv", ".txt", ".xlsx", ".xls"}


def import_upload(
    engine: Engine, p: Principal, files: list[tuple[str, bytes]], source: str, **kw: Any
) -> dict[str, Any]:
    """Import uploaded files as one batch, then link accepted rows to people."""
    from jaring.registry import service

    if not files:
        raise JaringError(
            "file_missing", "Pilih berkas untuk diunggah.", "Choose a file to upload."
        )
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, content in files:
            safe = Path(name or "daftar.csv").name
            if Path(safe).suffix.lower() not in SUFFIXES:
                raise JaringError(
                    "bad_file_type",
                    f"Jenis berkas tidak didukung: {safe} (CSV atau XLSX)",
                    f"Unsupported file type: {safe} (CSV or XLSX)",
                    file=safe,
                )
            if len(content) > MAX_UPLOAD:
                raise JaringError(
                    "file_too_large",
                    f"Berkas terlalu besar: {safe}",
                    f"File too large: {safe}",
                    file=safe,
                )
            path = Path(d) / safe
            path.write_bytes(content)
            paths.append(path)
        out = service.import_files(engine, paths, source, imported_by=p.username, **kw)
    out["linked"] = service.dedupe(engine)
    return out


def batches(engine: Engine, p: Principal) -> list[dict[str, Any]]:
    """Batches the principal may see: all for unscoped users, their own for operators."""
    from jaring.registry import service

    rows = service.batches(engine)
    if p.all_regions:
        return rows[::-1]
    return [b for b in rows[::-1] if b.get("imported_by") == p.username]


def check_batch(engine: Engine, p: Principal, batch_id: int) -> dict[str, Any]:
    from jaring.errors import NotFound
    from jaring.store.tables.registry import registry_batch

    with engine.connect() as conn:
        row = conn.execute(select(registry_batch).where(registry_batch.c.id == batch_id)).first()
    if row is None:
        raise NotFound(
            "batch_not_found",
            f"Batch {batch_id} tidak ada.",
            f"Batch {batch_id} does not exist.",
            batch=batch_id,
        )
    b = dict(row._mapping)
    if not p.all_regions and b.get("imported_by") != p.username:
        raise Forbidden(
            "batch_not_yours",
            "Batch ini diunggah oleh pengguna lain.",
            "Another user uploaded this batch.",
            batch=batch_id,
        )
    return b


def rows_with_errors(engine: Engine, batch_id: int, lang: str) -> list[dict[str, Any]]:
    """The batch's issues grouped by source row: one entry per row with its issues."""
    from jaring.registry import service

    frame = service.errors(engine, batch_id, lang=lang)
    out: dict[int, dict[str, Any]] = {}
    for r in frame.iter_rows(named=True):
        entry = out.setdefault(
            int(r["row_id"]),
            {
                "row_id": int(r["row_id"]),
                "file": r["file"],
                "sheet": r["sheet"],
                "row": r["row"],
                "status": r["status"],
                "issues": [],
            },
        )
        entry["issues"].append(
            {
                "field": r["field"],
                "code": r["code"],
                "severity": r["severity"],
                "value": r["value"],
                "message": r["message"],
            }
        )
    return list(out.values())


def batch_of_row(engine: Engine, row_id: int) -> int:
    from jaring.errors import NotFound
    from jaring.registry import source_rows

    with engine.connect() as conn:
        b = source_rows.batch_of_row(conn, row_id)
    if b is None:
        raise NotFound(
            "row_not_found", f"Baris {row_id} tidak ada.", f"No row {row_id}.", row=row_id
        )
    return b


def _districts(engine: Engine, row_ids: list[int]) -> dict[int, str | None]:
    """Source row id -> its distrik code now (rows that do not exist are left out)."""
    from jaring.registry import source_rows

    with engine.connect() as conn:
        rows = source_rows.read(conn, ids=row_ids, columns=("district_code",))
    return dict(
        zip(
            rows.get_column("id").to_list(), rows.get_column("district_code").to_list(), strict=True
        )
    )


def review_pairs(
    engine: Engine, p: Principal, status: str = "pending", limit: int = 50
) -> list[dict[str, Any]]:
    """Possible duplicates; operators see only pairs whose two rows lie in their regions."""
    from jaring.registry import service

    pairs = service.review_list(engine, status=status, limit=limit if p.all_regions else 1000)
    if p.all_regions:
        return pairs
    keep = [
        x
        for x in pairs
        if _pair_in_regions(p, [x["left"]["district_code"], x["right"]["district_code"]])
    ]
    return keep[:limit]


def _pair_in_regions(p: Principal, codes: list[str | None]) -> bool:
    """A pair is an operator's when every row with a known distrik lies in their regions and
    at least one does (a row whose distrik could not be read belongs to nobody yet)."""
    known = [c for c in codes if c]
    return bool(known) and all(any(c.startswith(r) for r in p.regions) for c in known)


def check_pair(engine: Engine, p: Principal, pair_id: int) -> None:
    if p.all_regions:
        return
    from jaring.store.tables.registry import registry_pair

    with engine.connect() as conn:
        pair = conn.execute(select(registry_pair).where(registry_pair.c.id == pair_id)).first()
    if pair is None:
        return  # the service answers 404
    ids = [int(pair._mapping["row_l"]), int(pair._mapping["row_r"])]
    district = _districts(engine, ids)
    codes = [district.get(i) for i in ids]
    if not _pair_in_regions(p, codes):
        raise Forbidden(
            "pair_out_of_region",
            "Pasangan ini menyangkut orang di luar wilayah kerja Anda.",
            "This pair involves people outside your regions.",
            pair=pair_id,
        )


def check_clear_data(p: Principal) -> None:
    """Source rows carry NIKs and phones as typed: only roles that see personal data in
    clear may read them."""
    if p.masked:
        raise Forbidden(
            "registry_needs_clear_data",
            "Peran Anda tidak boleh melihat baris sumber registri.",
            "Your role may not see the registry's source rows.",
        )


def export_people(engine: Engine, p: Principal, fmt: str) -> tuple[bytes, int]:
    """The people in the principal's regions as CSV or XLSX (NIKs stay text in Excel).
    Personal data leaves the system here, so only clear-data roles may, and it is audited."""
    import polars as pl

    from jaring.registry import service
    from jaring.web.roles import region_column

    check_clear_data(p)
    frame = service.people_frame(engine)
    if not p.all_regions:
        frame = frame.filter(pl.any_horizontal([pl.col(region_column(r)) == r for r in p.regions]))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"orang.{fmt}"
        service.write_frame(frame, fmt, path, sheet="Orang")
        return path.read_bytes(), frame.height


def source_rows(engine: Engine, p: Principal, person_id: int) -> list[dict[str, Any]]:
    """The source rows linked to ``person_id`` (the lists that named them), oldest first, with
    how each was linked; masked for masked-data roles. The caller has checked the person's
    scope (the person page does)."""
    import polars as pl

    from jaring.registry import source_rows
    from jaring.store.bulk import read_frame
    from jaring.store.tables.registry import registry_link
    from jaring.web.roles import mask

    link = registry_link.c
    with engine.connect() as conn:
        linked = read_frame(
            conn,
            select(link.row_id.label("id"), link.method, link.linked_at).where(
                link.person_id == person_id
            ),
            schema_overrides={"id": pl.Int64, "method": pl.String, "linked_at": pl.Datetime},
        )
        found = source_rows.read(
            conn,
            ids=linked.get_column("id"),
            columns=("row_number", "name", "nik", "birth_date", "district_code"),
            provenance=True,
        )
    rows = (
        found.join(linked, on="id", maintain_order="left")
        .sort("listed_on", "id")  # source and listing date: the batch's; file name: the file's
        .select(
            pl.col("id").alias("row_id"),
            "source",
            "file_name",
            "sheet",
            "row_number",
            "listed_on",
            "name",
            "nik",
            "birth_date",
            "district_code",
            "method",
            "linked_at",
        )
        .to_dicts()
    )
    if p.masked:
        for x in rows:
            x["nik"] = mask(x["nik"])
    return rows


def check_split(engine: Engine, p: Principal, row_id: int) -> None:
    """Whether ``p`` may split ``row_id`` off its person: administrators anywhere; an operator
    only when the person lies in their regions and the row's distrik (if read) does too, so a
    split never creates a person outside the operator's regions. An unknown or unlinked row
    is left to the service, which answers 404."""
    if p.all_regions:
        return
    from jaring.store.tables.registry import registry_link
    from jaring.web.people import check_person_scope

    with engine.connect() as conn:
        person_id = conn.execute(
            select(registry_link.c.person_id).where(registry_link.c.row_id == row_id)
        ).scalar()
    if person_id is None:
        return
    check_person_scope(engine, p, int(person_id))
    district = _districts(engine, [row_id]).get(row_id)
    if district and not _pair_in_regions(p, [district]):
        raise Forbidden(
            "row_out_of_region",
            "Baris ini berasal dari distrik di luar wilayah kerja Anda.",
            "This row comes from a distrik outside your regions.",
            row=row_id,
        )


def split(engine: Engine, p: Principal, row_id: int, reason: str) -> dict[str, Any]:
    """Split ``row_id`` off its person (``registry.service.split_row``) after the scope check,
    and audit it. The reason is required: the split is undone only by another review."""
    from jaring.registry import service
    from jaring.web.programs import done

    reason = reason.strip()
    if not reason:
        raise JaringError(
            "reason_required",
            "Tulis alasan pemisahan.",
            "Write the reason for the split.",
            field="reason",
        )
    check_split(engine, p, row_id)
    out = service.split_row(engine, row_id, by=p.username, reason=reason)
    done(
        engine,
        p,
        "registry.split",
        "registry_row",
        row_id,
        {k: out[k] for k in ("from_person", "person", "pairs_rejected")},
    )
    return out
