"""The CLI's contract: refusals are one line, exit 2, no traceback; the demo runs."""

import json
import subprocess
import sys


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "jaring", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_db_upgrade_on_sqlite(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    p = run("db", "upgrade", "--db", url, "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["revision"]


def test_bad_language_is_one_line_exit_2(tmp_path) -> None:
    p = run("--lang", "fr", "db", "current", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
