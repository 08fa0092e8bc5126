"""The web app served for browser tests, and the browser that visits it: one home for what every
browser test module needs.

- ``require_chromium()`` skips a module's test without Debian's ``/usr/bin/chromium``, and fails
  it instead when ``JARING_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets).
- ``scratch_engine(request, tmp_path_factory, dialect)`` yields an engine on a new, empty store:
  a SQLite file in a temporary folder, or a PostgreSQL database of its own on the test server
  (``pg_server``), dropped afterwards. The caller migrates and seeds it.
- ``serve(app)`` runs an ASGI app under uvicorn in a thread on a free loopback port and yields
  its base URL; the server is stopped when the block ends.
- ``chromium()`` yields a headless Chromium driven by Playwright.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from tests.conftest import _create_pg_database, _drop_pg_database

from jaring.store import make_engine

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip (or, with ``JARING_REQUIRE_BROWSER=1``, fail) when Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("JARING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (JARING_REQUIRE_BROWSER=1)")
        pytest.skip("no chromium")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def scratch_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dialect: str
) -> Iterator[Engine]:
    """An engine on a new, empty SQLite file or PostgreSQL database, removed afterwards."""
    if dialect == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('live') / 'jaring.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    admin_url = request.getfixturevalue("pg_server")
    name, url = _create_pg_database(admin_url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        _drop_pg_database(admin_url, name)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` under uvicorn in a thread; yields ``http://127.0.0.1:PORT``."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def signed_in_pages(browser: Any, url: str, width: int, password: str) -> Iterator[Any]:
    """``make(username)``: a fresh browser context (its own cookies) at ``width`` px, signed in
    to the server at ``url`` as that user, on its first page; every context made is closed
    on exit."""
    contexts: list[Any] = []

    def make(username: str) -> Any:
        ctx = browser.new_context(viewport={"width": width, "height": 800}, base_url=url)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.goto("/login")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", password)
        pg.click("button[type=submit]")
        pg.wait_for_load_state()
        return pg

    try:
        yield make
    finally:
        for ctx in contexts:
            ctx.close()
