"""The program, bpjs, billing and coverage commands: JSON keys as docs/programs.md names
them, refusals as one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jaring.cli import main
from jaring.store import make_engine, migrate
from programs.helpers import add_people, people_frame


@pytest.fixture
def run(capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """Run ``jaring ARGS`` in this process (a subprocess per command would take seconds)."""

    def _run(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        monkeypatch.setattr(sys, "argv", ["jaring", *args])
        try:
            main()
            code = 0
        except SystemExit as e:
            code = int(e.code or 0)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return _run


def test_program_commands_end_to_end(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'j.db'}"
    eng = make_engine(db)
    migrate(eng)
    add_people(eng, people_frame(60, seed=3))
    eng.dispose()
    p = run("program", "create", "--name", "Sorong", "--year", "2024", "--budget", "9000000",
            "--start", "2024-03-01", "--db", db, "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    p = run("program", "plan", "Sorong", "--budget", "5000000", "--priority", "desil",
            "--quota", "distrik=0.2", "--db", db, "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    assert {"people", "months", "cost", "unspent", "optimal_gap"} <= plan.keys()
    assert plan["cost"] <= 5_000_000
    p = run("program", "plan", "Sorong", "--budget", "100", "--db", db)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "budget_too_small" in p.stderr
    assert run("program", "enrol", "Sorong", "--db", db).returncode == 0
    out = tmp_path / "reg.csv"
    p = run("bpjs", "export", "Sorong", "--out", str(out), "--db", db, "--json")
    assert p.returncode == 0, p.stderr
    lines = out.read_text().splitlines()
    answer = tmp_path / "kpj.csv"
    rows = ["NIK,KPJ"] + [
        f"{ln.split(',')[1]},{20_000_000_000 + i}" for i, ln in enumerate(lines[1:])
    ]
    answer.write_text("\n".join([*rows, "9999999999999999,123"]) + "\n")
    p = run("bpjs", "import-kpj", str(answer), "--db", db, "--json")
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)
    assert res["imported"] == len(lines) - 1 and res["refused"] == 1
    p = run("billing", "invoice", "Sorong", "--month", "2024-03", "--db", db, "--json")
    assert p.returncode == 0, p.stderr
    inv = json.loads(p.stdout)
    p = run("billing", "pay", inv["invoice"], "--amount", str(inv["amount"]), "--sp2d", "001",
            "--date", "2024-03-20", "--db", db, "--json")  # fmt: skip
    assert p.returncode == 0 and json.loads(p.stdout)["outstanding"] == 0
    p = run("billing", "pay", inv["invoice"], "--amount", "1", "--sp2d", "002",
            "--date", "2024-03-21", "--db", db)  # fmt: skip
    assert p.returncode == 2 and "payment_exceeds_invoice" in p.stderr
    nik = lines[1].split(",")[1]
    p = run("coverage", "status", "--nik", nik, "--on", "2024-03-15", "--db", db, "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["covered"] is True
    p = run("program", "status", "Sorong", "--db", db, "--json")
    rec = json.loads(p.stdout)
    assert rec["balanced"] and rec["budget"] == rec["spent"] + rec["committed"] + rec["unspent"]


def test_program_candidates_add_list_remove(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'j.db'}"
    eng = make_engine(db)
    migrate(eng)
    add_people(eng, people_frame(20, seed=3))
    eng.dispose()
    p = run("program", "create", "--name", "Sorong", "--year", "2024", "--budget", "9000000",
            "--db", db, "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    p = run("program", "candidates", "add", "Sorong", "3", "5", "--db", db)
    assert p.returncode == 2 and "alasan" in p.stderr.lower() and "--reason" in p.stderr
    p = run("program", "candidates", "add", "Sorong", "3", "5", "--reason", "usulan RT",
            "--db", db, "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["added"] == 2
    p = run("program", "candidates", "add", "Sorong", "--occupation", "nelayan",
            "--reason", "semua nelayan", "--db", db)  # fmt: skip
    assert p.returncode == 0 and "ditambahkan ke kandidat" in p.stdout, p.stderr
    p = run("program", "candidates", "list", "Sorong", "--db", db)
    assert p.returncode == 0 and "usulan RT" in p.stdout and "orang dalam daftar" in p.stdout
    p = run("program", "candidates", "remove", "Sorong", "3", "--db", db, "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["removed"] == 1
    p = run("program", "plan", "Sorong", "--dry-run", "--db", db, "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["from_list"] == 0  # no rules: all count
    p = run("program", "candidates", "add", "Sorong", "--db", db)
    assert p.returncode == 2
