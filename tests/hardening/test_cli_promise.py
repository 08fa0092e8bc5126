"""The CLI's promise: every bad invocation exits 2 with one line (never "internal error",
never a traceback), whatever was wrong: the usage, a number, a date, a choice, a file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jaring.cli import main

CSV = "NIK;Nama;Tgl Lahir\n9671011203850001;Ali;12/03/1985\n"

CASES = {
    "unknown option": ["registry", "import", "--bogus"],
    "missing argument": ["registry", "import"],
    "not a number": ["law", "contribution", "--segment", "bpu", "--income", "abc"],
    "huge budget": ["program", "create", "--name", "X", "--year", "2024", "--budget", "9" * 20],
    "year 0": ["program", "create", "--name", "X", "--year", "0", "--budget", "1000000"],
    "rules not an object": [
        "program", "create", "--name", "X", "--year", "2024", "--budget", "1000000",
        "--rules", "[1,2]",
    ],
    "empty name": ["program", "create", "--name", "", "--year", "2024", "--budget", "1000000"],
    "ages upside down": [
        "program", "create", "--name", "X", "--year", "2024", "--budget", "1000000",
        "--age-min", "90", "--age-max", "10",
    ],
    "forecast year 99999": ["claims", "forecast", "--program", "1", "--year", "99999"],
    "match above 1": ["registry", "dedupe", "--match", "2"],
    "review above match": ["registry", "dedupe", "--match", "0.3", "--review", "0.9"],
    "unknown region": ["registry", "import", "{csv}", "--source", "X", "--region", "99.99"],
    "list from the future": [
        "registry", "import", "{csv}", "--source", "X", "--listed-on", "3024-01-01",
    ],
    "format docx": ["registry", "errors", "--batch", "1", "--format", "docx"],
    "year-0001 date": ["billing", "pay", "INV-1", "--amount", "1", "--sp2d", "X", "--on", "0001-01-01"],
}  # fmt: skip


@pytest.mark.parametrize("args", list(CASES.values()), ids=list(CASES))
def test_bad_invocations_exit_2_with_one_line(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "daftar.csv"
    csv.write_text(CSV)
    argv = [a.replace("{csv}", str(csv)) for a in args]
    monkeypatch.setenv("JARING_DATABASE_URL", f"sqlite:///{tmp_path / 'j.db'}")
    monkeypatch.setattr(sys, "argv", ["jaring", *argv])
    with pytest.raises(SystemExit) as e:
        main()
    err = capsys.readouterr().err.strip()
    assert e.value.code == 2, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("jaring: ") and "internal" not in err.lower()
    assert "kesalahan internal" not in err.lower()
