"""The registry's holds across regions: twins (one birth date, NIK serials one apart, another
given name) and one NIK on two people are never linked across two Pemda, whatever the model
scores; the pairs the registry would ask about go back to the Pemda for a decision, those it
judges two people do not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jaring.national import dedupe, engines, results, snapshot, synth

from .conftest import model


def _person(pid: int, nik: str, name: str, born: dt.date, sex: str, village: str,
            phone: str | None) -> dict[str, object]:  # fmt: skip
    return {"person_id": pid, "nik": nik, "name_norm": name, "birth_date": born, "sex": sex,
            "province_code": village[:2], "regency_code": village[:5],
            "district_code": village[:8], "village_code": village, "phone": phone}  # fmt: skip


# Each case: a person listed by the city 32.01 and one listed by the province 32, beside it
BORN = dt.date(1990, 5, 15)
CASES = {
    # twins: one birth date, one family name, one village and phone, serials 0001 and 0002
    "twins": (
        _person(9001, "3201011505900001", "yohanis wonatorei", BORN, "L", "32.01.01.2001",
                "+628111111111"),
        _person(9001, "3201011505900002", "markus wonatorei", BORN, "L", "32.01.01.2001",
                "+628111111111"),
    ),
    # one NIK, two people: names, birth dates and sex in conflict, the rest the same
    "nik_conflict": (
        _person(9002, "3201010203850007", "petrus kambu", dt.date(1985, 3, 2), "L",
                "32.01.02.2003", "+628122222222"),
        _person(9002, "3201010203850007", "selina rumbiak", dt.date(1992, 11, 20), "P",
                "32.01.02.2003", "+628122222222"),
    ),
    # one human typed twice (a letter of the name, the phone left out): still linked
    "same": (
        _person(9003, "3201014408770003", "mariana sawaki", dt.date(1977, 8, 4), "P",
                "32.01.03.2004", "+628133333333"),
        _person(9003, "3201014408770003", "mariana sawaky", dt.date(1977, 8, 4), "P",
                "32.01.03.2004", None),
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small national set (two regencies and their province) with the cases planted."""
    nat = synth.generate(1500, n_regencies=2, provinces=("32",), seed=5)
    out = tmp_path_factory.mktemp("national_holds")
    for pemda, side in (("32.01", 0), ("32", 1)):
        people = snapshot.conform("people", nat.tables[pemda]["people"])
        extra = pl.DataFrame([c[side] for c in CASES.values()], schema=dict(people.schema))
        snapshot.write(out / pemda, pemda, {"people": pl.concat([people, extra])}, region=pemda)
    snapshot.write(out / "32.02", "32.02", {"people": nat.tables["32.02"]["people"]})
    return out


def _pair(res: dedupe.Result, pid: int) -> dict[str, Any]:
    hit = res.pairs.filter(
        (pl.col("person_l") == pid) & (pl.col("person_r") == pid)
        & (pl.struct("pemda_l", "pemda_r").struct.json_encode().str.contains("32.01"))
        & (pl.struct("pemda_l", "pemda_r").struct.json_encode().str.contains('"32"'))
    )  # fmt: skip
    assert hit.height == 1, hit
    return hit.row(0, named=True)


def test_twins_and_one_nik_two_people_are_never_linked(
    duck: engines.DuckDBEngine, planted: Path, clear_dir: Path, tmp_path: Path
) -> None:
    ms = snapshot.read_all([str(planted / p) for p in ("32", "32.01", "32.02")])
    res = dedupe.run(duck, ms, model=model(clear_dir))
    twins, conflict, same = _pair(res, 9001), _pair(res, 9002), _pair(res, 9003)
    # the model alone would have linked the twins and the shared NIK
    assert twins["match_probability"] >= 0.99, twins
    assert conflict["match_probability"] >= 0.5, conflict
    assert (twins["hold"], twins["link"]) == ("twins", False)
    assert (conflict["hold"], conflict["link"]) == ("nik_conflict", False)
    assert (same["hold"], same["link"]) == (None, True)
    assert '"code": "twins"' in str(twins["explain"])
    # no held pair is a link, and no cluster joins the held people
    assert res.pairs.filter(pl.col("hold").is_not_null() & pl.col("link")).height == 0
    clustered = res.clusters.filter(pl.col("person_id").is_in([9001, 9002]))
    assert clustered.height == 0
    # the shared NIK goes back to both Pemda for a decision; the twins to neither
    results.write(res, tmp_path)
    for pemda in ("32", "32.01"):
        back = results.back_to(tmp_path, pemda)
        assert 9002 in back.get_column("person_id").to_list()
        assert 9001 not in back.get_column("person_id").to_list()
    assert res.for_review.filter(pl.col("hold") == "nik_conflict").height == 1
