"""Field rules on any input (hypothesis): the parsers of what phones and ODK send never fail
and keep their promises."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.field import odk, rules
from jaring.field.rules import Record

RECEIVED = dt.datetime(2026, 12, 5, 3, 0, 0)


@given(st.text(min_size=1).filter(lambda t: t.strip() and "/" not in t))
def test_instance_ids_carry_the_uuid_prefix_once(text: str) -> None:
    iid = odk.instance_id({"_uuid": text})
    assert iid is not None and iid.startswith("uuid:")
    assert odk.instance_id({"KEY": iid}) == iid  # the same submission, whichever export


@given(st.text(max_size=40))
def test_registered_at_never_in_the_future(text: str) -> None:
    at, day = rules.registered_at(Record(client_id="x" * 8, registered_at=text), RECEIVED)
    assert at <= RECEIVED + dt.timedelta(minutes=10)
    assert isinstance(day, dt.date)


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2026, 12, 5, 3)),
    st.integers(min_value=-11, max_value=14),
)
def test_the_day_is_the_phone_s(when: dt.datetime, offset: int) -> None:
    zone = dt.timezone(dt.timedelta(hours=offset))
    local = when.replace(tzinfo=dt.UTC).astimezone(zone)
    at, day = rules.registered_at(
        Record(client_id="x" * 8, registered_at=local.isoformat()), RECEIVED
    )
    assert day == local.date()
    assert at == when.replace(microsecond=0)


@settings(deadline=None)  # the first example loads the region lists
@given(
    st.dictionaries(
        st.sampled_from(["nik", "name", "district_code", "phone", "unknown", "consent"]),
        st.one_of(st.none(), st.text(max_size=20), st.booleans()),
    )
)
def test_any_record_is_checked_without_failing(data: dict[str, object]) -> None:
    record = Record.of({"client_id": "abcdefgh", **data})
    issues = rules.field_issues(record, ("96.71",))
    assert all(i["severity"] in ("error", "warning") for i in issues)
    assert rules.status_of(issues, None) in rules.STATUSES
