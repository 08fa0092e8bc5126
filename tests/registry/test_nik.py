"""NIK rules (RULES.md section 6), vectorised."""

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.registry.nik import validate

TODAY = dt.date(2024, 12, 31)


def one(nik, birth_date=None, sex=None) -> dict:
    frame = pl.DataFrame(
        {"nik": [nik], "birth_date": [birth_date], "sex": [sex]},
        schema={"nik": pl.String, "birth_date": pl.Date, "sex": pl.String},
    )
    row = validate(frame, today=TODAY).row(0, named=True)
    row["codes"] = [i["code"] for i in row["nik_issues"]]
    return row


def test_valid_man_old_code_maps_to_new() -> None:
    r = one("9271010101800001")
    assert r["nik_clean"] == "9271010101800001"
    assert r["nik_birth_date"] == dt.date(1980, 1, 1)
    assert r["nik_sex"] == "L"
    assert r["nik_district_code"] == "96.71.01"
    assert r["nik_error"] is None and r["codes"] == []


def test_woman_day_plus_40_new_code() -> None:
    r = one("9671054112850002")
    assert r["nik_birth_date"] == dt.date(1985, 12, 1)
    assert r["nik_sex"] == "P"
    assert r["nik_district_code"] == "96.71.05"


def test_only_ascii_digits_make_a_nik() -> None:
    """A NIK is 16 digits 0-9. Other scripts' digits (an Arabic-Indic three, a full-width
    one) are not digits of a NIK: refused, never stored as the NIK."""
    for typed in (
        "927101010180000\u0663",
        "\uff19271010101800001"[:16],
        "9271 0101 0180 000\u0663",
    ):
        r = one(typed)
        assert r["codes"] == ["nik_not_digits"], typed
        assert r["nik_clean"] is None and r["nik_error"] == "nik_not_digits"
    assert one("\u0669\u0662\u0667\u0661" + "010101800001")["codes"] == ["nik_not_digits"]


def test_excel_mangled() -> None:
    r = one("9.27101E+15")
    assert r["nik_error"] == "nik_excel_mangled" and r["nik_clean"] is None


def test_numeric_cell_flag_is_mangled() -> None:
    frame = pl.DataFrame({"nik": ["9271010101800000"], "nik_numeric": [True]})
    assert validate(frame, today=TODAY)["nik_error"].item() == "nik_excel_mangled"


def test_non_digits() -> None:
    assert one("92710101018O0001")["nik_error"] == "nik_not_digits"


def test_length() -> None:
    r = one("927101010180001")
    assert r["nik_error"] == "nik_length"
    assert r["nik_issues"][0]["detail"] == "15"


def test_impossible_date() -> None:
    assert one("9271013102800001")["nik_error"] == "nik_date_invalid"  # 31 February
    assert one("9271017313800001")["nik_error"] == "nik_date_invalid"  # day 33 for a woman
    assert one("9271010113800001")["nik_error"] == "nik_date_invalid"  # month 13


def test_serial_zero() -> None:
    assert one("9271010101800000")["nik_error"] == "nik_serial_zero"


def test_unknown_region_is_a_warning() -> None:
    r = one("0000010101800001")
    assert r["nik_error"] is None
    assert r["nik_clean"] == "0000010101800001"
    assert "nik_region_unknown" in r["codes"]


def test_missing_is_a_warning() -> None:
    r = one(None)
    assert r["nik_error"] is None and r["codes"] == ["nik_missing"]


def test_spaces_and_apostrophe_are_tolerated() -> None:
    assert one("'9271 0101 0180 0001")["nik_clean"] == "9271010101800001"


def test_cross_checks_give_both_values() -> None:
    r = one("9271010101800001", dt.date(1980, 1, 2), "P")
    issues = {i["code"]: i for i in r["nik_issues"]}
    assert issues["nik_birth_date_mismatch"]["value"] == "1980-01-02"
    assert issues["nik_birth_date_mismatch"]["detail"] == "1980-01-01"
    assert issues["nik_sex_mismatch"]["value"] == "P"
    assert issues["nik_sex_mismatch"]["detail"] == "L"
    assert r["nik_error"] is None


@settings(max_examples=200, deadline=None)
@given(
    birth=st.dates(min_value=dt.date(1925, 1, 1), max_value=TODAY),
    female=st.booleans(),
    serial=st.integers(1, 9999),
    district=st.sampled_from(["967101", "967110", "927105", "317101"]),
)
def test_generated_niks_decode(birth: dt.date, female: bool, serial: int, district: str) -> None:
    day = birth.day + (40 if female else 0)
    nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    r = one(nik)
    assert r["nik_clean"] == nik
    assert r["nik_birth_date"] == birth
    assert r["nik_sex"] == ("P" if female else "L")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_garbage_never_valid_unless_16_digits(text: str) -> None:
    r = one(text)
    if r["nik_clean"] is not None:
        assert len(r["nik_clean"]) == 16 and r["nik_clean"].isdigit()


def _on(nik: str, today: dt.date) -> dict:
    frame = pl.DataFrame({"nik": [nik]}, schema={"nik": pl.String})
    return validate(frame, today=today).row(0, named=True)


def test_birth_century_keeps_the_date_on_or_before_the_lists_date() -> None:
    # 14-12-24 on a list of 5 December 2024: 14 December 2024 is in the future, so 1924.
    r = _on("9271011412240001", dt.date(2024, 12, 5))
    assert r["nik_birth_date"] == dt.date(1924, 12, 14) and r["nik_error"] is None
    # the same NIK on a list of 14 December 2024 or later: born that day in 2024
    assert _on("9271011412240001", dt.date(2024, 12, 14))["nik_birth_date"] == dt.date(2024, 12, 14)
    # a woman (day + 40) born 5 December: 54 -> day 14 as above
    assert _on("9271015412240002", dt.date(2024, 12, 5))["nik_birth_date"] == dt.date(1924, 12, 14)
    # an earlier year of this century is always 20xx; a later two-digit year is 19xx
    assert _on("9271010101230001", dt.date(2024, 12, 5))["nik_birth_date"] == dt.date(2023, 1, 1)
    assert _on("9271010101250001", dt.date(2024, 12, 5))["nik_birth_date"] == dt.date(1925, 1, 1)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)),
    st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
)
def test_decoded_birth_date_is_never_after_the_lists_date(born: dt.date, today: dt.date) -> None:
    nik = f"927101{born.day:02d}{born.month:02d}{born.year % 100:02d}0001"
    got = _on(nik, today)["nik_birth_date"]
    assert got is not None and got <= today
    assert (got.month, got.day, got.year % 100) == (born.month, born.day, born.year % 100)
    # the latest such date: in 19xx only when the same day in 20xx is after the list's date
    if got.year < 2000:
        assert dt.date(got.year + 100, got.month, got.day) > today
