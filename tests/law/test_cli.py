"""`jaring law ...` through a real process, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from tests.clirun import jaring

ROOT = Path(__file__).resolve().parents[2]


def process(*args: str) -> subprocess.CompletedProcess[str]:
    """A real ``python -m jaring`` process (slow to start: used for the issue's examples)."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "JARING_LANG": "id"}
    return subprocess.run(
        [sys.executable, "-m", "jaring", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_real_process_examples_from_the_issue() -> None:
    p = process(
        "law",
        "contribution",
        "--segment",
        "bpu",
        "--income",
        "2500000",
        "--on",
        "2024-03-01",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["total"] == 32_800
    p = process(
        "law",
        "contribution",
        "--segment",
        "bpu",
        "--income",
        "-1",
        "--on",
        "2024-03-01",
        "--lang",
        "en",
    )
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [
        "jaring: Income must not be negative (income = -1) (--income) [negative_income]"
    ]


def ok_json(*args: str) -> dict:  # type: ignore[type-arg]
    p = jaring(*args, "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)  # type: ignore[no-any-return]


def test_bpu_contribution_json() -> None:
    out = ok_json(
        "law", "contribution", "--segment", "bpu", "--income", "2500000", "--on", "2024-03-01"
    )
    assert {k: out[k] for k in ("base", "jkk", "jkm", "jht", "total")} == {
        "base": 2_600_000,
        "jkk": 26_000,
        "jkm": 6_800,
        "jht": 0,
        "total": 32_800,
    }
    assert out["explanation"][1]["parameter"] == "bpu.jkk_rate"
    assert out["explanation"][1]["reference"]
    out = ok_json(
        "law",
        "contribution",
        "--segment",
        "bpu",
        "--income",
        "1000000",
        "--on",
        "2026-05-01",
        "--jht",
        "--paid-by",
        "self",
    )
    assert (out["jht"], out["discount"], out["total"]) == (20_000, 8_400, 28_400)


def test_pu_contribution_json() -> None:
    out = ok_json(
        "law",
        "contribution",
        "--segment",
        "pu",
        "--wage",
        "12000000",
        "--risk",
        "sangat-rendah",
        "--on",
        "2024-06-01",
    )
    assert [
        out[k]
        for k in ("jkk", "jkm", "jht_employer", "jht_worker", "jp_employer", "jp_worker", "total")
    ] == [
        28_800,
        36_000,
        444_000,
        240_000,
        200_846,
        100_423,
        1_050_069,
    ]


def test_text_output_shows_references() -> None:
    p = jaring(
        "law", "contribution", "--segment", "bpu", "--income", "1000000", "--on", "2024-03-01"
    )
    assert p.returncode == 0
    assert "Rp16.800" in p.stdout and "PP 44/2015" in p.stdout


@pytest.mark.parametrize(
    ("args", "code", "english"),
    [
        (
            ["--segment", "bpu", "--income", "-5", "--on", "2024-03-01"],
            "negative_income",
            "must not be negative",
        ),
        (["--segment", "bpu", "--income", "5", "--on", "2015-06-30"], "date_before_law", "before"),
        (
            ["--segment", "pu", "--wage", "5", "--risk", "ekstrem", "--on", "2024-03-01"],
            "unknown_risk",
            "risk group",
        ),
        (
            ["--segment", "pu", "--wage", "5", "--risk", "rendah", "--on", "2026-03-01"],
            "parameter_unknown",
            "pu.jp_wage_cap",
        ),
        (["--segment", "bpu", "--income", "5", "--on", "kemarin"], "bad_date", "Not a date"),
        (["--segment", "bpu", "--on", "2024-03-01"], "missing_option", "--income"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], code: str, english: str) -> None:
    p = jaring("law", "contribution", *args)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert code in p.stderr
    p = jaring("law", "contribution", *args, "--lang", "en")
    assert p.returncode == 2 and english in p.stderr


def test_file_through_the_vectorised_path(tmp_path: Path) -> None:
    src = tmp_path / "workers.csv"
    src.write_text(
        "segment,income,wage,risk,jht\n"
        "bpu,2500000,,,0\n"
        "bpu,1000000,,,1\n"
        "pu,,12000000,sangat-rendah,0\n",
        encoding="utf-8",
    )
    out = ok_json(
        "law",
        "contribution",
        "--input",
        str(src),
        "--on",
        "2024-03-01",
        "--output",
        str(tmp_path / "out.parquet"),
    )
    assert out["rows"] == 3
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame["total"].to_list()[:2] == [32_800, 36_800]
    assert out["totals"]["total"] == sum(frame["total"].to_list())
    # CSV out too, and Parquet in
    p = jaring(
        "law",
        "contribution",
        "--input",
        str(tmp_path / "out.parquet"),
        "--on",
        "2024-03-01",
        "--output",
        str(tmp_path / "again.csv"),
    )
    assert p.returncode == 0, p.stderr
    assert pl.read_csv(tmp_path / "again.csv")["total"].to_list() == frame["total"].to_list()


def test_file_errors_name_the_row(tmp_path: Path) -> None:
    src = tmp_path / "w.csv"
    src.write_text("segment,income\nbpu,1000000\nbpu,-3\n", encoding="utf-8")
    p = jaring("law", "contribution", "--input", str(src), "--on", "2024-03-01", "--lang", "en")
    assert p.returncode == 2 and "row 2" in p.stderr
    p = jaring(
        "law", "contribution", "--input", str(tmp_path / "missing.csv"), "--on", "2024-03-01"
    )
    assert p.returncode == 2 and "file_not_found" in p.stderr


def test_benefits() -> None:
    out = ok_json(
        "law",
        "benefit",
        "jkm",
        "--segment",
        "bpu",
        "--member-since",
        "2023-01-01",
        "--event-date",
        "2024-05-01",
    )
    assert (out["total"], out["lump_sum"], out["periodic"], out["funeral"]) == (
        42_000_000,
        20_000_000,
        12_000_000,
        10_000_000,
    )
    out = ok_json("law", "benefit", "jkk-death", "--wage", "2000000", "--event-date", "2024-05-01")
    assert out["total"] == 118_000_000
    out = ok_json("law", "benefit", "stmb", "--wage", "2000000", "--months", "14")
    assert out["total"] == 26_000_000
    out = ok_json(
        "law",
        "benefit",
        "jkk-partial-disability",
        "--wage",
        "2000000",
        "--part",
        "mata-satu",
        "--event-date",
        "2024-05-01",
    )
    assert out["total"] == 56_000_000
    out = ok_json(
        "law",
        "benefit",
        "scholarship",
        "--event-date",
        "2024-05-01",
        "--child",
        "tk-sd:8",
        "--child",
        "pt:5",
        "--contribution-months",
        "40",
    )
    assert out["total"] == 72_000_000
    out = ok_json(
        "law", "benefit", "jkk-total-disability", "--wage", "1000000", "--event-date", "2024-05-01"
    )
    assert out["total"] == 56_000_000 + 12_000_000
    out = ok_json(
        "law", "benefit", "jkk-medical", "--cost", "5000000", "--event-date", "2024-05-01"
    )
    assert out["total"] == 5_000_000


def test_benefit_refusals() -> None:
    p = jaring(
        "law",
        "benefit",
        "scholarship",
        "--event-date",
        "2024-05-01",
        "--child",
        "smp:3",
        "--contribution-months",
        "12",
    )
    assert p.returncode == 2 and "scholarship_min_contribution" in p.stderr
    p = jaring("law", "benefit", "flood", "--event-date", "2024-05-01")
    assert p.returncode == 2 and "unknown_benefit" in p.stderr


def test_params_on_a_date() -> None:
    out = ok_json("law", "params", "--on", "2026-06-01")
    rows = {row["parameter"]: row for row in out["parameters"]}
    assert rows["bpu.jkm"]["value"] == 6_800 and rows["bpu.jkm"]["reference"]
    assert rows["pu.jp_wage_cap"]["error"] == "parameter_unknown"
    p = jaring("law", "params", "--on", "2024-06-01")
    assert p.returncode == 0 and "pu.jp_wage_cap = 10042300" in p.stdout


def test_file_with_a_month_column_is_worker_months(tmp_path: Path) -> None:
    src = tmp_path / "months.csv"
    src.write_text(
        "segment,wage,risk,month\npu,20000000,rendah,2024-02-01\npu,20000000,rendah,2024-03-01\n",
        encoding="utf-8",
    )
    out = ok_json("law", "contribution", "--input", str(src), "--output", str(tmp_path / "o.csv"))
    totals = pl.read_csv(tmp_path / "o.csv")["jp_worker"].to_list()
    assert totals == [95_596, 100_423]  # the JP cap rose on 1 March 2024
    assert out["rows"] == 2


def test_home_care_and_transport_commands() -> None:
    out = ok_json(
        "law",
        "benefit",
        "jkk-transport",
        "--cost",
        "7000000",
        "--mode",
        "air",
        "--event-date",
        "2024-05-01",
    )
    assert out["total"] == 7_000_000
    out = ok_json(
        "law", "benefit", "jkk-home-care", "--cost", "30000000", "--event-date", "2024-05-01"
    )
    assert out["total"] == 20_000_000


def test_refusals_name_the_option_that_sets_the_field() -> None:
    p = jaring("law", "benefit", "jkk-partial-disability", "--wage", "1", "--percent", "x")
    assert p.returncode == 2
    assert p.stderr.strip() == "jaring: Bukan angka (percent = 'x') (--percent) [bad_number]"
    p = jaring("law", "benefit", "scholarship", "--child", "smp", "--lang", "en")
    assert p.returncode == 2 and "(--child) [bad_child]" in p.stderr
    p = jaring("law", "benefit", "stmb", "--wage", "1", "--lang", "en")
    assert p.stderr.strip() == "jaring: Required: months. (--months) [missing_option]"


def test_the_law_command_needs_no_store() -> None:
    code = "import sys, jaring.cli.law; print('sqlalchemy' in sys.modules)"
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert p.stdout.strip() == "False", p.stderr
