"""The budget officer's money work in headless Chromium (Debian's chromium driven by
Playwright), at 1366 px and 360 px, without the CLI: a program created with its package
(JHT and JP chosen) and its payer type (PP 50/2025), a JP refused for BPU in words, and a
refund of a month paid after a death marked returned to the payer with a confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.live_server import SHOTS, chromium, require_chromium, serve, signed_in_pages
from tests.web.conftest import PASSWORD, make_user

from families.world import SYSTEM, build
from jaring.families.actions import deaths
from jaring.registry import queries as registry
from jaring.store import make_engine, migrate
from jaring.web.app import create_app

WIDTHS = [1366, 360]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    require_chromium()
    folder = tmp_path_factory.mktemp("law")
    engine = make_engine(f"sqlite:///{folder / 'jaring.db'}")
    migrate(engine)
    make_user(engine, "budget", "budget_officer", [])
    build(engine, folder)  # Sorong 2024: six months paid from March 2024
    person_id = registry.person_by_nik(engine, SYSTEM, "9671011505800001")
    deaths.record_death(
        engine, SYSTEM, person_id, dt.date(2024, 6, 15), source="Kelurahan Remu",
        today=dt.date(2024, 9, 1),
    )  # fmt: skip
    # the module signs in many times; the limit itself: test_pages.test_rate_limit_*
    with serve(create_app(engine, rate_limit=1000)) as url:
        yield url, request.param
    engine.dispose()


@pytest.fixture(scope="module")
def browser(server: tuple[str, int]) -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def budget(browser, server: tuple[str, int]):  # type: ignore[no-untyped-def]
    url, width = server
    with signed_in_pages(browser, url, width, PASSWORD) as make:
        yield make("budget")


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width}px wide"


def _shot(page, server: tuple[str, int], name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"law-{name}-{server[1]}px.png"), full_page=True)


def test_program_with_package_and_payer_type(budget, server) -> None:  # type: ignore[no-untyped-def]
    page = budget
    page.goto("/programs")
    form = page.locator("#new-program")
    assert "Anggaran desa (APBDes)" in form.inner_text()
    assert "Tambah Jaminan Pensiun (JP)" in form.inner_text()
    _fits(page)
    name = f"Honorer Desa {server[1]}"

    def fill(segment: str) -> None:
        page.fill("#new-program input[name=name]", name)
        page.fill("#new-program input[name=fiscal_year]", "2025")
        page.fill("#new-program input[name=budget]", "1,5 miliar")
        page.select_option("#funder-type", "apbdes")
        page.select_option("#new-program select[name=segment]", segment)
        page.fill("#new-program input[name=income_base]", "Rp3.000.000")
        page.select_option("#new-program select[name=risk]", "sedang")
        page.select_option("#new-program select[name=package]", "jkk_jkm_jht")
        page.check("#with-jp")

    # JP for BPU is refused in words, and what was typed stays
    fill("bpu")
    page.click("#new-program button[type=submit]")
    page.wait_for_load_state()
    assert "hanya untuk Penerima Upah" in page.locator(".error").inner_text()
    assert page.locator("#funder-type").input_value() == "apbdes"
    assert page.locator("#with-jp").is_checked()
    _shot(page, server, "program-jp-refused")
    fill("pu")
    page.click("#new-program button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name
    assert page.locator("#package").inner_text() == "JKK + JKM + JHT + JP"
    assert page.locator("#payer").inner_text() == "Anggaran desa (APBDes)"
    _fits(page)
    _shot(page, server, "program-created")


def test_refund_returned_to_the_payer(budget, server) -> None:  # type: ignore[no-untyped-def]
    """One month ticked, checked and confirmed; then the member's other month by ticking the
    member; each transfer recorded with its day and reference."""
    page = budget
    page.goto("/programs")
    page.click("text=Sorong 2024")
    page.wait_for_load_state()
    page.goto(page.url.rstrip("/") + "/invoices")
    table = page.locator("#refunds")
    assert table.locator("tbody tr").count() == 2
    first = table.locator("tbody tr").first.inner_text()
    assert "Juli 2024" in first and "Rp16.800" in first and "belum dikembalikan" in first
    assert "9671********0001" in first and "9671011505800001" not in page.content()
    assert "Rp33.600" in page.locator("#refunds-owed").inner_text()
    member = page.locator("#refunds-by-member tbody tr")
    assert member.count() == 1 and "Juli–Agustus 2024 (2 bulan)" in member.first.inner_text()
    _fits(page)
    # nothing ticked: refused with a message, nothing recorded
    page.fill("#refund-form input[name=returned_on]", "2024-09-20")
    page.fill("#refund-form input[name=reference]", "TRF-2024-091")
    page.click("#return-refund")
    page.wait_for_load_state()
    assert "Pilih sedikitnya satu" in page.locator(".error").first.inner_text()
    table.locator("tbody tr").first.locator("input[type=checkbox]").check()
    page.fill("#refund-form input[name=returned_on]", "2024-09-20")
    page.fill("#refund-form input[name=reference]", "TRF-2024-091")
    page.click("#return-refund")
    page.wait_for_load_state()
    assert page.locator("#confirm-refund-amount").inner_text() == "Rp16.800"
    _shot(page, server, "refund-confirm")
    # nothing is recorded before the confirmation
    assert "belum dikembalikan" in page.locator("#refunds tbody tr").first.inner_text()
    page.click("#confirm-refund-button")
    page.wait_for_load_state()
    assert "TRF-2024-091" in page.locator(".ok").inner_text()
    row = page.locator("#refunds tbody tr").first.inner_text()
    assert "sudah dikembalikan" in row and "20 September 2024" in row and "TRF-2024-091" in row
    assert "Rp16.800" in page.locator("#refunds-owed").inner_text()
    _fits(page)
    _shot(page, server, "refund-returned")
    # the member's months still owed, ticked at once: August alone is left
    assert "Agustus 2024" in page.locator("#refunds-by-member tbody tr").first.inner_text()
    page.locator("#refunds-by-member tbody tr input[type=checkbox]").first.check()
    page.fill("#refund-form input[name=returned_on]", "2024-09-30")
    page.fill("#refund-form input[name=reference]", "TRF-2024-099")
    page.click("#return-refund")
    page.wait_for_load_state()
    assert page.locator("#confirm-refund-amount").inner_text() == "Rp16.800"
    page.click("#confirm-refund-button")
    page.wait_for_load_state()
    assert "sudah dikembalikan semua" in page.locator("#refunds-owed").inner_text()
    assert page.locator("#refund-form").count() == 0  # nothing left to tick
