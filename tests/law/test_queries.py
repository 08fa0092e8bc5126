"""What the front ends ask of the law: a contribution from typed input, a file of workers, the
parameters in force; and how its refusals read in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jaring.errors import JaringError
from jaring.law import errors, queries
from jaring.law.parameters import ParameterError, load

ON = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"segment": None}, "segment"),
        ({"segment": "bpu"}, "income"),
        ({"segment": "pu", "risk": "rendah"}, "wage"),
        ({"segment": "pu", "wage": 3_000_000}, "risk"),
    ],
)
def test_a_missing_input_is_refused_by_its_field(kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(JaringError) as e:
        queries.contribution(on=ON, **kwargs)
    assert (e.value.code, e.value.context["field"]) == ("missing_option", field)
    assert "--" not in e.value.message("en") and "--" not in e.value.message("id")


def test_a_contribution_from_typed_input() -> None:
    assert queries.contribution("BPU", ON, income=1_000_000).total == 16_800
    assert queries.contribution("pu", ON, wage=12_000_000, risk="Sangat_Rendah").total > 0
    with pytest.raises(JaringError) as e:
        queries.contribution("bpjs", ON, income=1)
    assert (e.value.code, e.value.context["value"]) == ("unknown_segment", "bpjs")


def test_a_file_of_workers(tmp_path: Path) -> None:
    src = tmp_path / "w.csv"
    src.write_text("segment,income\nbpu,1000000\nbpu,2500000\n", encoding="utf-8")
    out = queries.contribution_file(src, ON, tmp_path / "out.parquet")
    assert (out.rows, out.totals["total"], out.on) == (2, 16_800 + 32_800, ON)
    assert out.output == str(tmp_path / "out.parquet")
    with pytest.raises(JaringError) as e:
        queries.contribution_file(src, ON, tmp_path / "out.xlsx")
    assert (e.value.code, e.value.context["file"]) == ("bad_file_type", "out.xlsx")
    (tmp_path / "n.csv").write_text("income\n1\n", encoding="utf-8")
    with pytest.raises(JaringError) as e:
        queries.contribution_file(tmp_path / "n.csv", ON, None)
    assert e.value.message("en") == "Column segment is missing from n.csv."
    bad = tmp_path / "w.csv"
    bad.write_text("segment,income\nbpu,1000000\nbpu,-3\n", encoding="utf-8")
    with pytest.raises(JaringError) as e:
        queries.contribution_file(bad, ON, None)
    assert (e.value.code, e.value.context["row"], e.value.context["file"]) == (
        "negative_income",
        2,
        str(bad),
    )
    assert e.value.message("id") == (
        "Penghasilan tidak boleh negatif (baris 2, kolom income, nilai -3)"
    )
    assert e.value.message("en") == "Income must not be negative (row 2, field income, value -3)"


def test_parameters_in_force_name_what_is_missing() -> None:
    rows = queries.parameters_in_force(dt.date(2026, 6, 1), "en")
    missing = [r for r in rows if isinstance(r, queries.ParameterMissing)]
    assert [r.parameter for r in missing] == ["pu.jkp_rate", "pu.jp_wage_cap"]
    assert all(r.error == "parameter_unknown" and "2026-06-01" in r.message for r in missing)
    values = {r.parameter: r for r in rows if isinstance(r, queries.ParameterValue)}
    assert values["bpu.jkm"].value == 6_800 and values["bpu.jkm"].label


def test_one_value_refused_reads_in_both_languages() -> None:
    one = errors.of_value(errors.UNKNOWN_RISK, "risk", "ekstrem")
    assert one.message("id").endswith("(risk = 'ekstrem')")
    assert one.message("en").startswith("Unknown or empty risk group")
    assert one.to_dict("en")["value"] == "ekstrem"


def test_a_malformed_parameter_file_names_its_problem_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "x" / "y.yaml"
    path.parent.mkdir()
    path.write_text(
        "description: t\nlabel: {id: a, en: b}\nunit: table\ncolumns: [lower]\n"
        "values:\n  2015-07-01: {value: [], reference: r, confidence: likely}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError) as e:
        load(tmp_path)
    assert e.value.code == "parameter_invalid"
    file = e.value.context["file"]
    assert file.endswith("x/y.yaml")
    assert (
        e.value.message("en") == f"Invalid parameter file {file}: 2015-07-01: a table needs rows."
    )
    assert e.value.message("id") == (
        f"Berkas parameter {file} tidak sah: 2015-07-01: tabel harus daftar baris."
    )
