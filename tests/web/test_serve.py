"""``jaring serve --workers 2`` really starts two worker processes on the chosen store (uvicorn
needs the app by name for that; handing it an app object made it exit at once)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.live_server import free_port

from jaring.store import make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]


def test_serve_with_two_workers(tmp_path: Path) -> None:
    db = tmp_path / "jaring.db"
    migrate(make_engine(f"sqlite:///{db}"))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "JARING_ADMIN_PASSWORD": "rahasia-sekali-123",
    }
    env.pop("JARING_DATABASE_URL", None)
    args = ["serve", "--db", str(db), "--port", str(port), "--workers", "2", "--lang", "en"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "jaring", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json") as r:
                    answer = json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()[0]
        assert answer is not None and "/api/v1/people/by-nik/{nik}" in answer["paths"]
        # two workers under the supervisor
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) >= 2
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out = proc.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out = proc.communicate()[0]
    assert "created from JARING_ADMIN_PASSWORD" in out
    assert "--workers > 1" in out
