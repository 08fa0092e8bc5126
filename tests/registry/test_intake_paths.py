"""Reading and validation's fast paths against the ways they replaced: the UTF-8 check and
head decoding, value ids, combinations, spreading back, and the issues' order."""

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jaring.errors import JaringError
from jaring.registry import files, intake
from jaring.registry.intake import (
    _combinations,
    _each,
    _key_positions,
    _positions,
    _where,
    combination_ids,
    infer_regency,
    is_utf8,
    validate_rows,
    value_ids,
)

small_texts = st.lists(st.sampled_from(["a", "b", " a", "", "é"]) | st.none(), max_size=30)


def ids_of(values: list[str | None]) -> pl.Series:
    return pl.DataFrame({"v": values}, schema={"v": pl.String}).select(value_ids(pl.col("v")))["v"]


@settings(max_examples=100, deadline=None)
@given(small_texts)
def test_value_ids_are_equal_exactly_where_the_text_is(values: list[str | None]) -> None:
    ids = ids_of(values).to_list()
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            assert (ids[i] == ids[j]) == (a == b)
    assert [i is None for i in ids] == [v is None for v in values]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5) | st.none(), st.integers(0, 300) | st.none()), max_size=30
    ),
    st.sampled_from([2**62, 4, 50]),  # small limits force the dense renumbering
)
def test_combination_ids_are_equal_exactly_where_every_id_is(
    pairs: list[tuple[int | None, int | None]], limit: int
) -> None:
    a = pl.Series([p[0] for p in pairs], dtype=pl.UInt32)
    b = pl.Series([p[1] for p in pairs], dtype=pl.UInt32)
    key = combination_ids([a, b, a], limit=limit).to_list()
    for i, p in enumerate(pairs):
        for j, q in enumerate(pairs):
            assert (key[i] == key[j]) == (p == q)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 6) | st.none(), max_size=30))
def test_positions_by_id_equal_positions_by_join(ids: list[int | None]) -> None:
    """Dense ids (as a Categorical of its own gives them) are their positions; the same ids
    spread apart (x3) take the join; both point every row to its value's row."""
    dense = pl.Series(ids, dtype=pl.UInt32).rank("dense").cast(pl.UInt32) - 1
    apart = dense * 3

    distinct = dense.unique().sort(nulls_last=True)

    def table(scale: int) -> pl.DataFrame:
        return pl.DataFrame({"_id": distinct * scale, "x": distinct.cast(pl.String) + "!"})

    by_id = _positions(table(1), dense)
    assert by_id.to_list() == _positions(table(3), apart).to_list()
    x = table(1)["x"]
    assert [x[i] for i in by_id.to_list()] == [
        None if i is None else f"{i}!" for i in dense.to_list()
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 30) | st.none(), min_size=1, max_size=40),
    st.lists(st.integers(0, 39), max_size=40),
    st.integers(-1, 30),
)
def test_each_and_where_are_the_tables_values_at_every_position(
    values: list[int | None], picks: list[int], bound: int
) -> None:
    """``_where`` tests a condition holding on no row, a few (``is_in``) or many (a gather)
    of the table as the condition on the gathered values; ``_each`` is the gather."""
    table = pl.DataFrame({"v": values}, schema={"v": pl.Int64})
    at = pl.DataFrame({"_at": [p % len(values) for p in picks]}, schema={"_at": pl.UInt32})
    cond = pl.col("v") > bound
    got = at.select(each=_each(table, "_at", pl.col("v")), where=_where(table, "_at", cond))
    expected = [values[i] for i in at["_at"].to_list()]
    assert got["each"].to_list() == expected
    assert got["where"].to_list() == [v is not None and v > bound for v in expected]
    assert got.schema == pl.Schema({"each": pl.Int64, "where": pl.Boolean})


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["96.71.01", "96.71.02", None]),
            st.sampled_from(["a", "b", " a", "", None]),
        ),
        max_size=30,
    )
)
def test_combinations_are_the_first_rows_of_each_and_every_row_points_to_its_own(
    rows: list[tuple[str | None, str | None]],
) -> None:
    codes = [r[0] for r in rows]
    names = [r[1] for r in rows]
    frame = pl.DataFrame(
        {"code": codes, "name": names}, schema={"code": pl.String, "name": pl.String}
    )
    ids = [frame.select(value_ids(pl.col(c))).to_series() for c in frame.columns]
    combos, at = _combinations(frame, ids)
    seen: list[tuple[str | None, str | None]] = []
    for pair in zip(codes, names, strict=True):
        if pair not in seen:
            seen.append(pair)
    assert combos.rows() == seen
    assert at.dtype == pl.UInt32
    assert [seen[i] for i in at.to_list()] == list(zip(codes, names, strict=True))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30), st.sampled_from([1, 10**9]))
def test_key_positions_point_every_key_to_its_row(keys: list[int], scale: int) -> None:
    """Small keys go through the array, large ones (x 10**9) through the join."""
    table = pl.Series(keys, dtype=pl.Int64).unique(maintain_order=True) * scale
    at = _key_positions(table, pl.Series(keys, dtype=pl.Int64) * scale)
    assert [table[i] for i in at.to_list()] == [k * scale for k in keys]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["96.71.01", "96.71.06", "91.71.01", "91.71.02", "92.01.01"])
            | st.none(),
            st.integers(1, 4),
        ),
        max_size=12,
    )
)
def test_infer_regency_with_counts_is_infer_regency_of_the_codes_repeated(
    weighed: list[tuple[str | None, int]],
) -> None:
    codes = pl.Series("nik_district_code", [c for c, _ in weighed], dtype=pl.String)
    counts = pl.Series([n for _, n in weighed], dtype=pl.Int64)
    repeated = pl.Series(
        "nik_district_code", [c for c, n in weighed for _ in range(n)], dtype=pl.String
    )
    assert infer_regency(codes, counts) == infer_regency(repeated)


def test_cross_checks_come_after_the_niks_own_issues_and_before_the_rows() -> None:
    """The NIK's cross-checks with the typed date and sex run in validation itself, beside the
    NIK's own checks: the order of a row's issues is the one they had inside nik.validate."""
    fields = ["birth_place", "address", "village", "district", "phone", "occupation", "income"]
    frame = pl.DataFrame(
        {
            "nik": ["9271014101800000", "9271010101800001"],
            "name": ["", ""],
            "birth_date": ["02/01/1980", "02/01/1980"],
            "sex": ["P", "P"],
            "desil": ["11", "11"],
            "row_number": [2, 3],
            **{f: [None, None] for f in fields},
        },
        schema_overrides={f: pl.String for f in fields},
    )
    v = validate_rows(frame, listed_on=dt.date(2024, 1, 1), region="96.71")
    codes = [[i["code"] for i in row] for row in v["issues"].to_list()]
    assert codes == [
        ["nik_serial_zero", "name_missing", "desil_invalid"],
        ["nik_birth_date_mismatch", "nik_sex_mismatch", "name_missing", "desil_invalid"],
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=40)
    | st.text(max_size=20).map(str.encode)
    | st.text(max_size=20).map(lambda s: s.encode("utf-8-sig"))
    | st.sampled_from([b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xef\xbb\xbf\xff"])
)
def test_is_utf8_judges_as_decode_does(data: bytes) -> None:
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert is_utf8(data) == valid


def reference_text(data: bytes) -> str:
    """The whole file decoded at once (:func:`jaring.registry.files.decode_text`: UTF-16,
    UTF-8, else byte by byte Windows-1252; NUL removed; binary refused)."""
    return files.decode_text(data, "x.csv")


def outcome(data: bytes, from_file: bool = False) -> tuple:  # type: ignore[type-arg]
    """What reading ``data`` gives: as bytes, or (``from_file``) from a file holding them, as
    ``read_file`` reads a CSV (Polars reads the file itself; only its head is read here)."""
    try:
        if from_file:
            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / "x.csv"
                path.write_bytes(data)
                sheet = intake._read_csv(path, "x.csv")
        else:
            sheet = intake._read_csv(data, "x.csv")
    except JaringError as e:
        return ("refused", e.code)
    return (sheet.headers, sheet.mapping, sheet.frame.rows())


lines = st.lists(st.text(alphabet="ab,;é\u20ac\U0001f600\r\u2028", max_size=12), max_size=8).map(
    "\n".join
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["NIK,Nama\n", "Nama;Tgl Lahir\n", "DAFTAR\nNIK,Nama Lengkap\n", ""]),
    lines.map(str.encode)
    | lines.map(lambda s: s.encode("utf-8-sig"))
    | lines.map(lambda s: s.encode("cp1252", errors="replace"))
    | st.binary(max_size=40),
    st.integers(1, 12),
    st.integers(1, 4),
)
@example(head="NIK,Nama\n", rest="\U0001f600\U0001f600x".encode(), head_chars=2, scan=1)
@example(head="NIK,Nama\n", rest="Ren\xe9,x".encode("cp1252"), head_chars=1_000, scan=10)
# a quote never closed: the same refusal either way (it was Polars' own error, uncaught)
@example(head="NIK,Nama\n", rest=b'a,b\n"a', head_chars=2, scan=1)
# not UTF-8 only after the head: Polars' own check refuses it, the file is read as Windows-1252
@example(
    head="NIK,Nama\n", rest=b"a,b\n" * 10 + "Ren\xe9,x\n".encode("cp1252"), head_chars=10, scan=1
)
def test_a_csv_reads_as_its_whole_decoding_would(
    head: str, rest: bytes, head_chars: int, scan: int
) -> None:
    """UTF-8 only when the whole file is, else Windows-1252, though the file is never decoded
    whole: the same sheet (or refusal) as reading the file decoded whole and written back as
    UTF-8. Small limits, so that cut characters, very long lines and short files all occur."""
    data = head.encode() + rest
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(intake, "_HEAD_CHARS", head_chars)
        mp.setattr(intake, "HEADER_SCAN", scan)
        try:
            expected = outcome(reference_text(data).encode("utf-8"))
        except JaringError as e:
            expected = ("refused", e.code)
        assert outcome(data) == expected
        assert outcome(data, from_file=True) == expected
