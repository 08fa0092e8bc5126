"""Whole jobs in headless Chromium, without the CLI, on SQLite and PostgreSQL, at 1366 px
and 360 px.

The budget officer: create a program with a period and targeting, plan with a quota, enrol,
send the registration file, read BPJS's answer with a refused row, open the fix, resend,
read the second answer, invoice and pay with a confirmation.

The Paritrana secretariat sets up an edition (candidate, juror, interview with notes,
evidence) and the juror scores it on the sheet, seeing the evidence and the notes, saving a
draft, then locking after a confirmation. An edition goes through its four stages: the
secretariat chooses who passes each, the juror scores at the provincial interview, and the
ranking is read per stage.

Skipped without ``/usr/bin/chromium`` unless ``JARING_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from tests.live_server import SHOTS, chromium, require_chromium, scratch_engine, serve
from tests.web.conftest import PASSWORD, _seed_all, make_user

from jaring.store import migrate
from jaring.web.app import create_app

pytestmark = pytest.mark.browser


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "PERATURAN DAERAH KOTA SORONG NOMOR 3 TAHUN 2025")
    c.save()
    return buf.getvalue()


PERDA = _pdf()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    require_chromium()
    with scratch_engine(request, tmp_path_factory, request.param) as engine:
        migrate(engine)
        _seed_all(engine)
        make_user(engine, "sekretariat", "award_secretariat")
        with serve(create_app(engine)) as url:
            yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    with chromium() as b:
        yield b


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    """Nothing wider than the screen but the scrolling tables."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _no_error(page) -> None:  # type: ignore[no-untyped-def]
    errors = page.locator(".error")
    assert errors.count() == 0, errors.first.inner_text()


def _step(page, key: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(f"#stepper li[data-step={key}]").get_attribute("class"))


@pytest.mark.parametrize("width", [1366, 360])
def test_budget_officer_whole_job(browser, server: str, width: int, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(
        viewport={"width": width, "height": 900}, base_url=server, accept_downloads=True
    )
    page = ctx.new_page()
    tag = f"{width}-{server.rsplit(':', 1)[1]}"
    _sign_in(page, "budget")

    # 1. a program with a period, a package and targeting; the budget as people write it
    page.goto("/programs")
    page.fill("input[name=name]", f"Jaring Uji {tag}")
    page.fill("input[name=fiscal_year]", "2024")
    page.fill("input[name=budget]", "1,5 juta")
    page.fill("input[name=period_start]", "2024-03")
    page.fill("input[name=period_end]", "2024-12")
    page.select_option("#new-program select[name=desil_max]", "2")
    page.click("text=Buat program")
    page.wait_for_load_state()
    _no_error(page)
    assert page.locator("h1").inner_text() == f"Jaring Uji {tag}"
    assert "Maret 2024 – Desember 2024" in page.locator("p.muted").first.inner_text()
    assert "done" in _step(page, "setup") and "done" in _step(page, "targeting")
    assert "next" in _step(page, "plan")
    program_url = page.url.split("?")[0]
    bpjs_tab = f"{program_url}/bpjs"
    assert page.locator("#enrol").count() == 0  # nothing to enrol yet: not offered
    _fits(page, width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"20-program-steps-{width}.png"), full_page=True)

    # a budget nobody can read is refused naming the field
    page.click("nav.tabs a[href$='/setup']")
    page.fill("#setup-form input[name=budget]", "satu setengah")
    page.click("#save-setup")
    page.wait_for_load_state()
    assert "Bukan jumlah rupiah" in page.locator(".error").inner_text()
    page.fill("#setup-form input[name=budget]", "Rp1.500.000")
    page.click("#save-setup")
    page.wait_for_load_state()
    _no_error(page)

    # 2. plan with priorities chosen from lists and a distrik quota as a number control
    page.click("nav.tabs a[href$='/plan']")
    page.select_option("select[name=priority_1]", "risk")
    page.select_option("select[name=priority_2]", "desil")
    page.fill("input[name=quota_distrik]", "20")
    page.click("#compare")
    page.wait_for_selector("#scenarios")
    _no_error(page)
    page.locator("#scenarios [data-scenario=full] form button").click()
    page.wait_for_selector("#plan-saved")
    assert "distrik=0.2" in page.locator("#plan-saved").inner_text()
    page.click("#enrol")
    page.wait_for_load_state()
    _no_error(page)
    assert "Didaftarkan" in page.locator("p.ok").inner_text()
    assert "next" in _step(page, "export")

    # 3. the registration file for BPJS; its answer refuses one row
    page.click("nav.tabs a[href$='/bpjs']")
    page.select_option("#send-form select[name=format]", "csv")
    with page.expect_download() as dl:
        page.click("#send")
    assert dl.value.suggested_filename.startswith("registrasi-")
    sent = Path(dl.value.path()).read_bytes()
    registration = pl.read_csv(sent, infer_schema=False)
    assert registration.height == 3  # desil 1 and 2: three of the four people
    answer = tmp_path / "jawaban-bpjs-maret.csv"
    pl.DataFrame(
        {
            "No NIK": registration["NIK"],
            "NOMOR KPJ": [f"3100000000{i}" for i in range(registration.height)],
            "Status": ["Ditolak"] + [""] * (registration.height - 1),
            "Keterangan": ["NIK tidak terdaftar di Dukcapil"] + [""] * (registration.height - 1),
        }
    ).write_csv(answer)
    page.goto(bpjs_tab)
    page.set_input_files("#answer-form input[type=file]", str(answer))
    page.click("#upload")
    page.wait_for_load_state()
    _no_error(page)
    assert "jawaban-bpjs-maret.csv" in page.locator("p.ok").inner_text()
    refused = page.locator("#refusals tbody tr")
    assert refused.count() == 1
    assert "NIK tidak terdaftar di Dukcapil" in refused.inner_text()
    assert re.fullmatch(r"\d{4}\*{8}\d{4}", refused.locator("td.nik").inner_text())
    files = page.locator("#files tbody tr")
    assert files.count() == 2
    assert "jawaban-bpjs-maret.csv" in files.first.inner_text()
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"21-bpjs-exchange-{width}.png"), full_page=True)
    fix = refused.locator("a.fix").get_attribute("href")
    assert fix is not None and fix.startswith("/people/")
    page.goto(fix)
    assert page.locator("h1").count() == 1
    page.goto(bpjs_tab)

    # resend the refused row; BPJS accepts it this time
    page.select_option("#resend-form select[name=format]", "csv")
    with page.expect_download() as dl2:
        page.click("#resend")
    again = pl.read_csv(Path(dl2.value.path()).read_bytes(), infer_schema=False)
    assert again.height == 1 and again["NIK"][0] == registration["NIK"][0]
    second = tmp_path / "jawaban-bpjs-ulang.csv"
    pl.DataFrame({"NIK": again["NIK"], "KPJ": ["31000000099"], "Status": [""]}).write_csv(second)
    page.goto(bpjs_tab)
    page.set_input_files("#answer-form input[type=file]", str(second))
    page.click("#upload")
    page.wait_for_load_state()
    _no_error(page)
    assert page.locator("#refusals").count() == 0
    assert page.locator("#files tbody tr").count() == 4
    # any file sent downloads again, byte for byte
    with page.expect_download() as dl3:
        page.locator("#files tbody tr[data-direction=sent] a").last.click()
    assert Path(dl3.value.path()).read_bytes() == sent
    assert "done" in _step(page, "answer")

    # 4. invoice month by month, pay with a confirmation
    page.click("nav.tabs a[href$='/invoices']")
    page.select_option("#invoice-form select[name=month]", "2024-03")
    page.click("#issue")
    page.wait_for_load_state()
    _no_error(page)
    amount = page.locator("#invoices tbody tr td.amount").first.inner_text()
    assert amount == "Rp50.400"  # 3 members x Rp16.800
    page.fill("#payment-form input[name=amount]", amount)
    page.fill("#payment-form input[name=sp2d]", f"SP2D-{tag}")
    page.fill("#payment-form input[name=on]", "2024-03-25")
    page.click("#pay")
    page.wait_for_selector("#confirm-payment")
    assert page.locator("#confirm-amount").inner_text() == "Rp50.400"
    assert page.locator("#invoices tbody tr td.outstanding").first.inner_text() == "Rp50.400"
    page.click("#confirm")
    page.wait_for_load_state()
    _no_error(page)
    assert "sisa tagihan Rp0" in page.locator("p.ok").inner_text()
    row = page.locator("#invoices tbody tr").first.inner_text()
    assert f"SP2D-{tag}" in row and "25 Maret 2024" in row
    assert "done" in _step(page, "payment")
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"22-invoice-paid-{width}.png"), full_page=True)

    # 5. the state budget takes the program over: the payer changes after the invoice
    page.click("nav.tabs a[href$='/setup']")
    assert page.locator("#setup-form fieldset[disabled]").count() == 1  # the package stays
    page.select_option("#setup-form select[name=funder_type]", "apbn")
    page.click("#save-setup")
    page.wait_for_load_state()
    _no_error(page)
    assert "Pembayar diganti" in page.locator("p.ok").inner_text()
    assert page.locator("#payer").inner_text() == "Anggaran negara (APBN)"
    _fits(page, width)
    page.click("nav.tabs a[href$='/invoices']")
    assert page.locator("#invoices tbody tr td.amount").first.inner_text() == "Rp50.400"
    ctx.close()


@pytest.mark.parametrize("width", [1366, 360])
def test_secretariat_sets_up_and_a_juror_scores(browser, server: str, width: int) -> None:  # type: ignore[no-untyped-def]
    year = 2030 if width == 1366 else 2031
    ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=server)
    page = ctx.new_page()
    _sign_in(page, "sekretariat")
    page.goto("/award")
    page.fill("#new-edition input[name=year]", str(year))
    # the provincial stage: a regional team of any size (the nine sit at the national one)
    page.select_option("#new-edition select[name=stage]", "wawancara-provinsi")
    page.click("#new-edition button[type=submit]")
    page.wait_for_load_state()
    _no_error(page)
    assert page.url.endswith(f"/award/{year}/manage")
    page.fill("#add-candidate input[name=code]", "96.71")
    page.click("#add-candidate button")
    page.wait_for_load_state()
    _no_error(page)
    assert page.locator("#candidates tr[data-code='96.71']").count() == 1
    page.fill("#add-juror input[name=code]", "JUROR")
    page.fill("#add-juror input[name=name]", "Juri Uji")
    page.click("#add-juror button")
    page.wait_for_load_state()
    page.fill("#schedule input[name=at]", f"{year}-02-26T09:00")
    page.fill("#schedule input[name=place]", "Kantor Gubernur")
    page.click("#schedule button")
    page.wait_for_load_state()
    _no_error(page)
    notes = "Wali kota memaparkan Perda Nomor 3 Tahun 2025 dan hasil tiga tahun."
    form = page.locator("form.interview[data-code='96.71']")
    form.locator("select[name=attended]").select_option("yes")
    form.locator("textarea[name=notes]").fill(notes)
    form.locator("button").click()
    page.wait_for_load_state()
    _no_error(page)
    ev = page.locator("form.evidence[data-code='96.71']")
    ev.locator("select[name=criterion]").select_option("regulasi")
    ev.locator("input[name=value]").fill("perda")
    ev.locator("input[name=note]").fill("Perda Kota Sorong 3/2025")
    ev.locator("input[name=file]").set_input_files(
        files=[{"name": "perda-3-2025.pdf", "mimeType": "application/pdf", "buffer": PERDA}]
    )
    ev.locator("button").click()
    page.wait_for_load_state()
    _no_error(page)
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"23-award-setup-{width}.png"), full_page=True)

    # the juror: progress, the sheet with evidence and notes, a draft, then the lock
    _sign_in(page, "juror")
    page.goto(f"/award/{year}/jury")
    assert page.locator("#progress").inner_text() == "0 dari 1 dinilai"
    page.click("#desk a")
    page.wait_for_load_state()
    regulasi = page.locator("section.criterion[data-criterion=regulasi]")
    assert "perda" in regulasi.inner_text() and "Perda Kota Sorong 3/2025" in regulasi.inner_text()
    href = regulasi.locator("a.evidence-file").get_attribute("href")
    assert (
        href is not None and regulasi.locator("a.evidence-file").inner_text() == "perda-3-2025.pdf"
    )
    assert page.request.get(href).body() == PERDA  # the juror reads the document itself
    assert notes in page.locator("#interview-notes").inner_text()
    guide = page.locator("section.criterion[data-criterion=inovasi] dl.guide")
    assert "Sangat baik" in guide.inner_text()
    page.select_option("select[name=points_inovasi]", "4")
    page.click("#save-draft")
    page.wait_for_load_state()
    assert "Draf disimpan" in page.locator("#draft-saved").inner_text()
    page.select_option("select[name=points_wawancara]", "5")
    page.click("#submit-scores")
    page.wait_for_selector("#confirm-box")
    assert page.locator("#scores-locked").count() == 0  # nothing locked before confirming
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"24-juror-confirm-{width}.png"), full_page=True)
    page.click("#confirm-lock")
    page.wait_for_load_state()
    assert page.locator("#scores-locked").count() == 1
    page.goto(f"/award/{year}/jury")
    assert page.locator("#progress").inner_text() == "1 dari 1 dinilai"
    ctx.close()


def _manage_post(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"{selector} button")
    page.wait_for_load_state()


def _move(page, stage: str) -> None:  # type: ignore[no-untyped-def]
    """Ask to move the edition to ``stage`` and confirm it."""
    page.select_option("#move-stage select[name=stage]", stage)
    _manage_post(page, "#move-stage")
    page.click("#confirm-stage")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1366, 360])
def test_an_edition_through_its_four_stages(browser, server: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """The secretariat moves an edition through the four stages, choosing who passes each;
    the juror scores at the provincial interview; the ranking is shown per stage."""
    year = 2032 if width == 1366 else 2033
    ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=server)
    page = ctx.new_page()
    _sign_in(page, "sekretariat")
    page.goto("/award")
    page.fill("#new-edition input[name=year]", str(year))
    page.click("#new-edition button[type=submit]")
    page.wait_for_load_state()
    _no_error(page)
    # the first stage: the administrative data, a regional team, no interview
    assert page.locator("#stage").get_attribute("data-stage") == "administrasi"
    assert page.locator("#stage").inner_text() == "data administrasi"
    assert page.locator("#stages li").count() == 4
    assert "dewan juri independen (9 orang)" in page.locator("#stages").inner_text()
    for code in ("96.71", "96.01"):
        page.fill("#add-candidate input[name=code]", code)
        _manage_post(page, "#add-candidate")
        _no_error(page)
    for code, level in (("96.71", "perda"), ("96.01", "surat_edaran")):
        ev = page.locator(f"form.evidence[data-code='{code}']")
        ev.locator("select[name=criterion]").select_option("regulasi")
        ev.locator("input[name=value]").fill(level)
        ev.locator("button").click()
        page.wait_for_load_state()
        _no_error(page)
    page.fill("#add-juror input[name=code]", "JUROR")
    page.fill("#add-juror input[name=name]", "Juri Uji")
    _manage_post(page, "#add-juror")
    assert page.locator("#schedule").count() == 0  # no interview at this stage
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"25-award-stage-data-{width}.png"), full_page=True)
    # forward needs the secretariat's choice of who passes
    _move(page, "wawancara-provinsi")
    assert "Belum ada kandidat tahap" in page.locator(".error").inner_text()
    assert page.locator("#stage").get_attribute("data-stage") == "administrasi"
    page.locator("#shortlist input[value='96.71']").check()
    _manage_post(page, "#shortlist")
    _no_error(page)
    assert "1 kandidat lolos ke tahap wawancara provinsi." in page.locator(".ok").inner_text()
    page.select_option("#move-stage select[name=stage]", "wawancara-provinsi")
    _manage_post(page, "#move-stage")
    box = page.locator("#stage-confirm")
    text = box.inner_text()
    assert "Pindahkan edisi dari tahap data administrasi ke tahap wawancara provinsi?" in text
    assert "tim provinsi" in text and "berapa pun" in text
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"26-award-stage-confirm-{width}.png"), full_page=True)
    page.click("#cancel-stage")  # cancelling changes nothing
    page.wait_for_load_state()
    assert page.locator("#stage").get_attribute("data-stage") == "administrasi"
    _move(page, "wawancara-provinsi")
    _no_error(page)
    assert page.locator("#stage").get_attribute("data-stage") == "wawancara-provinsi"
    assert "Edisi kini berada pada tahap wawancara provinsi." in page.locator(".ok").inner_text()
    assert "tidak lolos" in page.locator("#candidates tr[data-code='96.01']").inner_text()
    # the provincial interview of the one who passed, before a team of one
    assert page.locator("#schedule select[name=candidate] option").count() == 1
    page.fill("#schedule input[name=at]", f"{year}-03-02T09:00")
    _manage_post(page, "#schedule")
    _no_error(page)

    # the juror scores at this stage (a browser of their own: the secretariat stays signed in)
    jctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=server)
    jpage = jctx.new_page()
    _sign_in(jpage, "juror")
    jpage.goto(f"/award/{year}/jury")
    assert jpage.locator("#desk-stage").get_attribute("data-stage") == "wawancara-provinsi"
    assert jpage.locator("#progress").inner_text() == "0 dari 1 dinilai"
    jpage.click("#desk a")
    jpage.wait_for_load_state()
    assert "wawancara provinsi" in jpage.locator("#sheet-stage").inner_text()
    jpage.select_option("select[name=points_inovasi]", "4")
    jpage.select_option("select[name=points_wawancara]", "5")
    jpage.click("#submit-scores")
    jpage.wait_for_selector("#confirm-box")
    jpage.click("#confirm-lock")
    jpage.wait_for_load_state()
    assert jpage.locator("#scores-locked").count() == 1
    jctx.close()

    # on through the central verification to the national interview
    page.goto(f"/award/{year}/manage")
    page.locator("#shortlist input[value='96.71']").check()
    _manage_post(page, "#shortlist")
    _move(page, "verifikasi")
    _no_error(page)
    assert page.locator("#stage").get_attribute("data-stage") == "verifikasi"
    assert page.locator("#schedule").count() == 0
    page.locator("#shortlist input[value='96.71']").check()
    _manage_post(page, "#shortlist")
    page.select_option("#move-stage select[name=stage]", "wawancara-nasional")
    _manage_post(page, "#move-stage")
    assert "9 juri" in page.locator("#stage-confirm").inner_text()
    page.click("#confirm-stage")
    page.wait_for_load_state()
    _no_error(page)
    assert page.locator("#stage").get_attribute("data-stage") == "wawancara-nasional"
    assert page.locator("#stages li.done").count() == 3
    _fits(page, width)

    # the ranking per stage: the national one has no score yet, the provincial one keeps its
    page.goto("/award")
    ed = page.locator(f"section.edition[data-year='{year}']")
    assert ed.locator("table.ranking").get_attribute("data-stage") == "wawancara-nasional"
    assert ed.locator(".stage-shown").inner_text() == "wawancara nasional"
    ed.locator("nav.stage-tabs a[data-stage='wawancara-provinsi']").click()
    page.wait_for_load_state()
    ed = page.locator(f"section.edition[data-year='{year}']")
    table = ed.locator("table.ranking")
    assert table.get_attribute("data-stage") == "wawancara-provinsi"
    assert "Tahap wawancara provinsi: nilai dari 100" in table.inner_text()
    rows = table.locator("tbody tr")
    # the juror's scores count: regulasi 15 + inovasi 15 x 4/5 + wawancara 10 x 5/5 = 37
    assert rows.count() == 1 and rows.first.locator("td.num").inner_text() == "37"
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"27-award-ranking-by-stage-{width}.png"), full_page=True)
    ed.locator("nav.stage-tabs a[data-stage='administrasi']").click()
    page.wait_for_load_state()
    table = page.locator(f"section.edition[data-year='{year}'] table.ranking")
    assert table.get_attribute("data-stage") == "administrasi"
    assert "nilai dari 70" in table.inner_text() and table.locator("tbody tr").count() == 2
    ctx.close()  # the audit trail of the moves, in words: test_award_desk_api
