"""The chunk layout (registry.chunks, pure): cells as lists, the codec, and how an import's
rows and issues are cut into chunks."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.registry import chunks
from jaring.registry.chunks import ISSUE_COLUMNS, VALUE_COLUMNS, VALUE_SCHEMA

cell = st.one_of(st.none(), st.text(max_size=6))


@given(
    st.integers(0, 5).flatmap(
        lambda w: st.lists(st.lists(cell, min_size=w, max_size=w), max_size=30).map(
            lambda rows: (w, rows)
        )
    )
)
def test_as_lists_is_concat_list(case: tuple[int, list[list[str | None]]]) -> None:
    width, rows = case
    names = chunks.cells(width)
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    got = chunks.as_lists(frame, names)
    assert got.to_list() == [list(r) for r in rows]
    if width:
        assert got.equals(frame.select(pl.concat_list(names).alias("raw")).to_series())


def test_encode_decode_round_trip_and_column_choice() -> None:
    frame = pl.DataFrame(
        {"row_number": [2, 3], "c0": ["x", None], "c1": ["", "é"]},
        schema={"row_number": pl.Int32, "c0": pl.String, "c1": pl.String},
    )
    data = chunks.encode(frame)
    assert chunks.decode(data).equals(frame)
    assert chunks.decode(data, ["c1"]).columns == ["c1"]
    assert chunks.columns_of(data) == ["row_number", "c0", "c1"]
    assert [c for c in chunks.columns_of(data) if chunks.is_cell(c)] == ["c0", "c1"]
    assert not chunks.is_cell("code") and not chunks.is_cell("c")


def _rows(parts: list[tuple[int, int]]) -> pl.DataFrame:
    """Rows of consecutive parts: ``(part, n)`` each; width 2 cells, values naming the row."""
    part_col = [p for p, n in parts for _ in range(n)]
    total = len(part_col)
    return pl.DataFrame(
        {
            "_part": pl.Series(part_col, dtype=pl.Int32),
            "row_number": pl.Series(range(2, total + 2), dtype=pl.Int32),
            "status": ["accepted"] * total,
            **{c: pl.Series([None] * total, dtype=VALUE_SCHEMA[c]) for c in VALUE_COLUMNS},
            "c0": [f"r{i}" for i in range(total)],
            "c1": [f"s{i}" for i in range(total)],
        }
    )


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 9), min_size=1, max_size=4),
    size=st.integers(1, 4),
    picks=st.sets(st.integers(0, 40)),
)
def test_split_cuts_parts_and_takes_issues_along(
    sizes: list[int], size: int, picks: set[int]
) -> None:
    """Each chunk holds consecutive rows of one part, at most CHUNK_ROWS; ids follow
    ``first_row``; every issue lands in its row's chunk at the row's position there."""
    parts = list(enumerate(sizes))
    rows = _rows(parts)
    on = sorted(p for p in picks if p < rows.height)
    issues = pl.DataFrame(
        {
            "_row": pl.Series(on, dtype=pl.UInt32),
            **{c: [f"{c}{p}" for p in on] for c in ISSUE_COLUMNS},
        }
    )
    out = list(
        chunks.split(
            rows, issues, [p for p, _ in parts], [2] * len(parts), first_row=100, chunk_rows=size
        )
    )
    assert sum(c.rows for c in out) == rows.height
    seen = 0
    for c in out:
        assert 1 <= c.rows <= size and c.first_row == 100 + seen
        body = chunks.decode(c.data)
        assert body.get_column("c0").to_list() == [f"r{i}" for i in range(seen, seen + c.rows)]
        assert set(rows.slice(seen, c.rows).get_column("_part")) == {c.part}
        mine = [p - seen for p in on if seen <= p < seen + c.rows]
        if c.issues is None:
            assert mine == []
        else:
            got = chunks.decode(c.issues)
            assert got.get_column("row").to_list() == mine
            assert got.get_column("code").to_list() == [f"code{p + seen}" for p in mine]
        seen += c.rows


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet=st.sampled_from(list("ab Z.\t\u00a0\u3000\n'é")), max_size=8),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_trimmed_values_are_what_validation_makes(texts: list[str | None]) -> None:
    """Name, address and occupation are not stored in a chunk but read from their cells with
    ``chunks.trimmed``: that must be exactly the value validation gives them."""
    import datetime as dt

    from jaring.registry import intake
    from jaring.registry.columns import FIELDS

    n = len(texts)
    given = {"name": texts, "address": texts[::-1], "occupation": texts, "nik": ["x"] * n}
    frame = pl.DataFrame(
        {f: given.get(f, [None] * n) for f in FIELDS}, schema=dict.fromkeys(FIELDS, pl.String)
    ).with_columns(row_number=pl.int_range(2, n + 2, dtype=pl.Int32))
    rows, _ = intake.validate_long(frame, listed_on=dt.date(2024, 1, 1))
    derived = frame.select(chunks.trimmed(pl.col(c)).alias(c) for c in chunks.TRIMMED)
    assert rows.select(chunks.TRIMMED).equals(derived)
    assert set(chunks.TRIMMED).isdisjoint(chunks.STORED_VALUES)
