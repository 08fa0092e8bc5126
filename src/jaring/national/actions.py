"""What changes or leaves a Pemda's store for the national picture, one transaction each,
audited: :func:`snapshot` (the store's people, source rows, memberships, coverage and paid
months as a snapshot; ``national.snapshot``), :func:`receive` and :func:`receive_file` (the
cross-region pairs of its people from a national deduplication, into its review, from the
run's folder or one uploaded ``to_pemda`` file; ``national.receive``), :func:`decide` (an
operator says whether a cross-region pair is one human; ``national.decide``) and
:func:`undo` (the decision taken back; ``national.undo``)."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
from sqlalchemy import Connection, Engine, select, update

from jaring import audit
from jaring.access import Actor, region_column
from jaring.errors import OUT_OF_REGION, JaringError
from jaring.national import errors, results
from jaring.national import snapshot as layout
from jaring.national.queries import existing_people, snapshot_tables
from jaring.registry.dedupe import HOLDS, LEVELS
from jaring.registry.queries.people import ids_in_scope, require_person_in_scope
from jaring.registry.regions import name_of
from jaring.store.bulk import insert_frame
from jaring.store.identity import store_id
from jaring.store.tables.national import national_pair
from jaring.store.tables.programs import program
from jaring.store.tables.registry import person


@dataclasses.dataclass
class Snapshot:
    """A snapshot written: where, for whom (``source``), its tables' rows, whether NIKs are
    keyed hashes."""

    path: str
    source: str
    region: str | None
    counts: dict[str, int]
    pseudonymised: bool


def _source(engine: Engine, region: str | None) -> str:
    """The Pemda a snapshot speaks for: the region asked, else the one paying region of the
    store's APBD programs, else ``all``."""
    if region:
        return region
    with engine.connect() as conn:
        payers = {
            r[0]
            for r in conn.execute(
                select(program.c.funder_region).where(program.c.funder_type == "apbd")
            )
            if r[0]
        }
    return payers.pop() if len(payers) == 1 else "all"


def snapshot(
    engine: Engine,
    actor: Actor,
    out: str | Path,
    *,
    region: str | None = None,
    source: str | None = None,
    key: bytes | None = None,
) -> Snapshot:
    """Write the snapshot of ``region`` (the actor's regions when ``None``) into ``out``,
    NIKs as keyed hashes when ``key`` is given. Needs ``nik.export`` (the files carry names,
    and NIKs unless hashed); refuses ``out_of_region`` and ``snapshot_exists``."""
    actor.require("nik.export")
    if region and not actor.covers_region(region):
        raise OUT_OF_REGION(field="region")
    src = source or _source(engine, region)
    with engine.begin() as conn:
        tables = snapshot_tables(conn, actor, region)
        m = layout.write(out, src, tables, region=region, key=key, store=store_id(conn))
        after = {
            "source": src,
            "region": region,
            "counts": m.counts,
            "pseudonymised": m.pseudonymised,
        }
        audit.record(conn, actor, "national.snapshot", "person", None, after=after)
    return Snapshot(str(out), src, region, m.counts, m.pseudonymised)


@dataclasses.dataclass
class Received:
    """Cross-region pairs taken into the review: ``pairs`` new, ``people`` of this store in
    them, ``skipped`` (already received, or people not here or outside the actor's regions)."""

    pairs: int
    people: int
    skipped: int


def receive(engine: Engine, actor: Actor, results_dir: str | Path, *, pemda: str) -> Received:
    """Take the pairs the deduplication in ``results_dir`` found for Pemda ``pemda`` into this
    store's review of cross-region pairs (each once); pairs of people not here or outside the
    actor's regions are skipped. Needs ``national.receive``; refuses ``not_deduped``."""
    actor.require("national.receive")
    back = results.back_to(results_dir, pemda)
    with engine.begin() as conn:
        _check_store(conn, back, f"to_pemda/{pemda}.parquet")
        asked = back.get_column("person_id").unique().to_list()
        mine = ids_in_scope(conn, actor, sorted(existing_people(conn, asked)))
        new = back.filter(
            pl.col("person_id").is_in(pl.Series(sorted(mine), dtype=pl.Int64).implode())
        )
        return _take(conn, actor, back, new, {"pemda": pemda})


def _take(
    conn: Connection, actor: Actor, back: pl.DataFrame, new: pl.DataFrame, what: dict[str, Any]
) -> Received:
    """Insert the pairs of ``new`` not received before; audited with ``what`` and the counts."""
    n = national_pair.c
    seen = pl.DataFrame(
        conn.execute(select(n.person_id, n.other_region, n.other_key)).all(),
        schema={"person_id": pl.Int64, "other_region": pl.String, "other_key": pl.String},
        orient="row",
    )
    new = new.join(seen, on=["person_id", "other_region", "other_key"], how="anti")
    frame = new.drop("store").with_columns(
        run=pl.col("other_key").str.split(":").list.first(),
        status=pl.lit("pending"),
        received_at=pl.lit(audit.now()),
    )
    if frame.height:
        insert_frame(conn, national_pair, frame)
    out = Received(
        frame.height, int(new.get_column("person_id").n_unique()), back.height - frame.height
    )
    audit.record(conn, actor, "national.receive", "person", None,
                 after={**what, **dataclasses.asdict(out)})  # fmt: skip
    return out


#: The most an uploaded result may weigh, hold and unpack to (a Pemda's pairs: well under
#: these; a file that unpacks to more is refused before it is read).
MAX_RESULT_BYTES = 200 * 1024 * 1024
MAX_RESULT_ROWS = 5_000_000
MAX_RESULT_UNPACKED = 2 * 1024**3
_PEMDA_FILE = re.compile(r"^(\d{2}(\.\d{2})?|all)\.parquet$")
_REGION = r"^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?|all)$"
_KEY = r"^[0-9A-Za-z]{1,40}:[0-9]{1,18}-[0-9]{1,18}$"
# the kinds a column may hold (polars' names), per column of the per-Pemda file
_KINDS = {
    "person_id": {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"},
    "other_region": {"String"},
    "other_key": {"String"},
    "match_probability": {"Float32", "Float64", "Null"},
    "link": {"Boolean"},
    "explain": {"String"},
    "store": {"String", "Null"},
}


@dataclasses.dataclass
class ReceivedFile(Received):
    """:class:`Received` for one uploaded file: its name and its Pemda (code)."""

    file: str
    pemda: str


def receive_file(engine: Engine, actor: Actor, data: bytes, filename: str) -> ReceivedFile:
    """Take one uploaded ``to_pemda/<code>.parquet`` file of a national deduplication into
    this store's review, all or nothing: every pair of it, or none. Pairs already received
    are counted as skipped. Needs ``national.receive``. Refuses, naming the file:
    ``national_result_name`` (its name is not a Pemda's code), ``national_result_not_parquet``,
    ``national_result_too_large`` (over 5 million rows or 2 GiB unpacked, checked before
    reading), ``national_result_columns``, ``national_result_column_type``,
    ``national_result_bad_value``, ``national_result_unmarked`` and
    ``national_result_other_store`` (made from another store's snapshot: its person ids
    name other people here), ``national_result_self_pair`` (a pair with this Pemda
    itself: another Pemda's file renamed) and ``national_result_not_levels`` (row and column named;
    the latter when ``explain`` holds anything but the model's agreement levels, which is how
    personal data of the other region would come in), ``national_result_unknown_people``
    (people not in this store), ``national_result_other_pemda`` (people who do not live in
    the Pemda the file is named for) and ``national_result_out_of_region``."""
    actor.require("national.receive")
    name = Path(filename.replace("\\", "/")).name[:200] or "?"
    m = _PEMDA_FILE.match(name)
    if m is None:
        raise errors.RESULT_NAME(file=name, field="file")
    pemda = name[: -len(".parquet")]
    back = _read_result(data, name)
    itself = back.get_column("other_region").eq(pemda).arg_true()
    if itself.len():  # a renamed file of another Pemda pairs its people with this one
        raise errors.RESULT_SELF_PAIR(
            file=name, row=int(itself[0]) + 1, pemda=name_of(pemda) or pemda, field="file"
        )
    with engine.begin() as conn:
        _check_store(conn, back, name)
        _check_people(conn, actor, back, name, pemda)
        got = _take(conn, actor, back, back, {"pemda": pemda, "file": name})
    return ReceivedFile(**dataclasses.asdict(got), file=name, pemda=pemda)


def _read_result(data: bytes, name: str) -> pl.DataFrame:
    """The rows of an uploaded per-Pemda file, checked column by column (see
    :func:`receive_file`)."""
    if len(data) > MAX_RESULT_BYTES or data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise errors.RESULT_NOT_PARQUET(file=name, field="file")
    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if meta.num_rows > MAX_RESULT_ROWS or unpacked > MAX_RESULT_UNPACKED:
            raise errors.RESULT_TOO_LARGE(file=name, rows=meta.num_rows, field="file")
        frame = pl.read_parquet(io.BytesIO(data))
    except JaringError:
        raise
    except Exception:
        raise errors.RESULT_NOT_PARQUET(file=name, field="file") from None
    if "store" not in frame.columns:
        raise errors.RESULT_UNMARKED(file=name, field="file")
    missing = [c for c in results.BACK if c not in frame.columns]
    if missing:
        raise errors.RESULT_COLUMNS(file=name, missing=", ".join(missing), field="file")
    for column, kinds in _KINDS.items():
        if str(frame.schema[column]) not in kinds:
            raise errors.RESULT_COLUMN_TYPE(file=name, column=column, field="file")
    back = frame.select(list(results.BACK)).cast(results.BACK)  # type: ignore[arg-type]
    p = pl.col("match_probability")
    bad = {
        "person_id": pl.col("person_id").is_null() | (pl.col("person_id") <= 0),
        "other_region": ~pl.col("other_region").str.contains(_REGION).fill_null(False),
        "other_key": ~pl.col("other_key").str.contains(_KEY).fill_null(False),
        "match_probability": (p.is_nan() | (p < 0) | (p > 1)).fill_null(False),
        "link": pl.col("link").is_null(),
        "explain": pl.col("explain").is_null(),
    }
    flags = back.with_row_index("row", 1).select("row", *(e.alias(c) for c, e in bad.items()))
    for column in bad:
        hit = flags.filter(pl.col(column)).get_column("row")
        if hit.len():
            raise errors.RESULT_BAD_VALUE(file=name, row=int(hit[0]), column=column, field="file")
    texts = back.get_column("explain")
    for text in texts.unique().to_list():  # a few distinct texts per file, not one per row
        if not _levels_only(text):
            row = int(texts.eq(text).arg_true()[0]) + 1
            raise errors.RESULT_NOT_LEVELS(file=name, row=row, field="file")
    return back


def _levels_only(text: str) -> bool:
    """Whether ``text`` is an ``explain`` of the model: per comparison a known level and its
    weight, and perhaps a hold; nothing else (no names, NIKs or dates of the other side)."""
    try:
        d = json.loads(text)
    except ValueError:
        return False
    if not isinstance(d, dict):
        return False
    for field, v in d.items():
        if not isinstance(v, dict) or not set(v) <= {"level", "weight", "code"}:
            return False
        allowed = set(HOLDS.values()) if field == "hold" else set(LEVELS.get(field, {}).values())
        w = v.get("weight")
        if v.get("level") not in allowed or not (w is None or isinstance(w, int | float)):
            return False
        if "code" in v and (field != "hold" or v["code"] not in HOLDS):
            return False
    return True


def _check_store(conn: Connection, back: pl.DataFrame, name: str) -> None:
    """Refuse ``back`` (file ``name``) unless every row bears this store's mark: person
    ids are one store's numbers, so another store's results would name other people here
    (``national_result_other_store``; ``national_result_unmarked`` for rows with none)."""
    if back.height == 0:
        return
    marks = back.get_column("store")
    if marks.null_count():
        raise errors.RESULT_UNMARKED(file=name, field="file")
    if set(marks.unique().to_list()) != {store_id(conn)}:
        raise errors.RESULT_OTHER_STORE(file=name, field="file")


def _check_people(
    conn: Connection, actor: Actor, back: pl.DataFrame, name: str, pemda: str
) -> None:
    """Refuse the file unless every person it names is in this store, lives in ``pemda``
    and inside the actor's regions (see :func:`receive_file`)."""
    asked = back.get_column("person_id").unique().sort().to_list()
    places: list[Any] = []
    p = person.c
    for i in range(0, len(asked), 500):
        places.extend(
            conn.execute(
                select(p.id, p.province_code, p.regency_code, p.district_code, p.village_code)
                .where(p.id.in_(asked[i : i + 500]))
            ).all()
        )  # fmt: skip
    cols = ("person_id", "province_code", "regency_code", "district_code", "village_code")
    here = pl.DataFrame(
        [tuple(r) for r in places], schema=dict.fromkeys(cols, pl.String), orient="row"
    ).with_columns(pl.col("person_id").cast(pl.Int64), here=pl.lit(True))
    rows = back.select("person_id").with_row_index("row", 1).join(here, on="person_id", how="left")

    def first(cond: pl.Expr) -> tuple[int, int] | None:
        hit = rows.filter(cond)
        if hit.height == 0:
            return None
        return hit.get_column("person_id").n_unique(), int(hit.get_column("row").min())  # type: ignore[arg-type]

    unknown = first(pl.col("here").is_null())
    if unknown:
        raise errors.RESULT_UNKNOWN_PEOPLE(
            file=name, count=unknown[0], row=unknown[1], field="file"
        )
    if pemda != "all":
        other = first(pl.col(region_column(pemda)).ne_missing(pemda))
        if other:
            raise errors.RESULT_OTHER_PEMDA(
                file=name, pemda=name_of(pemda) or pemda, count=other[0], row=other[1], field="file"
            )
    scope = actor.regions
    if scope:
        inside = pl.any_horizontal(pl.col(region_column(r)).eq_missing(r) for r in scope)
        out = first(~inside)
        if out:
            raise errors.RESULT_OUT_OF_REGION(file=name, count=out[0], row=out[1], field="file")


@dataclasses.dataclass
class Decision:
    pair: int
    status: str


def decide(
    engine: Engine, actor: Actor, pair_id: int, same: bool, *, reason: str | None = None
) -> Decision:
    """Record whether cross-region pair ``pair_id`` is one human (``same``) or two
    (``different``). Needs ``person.write`` and the person in the actor's regions; refuses
    ``cross_region_pair_not_found`` and ``cross_region_pair_decided``."""
    actor.require("person.write")
    status = "same" if same else "different"
    n = national_pair.c
    with engine.begin() as conn:
        row = conn.execute(select(n.person_id, n.status).where(n.id == pair_id)).first()
        if row is None:
            raise errors.FLAG_NOT_FOUND(pair=pair_id)
        require_person_in_scope(conn, actor, int(row.person_id))
        if row.status != "pending":
            raise errors.FLAG_DECIDED(pair=pair_id, status=row.status)
        conn.execute(
            update(national_pair)
            .where(n.id == pair_id)
            .values(status=status, decided_by=actor.username, decided_at=audit.now(), reason=reason)
        )
        audit.record(conn, actor, "national.decide", "national_pair", pair_id,
                     after={"status": status})  # fmt: skip
    return Decision(pair_id, status)


def undo(engine: Engine, actor: Actor, pair_id: int, *, reason: str | None = None) -> Decision:
    """Take back the decision on cross-region pair ``pair_id``: pending again, asked again in
    the review. Needs ``person.write`` and the person in the actor's regions; refuses
    ``cross_region_pair_not_found`` and ``cross_region_pair_pending``. Audited
    ``national.undo`` with the decision it took back."""
    actor.require("person.write")
    n = national_pair.c
    with engine.begin() as conn:
        row = conn.execute(
            select(n.person_id, n.status, n.decided_by).where(n.id == pair_id)
        ).first()
        if row is None:
            raise errors.FLAG_NOT_FOUND(pair=pair_id)
        require_person_in_scope(conn, actor, int(row.person_id))
        if row.status == "pending":
            raise errors.FLAG_PENDING(pair=pair_id)
        conn.execute(
            update(national_pair)
            .where(n.id == pair_id)
            .values(status="pending", decided_by=None, decided_at=None, reason=reason)
        )
        audit.record(conn, actor, "national.undo", "national_pair", pair_id,
                     before={"status": row.status, "decided_by": row.decided_by},
                     after={"status": "pending"})  # fmt: skip
    return Decision(pair_id, "pending")
