"""The NIK's fast paths (16 plain digits, integer decode) against the rules as written."""

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from jaring.registry.nik import decode, decode_text, nik_text, shape, shape_general

TODAYS = [dt.date(2024, 12, 31), dt.date(2000, 2, 29), dt.date(1999, 1, 1), dt.date(2099, 12, 31)]


def both_decodes(digits: list[str], today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    frame = pl.DataFrame({"d": digits}, schema={"d": pl.String})
    by_number = decode(frame.select(_n=pl.col("d").cast(pl.Int64)), today)
    by_text = frame.select(decode_text(pl.col("d"), today))
    return by_number, by_text


def test_integer_decode_equals_text_decode_for_every_day_month_year() -> None:
    """All 10^6 day/month/year digit pairs: impossible dates (00, 13, 31 February, 29 February
    off leap years, day 40), women's days +40, both centuries."""
    d = pl.int_range(0, 1_000_000, eager=True).cast(pl.String).str.zfill(6)
    digits = pl.select(pl.format("927101{}0000", d)).to_series().to_list()
    for today in TODAYS:
        by_number, by_text = both_decodes(digits, today)
        assert_frame_equal(by_number, by_text)


sixteen = st.text(alphabet="0123456789", min_size=16, max_size=16)


@st.composite
def nik_like(draw: st.DrawFn) -> str:
    """16 digits with a date-like middle (day maybe +40) and a serial that may be 0000."""
    prefix = draw(st.sampled_from(["927101", "967105", "000000", "999999"]))
    day = draw(st.integers(0, 99))
    month = draw(st.integers(0, 14))
    year = draw(st.integers(0, 99))
    serial = draw(st.sampled_from(["0000", "0001", "9999"]) | st.from_regex(r"\A[0-9]{4}\Z"))
    return f"{prefix}{day:02d}{month:02d}{year:02d}{serial}"


@settings(max_examples=200, deadline=None)
@given(st.lists(sixteen | nik_like(), min_size=1, max_size=50), st.sampled_from(TODAYS))
def test_integer_decode_equals_text_decode(digits: list[str], today: dt.date) -> None:
    by_number, by_text = both_decodes(digits, today)
    assert_frame_equal(by_number, by_text)


digit_chars = "0123456789"
noise = " .-'`eE+,\t\u00a0\u0663x"  # separators, Excel's exponent, a no-break space, Arabic 3
texts = st.one_of(
    sixteen,
    nik_like(),
    st.text(alphabet=digit_chars * 4 + noise, max_size=22),
    st.sampled_from(["", " ", "9.27101E+15", "'9271010101800001", "9271010101800001.0"]),
    st.none(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(texts, st.none() | st.booleans()), max_size=40))
def test_shape_fast_path_equals_general_path(rows: list[tuple[str | None, bool | None]]) -> None:
    frame = pl.DataFrame(
        {"nik": [r[0] for r in rows], "nik_numeric": [r[1] for r in rows]},
        schema={"nik": pl.String, "nik_numeric": pl.Boolean},
    )
    assert_frame_equal(shape(nik_text(frame)), shape_general(nik_text(frame)))
    without = frame.drop("nik_numeric")
    assert_frame_equal(shape(nik_text(without)), shape_general(nik_text(without)))
