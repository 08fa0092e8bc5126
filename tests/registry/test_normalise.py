"""Dates, names, phones, sex and rupiah as Indonesians type them."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.registry.normalise import (
    normalise_name,
    normalise_one,
    normalise_phone,
    normalise_place,
    normalise_sex,
    parse_date,
    parse_rupiah,
)


def apply(fn, values):  # type: ignore[no-untyped-def]
    return (
        pl.DataFrame({"x": values}, schema={"x": pl.String})
        .select(fn(pl.col("x")).alias("x"))["x"]
        .to_list()
    )


@pytest.mark.parametrize(
    "text",
    [
        "31/12/1980",
        "31-12-1980",
        "31.12.1980",
        "1980-12-31",
        "1980-12-31 00:00:00",
        "31 Desember 1980",
        "31 Des 1980",
        "31-des-1980",
        "31 December 1980",
        "29586",
    ],
)
def test_date_forms(text: str) -> None:
    assert apply(parse_date, [text]) == [dt.date(1980, 12, 31)]


@pytest.mark.parametrize("text", ["31/02/1980", "00/01/1980", "abc", "", "12/31/80", "1/1/80"])
def test_impossible_or_ambiguous_dates_are_null(text: str) -> None:
    assert apply(parse_date, [text]) == [None]


@pytest.mark.parametrize(
    ("month", "name"),
    [(8, "Agustus"), (8, "Agt"), (5, "Mei"), (10, "Okt"), (11, "Nopember"), (2, "Pebruari")],
)
def test_indonesian_month_names(month: int, name: str) -> None:
    assert apply(parse_date, [f"5 {name} 1975"]) == [dt.date(1975, month, 5)]


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(1910, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_round_trip(d: dt.date) -> None:
    texts = [d.strftime("%d/%m/%Y"), d.strftime("%d-%m-%Y"), d.isoformat()]
    serial = (d - dt.date(1899, 12, 30)).days
    assert apply(parse_date, [*texts, str(serial)]) == [d] * 4


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("H. Muh. Ali", "muhammad ali"),
        ("Hj.  SITI aminah", "siti aminah"),
        ("Ir. Budi Santoso, M.M", "budi santoso"),
        ("M. Yusuf", "m yusuf"),  # an initial: Muhammad, or in Papua Markus, Maria
        ("M. Mobalen", "m mobalen"),
        ("Mhd. Yusuf", "muhammad yusuf"),
        ("Moh Rizal", "muhammad rizal"),
        ("Maria Yoku, S.Pd", "maria yoku"),
        ("Drs. Petrus Kambu", "petrus kambu"),
        ("Yohana Mayor, A.Md", "yohana mayor"),
        ("  ", None),
    ],
)
def test_names(raw: str, norm: str | None) -> None:
    assert apply(normalise_name, [raw]) == [norm]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30))
def test_name_normalisation_is_idempotent(name: str) -> None:
    once = apply(normalise_name, [name])[0]
    if once is not None:
        assert apply(normalise_name, [once]) == [once]


_NAME_PARTS = st.sampled_from(
    ["ali", "Siti", "H.", "hj", "Muh.", "M", "moh", "muhammad", "S.Pd", "ma", "Ir", "O'Neil"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="abcXYZ .,'\t-9\u00a0\u00e9", max_size=20),
        st.lists(_NAME_PARTS, max_size=5).map(" ".join),
        st.lists(_NAME_PARTS, max_size=5).map("  ".join).map(lambda x: f" {x} "),
    )
)
def test_one_name_is_normalised_as_a_column_is(name: str) -> None:
    """The search box's one-value normaliser equals the import's expression."""
    assert normalise_one(name) == apply(normalise_name, [name])[0]


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 345 678", "+62812345678"),
        ("6281234567890", "+6281234567890"),
        ("812345678", "+62812345678"),
        ("0951 321456", "+62951321456"),
        ("123", None),
        ("08123", None),
    ],
)
def test_phones(raw: str, phone: str | None) -> None:
    assert apply(normalise_phone, [raw]) == [phone]


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("L", "L"),
        ("Laki-laki", "L"),
        ("PRIA", "L"),
        ("P", "P"),
        ("Perempuan", "P"),
        ("Wanita", "P"),
        ("X", None),
    ],
)
def test_sex(raw: str, sex: str | None) -> None:
    assert apply(normalise_sex, [raw]) == [sex]


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("Rp 1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1.5 jt", 1_500_000),
        ("2000000,00", 2_000_000),
        ("abc", None),
    ],
)
def test_rupiah(raw: str, amount: int | None) -> None:
    assert apply(parse_rupiah, [raw]) == [amount]


def test_place_prefixes() -> None:
    assert apply(normalise_place, ["Distrik Sorong Timur", "KEC. Sorong", "Kel. Klawalu"]) == [
        "sorong timur",
        "sorong",
        "klawalu",
    ]
