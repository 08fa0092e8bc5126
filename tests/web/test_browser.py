"""Journeys in headless Chromium (Debian's chromium driven by Playwright), against a real
uvicorn server on a free loopback port and a temporary SQLite store. Screenshots go to
``artifacts/screenshots/``. Skipped without ``/usr/bin/chromium`` unless
``JARING_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from tests.live_server import SHOTS, chromium, require_chromium, serve
from tests.web.conftest import PASSWORD, _seed_all

from jaring.store import make_engine, migrate
from jaring.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file the server of this module runs on (for setups through the actions)."""
    return tmp_path_factory.mktemp("browser") / "jaring.db"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, store: Path) -> Iterator[str]:
    require_chromium()
    engine = make_engine(f"sqlite:///{store}")
    migrate(engine)
    _seed_all(engine)
    _seed_domains(engine, tmp_path_factory.mktemp("lists"))
    # the module signs in many times; the limit itself: test_pages.test_rate_limit_*
    with serve(create_app(engine, rate_limit=1000)) as url:
        yield url
    engine.dispose()


def _seed_domains(engine, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """A pair of rows waiting for review, and an award edition with the ``juror`` on the panel."""

    from jaring.access import Actor
    from jaring.award import actions as award
    from jaring.registry.actions import imports, linking
    from jaring.registry.dedupe import Thresholds

    for name, text in (
        (
            "pasar.csv",
            "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\nMarta Wanma,9671024404950005,4 April 1995,P,Sorong Timur\n",
        ),
        (
            "ojek.csv",
            "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\nMarta Wanma,,4 April 1995,P,Sorong Timur\n",
        ),
    ):
        (folder / name).write_text(text)
        imports.import_files(
            engine, Actor.system(), [folder / name], name[:-4], listed_on=dt.date(2024, 1, 2)
        )
    linking.dedupe(engine, Actor.system(), thresholds=Thresholds(match=0.999999999, review=0.3))
    system = Actor.system()
    award.create_edition(
        engine, system, 2025, ["kabupaten-kota"], assessed_year=2024, stage="provinsi"
    )
    award.add_candidate(engine, system, 2025, "kabupaten-kota", "96.71")
    for code in ("JUROR", *(f"J{i}" for i in range(2, 10))):
        award.add_juror(engine, system, 2025, code, f"Juri {code}", "Disnaker")
    award.schedule_interview(engine, system, 2025, "96.71", dt.datetime(2025, 2, 26, 9))


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    with chromium() as b:
        yield b


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
    # a rupiah figure is never broken mid-number: one line, however narrow the screen
    on_one_line(page, "#budget")
    assert page.locator("svg.chart").count() == 1
    # usable at 360 px: nothing wider than the screen but the scrolling tables
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    shot(page, "02-dashboard-360px")
    page.goto("/people/2")  # a clear NIK, as an administrator sees it
    assert page.locator("#nik").inner_text() == "9671022505900002"
    on_one_line(page, "#nik")  # a NIK too
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_wide_tables_are_cards_on_a_phone(page) -> None:  # type: ignore[no-untyped-def]
    """A table of five columns or more reads as cards at 360 px, each value with its column's
    name; the new program's payer is chosen by name, not typed as a code."""
    sign_in(page, "admin")
    page.goto("/programs")
    cell = page.locator("table tbody tr td").nth(3)  # the budget
    assert cell.get_attribute("data-label") == "Anggaran"
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    payer = page.locator("select[name=funder_region] option")
    assert "Kota Sorong" in payer.all_inner_texts()
    page.set_viewport_size({"width": 1366, "height": 800})
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"
    shot(page, "03-programs-cards-360px")


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
    on_one_line(page, "#nik")  # never broken over two lines on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def on_one_line(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """The element ``selector`` (a rupiah figure, a NIK) stands on one line."""
    box = page.locator(selector).bounding_box()
    line = page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert box is not None and box["height"] < 1.5 * line


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


BROKEN_LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
    "Agus Rumbiak,9671021507880009,15 Juli 1988,L,Sorong Timur\n"
    "Yosef Bonay,96710X,2 Februari 1980,L,Sorong Timur\n"
)


def upload(page, path, content: str, source: str) -> None:  # type: ignore[no-untyped-def]
    """Upload one list on the registry page as the signed-in user and wait for its summary."""
    page.goto("/registry")
    path.write_text(content)
    page.set_input_files("input[name=files]", str(path))
    page.fill("input[name=source]", source)
    page.click("text=Unggah dan impor")
    page.wait_for_selector("#import-summary")


def test_upload_fix_and_reimport(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "operator")
    upload(page, tmp_path / "pasar_remu.csv", BROKEN_LIST, "Pasar Remu")
    assert "1 ditolak" in page.locator("#import-summary").inner_text()
    shot(page, "06-upload-result")
    page.click("text=Perbaiki baris yang ditolak")
    card = page.locator("form.fixrow.rejected").first
    card.locator("input[name=nik]").fill("9671020202800006")
    card.locator("button").click()  # HTMX swaps the card in place
    page.wait_for_selector("form.fixrow.accepted")
    shot(page, "07-row-fixed")
    page.goto("/people?q=9671020202800006")
    assert page.locator("text=Yosef Bonay").count() == 1


def test_accept_a_duplicate(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "admin")
    page.goto("/registry/review")
    assert page.locator("section.pair").count() >= 1
    shot(page, "08-duplicates-side-by-side")
    page.locator("section.pair button.accept").first.click()
    page.wait_for_load_state()
    assert page.locator("section.pair").count() == 0


def test_file_a_jkm_claim_and_see_its_explanation(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "operator")
    page.goto("/claims")
    page.click("text=Ajukan klaim")
    page.select_option("select[name=type]", "jkm")
    page.fill("input[name=nik]", "9671022505900002")
    page.fill("input[name=event_date]", "2024-06-10")
    page.fill("input[name=reporter]", "Istri")
    page.select_option("select[name=heir_relation_0]", "spouse")  # heirs from the form
    page.fill("input[name=heir_name_0]", "Maria Sawaki")
    page.check("input[name=recipient][value='0']")
    page.click("form button:has-text('Ajukan klaim')")
    page.wait_for_load_state()
    assert page.locator("#amount-total").inner_text() == "Rp42.000.000"
    assert page.locator("table.explain tbody tr").count() >= 1
    shot(page, "11-jkm-claim-explained")


def test_juror_scores(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "juror")
    assert "/award" in page.url
    page.goto("/award/2025/96.71")
    page.select_option("select[name=points_inovasi]", "4")
    page.select_option("select[name=points_wawancara]", "5")
    page.click("#submit-scores")
    page.wait_for_selector("#confirm-box")  # locking asks first
    page.click("#confirm-lock")
    page.wait_for_load_state()
    assert page.locator("#scores-locked").count() == 1
    shot(page, "12-juror-scored")


TWINS_LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
    "Agustina Rumbiak,9671026606920007,26 Juni 1992,P,Sorong Timur\n"
    "Agustinus Rumbiak,9671026606920007,26 Juni 1992,L,Sorong Timur\n"
)


def _merge_through_review(path: Path, nik: str) -> None:
    """Make the rows listed under ``nik`` one person whatever the model decided: when they
    are apart, their pair (queued by the run, or asked now) is accepted through review."""
    from sqlalchemy import insert, select

    from jaring.access import Actor
    from jaring.registry.actions import decisions, linking
    from jaring.store.tables.registry import registry_pair

    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            rows = linking.read_rows(conn).filter(pl.col("nik") == nik).sort("id")
            assert rows.height == 2
            (a, pa), (b, pb) = rows.select("id", "person_id").rows()
            if pa == pb:
                return
            pr = registry_pair.c
            pair = conn.execute(select(pr.id).where(pr.row_l == a, pr.row_r == b)).scalar()
            if pair is None:
                pair = conn.execute(
                    insert(registry_pair).values(
                        row_l=a,
                        row_r=b,
                        match_weight=0.0,
                        match_probability=0.5,
                        explain="{}",
                        status="pending",
                        created_at=dt.datetime.now(),
                    )
                ).inserted_primary_key[0]
        operator = Actor(username="operator", role="operator")
        decisions.review_decide(engine, operator, int(pair), True, reason="KTP sama")
    finally:
        engine.dispose()


def test_split_a_wrong_merge(page, tmp_path, store: Path) -> None:  # type: ignore[no-untyped-def]
    """Two twins listed under one NIK were merged (through review, when the model kept
    them apart); the operator splits one off on the person page, with a reason, and lands
    on the new person. (Last in the file: it adds people.)"""
    sign_in(page, "operator")
    upload(page, tmp_path / "kembar.csv", TWINS_LIST, "Posyandu")
    _merge_through_review(store, "9671026606920007")
    page.goto("/people?q=9671026606920007")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    assert page.locator("#source-rows tbody tr").count() == 2
    row = page.locator("#source-rows tbody tr", has_text="Agustinus Rumbiak")
    row.locator("input[name=reason]").fill("Saudara kembar, bukan orang yang sama")
    shot(page, "13-split-source-row")
    row.locator("button:has-text('Pisahkan')").click()
    page.wait_for_load_state()
    assert page.locator("#split-done").count() == 1
    assert page.locator("#source-rows tbody tr").count() == 1
    page.locator("#split-done a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Agustinus Rumbiak"
    assert page.locator("#source-rows tbody tr").count() == 1
    shot(page, "14-split-new-person")
