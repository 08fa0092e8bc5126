"""A batch file of claims as people type it: every row parsed as whole columns, a row that
cannot be assessed named with its reason, never blocking the others."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring import labels
from jaring.claims import batch
from jaring.errors import JaringError

HEAD = "membership_id,type,event_date,filed_on,wage,percent\n"


def test_each_problem_is_named_and_the_good_rows_kept(tmp_path: Path) -> None:
    f = tmp_path / "klaim.csv"
    f.write_text(
        HEAD
        + "1,jkm,2024-05-01,2024-05-10,,\n"
        + "x,jkm,2024-05-01,2024-05-10,,\n"
        + "2, JKK_DEATH ,2024-05-01,2024-05-10,1.500.000,\n"
        + "3,zzz,2024-05-01,2024-05-10,,\n"
        + "4,jkm,31/12/2024,2025-01-05,,\n"
        + "5,jkm,2024-05-01,,,\n"
        + "6,jkk_disability,2024-05-01,2024-05-10,dua juta,\n"
        + '7,jkk_disability,2024-05-01,2024-05-10,,"12,5"\n'
    )
    got = batch.read_claims(f)
    assert got["claim_ref"].to_list() == list(range(1, 9))
    assert got["problem"].to_list() == [
        None, "bad_membership_id", None, "bad_type", "bad_event_date", "bad_filed_on",
        "bad_number", None,
    ]  # fmt: skip
    assert got.row(2, named=True)["wage"] == 1_500_000 and got.row(2, named=True)["type"] == (
        "jkk_death"
    )
    assert got.row(7, named=True)["percent"] == 12.5
    assert got.row(0, named=True)["event_date"] == dt.date(2024, 5, 1)
    for code in batch.PROBLEMS:  # every problem has words in both languages
        assert labels.label("claim_row_problem", code, "id") != code
        assert labels.label("claim_row_problem", code, "en") != code


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "claims_columns"),
        (b"a,b\n1,2\n", "claims_columns"),
        (b"PK\x03\x04\x00\x00", "bad_file"),
        (b"membership_id,type,event_date,filed_on\n1,jkm,\x01\x02\x03,\n", "bad_file"),
    ],
)
def test_a_file_that_is_no_batch_is_refused(tmp_path: Path, content: bytes, code: str) -> None:
    f = tmp_path / "klaim.csv"
    f.write_bytes(content)
    with pytest.raises(JaringError) as e:
        batch.read_claims(f)
    assert e.value.code == code


# text as a spreadsheet holds it: any character but control characters (a file with more
# than one byte in twenty of them is refused as not text, bad_file: tested above)
typed = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12)
cell = st.one_of(typed, st.sampled_from(["2024-05-01", "1", "jkm", "", "12,5"]))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cell, cell, cell, cell), max_size=8))
def test_any_text_reads_without_error(tmp_path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "klaim.csv"
    pl.DataFrame(
        rows or None, schema=["membership_id", "type", "event_date", "filed_on"], orient="row"
    ).write_csv(f)
    got = batch.read_claims(f)
    assert got.height == len(rows)
    ok = got.filter(pl.col("problem").is_null())
    assert ok["membership_id"].null_count() == 0 and ok["event_date"].null_count() == 0
    assert set(got["problem"].drop_nulls()) <= set(batch.PROBLEMS)
