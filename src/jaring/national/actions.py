"""What changes or leaves a Pemda's store for the national picture, one transaction each,
audited: :func:`snapshot` (the store's people, source rows, memberships, coverage and paid
months as a snapshot; ``national.snapshot``), :func:`receive` (the cross-region pairs of its
people from a national deduplication, into its review; ``national.receive``) and
:func:`decide` (an operator says whether a cross-region pair is one human;
``national.decide``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, select, update

from jaring import audit
from jaring.access import Actor
from jaring.errors import OUT_OF_REGION
from jaring.national import errors, results
from jaring.national import snapshot as layout
from jaring.national.queries import existing_people, snapshot_tables
from jaring.registry.queries.people import ids_in_scope, require_person_in_scope
from jaring.store.bulk import insert_frame
from jaring.store.tables.national import national_pair
from jaring.store.tables.programs import program


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
        m = layout.write(out, src, tables, region=region, key=key)
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
    store's review of cross-region pairs (each once). Needs ``person.write``; refuses
    ``not_deduped``."""
    actor.require("person.write")
    back = results.back_to(results_dir, pemda)
    with engine.begin() as conn:
        asked = back.get_column("person_id").unique().to_list()
        mine = ids_in_scope(conn, actor, sorted(existing_people(conn, asked)))
        seen = pl.DataFrame(
            conn.execute(
                select(national_pair.c.person_id, national_pair.c.other_region,
                       national_pair.c.other_key)
            ).all(),
            schema={"person_id": pl.Int64, "other_region": pl.String, "other_key": pl.String},
            orient="row",
        )  # fmt: skip
        new = back.filter(
            pl.col("person_id").is_in(pl.Series(sorted(mine), dtype=pl.Int64).implode())
        )
        new = new.join(seen, on=["person_id", "other_region", "other_key"], how="anti")
        now = audit.now()
        frame = new.with_columns(
            run=pl.col("other_key").str.split(":").list.first(),
            status=pl.lit("pending"),
            received_at=pl.lit(now),
        )
        if frame.height:
            insert_frame(conn, national_pair, frame)
        out = Received(
            frame.height, int(new.get_column("person_id").n_unique()), back.height - frame.height
        )
        audit.record(conn, actor, "national.receive", "person", None, after=dataclasses.asdict(out))
    return out


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
