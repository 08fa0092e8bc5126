"""No personal data in logs or on the terminal (jaring.logs, UU 27/2022)."""

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from jaring.logs import PersonalDataFilter, exception_text, hide_digits, safe_handler

NIK = "9671010101800001"
NAME = "Siti Aminah"


def _boom() -> None:
    raise ValueError(f"could not read {NAME} {NIK}")


def test_hide_digits_hides_runs_of_eight_or_more() -> None:
    assert hide_digits(f"row 42 nik {NIK} tel 08123456789") == (
        "row 42 nik **************** tel ***********"
    )
    assert hide_digits("2024-03-01, batch 1234567") == "2024-03-01, batch 1234567"


def test_an_exception_is_logged_by_kind_and_frames_not_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JARING_DEBUG", raising=False)
    out = io.StringIO()
    log = logging.getLogger("jaring.test_logs")
    log.addHandler(safe_handler(out))
    try:
        try:
            _boom()
        except ValueError:
            log.exception("internal error on GET /api/v1/people/by-nik/%s", NIK)
    finally:
        log.handlers.clear()
    text = out.getvalue()
    assert "internal error on GET /api/v1/people/by-nik/****************" in text
    assert "ValueError: (message withheld" in text and "_boom" in text  # where, and what kind
    assert NIK not in text and NAME not in text


def test_debug_shows_the_message_with_digits_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JARING_DEBUG", "1")
    try:
        _boom()
    except ValueError:
        record = logging.LogRecord("jaring", logging.ERROR, __file__, 1, "x", None, sys.exc_info())
    PersonalDataFilter().filter(record)
    assert NAME in record.exc_text and NIK not in record.exc_text  # type: ignore[operator]
    try:
        _boom()
    except ValueError as e:
        assert NAME not in exception_text(e)


def test_an_internal_error_is_one_line_on_the_terminal(tmp_path: Path) -> None:
    """A bug in a command: one line, exit 1, no traceback, nothing the error quoted."""
    csv = tmp_path / "a.csv"
    csv.write_text(f"NIK,Nama\n{NIK},{NAME}\n")
    code = (
        "import sys, jaring.registry.actions.imports as s\n"
        f"def boom(*a, **k): raise ValueError('{NAME} {NIK}')\n"
        "s.import_files = boom\n"
        f"sys.argv = ['jaring', 'registry', 'import', {str(csv)!r}, '--source', 'X', "
        f"'--db', 'sqlite:///{tmp_path / 'j.db'}']\n"
        "from jaring.cli import main\nmain()\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "JARING_DEBUG"}
    p = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "ValueError" in lines[0] and "JARING_DEBUG" in lines[0], p.stderr
    assert "Traceback" not in p.stderr and NIK not in p.stderr and NAME not in p.stderr
