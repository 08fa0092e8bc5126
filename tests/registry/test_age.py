"""Age at the list date as people count it (``intake.age_on``) and the working-age check
(``intake.outside_ages``), against the plain arithmetic: the difference of the years, less
one while the birthday has not come yet. Born on 29 February: a year older on 1 March in a
common year."""

import datetime as dt

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jaring.registry.columns import FIELDS
from jaring.registry.intake import WORKING_AGES, age_on, outside_ages, validate_rows


def reference_age(birth: dt.date, on: dt.date) -> int:
    """Whole years from ``birth`` to ``on``, as relativedelta(on, birth).years counts them."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def near(on: dt.date, years: int, days: int) -> dt.date:
    """The day ``years`` before ``on`` (28 February for 29 February in a common year), moved
    by ``days``: the birthdays around a bound."""
    try:
        day = on.replace(year=on.year - years)
    except ValueError:
        day = dt.date(on.year - years, 2, 28)
    return day + dt.timedelta(days=days)


dates = st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31))
list_dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
around_bounds = st.builds(
    lambda on, years, days: (near(on, years, days), on),
    list_dates,
    st.sampled_from([14, 15, 16, 89, 90, 91, 92]),
    st.integers(-3, 3),
)


def check(pairs: list[tuple[dt.date | None, dt.date]], on: dt.date) -> None:
    births = pl.DataFrame({"b": [b for b, _ in pairs]}, schema={"b": pl.Date})
    got = births.select(
        age=age_on(pl.col("b"), on), outside=outside_ages(pl.col("b"), on, WORKING_AGES)
    )
    low, high = WORKING_AGES
    ages = [None if b is None else reference_age(b, on) for b, _ in pairs]
    assert got.schema == pl.Schema({"age": pl.Int32, "outside": pl.Boolean})
    assert got["age"].to_list() == ages
    assert got["outside"].to_list() == [a is not None and not low <= a <= high for a in ages]


@settings(max_examples=300, deadline=None)
@given(st.lists(dates | st.none(), max_size=20), list_dates)
@example([dt.date(2008, 2, 29), dt.date(1932, 2, 29), dt.date(2000, 2, 29)], dt.date(2023, 3, 1))
@example([dt.date(2008, 2, 29), dt.date(1932, 2, 29), dt.date(2000, 2, 29)], dt.date(2023, 2, 28))
@example([dt.date(2008, 2, 29), dt.date(2009, 3, 1), dt.date(2009, 2, 28)], dt.date(2024, 2, 29))
@example([dt.date(1933, 3, 1), dt.date(1933, 2, 28), dt.date(1933, 2, 27)], dt.date(2024, 2, 29))
def test_age_is_the_years_less_one_before_the_birthday(
    births: list[dt.date | None], on: dt.date
) -> None:
    check([(b, on) for b in births], on)


@settings(max_examples=300, deadline=None)
@given(around_bounds)
def test_the_day_before_on_and_after_a_birthday_at_each_bound(
    pair: tuple[dt.date, dt.date],
) -> None:
    check([pair], pair[1])


def test_born_on_29_february_is_a_year_older_on_1_march_in_a_common_year() -> None:
    births = pl.DataFrame({"b": [dt.date(2008, 2, 29)]})
    on_28, on_1 = dt.date(2023, 2, 28), dt.date(2023, 3, 1)
    assert births.select(age_on(pl.col("b"), on_28)).item() == 14
    assert births.select(age_on(pl.col("b"), on_1)).item() == 15
    assert births.select(outside_ages(pl.col("b"), on_28, WORKING_AGES)).item()
    assert not births.select(outside_ages(pl.col("b"), on_1, WORKING_AGES)).item()


def test_validation_warns_by_the_age_people_count() -> None:
    """On 1 January 2024: a day before the 15th birthday, age 14; on it, none (days // 365.25
    said 14); on the 91st birthday, age 91 (it said 90, no warning), a day after, 91; the day
    before it and on the 90th birthday, none."""
    on = dt.date(2024, 1, 1)
    births = ["02/01/2009", "01/01/2009", "01/01/1933", "31/12/1932", "02/01/1933", "01/01/1934"]
    given = {"name": ["Ali"] * len(births), "birth_date": births}
    frame = pl.DataFrame(
        {f: given.get(f, [None] * len(births)) for f in FIELDS},
        schema=dict.fromkeys(FIELDS, pl.String),
    ).with_columns(row_number=pl.Series(range(2, 2 + len(births)), dtype=pl.Int32))
    v = validate_rows(frame, listed_on=on, region="96.71")
    found = [
        [i["detail"] for i in row if i["code"] == "birth_date_out_of_range"]
        for row in v["issues"].to_list()
    ]
    assert found == [["14"], [], ["91"], ["91"], [], []]
