"""Review on the store, on SQLite and PostgreSQL: clusters, bulk accept after a sample, undo,
merges that carry every reference to the person (plan lines), a person with two NIKs."""

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, insert, select, text

from jaring.access import Actor
from jaring.demo.hardlists import hard_list, write_csv
from jaring.errors import JaringError
from jaring.registry.actions import decisions, imports, linking
from jaring.registry.actions import niks as nik_actions
from jaring.registry.dedupe import Thresholds
from jaring.registry.queries import niks as nik_queries
from jaring.registry.queries import review
from jaring.store.tables.programs import plan, plan_line, program
from jaring.store.tables.registry import person, registry_link

SYSTEM = Actor.system()
OPS = Actor(username="ops", role="operator")


@pytest.fixture
def hard(engine, tmp_path: Path, store_copies):  # type: ignore[no-untyped-def]
    """A small hard list imported and deduplicated with a strict match threshold, so that
    the queue has pairs of every kind (made once per test process and dialect, then copied:
    ``store_copies``)."""

    def build():  # type: ignore[no-untyped-def]
        frame = hard_list(500, seed=5)
        write_csv(frame, tmp_path / "hard.csv")
        imports.import_files(
            engine, SYSTEM, [tmp_path / "hard.csv"], "Hard", listed_on=dt.date(2024, 1, 1)
        )
        return linking.dedupe(engine, SYSTEM, thresholds=Thresholds(match=0.9999999, review=0.5))

    return store_copies.once(engine, "registry.test_review.hard", tmp_path, build)


def _plan_for(conn, person_ids: list[int], name: str) -> int:  # type: ignore[no-untyped-def]
    prog = conn.execute(
        insert(program).values(
            name=name,
            funder_type="apbd",
            funder_region="96.71",
            fiscal_year=2025,
            budget=10_000_000,
            segment="bpu",
            income_base=1_000_000,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            rules={},
        )
    ).inserted_primary_key[0]
    pid = conn.execute(
        insert(plan).values(
            program_id=prog,
            name=name,
            scenario="full",
            budget=10_000_000,
            from_month=dt.date(2025, 1, 1),
            settings={},
            summary={},
        )
    ).inserted_primary_key[0]
    for p in person_ids:
        conn.execute(
            insert(plan_line).values(
                plan_id=pid,
                person_id=p,
                start_month=dt.date(2025, 1, 1),
                months=12,
                cost=201_600,
            )
        )
    return int(pid)


def test_review_in_clusters_bulk_accept_undo_and_merges_carry_plan_lines(engine, hard) -> None:  # type: ignore[no-untyped-def]
    assert hard.review > 0 and hard.expected_missed >= 0 and hard.expected_false_merges >= 0
    clusters = review.review_clusters(engine, OPS, limit=1000)
    assert sum(len(c.pairs) for c in clusters) == hard.review
    sizes = [len(c.people) for c in clusters]
    assert sizes == sorted(sizes, reverse=True)  # the decisions that change most first
    # a pair that joins two people: give both plan lines, one plan holding both
    pair = next(
        p for c in clusters for p in c.pairs
        if p.left.person and p.right.person and p.left.person != p.right.person
        and "hold" not in p.explain
    )  # fmt: skip
    keep, gone = sorted((pair.left.person, pair.right.person))
    with engine.begin() as conn:
        _plan_for(conn, [gone], "Only the merged one")
        _plan_for(conn, [keep, gone], "Both")
    d = decisions.review_decide(engine, OPS, pair.pair, True, reason="same KTP")
    assert (d.person, d.merged) == (keep, gone)
    with engine.connect() as conn:
        lines = conn.execute(select(plan_line.c.person_id)).scalars().all()
        assert sorted(lines) == [keep, keep]  # carried; the duplicate line in "Both" dropped
        assert conn.execute(select(func.count()).where(person.c.id == gone)).scalar_one() == 0
    # undo: the rows that came with the merged person leave again, the pair is pending
    undone = decisions.review_undo(engine, OPS, pair.pair, reason="wrong")
    assert undone.rows and undone.from_person == keep and undone.person not in (None, keep)
    assert pair.pair in {p.pair for p in review.review_list(engine, OPS, limit=10_000)}
    with pytest.raises(JaringError) as e:
        decisions.review_undo(engine, OPS, pair.pair)
    assert e.value.code == "pair_pending"
    # bulk: a sample first, then every pair above, held pairs left for one look each
    sample = review.sample_above(engine, OPS, 0.98, 5, seed=1)
    assert sample.count >= len(sample.sample) and len(sample.sample) <= 5
    assert all(p.match_probability >= 0.98 for p in sample.sample)
    bulk = decisions.accept_above(engine, OPS, 0.98, reason="checked a sample")
    assert bulk.decided + len(bulk.conflicts) == sample.count
    left = [p for p in review.review_list(engine, OPS, limit=10_000) if p.match_probability >= 0.98]
    assert all("hold" in p.explain for p in left)
    with engine.connect() as conn:
        audited = conn.execute(
            text("SELECT count(*) FROM audit_event WHERE action = 'registry.review'")
        ).scalar_one()
    assert audited == 1 + bulk.decided  # every decision audited
    with pytest.raises(JaringError) as e:
        decisions.accept_above(engine, OPS, 0.2)
    assert e.value.code == "bad_threshold"


def test_a_person_with_two_niks_is_flagged_and_an_operator_picks(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame = hard_list(400, seed=9)
    # one person typed twice, the second time with a digit of the NIK changed
    first = frame.filter(pl.col("nik").is_not_null()).row(0, named=True)
    typo = first["nik"][:5] + str((int(first["nik"][5]) + 1) % 10) + first["nik"][6:]
    extra = pl.DataFrame([{**first, "id": frame.height + 1, "nik": typo}], schema=frame.schema)
    write_csv(pl.concat([frame, extra]), tmp_path / "two.csv")
    imports.import_files(
        engine, SYSTEM, [tmp_path / "two.csv"], "Two", listed_on=dt.date(2024, 1, 1)
    )
    d = linking.dedupe(engine, SYSTEM)
    assert d.two_niks >= 1
    flagged = nik_queries.two_nik_people(engine, OPS)
    mine = next(t for t in flagged if {c.nik for c in t.candidates} >= {first["nik"], typo})
    assert mine.chosen is None and mine.likely in {c.nik for c in mine.candidates}
    other = typo if mine.likely != typo else first["nik"]
    out = nik_actions.choose_nik(engine, OPS, mine.person, other, reason="KTP seen")
    assert out.nik == other
    again = nik_queries.two_nik_people(engine, OPS, person_id=mine.person)
    assert again[0].chosen == other
    # the choice stands when the person's attributes are recomputed (a later run)
    linking.dedupe(engine, SYSTEM)
    with engine.connect() as conn:
        assert (
            conn.execute(select(person.c.nik).where(person.c.id == mine.person)).scalar_one()
            == other
        )
        rows = (
            conn.execute(
                select(registry_link.c.row_id).where(registry_link.c.person_id == mine.person)
            )
            .scalars()
            .all()
        )
    assert len(rows) >= 2
    with pytest.raises(JaringError) as e:
        nik_actions.choose_nik(engine, OPS, mine.person, "9671010101800001")
    assert e.value.code == "nik_not_of_person"


def test_undo_puts_back_every_reference_the_merge_carried(engine, hard) -> None:  # type: ignore[no-untyped-def]
    """An accepted merge carries the merged person's membership, coverage and plan lines to
    the kept person (dropping a plan line the kept one already has); its undo moves each of
    them to the person made again, brings the dropped line back, and the audit names who."""
    from jaring.store.tables.programs import coverage_period, membership

    clusters = review.review_clusters(engine, OPS, limit=1000)
    pair = next(
        p for c in clusters for p in c.pairs
        if p.left.person and p.right.person and p.left.person != p.right.person
        and "hold" not in p.explain
    )  # fmt: skip
    keep, gone = sorted((pair.left.person, pair.right.person))
    with engine.begin() as conn:
        only = _plan_for(conn, [gone], "Only the merged one")
        both = _plan_for(conn, [keep, gone], "Both")
        prog = conn.execute(select(plan.c.program_id).where(plan.c.id == only)).scalar_one()
        mid = conn.execute(
            insert(membership).values(
                program_id=prog,
                person_id=gone,
                segment="bpu",
                income_base=1_000_000,
                state="active",
                start_month=dt.date(2025, 1, 1),
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(coverage_period).values(
                membership_id=mid,
                person_id=gone,
                program_id=prog,
                segment="bpu",
                start_date=dt.date(2025, 1, 1),
                end_date=dt.date(2025, 12, 31),
            )
        )
        # a stale address, so that the merge's recomputed attributes change something
        conn.execute(person.update().where(person.c.id == keep).values(address="(lama)"))
    decisions.review_decide(engine, OPS, pair.pair, True, reason="same KTP")
    with engine.connect() as conn:
        assert conn.execute(select(membership.c.person_id)).scalars().all() == [keep]
        assert conn.execute(select(coverage_period.c.person_id)).scalars().all() == [keep]
        by = conn.execute(
            text("SELECT actor FROM audit_event WHERE action = 'registry.person_update'")
        ).scalars()
        assert set(by) == {"ops"}  # the merge's new attributes are the operator's doing
    undone = decisions.review_undo(engine, OPS, pair.pair, reason="two people after all")
    back = undone.person
    assert back is not None and back not in (keep, gone) and undone.from_person == keep
    with engine.connect() as conn:
        assert conn.execute(select(membership.c.person_id)).scalars().all() == [back]
        assert conn.execute(select(coverage_period.c.person_id)).scalars().all() == [back]
        lines = sorted(
            tuple(r) for r in conn.execute(select(plan_line.c.plan_id, plan_line.c.person_id))
        )
        assert lines == sorted([(only, back), (both, keep), (both, back)])
        last = conn.execute(
            text(
                "SELECT actor, after FROM audit_event WHERE action = 'registry.review_undo' "
                "ORDER BY id DESC"
            )
        ).first()
    after = last[1] if last is not None and isinstance(last[1], dict) else json.loads(last[1])
    assert last[0] == "ops" and after["references"] == 4  # 3 moved, 1 dropped line back
    # the person made again can be merged again: accepting the pair once more carries all back
    again = decisions.review_decide(engine, OPS, pair.pair, True, reason="checked again")
    assert (again.person, again.merged) == (keep, back)
    with engine.connect() as conn:
        assert conn.execute(select(membership.c.person_id)).scalars().all() == [keep]


def test_merge_keeps_one_nik_choice_and_undo_gives_the_other_back(engine, hard) -> None:  # type: ignore[no-untyped-def]
    from jaring.store.tables.registry import registry_nik_choice

    clusters = review.review_clusters(engine, OPS, limit=1000)
    pair = next(
        p for c in clusters for p in c.pairs
        if p.left.person and p.right.person and p.left.person != p.right.person
        and "hold" not in p.explain
    )  # fmt: skip
    keep, gone = sorted((pair.left.person, pair.right.person))
    now = dt.datetime(2025, 1, 2, 3, 4, 5)
    with engine.begin() as conn:
        for p, nik in ((keep, "9271010101900001"), (gone, "9271010101900002")):
            conn.execute(
                insert(registry_nik_choice).values(
                    person_id=p, nik=nik, decided_by="sup", decided_at=now
                )
            )
    decisions.review_decide(engine, OPS, pair.pair, True, reason="same KTP")
    with engine.connect() as conn:
        assert conn.execute(select(registry_nik_choice.c.person_id)).scalars().all() == [keep]
    undone = decisions.review_undo(engine, OPS, pair.pair, reason="two people")
    with engine.connect() as conn:
        got = conn.execute(
            select(
                registry_nik_choice.c.person_id,
                registry_nik_choice.c.nik,
                registry_nik_choice.c.decided_at,
            ).order_by(registry_nik_choice.c.nik)
        ).all()
    assert [tuple(r) for r in got] == [
        (keep, "9271010101900001", now),
        (undone.person, "9271010101900002", now),
    ]
