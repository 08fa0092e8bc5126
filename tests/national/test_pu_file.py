"""The BPJS list of PU participants read as whole columns: the same months as the one-text
rule (:func:`pu.months`) for every row understood, every other row rejected by its line and
column, and the good rows kept whatever the bad ones."""

import datetime as dt
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring.national import pu

month_text = st.one_of(
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1890, 2110), st.integers(0, 13)),
    st.sampled_from(["", "March", "2026-1", "2026-03-01", " 2026-04 "]),
)
part = st.one_of(
    month_text,
    st.builds(lambda a, b: f"{a}..{b}", month_text, month_text),
    st.builds(lambda a, b, c: f"{a}..{b}..{c}", month_text, month_text, month_text),
    st.sampled_from(["2026-01..", "..2026-01", "2026.01", "2026-01...2026-02"]),
)
months_cell = st.lists(part, min_size=0, max_size=3).map(";".join)
nik = st.one_of(
    st.from_regex(r"\A9671[0-9]{12}\Z"),
    st.sampled_from(["", "12345", "96710101019000011", "967101010190000x"]),
)
rows = st.lists(st.tuples(nik, st.sampled_from(["PT A", " PT B ", ""]), months_cell), max_size=12)


def write(path: Path, data: list[tuple[str, str, str]]) -> Path:
    pl.DataFrame(
        {"nik": [r[0] for r in data], "employer": [r[1] for r in data],
         "months": [r[2] for r in data]},
        schema={"nik": pl.String, "employer": pl.String, "months": pl.String},
    ).write_csv(path)  # fmt: skip
    return path


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows)
def test_columns_agree_with_the_one_text_rule(tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    got = pu.read_rows(write(tmp_path / "pu.csv", data))
    want: set[tuple[str, str, dt.date]] = set()
    rejected = []
    for line, (n, employer, text) in enumerate(data, start=2):
        ms = pu.months(text)
        good_nik = len(n.strip()) == 16 and n.strip().isdigit()
        if not good_nik:
            rejected.append((line, "nik"))
        elif ms is None:
            rejected.append((line, "months"))
        else:
            want |= {(n.strip(), employer.strip(), m) for m in ms}
    assert set(got.months.iter_rows()) == want
    assert got.months.height == len(want)
    assert list(got.rejected.iter_rows()) == rejected


def test_a_bad_row_never_blocks_the_good_ones(tmp_path: Path) -> None:
    f = tmp_path / "pu.csv"
    f.write_text(
        "NIK , Employer,MONTHS\n9671010101900001,PT A,2026-01..2026-03\n12345,PT B,2026-01\n"
        "9671010101900002,PT C,2026-05..2026-04\n9671010101900003,PT D,2026-02;;2026-04\n"
    )
    got = pu.read_rows(f)
    assert got.rejected.to_dicts() == [
        {"row": 3, "column": "nik"},
        {"row": 4, "column": "months"},
    ]
    assert got.months.get_column("month").dt.strftime("%Y-%m").to_list() == [
        "2026-01", "2026-02", "2026-03", "2026-02", "2026-04",
    ]  # fmt: skip


def test_a_workbook_is_read_like_a_csv(tmp_path: Path) -> None:
    data = [("9671010101900001", "PT A", "2026-01..2026-02"), ("1", "PT B", "2026-01")]
    csv = pu.read_rows(write(tmp_path / "pu.csv", data))
    book = tmp_path / "pu.xlsx"
    pl.read_csv(tmp_path / "pu.csv", infer_schema=False).write_excel(book)
    xlsx = pu.read_rows(book)
    assert xlsx.months.equals(csv.months) and xlsx.rejected.equals(csv.rejected)
