"""Registry actions on the store: one function per user action, one transaction each.

The CLI (``jaring registry ...``) and the web app call these same functions. Every bulk write goes
through a bulk path (imports: :mod:`jaring.registry.staging`, ADBC on SQLite and CSV COPY on
PostgreSQL; the rest: :mod:`jaring.store.bulk`): no per-row ORM inserts.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)

from jaring.errors import JaringError, NotFound
from jaring.registry import chunks, intake, source_rows, staging
from jaring.registry import dedupe as dd
from jaring.registry.columns import FIELDS
from jaring.registry.messages import CATALOGUE
from jaring.registry.normalise import normalise_name
from jaring.store.bulk import insert_frame, next_ids, read_frame
from jaring.store.tables.registry import (
    person,
    registry_batch,
    registry_file,
    registry_link,
    registry_pair,
    registry_split,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


# ---------------------------------------------------------------- import


def import_files(
    engine: Engine,
    paths: Sequence[str | Path],
    source: str,
    *,
    sheet: str | None = None,
    imported_by: str | None = None,
    listed_on: dt.date | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """Stage, validate and store the rows of ``paths`` as one batch from ``source``.

    Files already imported (same SHA-256) and rows already stored (same source and raw
    values) are skipped, so importing the same file twice changes nothing. ``listed_on``
    (default today) is the date the list speaks for: a person's ``registered_on`` is the
    earliest of these. ``region`` (e.g. ``96.71``) scopes district and village names; by
    default it is the regency most valid NIKs in the files point to.
    Returns ``batch``, ``rows``, ``accepted``, ``rejected``, ``warnings`` (issues of warning
    severity), ``files``, ``files_skipped``, ``duplicates_skipped`` and, when anything was
    stored, ``seconds`` (``read``, ``validate``, ``store``: where an import spends its time).
    """
    source = (source or "").strip()
    if not source:
        raise JaringError(
            "source_missing",
            'Sebutkan sumber daftar (--source, mis. "Pasar Remu").',
            'Name the source of the list (--source, e.g. "Pasar Remu").',
        )
    listed_on = listed_on or dt.date.today()
    t0 = time.perf_counter()
    files = [intake.read_file(p, sheet=sheet) for p in paths]
    with engine.connect() as conn:
        known = {
            r[0]
            for r in conn.execute(
                select(registry_file.c.sha256).where(
                    registry_file.c.sha256.in_([f.sha256 for f in files] or [""])
                )
            )
        }
    fresh, seen = [], set(known)
    for f in files:
        if f.sha256 not in seen:
            fresh.append(f)
            seen.add(f.sha256)
    summary: dict[str, Any] = {
        "batch": None,
        "source": source,
        "rows": 0,
        "accepted": 0,
        "rejected": 0,
        "warnings": 0,
        "files": len(fresh),
        "files_skipped": len(files) - len(fresh),
        "duplicates_skipped": 0,
    }
    if not fresh:
        return summary
    parts, staged = _stage(fresh)
    t1 = time.perf_counter()
    checked, issues = intake.validate_long(
        staged, listed_on=listed_on, region=region, infer_region=True
    )
    cells = [c for c in staged.columns if chunks.is_cell(c)]
    rows = pl.concat(
        [staged.select("_part", "row_number", *cells), checked.drop("row_number")],
        how="horizontal",
    )
    t2 = time.perf_counter()
    stored = staging.write(
        engine,
        staging.Batch(
            source=source,
            imported_by=imported_by,
            listed_on=listed_on,
            files=[staging.FileInfo.of(f) for f in fresh],
            files_skipped=summary["files_skipped"],
            parts=parts,
            rows=rows,
            issues=issues,
        ),
    )
    summary.update(stored)
    summary["seconds"] = {
        "read": round(t1 - t0, 3),
        "validate": round(t2 - t1, 3),
        "store": round(time.perf_counter() - t2, 3),
    }
    return summary


def _stage(files: list[intake.ReadFile]) -> tuple[list[staging.Part], pl.DataFrame]:
    """Every sheet's canonical rows one after another, each with ``_part`` (which file and
    sheet: an index into the parts returned) and its cells (``c0``...; a narrower sheet's
    missing cells are null and are not stored)."""
    parts: list[staging.Part] = []
    frames: list[pl.DataFrame] = []
    for i, f in enumerate(files):
        for s in f.sheets:
            staged = intake.canonical(s)
            part = intake.constant(len(parts), staged.height, pl.Int32).alias("_part")
            frames.append(staged.with_columns(part))
            parts.append(staging.Part(i, s.sheet, len(s.headers)))
    return parts, pl.concat(frames, how="diagonal_relaxed")


# ---------------------------------------------------------------- errors and corrections


def errors(
    engine: Engine, batch_id: int, *, lang: str = "id", all_issues: bool = True
) -> pl.DataFrame:
    """Every issue of a batch, one line per row and field: ``file``, ``sheet``, ``row``,
    ``field``, ``code``, ``severity``, ``value``, ``detail``, ``message`` (in ``lang``),
    ``row_id``, ``status`` (of the row now: corrected rows show ``accepted``)."""
    with engine.connect() as conn:
        _require_batch(conn, batch_id)
        found = source_rows.issues(conn, batches=[batch_id])
        if not all_issues:
            found = found.filter(pl.col("severity") == "error")
        rows = source_rows.read(
            conn,
            ids=found.get_column("row_id"),
            batches=[batch_id],
            columns=("row_number", "status"),
            provenance=True,
        )
    frame = (
        found.join(
            rows.select(pl.col("id").alias("row_id"), "file_name", "sheet", "row_number", "status"),
            on="row_id",
        )
        .select(
            pl.col("file_name").alias("file"),
            "sheet",
            pl.col("row_number").cast(pl.Int64).alias("row"),
            "field",
            "code",
            "severity",
            "value",
            "detail",
            "row_id",
            "status",
        )
        .sort(["file", "sheet", "row", "field", "code"], nulls_last=False)
        .cast(pl.Schema(_ERRORS_SCHEMA))
    )
    return with_messages(frame, lang)


def _require_batch(conn: Connection, batch_id: int) -> None:
    """Refuse a batch that does not exist (``batch_not_found``)."""
    found = conn.execute(select(registry_batch.c.id).where(registry_batch.c.id == batch_id))
    if found.first() is None:
        raise NotFound(
            "batch_not_found",
            f"Batch {batch_id} tidak ada.",
            f"Batch {batch_id} does not exist.",
            batch=batch_id,
        )


_ERRORS_SCHEMA = {
    "file": pl.String,
    "sheet": pl.String,
    "row": pl.Int64,
    "field": pl.String,
    "code": pl.String,
    "severity": pl.String,
    "value": pl.String,
    "detail": pl.String,
    "row_id": pl.Int64,
    "status": pl.String,
}


def with_messages(frame: pl.DataFrame, lang: str = "id") -> pl.DataFrame:
    """Add ``message``: the catalogue text for ``code`` with ``value`` and ``detail`` filled."""
    templates = {c: (m.en if lang == "en" else m.id) for c, m in CATALOGUE.items()}
    msg = (
        pl.col("code")
        .replace_strict(templates, default="{value}", return_dtype=pl.String)
        .str.replace_all("{value}", pl.col("value").fill_null(""), literal=True)
        .str.replace_all("{detail}", pl.col("detail").fill_null(""), literal=True)
    )
    return frame.with_columns(message=msg)


def correct_row(
    engine: Engine, row_id: int, values: dict[str, str], *, by: str | None = None
) -> dict[str, Any]:
    """Fix a row in place: ``values`` (canonical field -> text, e.g. ``{"nik": "9671..."}``)
    override what was typed, the row is validated again and, if valid now, accepted. The raw
    values stay as typed; the correction is stored beside them with who made it and when.
    Returns ``row``, ``status`` and ``issues`` (the row's issues now)."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise JaringError(
            "field_unknown",
            f"Kolom tidak dikenal: {', '.join(unknown)} (pakai: {', '.join(FIELDS)}).",
            f"Unknown field: {', '.join(unknown)} (use: {', '.join(FIELDS)}).",
            fields=unknown,
        )
    with engine.begin() as conn:
        found = source_rows.read(conn, ids=[row_id], columns=("row_number",), raw=True)
        if found.height == 0:
            raise NotFound(
                "row_not_found",
                f"Baris {row_id} tidak ada.",
                f"Row {row_id} does not exist.",
                row=row_id,
            )
        row = found.row(0, named=True)
        meta = conn.execute(
            select(registry_batch.c.listed_on, registry_file.c.columns, registry_file.c.headers)
            .select_from(registry_file.join(registry_batch))
            .where(registry_file.c.id == row["file_id"])
        ).one()
        sheet = row["sheet"] or ""
        keys = json.loads(meta.headers or "{}").get(sheet, [])
        mapping = json.loads(meta.columns or "{}").get(sheet, {})
        cells = row["raw"]
        current: dict[str, str | None] = {f: None for f in FIELDS}
        for field, pos in intake.field_positions(keys, mapping).items():
            current[field] = cells[pos] if pos < len(cells) else None
        corrected = source_rows.correction_of(conn, row_id)
        corrected.update({k: (v if v is None else str(v)) for k, v in values.items()})
        current.update(corrected)
        # a NIK that Excel mangled stays mangled until the operator retypes it
        was_mangled = "nik" not in corrected and (
            "nik_excel_mangled"
            in source_rows.issues(conn, ids=[row_id]).get_column("code").to_list()
        )
        frame = pl.DataFrame(
            [{**current, "row_number": row["row_number"], "nik_numeric": was_mangled}],
            schema={
                **{f: pl.String for f in FIELDS},
                "row_number": pl.Int32,
                "nik_numeric": pl.Boolean,
            },
        )
        checked = intake.validate_rows(
            frame,
            listed_on=_as_date(meta.listed_on),
            region=source_rows.region_of_batch(conn, row["batch_id"]),
        )
        rec = checked.row(0, named=True)
        issues = [dict(i) for i in rec["issues"]]
        source_rows.write_correction(
            conn,
            row_id,
            row["batch_id"],
            corrected=corrected,
            by=by,
            at=_now(),
            values=rec,
            issues_now=issues,
        )
    return {"row": row_id, "status": rec["status"], "issues": issues}


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------- dedupe

_PERSON_FIELDS = (
    "nik", "birth_date", "sex", "district_code", "village_code", "address", "phone",
    "occupation", "desil",
)  # fmt: skip

_MATCH_VALUES = (
    "nik", "name", "name_norm", "birth_date", "sex", "district_code", "village_code",
    "address", "phone", "occupation", "desil",
)  # fmt: skip


def _read_rows(
    conn: Connection, *, ids: Sequence[int] | None = None, person_id: int | None = None
) -> pl.DataFrame:
    """Accepted source rows (all, of ``ids``, or linked to ``person_id``) with their values
    now, the date their list speaks for (``listed_on``) and the person each is linked to
    (``person_id``: null while not deduplicated): ``id``, the values, ``listed_on``,
    ``person_id``."""
    lc = registry_link.c
    q = select(lc.row_id.label("id"), lc.person_id)
    params: dict[str, Any] = {}
    if person_id is not None:
        q = q.where(lc.person_id == person_id)
    elif ids is not None:
        q = q.where(lc.row_id.in_(bindparam("ids", expanding=True)))
        params["ids"] = list(ids)
    linked = read_frame(conn, q, params, schema_overrides={"id": pl.Int64, "person_id": pl.Int64})
    if person_id is not None:
        ids = linked.get_column("id").to_list()
    rows = source_rows.read(
        conn, ids=ids, columns=("status", *_MATCH_VALUES), provenance=True
    ).filter(pl.col("status") == "accepted")
    return rows.join(linked, on="id", how="left", maintain_order="left").select(
        "id", *_MATCH_VALUES, "listed_on", "person_id"
    )


def _read_dated(
    conn: Connection, sql: str, params: dict[str, Any] | None, schema: dict[str, Any]
) -> pl.DataFrame:
    """``read_frame`` with date columns made ``Date`` on both dialects (SQLite returns text,
    PostgreSQL ``date`` objects)."""
    dates = [k for k, v in schema.items() if v == pl.Date]
    others = {k: v for k, v in schema.items() if v != pl.Date}
    frame = read_frame(conn, sql, params, schema_overrides=others)
    fixes = []
    for c in dates:
        dtype = frame.schema[c]
        if dtype == pl.String:
            fixes.append(pl.col(c).str.slice(0, 10).str.to_date(strict=False))
        elif isinstance(dtype, pl.Datetime):
            fixes.append(pl.col(c).dt.date())
        else:
            fixes.append(pl.col(c).cast(pl.Date))
    return frame.with_columns(fixes)


def dedupe(
    engine: Engine, *, thresholds: dd.Thresholds | None = None, seed: int = 42
) -> dict[str, Any]:
    """Link every accepted, not yet linked source row to a person (new or existing).

    Exact NIK first, then the probabilistic model; pairs between the review and match
    thresholds are queued for an operator (``review_list``); decided pairs are never asked
    again and override the model. Existing people are not re-clustered: new rows join them.
    Returns ``records`` (linked source rows), ``people``, ``review`` (pending pairs),
    ``new_records``, ``new_people``, ``merged_into_existing``.
    """
    th = thresholds or dd.Thresholds()
    now = _now()
    with engine.begin() as conn:
        rows = _read_rows(conn)
        new_mask = pl.col("person_id").is_null()
        n_new = rows.filter(new_mask).height
        result = {"new_records": n_new, "new_people": 0, "merged_into_existing": 0}
        if n_new:
            result.update(_link_new(conn, rows, th, seed, now))
        result["records"] = conn.execute(text("SELECT count(*) FROM registry_link")).scalar_one()
        result["people"] = conn.execute(text("SELECT count(*) FROM person")).scalar_one()
        result["review"] = conn.execute(
            text("SELECT count(*) FROM registry_pair WHERE status = 'pending'")
        ).scalar_one()
    return result


def _link_new(
    conn: Connection, rows: pl.DataFrame, th: dd.Thresholds, seed: int, now: dt.datetime
) -> dict[str, int]:
    records = rows.with_columns(is_new=pl.col("person_id").is_null().cast(pl.Int8))
    decisions = read_frame(
        conn,
        "SELECT row_l, row_r, status FROM registry_pair",
        schema_overrides={"row_l": pl.Int64, "row_r": pl.Int64, "status": pl.String},
    ).rename({"row_l": "id_l", "row_r": "id_r"})
    scored = dd.score_pairs(records, min_probability=th.review, seed=seed)
    nik = dd.nik_edges(records).with_columns(kind=pl.lit("nik"))
    auto = scored.filter(pl.col("match_probability") >= th.match).select(
        "id_l", "id_r", kind=pl.lit("match")
    )
    accepted = decisions.filter(pl.col("status") == "accepted").select(
        "id_l", "id_r", kind=pl.lit("review")
    )
    rejected = decisions.filter(pl.col("status") == "rejected").select("id_l", "id_r")
    edges = pl.concat([nik, auto, accepted]).join(rejected, on=["id_l", "id_r"], how="anti")
    # review queue: undecided, never asked before, not already linked by a stronger edge
    queue = (
        scored.filter(pl.col("match_probability") < th.match)
        .join(decisions.select("id_l", "id_r"), on=["id_l", "id_r"], how="anti")
        .join(edges.select("id_l", "id_r"), on=["id_l", "id_r"], how="anti")
    )
    # nodes: new rows by row id; existing people by -person_id
    person_of = records.filter(pl.col("is_new") == 0).select("id", "person_id")
    node = {
        "new": records.filter(pl.col("is_new") == 1).get_column("id"),
    }

    def as_node(col: str) -> pl.Expr:
        return pl.coalesce(-pl.col(f"_p_{col}"), pl.col(col))

    e = (
        edges.join(person_of.rename({"id": "id_l", "person_id": "_p_id_l"}), on="id_l", how="left")
        .join(person_of.rename({"id": "id_r", "person_id": "_p_id_r"}), on="id_r", how="left")
        .filter(pl.col("_p_id_l").is_null() | pl.col("_p_id_r").is_null())
        .select(as_node("id_l").alias("id_l"), as_node("id_r").alias("id_r"))
    )
    existing_nodes = e.select(pl.concat([pl.col("id_l"), pl.col("id_r")]).alias("n")).filter(
        pl.col("n") < 0
    )
    nodes = pl.concat([node["new"], existing_nodes.get_column("n")])
    comp = dd.components(nodes, e)
    owner = (
        comp.filter(pl.col("node") < 0)
        .group_by("root")
        .agg((-pl.col("node")).min().alias("person_id"))
    )
    new_rows = comp.filter(pl.col("node") > 0).join(owner, on="root", how="left")
    fresh_roots = (
        new_rows.filter(pl.col("person_id").is_null()).select("root").unique().sort("root")
    )
    ids = next_ids(conn, person, fresh_roots.height)
    fresh_roots = fresh_roots.with_columns(new_pid=pl.Series(list(ids), dtype=pl.Int64))
    assigned = new_rows.join(fresh_roots, on="root", how="left").select(
        pl.col("node").alias("id"), pl.coalesce("person_id", "new_pid").alias("person_id")
    )
    # how each row was linked, for the explanation
    weights = (
        pl.concat(
            [
                scored.filter(pl.col("match_probability") >= th.match).select(
                    pl.col("id_l").alias("id"), "match_weight"
                ),
                scored.filter(pl.col("match_probability") >= th.match).select(
                    pl.col("id_r").alias("id"), "match_weight"
                ),
            ]
        )
        .group_by("id")
        .agg(pl.col("match_weight").max())
    )
    kinds = (
        pl.concat(
            [
                edges.select(pl.col("id_l").alias("id"), "kind"),
                edges.select(pl.col("id_r").alias("id"), "kind"),
            ]
        )
        .group_by("id")
        .agg(
            pl.when(pl.col("kind").is_in(["review"]).any())
            .then(pl.lit("review"))
            .when((pl.col("kind") == "nik").any())
            .then(pl.lit("nik"))
            .otherwise(pl.lit("match"))
            .first()
            .alias("method")
        )
    )
    links = (
        assigned.join(kinds, on="id", how="left")
        .join(weights, on="id", how="left")
        .select(
            pl.col("id").alias("row_id"),
            "person_id",
            pl.col("method").fill_null("single"),
            "match_weight",
            pl.lit(now).alias("linked_at"),
        )
    )
    # new people: attributes from their rows
    all_rows = records.join(
        assigned.rename({"person_id": "_pid"}), on="id", how="left"
    ).with_columns(person_id=pl.coalesce("person_id", "_pid"))
    new_people = _person_attributes(
        all_rows.filter(pl.col("person_id").is_in(fresh_roots.get_column("new_pid").implode()))
    )
    insert_frame(conn, person, new_people.with_columns(created_at=pl.lit(now)))
    insert_frame(conn, registry_link, links)
    # existing people who gained rows: attributes again from all their rows
    touched = owner.get_column("person_id").unique()
    merged = 0
    if touched.len():
        updated = _person_attributes(all_rows.filter(pl.col("person_id").is_in(touched.implode())))
        merged = updated.height
        _update_people(conn, updated)
    if queue.height:
        insert_frame(
            conn,
            registry_pair,
            queue.select(
                pl.col("id_l").alias("row_l"),
                pl.col("id_r").alias("row_r"),
                "match_weight",
                "match_probability",
                dd.explain(queue).alias("explain"),
                pl.lit("pending").alias("status"),
                pl.lit(now).alias("created_at"),
            ),
        )
    return {"new_people": new_people.height, "merged_into_existing": merged}


def _person_attributes(rows: pl.DataFrame) -> pl.DataFrame:
    """One person per ``person_id`` from its rows: each field from the most complete row
    that has it (a valid NIK first, then the most filled-in, then the earliest list);
    ``registered_on`` is the earliest list date."""
    filled = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in _PERSON_FIELDS])
    ranked = rows.with_columns(_q=pl.col("nik").is_not_null().cast(pl.Int32) * 100 + filled).sort(
        ["person_id", "_q", "listed_on", "id"], descending=[False, True, False, False]
    )
    people = ranked.group_by("person_id", maintain_order=True).agg(
        pl.col("name").first().str.strip_chars().str.replace_all(r"\s+", " "),
        pl.col("name_norm").first(),
        *[pl.col(c).drop_nulls().first() for c in _PERSON_FIELDS],
        pl.col("listed_on").min().alias("registered_on"),
    )
    return people.select(
        pl.col("person_id").alias("id"),
        "nik",
        pl.col("name").fill_null("?"),
        "name_norm",
        "birth_date",
        "sex",
        pl.col("district_code").str.slice(0, 2).alias("province_code"),
        pl.col("district_code").str.slice(0, 5).alias("regency_code"),
        "district_code",
        "village_code",
        "address",
        "phone",
        "occupation",
        pl.col("desil").cast(pl.Int16),
        "registered_on",
    )


def _update_people(conn: Connection, people: pl.DataFrame) -> None:
    cols = [c for c in people.columns if c != "id"]
    stmt = (
        update(person)
        .where(person.c.id == bindparam("b_id"))
        .values({c: bindparam(f"b_{c}") for c in cols})
    )
    conn.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in people.iter_rows(named=True)])


# ---------------------------------------------------------------- review


def review_list(
    engine: Engine, *, status: str = "pending", limit: int = 100
) -> list[dict[str, Any]]:
    """Possible duplicates waiting for an operator (or decided ones, ``status``), strongest
    first: both rows side by side, the match weight and what agreed."""
    pc = registry_pair.c
    with engine.connect() as conn:
        pairs = conn.execute(
            select(
                pc.id,
                pc.row_l,
                pc.row_r,
                pc.match_weight,
                pc.match_probability,
                pc.explain,
                pc.status,
                pc.decided_by,
                pc.reason,
            )
            .where(pc.status == status)
            .order_by(pc.match_weight.desc(), pc.id)
            .limit(limit)
        ).all()
        ids = sorted({r.row_l for r in pairs} | {r.row_r for r in pairs})
        rows = source_rows.read(
            conn,
            ids=ids,
            columns=("row_number", "name", "nik", "birth_date", "sex", "district_code"),
            provenance=True,
        )
        person = dict(
            conn.execute(
                select(registry_link.c.row_id, registry_link.c.person_id).where(
                    registry_link.c.row_id.in_(ids)
                )
            ).all()
        )
    by_id = {r["id"]: r for r in rows.iter_rows(named=True)}

    def side(row_id: int) -> dict[str, Any]:
        r = by_id.get(row_id, {})
        bd = r.get("birth_date")
        return {
            "row": row_id,
            "source": r.get("source"),
            "file": r.get("file_name"),
            "row_number": r.get("row_number"),
            "name": r.get("name"),
            "nik": r.get("nik"),
            "birth_date": bd.isoformat() if bd else None,
            "sex": r.get("sex"),
            "district_code": r.get("district_code"),
            "person": person.get(row_id),
        }

    return [
        {
            "pair": r.id,
            "match_weight": round(float(r.match_weight), 2),
            "match_probability": round(float(r.match_probability), 4),
            "explain": json.loads(r.explain),
            "status": r.status,
            "decided_by": r.decided_by,
            "reason": r.reason,
            "left": side(r.row_l),
            "right": side(r.row_r),
        }
        for r in pairs
    ]


def review_decide(
    engine: Engine, pair_id: int, accept: bool, *, by: str | None = None, reason: str | None = None
) -> dict[str, Any]:
    """Record an operator's decision on a pair; it is never asked again. Accepting joins the
    two rows' people into one (the older id stays; links, memberships and coverage move to
    it); rejecting keeps them apart even if a later run scores them high."""
    with engine.begin() as conn:
        pair = conn.execute(select(registry_pair).where(registry_pair.c.id == pair_id)).first()
        if pair is None:
            raise NotFound(
                "pair_not_found",
                f"Pasangan {pair_id} tidak ada.",
                f"Pair {pair_id} does not exist.",
                pair=pair_id,
            )
        if pair.status != "pending":
            raise JaringError(
                "pair_decided",
                f"Pasangan {pair_id} sudah diputuskan ({pair.status}) oleh {pair.decided_by or '-'}.",
                f"Pair {pair_id} was already decided ({pair.status}) by {pair.decided_by or '-'}.",
                pair=pair_id,
                status=pair.status,
            )
        conn.execute(
            update(registry_pair)
            .where(registry_pair.c.id == pair_id)
            .values(
                status="accepted" if accept else "rejected",
                decided_by=by,
                decided_at=_now(),
                reason=reason,
            )
        )
        person_id = None
        merged = None
        if accept:
            pids = {
                r.row_id: r.person_id
                for r in conn.execute(
                    select(registry_link.c.row_id, registry_link.c.person_id).where(
                        registry_link.c.row_id.in_([pair.row_l, pair.row_r])
                    )
                )
            }
            a, b = pids.get(pair.row_l), pids.get(pair.row_r)
            if a is not None and b is not None and a != b:
                keep, gone = min(a, b), max(a, b)
                _merge_people(conn, keep, gone)
                person_id, merged = keep, gone
            else:
                person_id = a or b
    return {
        "pair": pair_id,
        "status": "accepted" if accept else "rejected",
        "person": person_id,
        "merged": merged,
    }


def split_row(
    engine: Engine, row_id: int, *, by: str | None = None, reason: str | None = None
) -> dict[str, Any]:
    """Undo a wrong merge: source row ``row_id`` leaves its person for a new person of its own
    (attributes from that row); the former person's attributes are recomputed from the rows
    it keeps. Remembered like a review decision: the split is recorded (who, when, why) and
    every pair between the row and the rows it leaves is rejected (pending ones decided,
    accepted ones reversed), so no review asks it again. Later runs never move linked rows.
    Memberships and coverage stay with the former person."""
    with engine.begin() as conn:
        link = conn.execute(select(registry_link).where(registry_link.c.row_id == row_id)).first()
        if link is None:
            raise NotFound(
                "row_not_linked",
                f"Baris {row_id} tidak terhubung ke orang mana pun (belum dideduplikasi atau "
                "ditolak).",
                f"Row {row_id} is not linked to any person (not deduplicated yet, or rejected).",
                row=row_id,
            )
        former = int(link.person_id)
        others = list(
            conn.execute(
                select(registry_link.c.row_id).where(
                    registry_link.c.person_id == former, registry_link.c.row_id != row_id
                )
            ).scalars()
        )
        if not others:
            raise JaringError(
                "split_single_row",
                f"Baris {row_id} satu-satunya baris orang {former}: tidak ada yang dipisah.",
                f"Row {row_id} is the only row of person {former}: nothing to split.",
                row=row_id,
                person=former,
            )
        now = _now()
        row = _read_rows(conn, ids=[row_id])
        (new_id,) = next_ids(conn, person, 1)
        alone = _person_attributes(row.with_columns(person_id=pl.lit(new_id, dtype=pl.Int64)))
        insert_frame(conn, person, alone.with_columns(created_at=pl.lit(now)))
        conn.execute(
            update(registry_link)
            .where(registry_link.c.row_id == row_id)
            .values(person_id=new_id, method="split", match_weight=None, linked_at=now)
        )
        _update_people(conn, _person_attributes(_read_rows(conn, person_id=former)))
        pr = registry_pair.c
        rejected = conn.execute(
            update(registry_pair)
            .where(
                or_(
                    and_(pr.row_l == row_id, pr.row_r.in_(others)),
                    and_(pr.row_r == row_id, pr.row_l.in_(others)),
                ),
                pr.status != "rejected",
            )
            .values(status="rejected", decided_by=by, decided_at=now, reason=reason)
        ).rowcount
        conn.execute(
            insert(registry_split).values(
                row_id=row_id,
                from_person=former,
                to_person=new_id,
                decided_by=by,
                decided_at=now,
                reason=reason,
            )
        )
    return {"row": row_id, "from_person": former, "person": new_id, "pairs_rejected": rejected}


def _merge_people(conn: Connection, keep: int, gone: int) -> None:
    """Move everything that points at ``gone`` to ``keep`` and remove ``gone``."""
    clash = conn.execute(
        text(
            "SELECT count(*) FROM membership a JOIN membership b ON a.program_id = b.program_id "
            "WHERE a.person_id = :k AND b.person_id = :g"
        ),
        {"k": keep, "g": gone},
    ).scalar_one()
    if clash:
        raise JaringError(
            "merge_conflict",
            f"Orang {keep} dan {gone} sama-sama terdaftar di satu program: akhiri salah satu "
            "kepesertaan dahulu.",
            f"People {keep} and {gone} are both members of one program: end one membership first.",
            keep=keep,
            gone=gone,
        )
    for table in ("registry_link", "membership", "coverage_period"):
        conn.execute(
            text(f"UPDATE {table} SET person_id = :k WHERE person_id = :g"), {"k": keep, "g": gone}
        )
    rows = _read_rows(conn, person_id=keep)
    conn.execute(delete(person).where(person.c.id == gone))
    if rows.height:
        _update_people(conn, _person_attributes(rows))


# ---------------------------------------------------------------- reading out


def people_frame(engine: Engine) -> pl.DataFrame:
    """Every person with the number of source rows behind them."""
    schema = {
        "id": pl.Int64,
        "nik": pl.String,
        "name": pl.String,
        "name_norm": pl.String,
        "birth_date": pl.Date,
        "sex": pl.String,
        "province_code": pl.String,
        "regency_code": pl.String,
        "district_code": pl.String,
        "village_code": pl.String,
        "address": pl.String,
        "phone": pl.String,
        "occupation": pl.String,
        "desil": pl.Int16,
        "registered_on": pl.Date,
        "source_rows": pl.Int64,
    }
    sql = (
        "SELECT p.id, p.nik, p.name, p.name_norm, p.birth_date, p.sex, p.province_code, "
        "p.regency_code, p.district_code, p.village_code, p.address, p.phone, p.occupation, "
        "p.desil, p.registered_on, (SELECT count(*) FROM registry_link l WHERE l.person_id = p.id) "
        "AS source_rows FROM person p ORDER BY p.id"
    )
    with engine.connect() as conn:
        return _read_dated(conn, sql, None, schema)


def export_people(engine: Engine, fmt: str, out: str | Path) -> dict[str, Any]:
    """Write the people to ``out`` as ``csv``, ``xlsx`` or ``parquet``."""
    frame = people_frame(engine)
    path = Path(out)
    write_frame(frame, fmt, path, sheet="Orang")
    return {"path": str(path), "format": fmt, "rows": frame.height}


def write_frame(frame: pl.DataFrame, fmt: str, path: Path, *, sheet: str = "Data") -> None:
    """A frame to a file in ``fmt`` (csv, xlsx, parquet); NIKs stay text in Excel."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "xlsx":
        frame.write_excel(path, worksheet=sheet, autofit=frame.height < 50_000)
    else:
        raise JaringError(
            "format_unknown",
            f"Format tidak dikenal: {fmt} (pakai csv, xlsx atau parquet).",
            f"Unknown format: {fmt} (use csv, xlsx or parquet).",
            format=fmt,
        )


def links(engine: Engine) -> pl.DataFrame:
    """One line per source row: ``source``, ``file``, ``sheet``, ``row``, ``status``,
    ``person_id`` (null for rejected or not yet deduplicated rows), ``method``,
    ``match_weight``, ``row_id``, ``batch``."""
    with engine.connect() as conn:
        rows = source_rows.read(conn, columns=("row_number", "status"), provenance=True)
        linked = read_frame(
            conn,
            "SELECT row_id, person_id, method, match_weight FROM registry_link",
            schema_overrides={
                "row_id": pl.Int64,
                "person_id": pl.Int64,
                "method": pl.String,
                "match_weight": pl.Float64,
            },
        )
    return (
        rows.select(
            "source",
            pl.col("file_name").alias("file"),
            "sheet",
            pl.col("row_number").cast(pl.Int64).alias("row"),
            "status",
            pl.col("id").alias("row_id"),
            pl.col("batch_id").cast(pl.Int64).alias("batch"),
        )
        .join(linked, on="row_id", how="left", maintain_order="left")
        .sort(["batch", "file", "sheet", "row", "row_id"], nulls_last=False)
        .select(_LINK_COLUMNS)
    )


def source_rows_frame(engine: Engine, *, batch: int | None = None) -> pl.DataFrame:
    """Every source row (or a batch's) as one line: ``row_id``, ``batch``, ``source``,
    ``listed_on``, ``file``, ``sheet``, ``row``, ``status``, the values now (corrections
    applied) and ``raw``: the cells as typed, a JSON object from header to value (files have
    different headers, so one column holds them). For analysts: SQL cannot see inside the
    chunks the rows are stored in."""
    with engine.connect() as conn:
        if batch is not None:
            _require_batch(conn, batch)
        rows = source_rows.read(
            conn, batches=None if batch is None else [batch], raw=True, provenance=True
        )
        headers = {
            int(r.id): json.loads(r.headers or "{}")
            for r in conn.execute(select(registry_file.c.id, registry_file.c.headers))
        }
    parts = []
    for file_id, sheet in rows.select("file_id", "sheet").unique(maintain_order=True).iter_rows():
        part = rows.filter(pl.col("file_id") == file_id, pl.col("sheet").eq_missing(sheet))
        keys = headers.get(file_id, {}).get(sheet or "", [])
        width = int(part.select(pl.col("raw").list.len().max().fill_null(0)).item())
        keys = keys + [f"kolom_{i + 1}" for i in range(len(keys), width)]
        raw = (
            pl.col("raw").list.to_struct(fields=keys).struct.json_encode() if keys else pl.lit("{}")
        )
        parts.append(part.with_columns(raw.alias("raw")))
    out = pl.concat(parts) if parts else rows.with_columns(pl.col("raw").cast(pl.String))
    return out.sort("id").select(
        pl.col("id").alias("row_id"),
        pl.col("batch_id").cast(pl.Int64).alias("batch"),
        "source",
        "listed_on",
        pl.col("file_name").alias("file"),
        "sheet",
        pl.col("row_number").cast(pl.Int64).alias("row"),
        "status",
        *chunks.VALUE_COLUMNS,
        "raw",
    )


_LINK_COLUMNS = (
    "source", "file", "sheet", "row", "status", "person_id", "method", "match_weight",
    "row_id", "batch",
)  # fmt: skip


def find_people(
    engine: Engine, query: str, *, limit: int = 50, region_prefix: str | None = None
) -> list[dict[str, Any]]:
    """People whose NIK starts with ``query`` (digits) or whose normalised name contains it;
    ``region_prefix`` (``96.71`` or ``96.71.02``) keeps only people of that area."""
    q = (query or "").strip()
    digits = q.replace(" ", "")
    clauses: list[str] = []
    params: dict[str, Any] = {"n": limit}
    if digits.isdigit():
        clauses.append("p.nik LIKE :q")
        params["q"] = digits + "%"
    else:
        norm = pl.select(normalise_name(pl.lit(q, dtype=pl.String))).item()
        if not norm:
            return []
        clauses.append("p.name_norm LIKE :q")
        params["q"] = f"%{norm}%"
    if region_prefix:
        clauses.append("COALESCE(p.district_code, p.regency_code, '') LIKE :r")
        params["r"] = region_prefix.rstrip(".") + "%"
    sql = (
        "SELECT p.id, p.nik, p.name, p.birth_date, p.sex, p.district_code, p.village_code, "
        "p.phone, p.occupation, p.desil, p.registered_on FROM person p WHERE "
        + " AND ".join(clauses)
        + " ORDER BY p.name_norm, p.id LIMIT :n"
    )
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).mappings().all()
    out = []
    for r in rows:
        d = dict(r)
        for k in ("birth_date", "registered_on"):
            if d[k] is not None:
                d[k] = _as_date(d[k])
        out.append(d)
    return out


def batches(engine: Engine) -> list[dict[str, Any]]:
    """Who imported what and when."""
    with engine.connect() as conn:
        rows = conn.execute(select(registry_batch).order_by(registry_batch.c.id)).mappings().all()
    return [dict(r) for r in rows]
