"""Cross-region pairs in headless Chromium (Debian's chromium driven by Playwright), on
SQLite at 1366 px and PostgreSQL at 360 px, without the CLI: an administrator receives a
national result (a misnamed file refused first, in words), an operator finds the person
marked in the review, opens the pair, decides after a confirmation and undoes it; a viewer
sees the person masked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.live_server import (
    SHOTS,
    chromium,
    require_chromium,
    scratch_engine,
    serve,
    signed_in_pages,
)
from tests.web.conftest import PASSWORD, _seed_all
from tests.web.test_cross_region import result_file

from jaring.store import migrate
from jaring.web.app import create_app

pytestmark = pytest.mark.browser

SETUPS = [("sqlite", 1366), ("postgresql", 360)]


@pytest.fixture(scope="module", params=SETUPS, ids=[f"{d}-{w}px" for d, w in SETUPS])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    require_chromium()
    dialect, width = request.param
    with scratch_engine(request, tmp_path_factory, dialect) as engine:
        migrate(engine)
        _seed_all(engine)
        with serve(create_app(engine, rate_limit=1000)) as url:
            yield url, width


@pytest.fixture(scope="module")
def browser(server: tuple[str, int]) -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def new_page(browser, server: tuple[str, int]):  # type: ignore[no-untyped-def]
    """``new_page("operator")``: a fresh browser (own cookies) signed in as that user."""
    url, width = server
    with signed_in_pages(browser, url, width, PASSWORD) as make:
        yield make


def shot(page, server: tuple[str, int], name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"cross-region-{name}-{server[1]}px.png"), full_page=True)


def fits(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_receive_decide_undo_in_the_browser(new_page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin = new_page("admin")
    admin.goto("/registry/review")
    assert admin.locator("#cross-none").is_visible()
    wrong = tmp_path / "hasil_nasional.parquet"
    wrong.write_bytes(result_file())
    admin.set_input_files("#receive-national input[name=file]", str(wrong))
    admin.click("#receive-national button")
    admin.wait_for_selector("#cross-error")
    assert "hasil_nasional.parquet" in admin.locator("#cross-error").inner_text()
    assert "kodenya" in admin.locator("#cross-error").inner_text()
    right = tmp_path / "96.71.parquet"
    right.write_bytes(result_file())
    admin.set_input_files("#receive-national input[name=file]", str(right))
    admin.click("#receive-national button")
    admin.wait_for_selector("#cross-received")
    said = admin.locator("#cross-received").inner_text()
    assert "2 pasangan lintas wilayah baru menunggu keputusan (2 orang)" in said
    fits(admin)
    shot(admin, server, "received")

    op = new_page("operator")
    op.goto("/registry/review")
    item = op.locator("ul.cross-queue li")
    assert item.count() == 1  # Markus only: Yohana lives in another distrik
    assert "lintas wilayah" in item.inner_text()
    assert "Kabupaten Sorong" in item.inner_text() and "96.01" not in item.inner_text()
    fits(op)
    shot(op, server, "queue")
    op.click("ul.cross-queue li a")
    op.wait_for_selector("#other-side")
    assert op.locator("#other-region").inner_text() == "Kabupaten Sorong"
    assert op.locator("#probability").inner_text() == "99,9%"
    agreed = op.locator("#agreements").inner_text()
    assert "NIK sama" in agreed and "Nama sangat mirip" in agreed
    assert op.locator("#nik").inner_text() == "9671022505900002"
    fits(op)
    shot(op, server, "card")
    op.fill("input[name=reason]", "KTP dicek bersama Disnaker Kabupaten Sorong")
    op.click("#same")
    op.wait_for_selector("#confirm")
    assert "orang yang sama?" in op.locator("#confirm").inner_text()
    # the question is on screen, not below the fold of a phone
    top = op.evaluate("document.querySelector('#confirm').getBoundingClientRect().top")
    assert 0 <= top < op.viewport_size["height"]
    fits(op)
    shot(op, server, "confirm")
    op.click("#confirm-yes")
    op.wait_for_selector("#cross-decided")
    assert (
        "Tersimpan: Markus Sawaki adalah orang yang sama"
        in op.locator("#cross-decided").inner_text()
    )
    assert op.locator("ul.cross-queue li").count() == 0
    fits(op)
    shot(op, server, "decided")
    op.click("#cross-decided button")
    op.wait_for_selector("#cross-undone")
    assert op.locator("ul.cross-queue li").count() == 1

    viewer = new_page("viewer")
    viewer.goto(op.locator("ul.cross-queue li a").get_attribute("href") or "/")
    assert viewer.locator("#nik").inner_text() == "9671********0002"
    assert viewer.locator("#born").inner_text() == "1990"
    assert viewer.locator("#decide").count() == 0
    fits(viewer)
    shot(viewer, server, "viewer-masked")
