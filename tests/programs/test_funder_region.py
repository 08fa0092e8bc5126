"""The paying region of a program is a region that exists: a typo is refused when the
program is made or changed, and nothing is stored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.programs import actions, queries
from jaring.programs.actions.programs import check_funder_region

SYSTEM = Actor.system()


def test_a_code_no_region_has_is_refused_and_nothing_stored(engine: Engine) -> None:
    with pytest.raises(JaringError) as e:
        actions.create_program(
            engine, SYSTEM, name="Salah ketik", fiscal_year=2024, budget=1, funder_region="96.17"
        )
    assert e.value.code == "unknown_funder_region" and "96.17" in e.value.message()
    assert queries.list_programs(engine, SYSTEM) == []

    p = actions.create_program(
        engine, SYSTEM, name="Sorong", fiscal_year=2024, budget=1, funder_region=" 96.71 "
    )
    assert p.funder_region == "96.71"
    with pytest.raises(JaringError) as e:
        actions.update_program(engine, SYSTEM, p.id, funder_region="9671")
    assert e.value.code == "unknown_funder_region"
    assert queries.find_program(engine, p.id).funder_region == "96.71"
    assert actions.update_program(engine, SYSTEM, p.id, funder_region="96").funder_region == "96"
    assert actions.update_program(engine, SYSTEM, p.id, funder_region="").funder_region is None


@given(st.text(alphabet="0123456789. ", max_size=14))
def test_only_codes_of_the_region_list_pass(code: str) -> None:
    from jaring.registry import regions

    known = regions.name_of(code.strip()) is not None
    try:
        got = check_funder_region(code)
    except JaringError as e:
        assert e.code == "unknown_funder_region" and not known
    else:
        assert got == (code.strip() or None) and (known or got is None)
