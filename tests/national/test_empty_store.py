"""A store with nobody in it yet: its snapshot is empty (not one row of nulls), and the
national commands over it answer in words, never with an internal error."""

import json
from pathlib import Path

from tests.test_cli import run

from jaring.national import snapshot


def test_an_empty_store_gives_an_empty_snapshot_and_clear_answers(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kosong.db'}"
    assert run("db", "upgrade", "--db", db).returncode == 0
    out = tmp_path / "snap"
    p = run("national", "snapshot", "--db", db, "--out", str(out), "--json")
    assert p.returncode == 0, p.stderr
    m = snapshot.read(out)
    assert m.counts == {t: 0 for t in m.counts} and set(m.counts) >= {"people", "rows"}

    p = run("national", "dedupe", str(out), "--out", str(tmp_path / "hasil"))
    assert p.returncode == 2 and p.stderr.strip().endswith("[nothing_to_match]"), p.stderr
    assert "Traceback" not in p.stderr and not (tmp_path / "hasil").exists()

    p = run("national", "coverage", "--level", "regency", "--on", "2026-01-01", str(out), "--json")
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    assert (got["listed"], got["covered"], got["regions"]) == (0, 0, [])


def test_conform_keeps_an_empty_table_empty() -> None:
    import polars as pl

    for table in snapshot.TABLES:
        assert snapshot.conform(table, pl.DataFrame()).height == 0
