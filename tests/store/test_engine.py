"""Engine settings Jaring relies on, on both dialects."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text


def test_errors_do_not_carry_bound_values(engine: Engine) -> None:
    """A failing statement's message must not repeat its parameters: NIKs travel in them and
    error messages reach the logs (UU 27/2022)."""
    nik = "9671012345670001"  # synthetic
    with pytest.raises(Exception) as caught, engine.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table WHERE nik = :nik"), {"nik": nik})
    assert nik not in str(caught.value)
