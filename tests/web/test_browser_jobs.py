"""The operator's and the claims officer's jobs in headless Chromium (Debian's chromium
driven by Playwright), without the CLI, on SQLite and PostgreSQL, at 1366 px and 360 px: a
refused upload shows why and keeps the file, a rejected row is fixed seeing its name, a
worker is registered, edited and renamed with a supervisor's approval, a claim is filed with
an heir from the form and approved by a second user, and a form keeps what was typed when
the network drops. Each (database, width) gets its own server and store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from tests.live_server import (
    SHOTS,
    chromium,
    require_chromium,
    scratch_engine,
    serve,
    signed_in_pages,
)
from tests.web.conftest import PASSWORD, _seed_all, make_user

from jaring.access import Actor
from jaring.registry.actions import decisions, imports
from jaring.store import migrate
from jaring.store.tables.registry import registry_pair
from jaring.web.app import create_app

pytestmark = pytest.mark.browser

SETUPS = [("sqlite", 1366), ("sqlite", 360), ("postgresql", 1366), ("postgresql", 360)]


@pytest.fixture(scope="module", params=SETUPS, ids=[f"{d}-{w}px" for d, w in SETUPS])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    require_chromium()
    dialect, width = request.param
    with scratch_engine(request, tmp_path_factory, dialect) as engine:
        yield from _serve_seeded(engine, width)


def _serve_seeded(engine, width: int) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    migrate(engine)
    _seed_all(engine)
    make_user(engine, "supervisor", "supervisor", ["96.71.02"])
    make_user(engine, "approver", "claims_approver", [])
    # Yohana Kambuaya was also listed at another market as "Yohana Rumbewas" (same NIK)
    for source, name in (("Pasar Remu", "Kambuaya"), ("Pasar Boswesen", "Rumbewas")):
        body = f"Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\nYohana {name},9671025505930008,15 Mei 1993,P,Sorong Timur\n"
        imports.import_uploads(engine, Actor.system(), [(f"{name}.csv", body.encode())], source)
    # one NIK, two names: held for review; an operator joins the rows
    with engine.connect() as c:
        pair = c.execute(select(func.max(registry_pair.c.id))).scalar_one()
    decisions.review_decide(engine, Actor.system(), pair, True, reason="menikah")
    # this module signs in a dozen times a minute; the sign-in limit is tested elsewhere
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
    page.screenshot(path=str(SHOTS / f"jobs-{name}-{server[1]}px.png"), full_page=True)


def no_horizontal_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (
        f"{page.url}: {width}px wide: {page.evaluate(WIDE)}"
    )
    assert "<" not in page.title(), f"{page.url}: markup in the title: {page.title()}"
    broken = page.evaluate(BROKEN_WORDS)
    assert not broken, f"{page.url}: labels broken inside a word: {broken}"


# a visible heading, term or label narrower than one of its words (text for screen readers
# only, in .visually-hidden, is skipped)
BROKEN_WORDS = """() => { const c = document.createElement('canvas').getContext('2d'); const out = [];
  for (const el of document.querySelectorAll('main th, main dt, main label')) {
    const s = getComputedStyle(el); if (!el.offsetParent || s.display === 'inline') continue; c.font = s.font;
    const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const seen = []; const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) if (!walk.currentNode.parentElement.closest('.visually-hidden'))
      seen.push(...walk.currentNode.textContent.split(/\\s+/));
    const words = seen.filter(w => w.length > 1 && /^[A-Za-z]+$/.test(w));
    for (const w of words) if (c.measureText(w).width > room + 1) out.push(w); }
  return out.slice(0, 8); }"""


WIDE = """() => { const W = document.documentElement.clientWidth; const out = [];
  for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
    if (r.right > W + 1) out.push(`${el.tagName}.${el.className}#${el.id}: ${Math.round(r.right)}`); }
  return out.slice(0, 8); }"""

BROKEN_LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Alamat,Distrik\n"
    "Agus Rumbiak,9671021507880009,15 Juli 1988,L,Jl. Ahmad Yani 3,Sorong Timur\n"
    "Yosef Bonay,96710X,2 Februari 1980,L,Jl. Basuki Rahmat 7,Sorong Timur\n"
)

WATCH_BUSY = """() => { window.__busy = false; const b = document.querySelector('#upload-form button');
  new MutationObserver(() => { if (b.disabled && b.textContent.includes('Memproses')) window.__busy = true; })
    .observe(b, {attributes: true, childList: true, characterData: true, subtree: true}); }"""


def test_a_refused_upload_says_why_and_keeps_the_file(new_page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = new_page("operator")
    page.goto("/registry")
    pdf = tmp_path / "daftar.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% not a worker list\n")
    page.set_input_files("input[name=files]", str(pdf))
    page.fill("input[name=source]", "Pasar Remu")
    page.evaluate(WATCH_BUSY)
    page.click("#upload-form button")
    alert = page.locator("#upload-result [role=alert]")
    alert.wait_for()
    assert "daftar.pdf" in alert.inner_text()
    assert page.evaluate("window.__busy") is True  # "Memproses..." and disabled while sent
    assert page.evaluate("document.querySelector('input[name=files]').files.length") == 1
    assert page.locator("#upload-form button").is_enabled()
    no_horizontal_scroll(page)
    shot(page, server, "01-refused-upload")


def test_fix_a_rejected_row_seeing_its_name(new_page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = new_page("operator")
    page.goto("/registry")
    path = tmp_path / "pasar_remu.csv"
    path.write_text(BROKEN_LIST)
    page.set_input_files("input[name=files]", str(path))
    page.fill("input[name=source]", "Pasar Remu")
    page.click("#upload-form button")
    page.wait_for_selector("#import-summary")
    assert page.locator("#batches tbody tr").count() >= 1  # the list of batches refreshed
    page.click("text=Perbaiki baris yang ditolak")
    card = page.locator("form.fixrow.rejected").first
    assert card.locator("input[name=name]").input_value() == "Yosef Bonay"
    assert card.locator("input[name=address]").input_value() == "Jl. Basuki Rahmat 7"
    card.locator("input[name=nik]").fill("9671020202800006")
    card.locator("button").click()
    page.wait_for_selector("form.fixrow.accepted")
    assert "Tidak ada baris yang ditolak lagi" in page.locator("#batch-counts").inner_text()
    no_horizontal_scroll(page)
    shot(page, server, "02-row-fixed")


def test_register_edit_and_rename_a_worker(new_page, server) -> None:  # type: ignore[no-untyped-def]
    page = new_page("operator")
    page.goto("/people/new")
    page.fill("input[name=name]", "Ruth Mambrasar")
    page.fill("input[name=nik]", "9671024404950005")
    page.fill("input[name=birth_date]", "1995-04-04")
    page.select_option("select[name=sex]", "P")
    page.fill("input[name=district]", "Sorong Timur")
    page.fill("input[name=phone]", "081234567890")
    page.click("#register button")
    page.wait_for_selector("#registered")
    person_url = page.url.split("?")[0]
    page.click("#edit-contact summary")
    page.fill("#edit-contact input[name=phone]", "0813 1111 2222")
    page.click("#edit-contact button")
    page.wait_for_selector("#done")
    assert page.locator("#phone").inner_text() == "+6281311112222"
    page.click("#ask-change summary")
    page.fill("#ask-change input[name=name]", "Ruth Mambrasar Wanma")
    page.fill("#ask-change input[name=reason]", "KTP baru diperlihatkan")
    page.click("#ask-change button")
    page.wait_for_selector("#done")
    assert page.locator("form.decide").count() == 0  # the asker cannot decide
    no_horizontal_scroll(page)
    sup = new_page("supervisor")
    sup.goto(person_url)
    sup.click("form.decide button.approve")
    sup.wait_for_selector("#done")
    assert sup.locator("h1").inner_text() == "Ruth Mambrasar Wanma"
    history = sup.locator("#timeline").inner_text()
    assert "Identitas diubah: nama Ruth Mambrasar → Ruth Mambrasar Wanma" in history
    assert "Data kontak diubah: nomor HP" in history and "WIT" in history
    shot(sup, server, "03-name-change-approved")


def test_file_a_claim_with_an_heir_and_approve_it_as_a_second_user(new_page, server) -> None:  # type: ignore[no-untyped-def]
    page = new_page("operator")
    page.goto("/claims")
    page.click("text=Ajukan klaim")
    page.select_option("#file-claim select[name=type]", "jkm")
    page.fill("#file-claim input[name=nik]", "9671022505900002")
    page.fill("#file-claim input[name=event_date]", "2024-06-10")
    page.fill("#file-claim input[name=reporter]", "Istri")
    page.select_option("select[name=heir_relation_0]", "spouse")
    page.fill("input[name=heir_name_0]", "Maria Sawaki")
    page.fill("input[name=heir_birth_0]", "1991-02-03")
    page.check("input[name=recipient][value='0']")
    page.click("#file-claim button")
    page.wait_for_selector("#claim-done")
    assert page.locator("#member").inner_text() == "Markus Sawaki"
    assert "janda/duda: Maria Sawaki" in page.locator("#heirs").inner_text()
    for box in page.locator("#documents input[name=codes]:not([disabled])").all():
        box.check()
    page.click("#documents button")
    page.wait_for_selector("#claim-done")
    for step in ("documents_complete", "verified"):
        page.select_option("#advance select[name=to]", step)
        page.click("#advance button")
        page.wait_for_selector("#claim-done")
    assert page.locator("#needs-approver").count() == 1
    assert page.locator("#advance option[value=approved]").count() == 0
    no_horizontal_scroll(page)
    claim_url = page.url.split("?")[0]
    ap = new_page("approver")
    ap.goto(claim_url)
    ap.select_option("#advance select[name=to]", "approved")
    ap.click("#advance button")
    ap.wait_for_selector("#claim-done")
    assert ap.locator("#claim-status").inner_text() == "disetujui"
    shot(ap, server, "04-claim-approved")


def test_a_form_keeps_what_was_typed_when_the_network_drops(new_page, server) -> None:  # type: ignore[no-untyped-def]
    page = new_page("operator")
    page.goto("/people/new")
    page.fill("input[name=name]", "Paulus Kambu")
    page.fill("input[name=occupation]", "nelayan")
    page.context.set_offline(True)
    page.click("#register button")
    page.wait_for_selector("#offline:not([hidden])")
    assert "Tidak ada koneksi" in page.locator("#offline").inner_text()
    assert page.locator("input[name=name]").input_value() == "Paulus Kambu"
    shot(page, server, "05-offline")
    page.context.set_offline(False)
    page.reload()  # even a reload keeps it: the tab holds what was typed
    assert page.locator("input[name=name]").input_value() == "Paulus Kambu"
    assert page.locator("input[name=occupation]").input_value() == "nelayan"
    page.wait_for_function("document.getElementById('offline').hidden")


def test_the_menu_folds_on_a_phone(new_page, server) -> None:  # type: ignore[no-untyped-def]
    page = new_page("admin")
    page.goto("/")
    menu = page.locator("nav#menu")
    if server[1] > 640:
        assert menu.is_visible() and not page.locator("#menu-toggle").is_visible()
        return
    assert not menu.is_visible()
    page.click("#menu-toggle")
    assert menu.is_visible()
    page.click("nav#menu >> text=Klaim")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Klaim"


def test_find_a_merged_person_by_an_alias_with_a_typo(new_page, server) -> None:  # type: ignore[no-untyped-def]
    page = new_page("operator")
    page.goto("/people")
    page.fill("#q", "rumbewaz yohana")  # HTMX live search, a wrong letter, parts swapped
    page.wait_for_selector("table.people a:has-text('Yohana Kambuaya')")
    assert "Rumbewas" in page.locator("table.people").inner_text()
    no_horizontal_scroll(page)
    shot(page, server, "06-alias-found")


EVERY_PAGE = [
    "/",
    "/people",
    "/people?q=sawaki",
    "/people/2",
    "/people/new",
    "/registry",
    "/registry/review",
    "/registry/niks",
    "/claims",
    "/programs",
    "/coverage",
    "/law",
    "/audit",
    "/admin/users",
    "/account/tokens",
    "/settings",
]


@pytest.mark.parametrize("role", ["admin", "operator"])
def test_no_page_scrolls_sideways(new_page, server, role) -> None:  # type: ignore[no-untyped-def]
    page = new_page(role)
    seen = 0
    for path in EVERY_PAGE:
        r = page.goto(path)
        if r is None or r.status != 200:
            continue
        no_horizontal_scroll(page)
        seen += 1
    page.goto("/registry")
    for href in page.locator("#batches a").evaluate_all("els => els.map(e => e.href)")[:2]:
        page.goto(href)
        no_horizontal_scroll(page)
    page.goto("/claims")
    for href in page.locator("#claims a").evaluate_all("els => els.map(e => e.href)")[:2]:
        page.goto(href)
        no_horizontal_scroll(page)
    assert seen >= 8


def test_filter_tick_and_download_people(new_page, server) -> None:  # type: ignore[no-untyped-def]
    """The operator narrows the list to a distrik and an occupation, ticks a person and
    downloads them; the list has no sideways scroll at either width."""
    page = new_page("operator")
    r = page.goto("/people")
    assert r is not None and r.status == 200, (r and r.status, page.content()[:2000])
    page.select_option("#filters select[name=district]", "96.71.02")
    page.fill("#filters input[name=occupation]", "ojek")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("#bulk table.list tbody tr")
    assert rows.count() == 2
    assert "Markus Sawaki" in page.locator("#bulk").inner_text()
    no_horizontal_scroll(page)
    shot(page, server, "07-people-list")
    page.locator("#bulk input[name=ids]").first.check()
    with page.expect_download() as info:
        page.click("#bulk button[value=selected]")
    download = info.value
    assert download.suggested_filename == "orang.xlsx"
    page.goto("/people?occupation=ojek")
    with page.expect_download() as info:
        page.click("#bulk button[value=filtered]")
    assert info.value.suggested_filename == "orang.xlsx"


def test_add_people_to_a_programs_candidates_and_remove_them(new_page, server) -> None:  # type: ignore[no-untyped-def]
    """The budget officer narrows the people list, ticks a person and adds them to a
    program's candidates with a reason, follows the link to the program's page, sees who
    added them, when and why, and takes them off again; no sideways scroll at either
    width."""
    page = new_page("budget")
    r = page.goto("/people?occupation=ojek")
    assert r is not None and r.status == 200
    page.locator("#bulk input[name=ids]").first.check()
    page.select_option("#to-program select[name=program]", label="Jaring Sorong 2024")
    page.fill("#to-program input[name=reason]", "usulan ketua RT")
    page.click("#add-selected")
    page.wait_for_load_state()
    added = page.locator("#bulk-added")
    assert "1 orang ditambahkan ke kandidat Jaring Sorong 2024" in added.inner_text()
    no_horizontal_scroll(page)
    shot(page, server, "08-people-to-program")
    page.click("#bulk-added a")
    page.wait_for_load_state()
    section = page.locator("#candidates")
    text = section.inner_text()
    assert "Kandidat pilihan" in text and "usulan ketua RT" in text and "budget" in text
    assert "1 orang dalam daftar" in text
    no_horizontal_scroll(page)
    shot(page, server, "09-program-candidates")
    section.locator("input[name=ids]").first.check()
    page.click("#remove-candidates")
    page.wait_for_load_state()
    assert (
        "1 orang dihapus dari daftar kandidat" in page.locator("[role=status]").first.inner_text()
    )
    assert "0 orang dalam daftar" in page.locator("#candidates").inner_text()
