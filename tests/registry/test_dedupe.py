"""The pure dedupe parts (no store): connected components, NIK edges, and the whole model on
synthetic people with known duplicates, including the typing errors each blocking rule is
there for."""

import datetime as dt
import logging

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.demo.synth import people
from jaring.registry import dedupe


def test_components_chains_singletons_and_strangers() -> None:
    nodes = pl.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    edges = pl.DataFrame(
        {
            "id_l": [3, 1, 2, 6, 5, 8],
            "id_r": [4, 2, 3, 9, 99, 99],  # 99 is not a node: its edges are ignored
        }
    )
    comp = dedupe.components(nodes, edges).sort("node")
    assert comp.get_column("node").to_list() == list(range(1, 11))
    assert comp.get_column("root").to_list() == [1, 1, 1, 1, 5, 6, 7, 8, 6, 10]
    lonely = dedupe.components(nodes, edges.head(0)).sort("node")
    assert lonely.get_column("root").to_list() == list(range(1, 11))


def test_components_long_chain_converges() -> None:
    n = 300  # a chain resolves in a few passes thanks to pointer jumping
    edges = pl.DataFrame({"id_l": list(range(1, n)), "id_r": list(range(2, n + 1))})
    comp = dedupe.components(pl.Series(range(1, n + 1)), edges)
    assert comp.get_column("root").unique().to_list() == [1]


def _union_find(nodes: list[int], edges: list[tuple[int | None, int | None]]) -> dict[int, int]:
    parent = {n: n for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in nodes}


ids = st.one_of(st.integers(-5, 40), st.integers(2**40, 2**40 + 5))


@given(
    nodes=st.lists(ids, max_size=40),
    edges=st.lists(st.tuples(st.none() | ids, st.none() | ids), max_size=60),
)
def test_components_as_a_union_find(
    nodes: list[int], edges: list[tuple[int | None, int | None]]
) -> None:
    """Any ids (negative, beyond 32 bits, repeated), self-loops, repeated edges, edges to
    unknown or missing (null) nodes: each distinct node once, in ascending order, with the
    smallest node of its component."""
    frame = pl.DataFrame(
        {"id_l": [a for a, _ in edges], "id_r": [b for _, b in edges]},
        schema={"id_l": pl.Int64, "id_r": pl.Int64},
    )
    comp = dedupe.components(pl.Series(nodes, dtype=pl.Int64), frame)
    want = _union_find(sorted(set(nodes)), edges)
    assert comp.columns == ["node", "root"]
    assert comp.rows() == sorted(want.items())


def test_nik_edges_only_for_groups_with_a_new_row() -> None:
    records = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "nik": ["A", "A", "B", "B", "B", None],
            "is_new": [0, 0, 0, 1, 1, 1],
        }
    )
    edges = dedupe.nik_edges(records).sort("id_l", "id_r")
    # A has no new row: already linked earlier; B: a star on its lowest id
    assert edges.rows() == [(3, 4), (3, 5)]


def _records(n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``n`` synthetic people once each, plus second appearances with one kind of error
    each; returns (records, truth: id -> person_key)."""
    pop = people(n, seed=5).with_columns(
        name_norm=pl.col("name").str.to_lowercase(),
        phone=pl.lit(None, dtype=pl.String),
    )
    base = pop.select(
        "person_key", "nik", "name_norm", "birth_date", "sex", "district_code",
        "village_code", "phone",
    )  # fmt: skip
    step = 20
    picked = base.gather_every(step)
    k = picked.height // 4
    # 1. same NIK, typo in the name
    nik_dup = picked.slice(0, k).with_columns(pl.col("name_norm").str.replace("a", "e"))
    # 2. no NIK, first letter of the name mistyped (birth date + last name finds it)
    first_typo = picked.slice(k, k).with_columns(
        nik=pl.lit(None, dtype=pl.String),
        name_norm=pl.lit("x") + pl.col("name_norm").str.slice(1),
    )
    # 3. no NIK, day and month swapped (name + birth year finds it)
    d = pl.col("birth_date")
    swappable = picked.slice(2 * k, 2 * k).filter((d.dt.day() <= 12) & (d.dt.day() != d.dt.month()))
    swapped = swappable.with_columns(
        nik=pl.lit(None, dtype=pl.String),
        birth_date=pl.date(d.dt.year(), d.dt.day(), d.dt.month()),
    )
    frame = pl.concat([base, nik_dup, first_typo, swapped]).with_columns(
        id=pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    )
    return frame.drop("person_key"), frame.select("id", "person_key")


def _pair_quality(clusters: pl.DataFrame, truth: pl.DataFrame) -> tuple[float, float]:
    j = clusters.join(truth, on="id")

    def pairs(keys: list[str]) -> int:
        n = j.group_by(keys).len().get_column("len").cast(pl.Int64)
        return int((n * (n - 1) // 2).sum())

    tp = pairs(["cluster", "person_key"])
    return tp / pairs(["cluster"]), tp / pairs(["person_key"])


def test_link_records_finds_each_kind_of_duplicate(caplog: pytest.LogCaptureFixture) -> None:
    records, truth = _records(4000)
    with caplog.at_level(logging.DEBUG, logger="jaring.registry.dedupe"):
        clusters = dedupe.link_records(records)
    assert clusters.height == records.height
    precision, recall = _pair_quality(clusters, truth)
    assert precision >= 0.97 and recall >= 0.97, (precision, recall)
    # every stage is timed for the benchmark, without row data in the message
    stages = [r for r in caplog.records if hasattr(r, "stage")]
    assert {r.stage for r in stages} >= {"blocking", "predict (scoring)", "connected components"}
    assert all(r.wall >= 0 and r.cpu >= 0 for r in stages)
    assert not any(
        n in r.getMessage() for r in caplog.records for n in records["nik"].drop_nulls().head(50)
    )


def test_link_records_small_input() -> None:
    one = pl.DataFrame(
        {
            "id": [1],
            "nik": ["9671010101800001"],
            "name_norm": ["ali"],
            "birth_date": [dt.date(1980, 1, 1)],
            "sex": ["L"],
            "district_code": ["96.71.01"],
            "village_code": [None],
            "phone": [None],
        }
    )
    assert dedupe.link_records(one).rows() == [(1, 1)]


def test_incremental_candidates_keep_every_pair_touching_a_new_row() -> None:
    """Only the existing rows that share a blocking key with a new row go into Splink; the
    pairs touching a new row are exactly those of the full self-join."""
    import duckdb

    records, _ = _records(3000)
    cut = records.height - 150
    raw = records.with_columns(is_new=(pl.col("id") > cut).cast(pl.Int8))
    recs = dedupe._records(raw)  # as the rules read them
    lean = dedupe._scoring_records(raw)[0]  # as the blocking and Splink see them
    con = duckdb.connect()
    cands = dedupe._candidates(con, lean)
    assert cands.schema == lean.schema
    assert cands.get_column("id").is_sorted()
    assert 150 < cands.height < recs.height // 2
    con.register("x", recs.to_arrow())
    full = " UNION ".join(
        f"SELECT l.id AS a, r.id AS b FROM x l JOIN x r ON {rule} WHERE l.id < r.id"
        for rule in dedupe.BLOCKING_RULES
    )
    touching = {i for pair in con.sql(full).fetchall() for i in pair}
    new = set(recs.filter(pl.col("is_new") == 1).get_column("id").to_list())
    assert set(cands.get_column("id").to_list()) == touching | new
    scored = dedupe.score_pairs(raw, min_probability=0.5)
    assert scored.height > 0
    assert scored.filter((pl.col("id_l") <= cut) & (pl.col("id_r") <= cut)).height == 0


def _scored(**cols: list) -> pl.DataFrame:
    n = len(cols["id_l"])
    base = {
        "match_weight": [0.0] * n,
        "mw_nik": [0.0] * n,
        "hold": [None] * n,
        "nik_head_same": [False] * n,
    }
    return pl.DataFrame({**base, **cols}, schema_overrides={"hold": pl.String})


def test_a_nik_typo_with_name_and_birth_date_alike_links_whatever_the_probability() -> None:
    # typo levels: 1 shift, 2 one digit, 3 one digit against its birth date, 5 Papua code
    scored = _scored(
        id_l=[1, 3, 5, 7, 9, 11, 13],
        id_r=[2, 4, 6, 8, 10, 12, 14],
        match_probability=[0.6] * 7,
        gamma_nik=[2, 1, 2, 2, 4, 0, 6],
        gamma_name_norm=[4, 3, 4, 0, 4, 5, 5],
        gamma_birth_date=[4, 2, 2, 4, 4, 4, 4],
        hold=[None, None, None, None, None, None, "nik_conflict"],
    )
    d = dedupe.decide(scored)
    # a digit with the same birth date, a shift with two of three parts: links
    assert sorted(d.links.get_column("id_l").to_list()) == [1, 3]
    # one digit with the birth date two of three (the NIKs agree with it: strangers born a
    # year apart look so), names apart, a serial level, NIKs apart, a hold: asked instead
    assert sorted(d.queue.get_column("id_l").to_list()) == [5, 7, 9, 11, 13]
    # the NIKs share region and date part: a serial one digit apart is not a typo the rule
    # trusts (twins), a serial with a digit dropped or doubled is (serials are not issued so)
    same_head = scored.with_columns(nik_head_same=pl.lit(True))
    assert dedupe.decide(same_head).links.get_column("id_l").to_list() == [3]


def test_one_nik_links_when_names_are_alike_and_the_birth_date_partly_agrees() -> None:
    scored = _scored(
        id_l=[1, 3, 5, 7, 9],
        id_r=[2, 4, 6, 8, 10],
        match_probability=[0.6] * 5,
        gamma_nik=[6] * 5,
        gamma_name_norm=[1, 2, 1, 0, 4],
        gamma_birth_date=[2, 0, 0, 4, 2],
        hold=[None, None, None, "nik_conflict", "nik_conflict"],
    )
    d = dedupe.decide(scored)
    # names alike and two of day, month and year; names very alike, the date mistyped further
    assert sorted(d.links.get_column("id_l").to_list()) == [1, 3]
    # names barely alike and the birth date apart; the conflicts: asked, never linked
    assert sorted(d.queue.get_column("id_l").to_list()) == [5, 7, 9]


def test_the_queue_asks_only_about_rows_in_two_people() -> None:
    queue = pl.DataFrame({"id_l": [1, 1, 4], "id_r": [2, 3, 5], "match_probability": [0.7] * 3})
    clusters = pl.DataFrame({"id": [1, 2, 3, 4, 5], "cluster": [1, 1, 3, 4, 4]})
    asked = dedupe.open_questions(queue, clusters)
    assert asked.select("id_l", "id_r").rows() == [(1, 3)]
    assert dedupe.review_clusters(asked, clusters) == 1


def test_a_comparison_the_model_lacks_neither_links_nor_leaves_the_queue() -> None:
    # a list too small to train on comes back without some comparisons (null levels)
    scored = _scored(
        id_l=[1],
        id_r=[2],
        match_probability=[0.9],
        gamma_nik=[None],
        gamma_name_norm=[5],
        gamma_birth_date=[4],
        nik_head_same=[None],
    )
    d = dedupe.decide(scored)
    assert d.links.height == 0
    assert d.queue.select("id_l", "id_r").rows() == [(1, 2)]


def test_frames_with_lists_of_text_reach_duckdb_in_the_older_layout() -> None:
    """Lists of text go to DuckDB copied into Arrow's older layout (Polars' string views in
    lists gathered by a join can fail Arrow's validation); other frames as string views."""
    import pyarrow as pa

    names = dedupe._name_table(pl.Series(["yohanis r", "maria", "a b", None]))
    rows = pl.DataFrame({"name_norm": ["maria", "a b", "x", None, "yohanis r"]}).join(
        names.select("name_norm", "name_initials", "name_single"), on="name_norm", how="left"
    )
    table = dedupe._arrow(rows)
    table.validate(full=True)
    assert table.schema.field("name_single").type.value_type in (pa.string(), pa.large_string())
    plain = dedupe._arrow(rows.select("name_norm"))
    assert plain.schema.field("name_norm").type == pa.string_view()
