"""Journeys in headless Chromium (Debian's chromium driven by Playwright), against a real
uvicorn server on a free loopback port and a temporary SQLite store. Screenshots go to
``artifacts/screenshots/``. Skipped without ``/usr/bin/chromium`` unless
``JARING_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web.conftest import PASSWORD, _seed_all

from jaring.store import make_engine, migrate
from jaring.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("JARING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (JARING_REQUIRE_BROWSER=1)")
        pytest.skip("no chromium")
    import uvicorn

    path = tmp_path_factory.mktemp("browser") / "jaring.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    _seed_all(engine)
    port = _free_port()
    config = uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_sign_in_and_dashboard(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login" in page.url
    shot(page, "01-sign-in")
    sign_in(page, "admin")
    assert page.locator("h1").inner_text() == "Dasbor"
    page.goto("/?on=2024-06-01")  # the synthetic program runs in 2024
    assert page.locator("#budget").inner_text() == "Rp2.200.000.000"
    assert page.locator("svg.chart").count() == 1
    # usable at 360 px: nothing wider than the screen but the scrolling tables
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    shot(page, "02-dashboard-360px")


def test_viewer_sees_masked_niks(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "viewer")
    page.goto("/people")
    page.fill("#q", "sawaki")  # HTMX live search
    page.wait_for_selector("td.nik")
    assert page.locator("td.nik").first.inner_text() == "9671********0002"
    shot(page, "03-viewer-search-masked")
    page.click("text=Markus Sawaki")
    assert page.locator("#nik").inner_text() == "9671********0002"
    assert "9671022505900002" not in page.content()


def test_operator_cannot_open_another_distrik(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "operator")
    ok = page.goto("/people/2")
    assert ok is not None and ok.status == 200
    denied = page.goto("/people/1")
    assert denied is not None and denied.status == 403
    assert "di luar wilayah kerja Anda" in page.locator(".error").inner_text()
    shot(page, "04-operator-403")


def test_switch_to_english(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "auditor")
    page.goto("/?on=2024-06-01")
    page.click("a.lang")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("#budget").inner_text() == "Rp2,200,000,000"
    shot(page, "05-english")
    page.click("a.lang")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dasbor"
