"""Linking source rows to people: the deduplication run over the store (the model itself is
the rule module :mod:`jaring.registry.dedupe`), and how a person's attributes follow from the
rows linked to them (:func:`person_attributes`; the review decisions and splits of
:mod:`jaring.registry.actions.decisions` use it too).

Every bulk write goes through :mod:`jaring.store.bulk` (no per-row ORM inserts); the person
ids of each batch are reserved with :func:`jaring.store.bulk.next_ids` so that links are
written in the same transaction as their people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Select, bindparam, func, select, update

from jaring import audit
from jaring.access import Actor
from jaring.i18n import N_
from jaring.jsonable import to_jsonable
from jaring.progress import SILENT, Progress
from jaring.registry import dedupe as dd
from jaring.registry import errors, niks
from jaring.registry.actions import step
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import ids_in_scope
from jaring.store.bulk import insert_frame, next_ids, read_frame
from jaring.store.tables.registry import (
    person,
    registry_link,
    registry_nik_choice,
    registry_pair,
)


@dataclasses.dataclass
class Linked:
    """After a deduplication run: source rows linked in all (``records``), ``people``, pairs
    waiting for review; and what this run did: rows it linked (``new_records``), people it
    made, existing people that gained rows (``merged_into_existing``), and how far to trust
    it: the expected number of wrong merges among its links and of true pairs it left apart
    (in the review queue or below it), from the model's probabilities; and how many people
    have rows with two NIKs or more (``two_niks``: pick the right one,
    :mod:`jaring.registry.queries.niks`)."""

    records: int
    people: int
    review: int
    new_records: int
    new_people: int
    merged_into_existing: int
    expected_false_merges: float = 0.0
    expected_missed: float = 0.0
    two_niks: int = 0


_PERSON_FIELDS = (
    "nik", "birth_date", "sex", "district_code", "village_code", "address", "phone",
    "occupation", "desil",
)  # fmt: skip

_MATCH_VALUES = (
    "nik", "name", "name_norm", "birth_date", "sex", "district_code", "village_code",
    "address", "phone", "occupation", "desil",
)  # fmt: skip


def read_rows(
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


def dedupe(
    engine: Engine,
    actor: Actor,
    *,
    thresholds: dd.Thresholds | None = None,
    seed: int = 42,
    progress: Progress = SILENT,
    batch_rows: int = 20_000,
) -> Linked:
    """Link every accepted, not yet linked source row to a person (new or existing), for
    ``actor`` (``person.write``).

    Exact NIK first, then the probabilistic model (:mod:`jaring.registry.dedupe`); pairs
    between the review and match ``thresholds`` are queued for an operator
    (:func:`jaring.registry.queries.review.review_list`); decided pairs are never asked again
    and override the model. Existing people are not re-clustered: new rows join them.

    The rows are read and scored without holding the store's write lock; the results are
    written in short transactions of about ``batch_rows`` rows each, every one holding whole
    people (a new person with all its rows, an existing one with every row that joins it),
    then the review queue, so that readers are not kept waiting. A failure or a kill
    mid-way leaves the batches written whole and the other rows unlinked, nothing half
    written; running it again links those (they pair with the people written meanwhile).
    """
    actor.require("person.write")
    th = thresholds or dd.Thresholds()
    if not 0 < th.review < th.match <= 1:
        raise errors.BAD_THRESHOLDS(review=th.review, match=th.match, field="match")
    now = audit.now()
    with engine.connect() as conn:
        step(progress, N_("Reading the rows"))
        rows = read_rows(conn)
        n_new = rows.filter(pl.col("person_id").is_null()).height
        plan = _plan_links(conn, actor, rows, th, seed, progress) if n_new else None
    run = Run(0, 0, 0.0, 0.0)
    if plan is not None:
        step(progress, N_("Linking rows to people"))
        run = _write_plan(engine, actor, plan, now, batch_rows)
    with engine.connect() as conn:
        pending = registry_pair.c.status == "pending"
        return Linked(
            records=_count(conn, select(func.count()).select_from(registry_link)),
            people=_count(conn, select(func.count()).select_from(person)),
            review=_count(conn, select(func.count()).select_from(registry_pair).where(pending)),
            new_records=n_new,
            new_people=run.new_people,
            merged_into_existing=run.merged,
            expected_false_merges=round(run.expected_false_merges, 1),
            expected_missed=round(run.expected_missed, 1),
            two_niks=run.two_niks,
        )


def _count(conn: Connection, q: Select[Any]) -> int:
    return int(conn.execute(q).scalar_one())


@dataclasses.dataclass
class _Plan:
    """What a run will write (:func:`_plan_links`): ``assigned`` (``id`` -> ``root``, and
    ``person_id`` for rows joining an existing person), the link rows without their person
    (``links``: ``row_id``, ``method``, ``match_weight``), every row with its values
    (``all_rows``, ``person_id`` null for rows of a new person), the review ``queue`` and
    the calibration and two-NIK count."""

    assigned: pl.DataFrame
    links: pl.DataFrame
    all_rows: pl.DataFrame
    queue: pl.DataFrame
    expected_false_merges: float
    expected_missed: float
    two_niks: int


def _plan_links(
    conn: Connection,
    actor: Actor,
    rows: pl.DataFrame,
    th: dd.Thresholds,
    seed: int,
    progress: Progress,
) -> _Plan:
    """Score and cluster the rows without a person (``person_id`` null) of ``rows`` (every
    accepted row), reading only: which existing person or new group each joins."""
    records = rows.with_columns(is_new=pl.col("person_id").is_null().cast(pl.Int8))
    decisions = read_frame(
        conn,
        "SELECT row_l, row_r, status FROM registry_pair",
        schema_overrides={"row_l": pl.Int64, "row_r": pl.Int64, "status": pl.String},
    ).rename({"row_l": "id_l", "row_r": "id_r"})
    step(progress, N_("Comparing the rows"))
    scored, twins = dd.score_pairs_and_twins(
        records, min_probability=dd.CALIBRATION_FLOOR, seed=seed
    )
    decided = dd.decide(scored, th)
    # twins joined through other rows are held: the links stand beside the operators'
    # acceptances and the people already made (each row to its person's first row)
    members = records.filter(pl.col("person_id").is_not_null()).select("id", "person_id")
    made = (
        members.join(members.group_by("person_id").agg(first=pl.col("id").min()), on="person_id")
        .filter(pl.col("id") != pl.col("first"))
        .select(id_l="first", id_r="id")
    )
    standing = pl.concat(
        [made, decisions.filter(pl.col("status") == "accepted").select("id_l", "id_r")]
    )
    decided, _ = dd.keep_twins_apart(decided, records, standing, twins=twins)
    exact_nik = pl.col("gamma_nik") == 6 if "gamma_nik" in scored.columns else pl.lit(False)
    auto = decided.links.select(
        "id_l", "id_r", kind=pl.when(exact_nik).then(pl.lit("nik")).otherwise(pl.lit("match"))
    )
    accepted = decisions.filter(pl.col("status") == "accepted").select(
        "id_l", "id_r", kind=pl.lit("review")
    )
    rejected = decisions.filter(pl.col("status") == "rejected").select("id_l", "id_r")
    edges = pl.concat([auto, accepted]).join(rejected, on=["id_l", "id_r"], how="anti")
    # review queue: undecided, never asked before, not already linked by a stronger edge
    queue = decided.queue.join(
        decisions.select("id_l", "id_r"), on=["id_l", "id_r"], how="anti"
    ).join(edges.select("id_l", "id_r"), on=["id_l", "id_r"], how="anti")
    # nodes: new rows by row id; existing people by -person_id
    person_of = records.filter(pl.col("is_new") == 0).select("id", "person_id")
    new_ids = records.filter(pl.col("is_new") == 1).get_column("id")

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
    nodes = pl.concat([new_ids, existing_nodes.get_column("n")])
    comp = dd.components(nodes, e)
    owner = (
        comp.filter(pl.col("node") < 0)
        .group_by("root")
        .agg((-pl.col("node")).min().alias("person_id"))
    )
    new_rows = comp.filter(pl.col("node") > 0).join(owner, on="root", how="left")
    # rows that would join a person outside the actor's regions change nobody: they stay
    # unlinked, waiting for a run by someone whose regions hold that person
    waiting = out_of_scope(conn, actor, owner.get_column("person_id").to_list())
    if waiting:
        held = owner.filter(pl.col("person_id").is_in(sorted(waiting))).get_column("root")
        new_rows = new_rows.filter(~pl.col("root").is_in(held.implode()))
    assigned = new_rows.select(pl.col("node").alias("id"), "root", "person_id")
    # how each row was linked, for the explanation
    weights = (
        pl.concat(
            [
                decided.links.select(pl.col("id_l").alias("id"), "match_weight"),
                decided.links.select(pl.col("id_r").alias("id"), "match_weight"),
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
        assigned.select("id")
        .join(kinds, on="id", how="left")
        .join(weights, on="id", how="left")
        .select(pl.col("id").alias("row_id"), pl.col("method").fill_null("single"), "match_weight")
    )
    all_rows = records.join(
        assigned.select("id", _pid="person_id", _root="root"), on="id", how="left"
    ).with_columns(person_id=pl.coalesce("person_id", "_pid"))
    # calibration and two NIKs as the run will leave them (a new person: its root)
    clusters = all_rows.select("id", cluster=pl.coalesce("person_id", -pl.col("_root")))
    efm, missed = dd.calibration(decided, clusters)
    queue = dd.open_questions(queue, clusters)
    two = (
        all_rows.filter(pl.col("nik").is_not_null())
        .with_columns(c=pl.coalesce("person_id", -pl.col("_root")))
        .group_by("c")
        .agg(pl.col("nik").n_unique().alias("n"))
        .filter(pl.col("n") > 1)
        .height
    )
    return _Plan(assigned, links, all_rows, queue, efm, missed, two)


def _write_plan(
    engine: Engine, actor: Actor, plan: _Plan, now: dt.datetime, batch_rows: int
) -> Run:
    """Write ``plan`` in transactions of about ``batch_rows`` rows, each holding whole
    groups (all the rows of a new person, all the rows that join one existing person), then
    the queue in transactions of its own; pairs already in the queue are not written again
    (a re-run after a failure)."""
    groups = (
        plan.assigned.group_by("root")
        .agg(pl.len().alias("n"), pl.col("person_id").first())
        .sort("root")
        .with_columns(batch=(pl.col("n").cum_sum() - 1) // max(1, batch_rows))
    )
    new_people = merged = 0
    for (_,), g in groups.group_by(["batch"], maintain_order=True):
        rows = plan.assigned.join(g.select("root"), on="root")
        with engine.begin() as conn:
            fresh = g.filter(pl.col("person_id").is_null()).select("root").sort("root")
            ids = next_ids(conn, person, fresh.height)
            fresh = fresh.with_columns(new_pid=pl.Series(list(ids), dtype=pl.Int64))
            mine = rows.join(fresh, on="root", how="left").select(
                "id", pl.coalesce("person_id", "new_pid").alias("person_id")
            )
            links = plan.links.join(mine.rename({"id": "row_id"}), on="row_id")
            batch_rows_all = plan.all_rows.drop("person_id").join(
                mine.rename({"person_id": "_new"}), on="id", how="left"
            )
            made = person_attributes(
                batch_rows_all.filter(
                    pl.col("_new").is_in(fresh.get_column("new_pid").implode())
                ).with_columns(person_id=pl.col("_new"))
            )
            insert_frame(conn, person, made.with_columns(created_at=pl.lit(now)))
            insert_frame(
                conn,
                registry_link,
                links.select(
                    "row_id", "person_id", "method", "match_weight", linked_at=pl.lit(now)
                ),
            )
            touched = g.filter(pl.col("person_id").is_not_null()).get_column("person_id")
            if touched.len():
                theirs = plan.all_rows.filter(pl.col("person_id").is_in(touched.implode())).drop(
                    "_pid", "_root", "is_new"
                )
                update_people(conn, person_attributes(theirs), actor=actor)
            new_people += made.height
            merged += touched.n_unique()
    queue = plan.queue
    for start in range(0, queue.height, max(1, batch_rows)):
        part = queue.slice(start, batch_rows)
        with engine.begin() as conn:
            there = read_frame(
                conn,
                select(registry_pair.c.row_l.label("id_l"), registry_pair.c.row_r.label("id_r")),
                schema_overrides={"id_l": pl.Int64, "id_r": pl.Int64},
            )
            part = part.join(there, on=["id_l", "id_r"], how="anti")
            if part.height:
                insert_frame(
                    conn,
                    registry_pair,
                    part.select(
                        pl.col("id_l").alias("row_l"),
                        pl.col("id_r").alias("row_r"),
                        "match_weight",
                        "match_probability",
                        dd.explain(part).alias("explain"),
                        pl.lit("pending").alias("status"),
                        pl.lit(now).alias("created_at"),
                    ),
                )
    return Run(new_people, merged, plan.expected_false_merges, plan.expected_missed, plan.two_niks)


@dataclasses.dataclass
class Run:
    """What :func:`_link_new` did: people made, existing people that gained rows, and the
    calibration of :func:`jaring.registry.dedupe.calibration`."""

    new_people: int
    merged: int
    expected_false_merges: float
    expected_missed: float
    two_niks: int = 0


def person_attributes(rows: pl.DataFrame) -> pl.DataFrame:
    """One person per ``person_id`` from its rows: each field from the most complete row
    that has it (a valid NIK first, then the most filled-in, then the earliest list; of two
    NIKs the most likely, :func:`jaring.registry.niks.candidates`);
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
    # rows with two NIKs: the most likely one (jaring.registry.niks), not the first
    likely = niks.candidates(rows.select("person_id", "nik", "birth_date", "sex", "district_code"))
    if likely.height:
        people = people.join(
            likely.filter("likely").select("person_id", _likely="nik"), on="person_id", how="left"
        ).with_columns(nik=pl.coalesce("_likely", "nik"))
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


def out_of_scope(conn: Connection, actor: Actor, person_ids: Sequence[int]) -> set[int]:
    """Which of ``person_ids`` live outside the actor's regions (none for an actor of every
    region)."""
    if actor.all_regions or not person_ids:
        return set()
    return set(person_ids) - ids_in_scope(conn, actor, list(person_ids))


def update_people(conn: Connection, people: pl.DataFrame, *, actor: Actor | None = None) -> None:
    """Write ``people`` (``id`` and the attributes of :func:`person_attributes`) over their
    rows of ``person``; an operator's choice of NIK (``registry_nik_choice``) stands over
    the NIK the rows give; every person whose attributes change gets an audit event
    (``registry.person_update``) with the fields before and after, by ``actor`` (``None``:
    the system)."""
    if "nik" in people.columns and people.height:
        chosen = dict(
            conn.execute(
                select(registry_nik_choice.c.person_id, registry_nik_choice.c.nik).where(
                    registry_nik_choice.c.person_id.in_(people.get_column("id").to_list())
                )
            ).all()
        )
        if chosen:
            people = people.with_columns(
                nik=pl.col("id").replace_strict(
                    chosen, default=pl.col("nik"), return_dtype=pl.String
                )
            )
    cols = [c for c in people.columns if c != "id"]
    if people.height == 0:
        return
    ids = people.get_column("id").to_list()
    before: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        q = select(person.c.id, *(person.c[c] for c in cols)).where(
            person.c.id.in_(ids[i : i + 500])
        )
        for r in conn.execute(q):
            before[int(r[0])] = to_jsonable(dict(zip(cols, r[1:], strict=True)))
    stmt = (
        update(person)
        .where(person.c.id == bindparam("b_id"))
        .values({c: bindparam(f"b_{c}") for c in cols})
    )
    written = people.to_dicts()
    conn.execute(stmt, [{f"b_{k}": v for k, v in w.items()} for w in written])
    changes = []
    for w in written:
        old = before.get(int(w["id"]), {})
        new = to_jsonable({c: w[c] for c in cols})
        diff = [c for c in cols if not _same(old.get(c), new.get(c))]
        if diff:
            changes.append((w["id"], {c: old.get(c) for c in diff}, {c: new.get(c) for c in diff}))
    audit.record_many(conn, actor, "registry.person_update", "person", changes)


def _same(a: Any, b: Any) -> bool:
    """Whether two stored values are the same (dates as text on SQLite, as dates on
    PostgreSQL: compared as their JSON text)."""
    return str(a) == str(b)
