"""The deaths page and a person's family section in headless Chromium at 1366 px and 360 px:
a death list uploaded, the task with its letter link, the family loaded by HTMX, nothing
wider than the screen. Skipped without ``/usr/bin/chromium`` unless
``JARING_REQUIRE_BROWSER=1``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.live_server import SHOTS, chromium, require_chromium, serve

from families.world import build, deaths_csv
from jaring.store import make_engine, migrate
from jaring.web.app import create_app
from web.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    d = tmp_path_factory.mktemp("deaths-browser")
    engine = make_engine(f"sqlite:///{d / 'j.db'}")
    migrate(engine)
    build(engine, d)
    make_user(engine, "ops", "operator", ["96.71"])
    with serve(create_app(engine)) as url:
        yield url, d
    engine.dispose()


def test_deaths_page_and_family_section(server: tuple[str, Path]) -> None:
    url, d = server
    path = deaths_csv(d / "kematian.csv", [
        ("9671011505800001", "Yohanis Wonatorei", "15/06/2024", "RSUD Sorong"),
        ("9671011505800009", "Yohanis Wonatorey", "15/06/2024", ""),
    ])  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        for width, height in ((1366, 900), (360, 740)):
            ctx = browser.new_context(viewport={"width": width, "height": height}, base_url=url)
            page = ctx.new_page()
            page.goto("/login")
            page.fill("input[name=username]", "ops")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            page.goto("/deaths")
            if width == 1366:  # the list is read once; the second screen sees the result
                page.set_input_files("input[name=file]", str(path))
                page.fill("#upload input[name=source]", "Dukcapil Kota Sorong")
                page.click("#upload button[type=submit]")
                page.wait_for_selector("#imported")
            assert page.locator("#tasks").get_by_text("Rp42.000.000").count() == 1
            assert page.locator("#review tbody tr").count() == 1
            assert page.get_by_role("link", name="Surat (PDF)").count() == 1
            page.screenshot(path=str(SHOTS / f"deaths-{width}.png"), full_page=True)
            page.get_by_role("link", name="Yohanis Wonatorei").first.click()
            page.wait_for_selector("#family #members")  # loaded into the person's page by HTMX
            assert page.locator("#members tbody tr").count() == 5
            assert page.locator("#family").get_by_text("Meninggal pada 15 Juni 2024").count() == 1
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0  # nothing wider than the screen
            page.screenshot(path=str(SHOTS / f"person-family-{width}.png"), full_page=True)
            ctx.close()
