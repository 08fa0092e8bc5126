"""The deaths and family commands on SQLite: a death list read, its bad rows counted, the
task, the letter, the gap report, undo; refusals are one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.clirun import jaring, process

from families.world import build, deaths_csv
from jaring.store import make_engine, migrate


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{d / 'j.db'}"
    eng = make_engine(url)
    migrate(eng)
    build(eng, d)
    eng.dispose()
    return url, d


def test_deaths_from_a_list_to_the_letter_and_undo(db: tuple[str, Path]) -> None:
    url, d = db
    path = deaths_csv(
        d / "dukcapil.csv",
        [
            ("9671011505800001", "Yohanis Wonatorei", "15/06/2024", "RSUD Sorong"),
            ("9671020505901234", "Orang Tidak Dikenal", "01/01/2024", "Remu"),
            ("9671021010000007", "Andi Rahmat", "15/06/2099", "Remu"),
        ],
    )
    p = jaring("registry", "deaths", str(path), "--source", "Dukcapil Kota Sorong", "--db", url)
    assert p.returncode == 0, p.stderr
    assert "1 recorded" in p.stdout or "1 dicatat" in p.stdout
    p = jaring("deaths", "tasks", "--today", "2024-09-01", "--db", url, "--json")
    (task,) = json.loads(p.stdout)
    assert task["expected_amount"] == 42_000_000
    assert task["heirs"][0]["relation"] == "spouse"
    letter = d / "surat.pdf"
    p = jaring("deaths", "letter", str(task["death_id"]), "--out", str(letter), "--today",
               "2024-09-01", "--db", url)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert letter.read_bytes().startswith(b"%PDF")
    p = jaring("deaths", "refunds", "--db", url, "--json")
    assert [r["amount"] for r in json.loads(p.stdout)] == [16_800, 16_800]
    p = jaring("deaths", "gaps", "--db", url, "--until", "2024-12-31")
    assert p.returncode == 0, p.stderr
    p = jaring("family", "show", "9671011505800001", "--db", url, "--json")
    assert len(json.loads(p.stdout)["members"]) == 5
    # undo without a reason: one line, exit 2, nothing changed
    p = jaring("deaths", "undo", str(task["death_id"]), "--reason", " ", "--db", url)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert "Traceback" not in p.stderr
    p = jaring("deaths", "undo", str(task["death_id"]), "--reason", "salah orang", "--db", url)
    assert p.returncode == 0, p.stderr
    p = jaring("deaths", "refunds", "--db", url, "--json")
    assert json.loads(p.stdout) == []


def test_a_list_without_a_date_of_death_column_is_refused(db: tuple[str, Path]) -> None:
    url, d = db
    bad = d / "bad.csv"
    bad.write_text("NIK,Nama\n9671011505800001,Yohanis\n", encoding="utf-8")
    p = process("registry", "deaths", str(bad), "--source", "Kel", "--db", url)  # the real entry
    assert p.returncode == 2
    assert "bad.csv" in p.stderr and len(p.stderr.strip().splitlines()) == 1
