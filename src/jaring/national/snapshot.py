"""The layout of a national snapshot and its manifest.

A snapshot is a directory::

    manifest.json
    people/province=96/regency=96.71/part-0.parquet
    rows/...  memberships/...  coverage/...  payments/...

one table per directory, each split by the person's province and regency (a file holds the
partition's columns too, so readers need no partition discovery and codes stay text). The
manifest says who made it (``source``: the Pemda whose store it is, e.g. ``96.71``, and
``store``: that store's mark, :mod:`jaring.store.identity`), when,
for which region, whether NIKs are keyed hashes (and the key's id), and for every file its
rows and SHA-256, so that a receiver can check nothing was lost or changed on the way.

Tables and columns (:data:`TABLES`); every table but ``people`` is optional:

- ``people``: one row per person of the store (its own deduplication already done).
- ``rows``: the source rows' matching fields, with the person each is linked to.
- ``memberships``, ``coverage``: memberships and paid coverage periods, with the program's
  payer (``payer``: the funding Pemda's region code, or ``self``).
- ``payments``: one row per person, program and paid month, with the rupiah paid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jaring.national import errors
from jaring.national.pseudonym import hash_column, key_id

FORMAT = "jaring-national-snapshot/1"

_PERSON = {
    "province_code": pl.String,
    "regency_code": pl.String,
}

TABLES: dict[str, dict[str, Any]] = {
    "people": {
        "person_id": pl.Int64,
        "nik": pl.String,
        "name_norm": pl.String,
        "birth_date": pl.Date,
        "sex": pl.String,
        **_PERSON,
        "district_code": pl.String,
        "village_code": pl.String,
        "phone": pl.String,
    },
    "rows": {
        "row_id": pl.Int64,
        "person_id": pl.Int64,
        "nik": pl.String,
        "name_norm": pl.String,
        "birth_date": pl.Date,
        "sex": pl.String,
        **_PERSON,
        "district_code": pl.String,
        "village_code": pl.String,
        "phone": pl.String,
    },
    "memberships": {
        "membership_id": pl.Int64,
        "person_id": pl.Int64,
        "program_id": pl.Int64,
        "payer": pl.String,
        "segment": pl.String,
        "state": pl.String,
        "start_month": pl.Date,
        "end_month": pl.Date,
        **_PERSON,
    },
    "coverage": {
        "membership_id": pl.Int64,
        "person_id": pl.Int64,
        "program_id": pl.Int64,
        "payer": pl.String,
        "segment": pl.String,
        "start_date": pl.Date,
        "end_date": pl.Date,
        **_PERSON,
        "district_code": pl.String,
    },
    "payments": {
        "person_id": pl.Int64,
        "program_id": pl.Int64,
        "payer": pl.String,
        "month": pl.Date,
        "amount": pl.Int64,
        **_PERSON,
    },
}

# tables whose NIKs are hashed under --pseudonymise
_NIK_TABLES = ("people", "rows")


@dataclass(frozen=True)
class Manifest:
    """What a snapshot holds (see the module)."""

    path: Path
    source: str
    region: str | None
    created_at: str
    store: str | None  # the mark of the store it was made from (:mod:`jaring.store.identity`)
    pseudonymised: bool
    key_id: str | None
    counts: dict[str, int]
    files: dict[str, list[dict[str, Any]]]

    def paths(self, table: str) -> list[str]:
        """The Parquet files of ``table`` (absolute), none when the table is absent."""
        return [str(self.path / f["path"]) for f in self.files.get(table, [])]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``table``, in order and typed (missing ones
    null). A frame with no columns is an empty table (not one row of nulls)."""
    schema = TABLES[table]
    if not frame.columns:
        return pl.DataFrame(schema=schema)
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )


def write(
    out: str | Path,
    source: str,
    tables: Mapping[str, pl.DataFrame],
    *,
    region: str | None = None,
    key: bytes | None = None,
    created_at: dt.datetime | None = None,
    store: str | None = None,
) -> Manifest:
    """Write ``tables`` (name -> frame with the columns of :data:`TABLES`) as a snapshot in
    ``out`` (created; refuses ``snapshot_exists`` when it already holds a manifest), NIKs
    hashed with ``key`` when given, marked with ``store`` (the store's mark, which the
    results for its people carry back). Returns the manifest written."""
    root = Path(out)
    if (root / "manifest.json").exists():
        raise errors.SNAPSHOT_EXISTS(dir=str(root), field="out")
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    for name, frame in tables.items():
        data = conform(name, frame)
        if key is not None and name in _NIK_TABLES:
            data = hash_column(data, "nik", key)
        counts[name] = data.height
        files[name] = []
        parts = data.with_columns(
            pl.col("province_code").fill_null("-"), pl.col("regency_code").fill_null("-")
        ).partition_by(["province_code", "regency_code"], as_dict=True, maintain_order=False)
        for (prov, reg), part in sorted(
            parts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))
        ):
            rel = Path(name) / f"province={prov}" / f"regency={reg}" / "part-0.parquet"
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            part = part.with_columns(
                pl.col("province_code").replace("-", None),
                pl.col("regency_code").replace("-", None),
            )
            part.write_parquet(target, compression="zstd", statistics=True)
            files[name].append(
                {"path": rel.as_posix(), "rows": part.height, "sha256": _sha256(target)}
            )
    manifest = {
        "format": FORMAT,
        "source": source,
        "region": region,
        "store": store,
        "created_at": (created_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "pseudonymised": key is not None,
        "key_id": key_id(key) if key is not None else None,
        "counts": counts,
        "files": files,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return read(root, verify=False)


def read(path: str | Path, *, verify: bool = True) -> Manifest:
    """The manifest of the snapshot in ``path``; with ``verify`` every file's rows and SHA-256
    are checked (``snapshot_damaged``). Refuses ``not_a_snapshot``."""
    root = Path(path)
    try:
        raw = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        raise errors.NOT_A_SNAPSHOT(dir=str(root), field="snapshots") from None
    if raw.get("format") != FORMAT:
        raise errors.NOT_A_SNAPSHOT(dir=str(root), field="snapshots")
    m = Manifest(
        path=root,
        source=str(raw["source"]),
        region=raw.get("region"),
        created_at=str(raw["created_at"]),
        store=str(raw["store"]) if raw.get("store") else None,
        pseudonymised=bool(raw["pseudonymised"]),
        key_id=raw.get("key_id"),
        counts={k: int(v) for k, v in raw["counts"].items()},
        files=raw["files"],
    )
    if verify:
        for files in m.files.values():
            for f in files:
                p = root / f["path"]
                if not p.is_file() or _sha256(p) != f["sha256"]:
                    raise errors.SNAPSHOT_DAMAGED(dir=str(root), file=f["path"], field="snapshots")
    return m


def read_all(paths: list[str | Path], *, verify: bool = True) -> list[Manifest]:
    """The manifests of several snapshots to combine: their sources must differ and their
    NIKs be all clear or all hashed under one key (``snapshots_mixed``,
    ``snapshot_sources_repeat``)."""
    ms = [read(p, verify=verify) for p in paths]
    if not ms:
        raise errors.NO_SNAPSHOTS(field="snapshots")
    if len({(m.pseudonymised, m.key_id) for m in ms}) > 1:
        raise errors.SNAPSHOTS_MIXED(field="snapshots")
    sources = [m.source for m in ms]
    if len(set(sources)) != len(sources):
        dup = sorted({s for s in sources if sources.count(s) > 1})
        raise errors.SNAPSHOT_SOURCES_REPEAT(sources=", ".join(dup), field="snapshots")
    return ms
