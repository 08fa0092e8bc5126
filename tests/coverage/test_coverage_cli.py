"""The public CLI contract: JSON keys of `jaring coverage report`, reports written, refusals
in one line with exit code 2."""

from __future__ import annotations

import json

import pytest
from tests.clirun import jaring, process

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
def test_coverage_report_json_and_files(sorong, db_url, tmp_path) -> None:
    p = jaring(
        "coverage",
        "report",
        "--region",
        "96.71",
        "--on",
        "2024-12-31",
        "--json",
        "--trace",
        str(tmp_path / "trace.csv"),
        "--db",
        db_url,
    )
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert {"covered", "denominator", "ratio", "by_segment", "by_district"} <= set(r)
    assert r["covered"] == 4 and r["trace"]["rows"] == 5
    for ext in ("pdf",):
        out = tmp_path / f"report.{ext}"
        p = jaring(
            "report",
            "coverage",
            "--region",
            "96.71",
            "--on",
            "2024-12-31",
            "--out",
            str(out),
            "--db",
            db_url,
        )
        assert p.returncode == 0, p.stderr
        assert out.stat().st_size > 1000


@sqlite_only
def test_refusals_are_one_line(engine, db_url) -> None:
    for args in (
        ("coverage", "report", "--region", "99.99", "--on", "2024-12-31"),
        ("award", "ranking", "--edition", "1999", "--category", "kabupaten-kota"),
    ):
        p = process(*args, "--db", db_url)  # the real entry point
        assert p.returncode == 2, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
