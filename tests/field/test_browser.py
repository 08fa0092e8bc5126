"""The offline form in headless Chromium (Debian's chromium driven by Playwright) against a real
``jaring`` web server in its own process (so that it can be killed mid-sync and started again
on the same port and store). Screenshots go to ``artifacts/screenshots/field-*.png``; those in
``docs/field.md`` are copied from there. Skipped without ``/usr/bin/chromium`` unless
``JARING_REQUIRE_BROWSER=1``.

The journey: sign in once with a signal (the form installs), switch the network off, register
20 workers (one with an impossible NIK, one twice), sign out and in again, switch the network
on, send, see each answer; send again (nothing changes); register 15 more and kill the server
while the first 10 are answered, start it again and send again: every record once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, text
from tests.field.helpers import REGISTRAR, nik, record
from tests.live_server import SHOTS, chromium, free_port, require_chromium
from tests.web.conftest import PASSWORD, make_user

from jaring.field import actions
from jaring.registry import nik as nik_rules
from jaring.store import make_engine, migrate

CASES = json.loads((resources.files("jaring.field") / "data" / "nik_cases.json").read_text("utf-8"))

pytestmark = pytest.mark.browser
KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"  # the attachment store's key (tests only)


class Server:
    """``jaring``'s web app under uvicorn in a process of its own, on a fixed port."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "JARING_DATABASE_URL": f"sqlite:///{self.db}",
            "JARING_ATTACHMENT_KEY": KEY,
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "jaring.web.app:app_from_env",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail("the server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Engine]]:
    require_chromium()
    db = tmp_path_factory.mktemp("field-browser") / "jaring.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    make_user(engine, "reg1", "registrar", ["96.71"])
    make_user(engine, "sup1", "supervisor", ["96.71"])
    server = Server(db)
    server.start()
    try:
        yield server, engine
    finally:
        server.kill()
        engine.dispose()


@pytest.fixture(scope="module")
def browser(store: tuple[Server, Engine]) -> Iterator[Any]:
    with chromium() as b:
        yield b


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"field-{name}.png"), full_page=True)


def sign_in(page: Any, username: str, target: str = "/field/") -> None:
    page.goto(f"/login?next={target}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def open_form(page: Any) -> None:
    """Wait until the form has its lists and its service worker controls the page."""
    page.wait_for_function("() => window.JaringField && document.querySelector('#who').textContent")
    page.evaluate("window.JaringField.ready")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def fill(page: Any, i: int, nik_: str, name: str) -> None:
    page.fill("[name=nik]", nik_)
    page.fill("[name=name]", name)
    page.fill("[name=birth_date]", "1985-03-12")
    page.select_option("[name=sex]", "L")
    page.fill("[name=address]", f"Jl. Pasar Remu {i}")
    page.select_option("[name=district_code]", "96.71.01")
    page.select_option("[name=village_code]", "96.71.01.1001")
    page.fill("[name=phone]", f"0812345{i:05d}")
    page.fill("[name=occupation]", "pedagang pasar")
    page.fill("[name=market]", "Pasar Remu")
    page.fill("[name=income]", "1.500.000")
    page.check("[name=consent]")
    page.fill("[name=consent_name]", name)


def save(page: Any) -> None:
    page.click("#save")
    try:
        page.wait_for_function("() => document.querySelector('[name=nik]').value === ''")
    except Exception:
        shot(page, "debug")
        raise AssertionError(page.inner_text("#issues") + page.inner_text("#message")) from None


def states(page: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in page.eval_on_selector_all("#records li", "els => els.map(e => e.dataset.state)"):
        out[s] = out.get(s, 0) + 1
    return out


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as c:
        return int(c.execute(text(sql)).scalar_one())


def rows_in_registry(engine: Engine) -> int:
    return count(engine, "SELECT coalesce(sum(rows), 0) FROM registry_chunk")


def test_the_phone_checks_every_nik_case_as_the_server_does(
    browser: Any, store: tuple[Server, Engine]
) -> None:
    server, _ = store
    ctx = browser.new_context(base_url=server.url)
    page = ctx.new_page()
    sign_in(page, "reg1")
    open_form(page)
    got = page.evaluate(
        """(data) => fetch('/api/v1/field/lists').then(r => r.json()).then(lists =>
            data.cases.map(c => {
              const v = JaringChecks.checkNik(c.nik, {today: data.today, lists: lists,
                birth_date: c.birth_date || null, sex: c.sex || null});
              return {error: v.error, codes: v.issues.map(i => i.code),
                      birth_date: v.birth_date, sex: v.sex, district_code: v.district_code};
            }))""",
        CASES,
    )
    for case, verdict in zip(CASES["cases"], got, strict=True):
        assert verdict == case["expect"], case["name"]
    # whole records: the phone's checks give the server's codes, in the server's order
    records = [
        record(1),
        record(2, nik="9671013203850001"),
        record(3, nik="", name=" "),
        record(4, birth_date="1985-03-13", sex="P"),
        record(5, phone="12", income="banyak"),
        record(6, birth_date="2020-01-01", nik=nik(6, 1, 1, 20)),
        record(7, consent=False),
        record(8, district_code="", village_code=""),
        record(9, village_code="96.71.02.1001"),
        record(10, nik="9999991203850001"),
        record(11, nik="9.67101E+15", birth_date="1980-01-01"),
    ]
    today = dt.date.fromisoformat(CASES["today"])
    server = [[i.code for i in found] for found in actions.check(REGISTRAR, records, today)]
    phone = page.evaluate(
        """(data) => fetch('/api/v1/field/lists').then(r => r.json()).then(lists =>
            data.records.map(r => JaringChecks.checkRecord(r, {today: data.today, lists: lists})
              .issues.map(i => i.code)))""",
        {"records": [dataclasses.asdict(r) for r in records], "today": CASES["today"]},
    )
    for r, mine, theirs in zip(records, phone, server, strict=True):
        assert mine == theirs, r.name
    # and 2,000 NIK-like strings made at random (seeded): the two sides agree on each
    rng = random.Random(20261205)
    today = dt.date.fromisoformat(CASES["today"])
    made = [random_nik(rng) for _ in range(2000)]
    js = page.evaluate(
        """(data) => fetch('/api/v1/field/lists').then(r => r.json()).then(lists =>
            data.niks.map(n => {
              const v = JaringChecks.checkNik(n, {today: data.today, lists: lists});
              return {error: v.error, codes: v.issues.map(i => i.code),
                      birth_date: v.birth_date, sex: v.sex, district_code: v.district_code};
            }))""",
        {"niks": made, "today": CASES["today"]},
    )
    frame = nik_rules.validate(pl.DataFrame({"nik": made}, schema={"nik": pl.String}), today=today)
    for n, verdict, row in zip(made, js, frame.iter_rows(named=True), strict=True):
        bd = row["nik_birth_date"]
        server = {
            "error": row["nik_error"],
            "codes": [i["code"] for i in row["nik_issues"]],
            "birth_date": bd.isoformat() if bd else None,
            "sex": row["nik_sex"],
            "district_code": row["nik_district_code"],
        }
        assert verdict == server, n
    ctx.close()


def random_nik(rng: random.Random) -> str:
    """A string near a NIK: a real or made-up region, any day (women too), month and year,
    serial 0000 at times, and now and then a digit too many or few, a letter, a separator or
    Excel's notation."""
    region = rng.choice(["967101", "927101", "920101", "917101", "317101", "999999", "967199"])
    day = rng.randint(0, 75)
    text = f"{region}{day:02d}{rng.randint(0, 13):02d}{rng.randint(0, 99):02d}"
    text += rng.choice(["0000", f"{rng.randint(1, 9999):04d}"])
    twist = rng.randint(0, 9)
    if twist == 0:
        text = text[: rng.randint(10, 15)]
    elif twist == 1:
        text += str(rng.randint(0, 9))
    elif twist == 2:
        i = rng.randint(0, 15)
        text = text[:i] + rng.choice("AOl ٣９-.") + text[i + 1 :]
    elif twist == 3:
        text = f"{text[0]}.{text[1:6]}E+15"
    elif twist == 4:
        text = " ".join([text[:4], text[4:8], text[8:12], text[12:]])
    return text


def test_register_twenty_offline_sync_and_survive_a_killed_server(
    browser: Any, store: tuple[Server, Engine]
) -> None:
    server, engine = store
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server.url)
    page = ctx.new_page()
    sign_in(page, "reg1")
    assert page.url.endswith("/field/")
    open_form(page)
    # whose queue, in which region: the region's name, never its code
    who = page.locator("#who").inner_text()
    assert "Kota Sorong" in who and "96.71" not in who
    # what installing costs: the page and everything it loads, as sent over the network
    installed = page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(
             performance.getEntriesByType('resource'))
             .reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0)"""
    )
    assert installed < 300 * 1024, installed
    (SHOTS.parent).mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / "field-install-bytes.txt").write_text(str(installed))

    # no signal: the form opens from the phone and keeps every record
    ctx.set_offline(True)
    page.reload()
    open_form(page)
    assert "Luring" in page.inner_text("#net")
    for i in range(1, 21):
        if i == 7:  # an impossible NIK (day 32): the phone says so, the registrar keeps it
            fill(page, i, "9671013203850107", f"Mama Salah {i}")
            page.click("#save")
            page.wait_for_selector("#issues li[data-code=nik_date_invalid]")
            shot(page, "01-form-error")
            page.click("#save-anyway")
            page.wait_for_function("() => document.querySelector('[name=nik]').value === ''")
        elif i == 13:  # the same NIK as record 1: the phone warns with that record's name
            fill(page, i, nik(101), "Mama Dua Kali")
            page.click("#save")
            page.wait_for_selector("#issues li[data-code=nik_on_device]")
            assert "atas nama Mama Pedagang 1 di perangkat ini" in page.inner_text("#issues")
            shot(page, "02-form-duplicate")
            page.click("#save-anyway")
            page.wait_for_function("() => document.querySelector('[name=nik]').value === ''")
        else:
            fill(page, i, nik(100 + i), f"Mama Pedagang {i}")
            save(page)
    page.wait_for_function("() => document.querySelector('#count').textContent === '20'")
    page.click(".tab[data-tab=queue]")
    assert states(page) == {"queued": 20}
    shot(page, "03-queue-offline")

    # signed out and in again: the queue is still on the phone
    ctx.set_offline(False)
    page.reload()
    open_form(page)
    page.click("#signout")
    page.wait_for_url("**/login?next=/field/")
    page.goto("/field/")
    assert "/login" in page.url  # signed out indeed
    sign_in(page, "reg1")
    open_form(page)
    page.wait_for_function("() => document.querySelector('#count').textContent === '20'")

    # send: each record gets its answer
    page.click(".tab[data-tab=queue]")
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Terkirim')"
    )
    assert states(page) == {"accepted": 18, "needs_fix": 1, "duplicate_here": 1}
    bad = page.locator("#records li[data-state=needs_fix]")
    assert "NIK 9671013203850107" in bad.inner_text()
    twice = page.locator("#records li[data-state=duplicate_here]").inner_text()
    assert "sama dengan rekaman Anda atas nama Mama Pedagang 1." in twice
    names = page.eval_on_selector_all("#records li strong", "els => els.map(e => e.textContent)")
    assert names[0] == "Mama Pedagang 20" and names[-1] == "Mama Pedagang 1"  # newest first
    shot(page, "04-answers")
    assert count(engine, "SELECT count(*) FROM field_record") == 20
    assert rows_in_registry(engine) == 19

    # send again: nothing changes
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Tidak ada')"
    )
    assert count(engine, "SELECT count(*) FROM field_record") == 20
    assert rows_in_registry(engine) == 19

    # the refused record stays, editable: fixed and sent, it is accepted
    bad.locator("button.edit").click()
    page.fill("[name=nik]", nik(107))
    save(page)
    page.click(".tab[data-tab=queue]")
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Terkirim')"
    )
    assert states(page) == {"accepted": 19, "duplicate_here": 1}
    assert count(engine, "SELECT count(*) FROM field_record") == 20
    assert rows_in_registry(engine) == 20

    # 15 more offline; the server dies after storing the first 10, before answering
    ctx.set_offline(True)
    page.click(".tab[data-tab=form]")
    for i in range(21, 36):
        fill(page, i, nik(100 + i), f"Mama Pedagang {i}")
        save(page)
    ctx.set_offline(False)
    calls = {"n": 0}

    def cut(route: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            route.fetch()  # the server stores and commits the first 10 ...
            server.kill()  # ... and dies before the phone hears the answer
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/field/sync?*", cut)
    page.click(".tab[data-tab=queue]")
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Koneksi')"
    )
    assert states(page).get("queued") == 15  # nothing marked as sent without an answer
    assert count(engine, "SELECT count(*) FROM field_record") == 30
    server.start()
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Terkirim')"
    )
    assert states(page) == {"accepted": 34, "duplicate_here": 1}
    assert count(engine, "SELECT count(*) FROM field_record") == 35
    assert count(engine, "SELECT count(DISTINCT client_id) FROM field_record") == 35
    assert rows_in_registry(engine) == 35
    assert count(engine, "SELECT count(*) FROM registry_batch") == 1
    ctx.close()


def test_the_form_fits_a_phone_and_speaks_english_when_asked(
    browser: Any, store: tuple[Server, Engine]
) -> None:
    server, _ = store
    for width in (360, 1366):
        ctx = browser.new_context(viewport={"width": width, "height": 800}, base_url=server.url)
        page = ctx.new_page()
        sign_in(page, "reg1")
        open_form(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, (width, overflow)
        assert page.get_attribute("html", "lang") == "id"
        assert "Simpan di ponsel" in page.inner_text("#save")
        shot(page, f"07-form-{width}")
        page.goto("/field/?lang=en")
        open_form(page)
        assert "Save on this phone" in page.inner_text("#save")
        page.fill("[name=nik]", "123")
        page.locator("[name=nik]").blur()
        assert "must have 16 digits" in page.inner_text("#issues")
        ctx.close()


def test_supervisor_sees_progress(browser: Any, store: tuple[Server, Engine]) -> None:
    server, _ = store
    for width in (1366, 360):
        ctx = browser.new_context(viewport={"width": width, "height": 800}, base_url=server.url)
        page = ctx.new_page()
        sign_in(page, "sup1", "/field/progress")
        assert "Pendaftaran lapangan: kemajuan" in page.inner_text("h1")
        shot(page, f"05-progress-{width}")
        ctx.close()


def noisy_jpeg() -> bytes:
    """A 2400 x 1600 photo of noise: several MB, the worst case for compression."""
    import io

    from PIL import Image

    img = Image.frombytes("RGB", (2400, 1600), os.urandom(2400 * 1600 * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_ktp_photo_locked_by_pin_then_sent_and_deleted(
    browser: Any, store: tuple[Server, Engine]
) -> None:
    server, engine = store
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server.url)
    page = ctx.new_page()
    sign_in(page, "reg1")
    open_form(page)
    ctx.set_offline(True)
    fill(page, 60, nik(160), "Mama Foto")
    photo = noisy_jpeg()
    assert len(photo) > 2 * 1024 * 1024
    page.set_input_files(
        "[name=photo]", files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.wait_for_selector("#pin:not([hidden])")
    page.fill("#pin-input", "123")
    page.click("#pin-ok")
    assert "paling sedikit 6" in page.inner_text("#message")
    page.fill("#pin-input", "246810")
    page.click("#pin-ok")
    page.wait_for_selector("#photo-note:not([hidden])")
    assert "terkunci" in page.inner_text("#photo-note")
    shot(page, "06-photo-locked")
    save(page)
    kept = page.evaluate(
        """() => JaringField.mine().then(all => {
             const r = all.find(x => x.name === 'Mama Foto');
             return {bytes: r.photo.data.byteLength, state: r.photo_state, iv: r.photo.iv};
           })"""
    )
    assert kept["state"] == "waiting" and 0 < kept["bytes"] <= 500 * 1024 + 16
    ctx.set_offline(False)
    page.click(".tab[data-tab=queue]")
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Terkirim')"
    )
    left = page.evaluate(
        """() => JaringField.mine().then(all => {
             const r = all.find(x => x.name === 'Mama Foto');
             return {photo: r.photo, state: r.photo_state, data: r.data};
           })"""
    )
    assert left == {"photo": None, "state": "sent", "data": None}  # nothing personal left
    with engine.connect() as c:
        row = c.execute(
            text(
                "SELECT a.size, a.encrypted, a.purpose FROM field_record f "
                "JOIN attachment a ON a.id = f.photo_id WHERE f.nik = :n"
            ),
            {"n": nik(160)},
        ).one()
    assert row.encrypted and row.purpose == "field.ktp" and row.size <= 500 * 1024
    ctx.close()


def until(page: Any, script: str, want: object, seconds: float = 60) -> None:
    """Poll ``script`` (its promise awaited) until it gives ``want``."""
    deadline = time.monotonic() + seconds
    while (got := page.evaluate(script)) != want:
        assert time.monotonic() < deadline, f"{got!r} != {want!r}"
        time.sleep(0.1)


def test_a_forgotten_pin_keeps_the_records_and_says_which_photos_are_lost(
    browser: Any, store: tuple[Server, Engine]
) -> None:
    """Two photos locked offline under a PIN the registrar then forgets: the phone says
    honestly that they cannot be opened, refuses to reset without a signal or with a wrong
    password, resets with a supervisor's code; the records keep their text and are sent,
    the two photos are marked "Foto perlu diambil ulang", one is taken again and sent."""
    server, engine = store
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server.url)
    page = ctx.new_page()
    sign_in(page, "reg1")
    open_form(page)
    ctx.set_offline(True)
    small = noisy_jpeg()
    for i, serial in enumerate((170, 171)):
        fill(page, 70 + i, nik(serial), f"Mama Lupa {i}")
        page.set_input_files(
            "[name=photo]", files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": small}]
        )
        if i == 0:
            page.wait_for_selector("#pin:not([hidden])")
            page.fill("#pin-input", "135791")
            page.click("#pin-ok")
        page.wait_for_selector("#photo-note:not([hidden])")
        save(page)
    # the next opening of the form, still without a signal: the PIN is forgotten
    page.reload()
    page.wait_for_function("() => window.JaringField && document.querySelector('#who').textContent")
    fill(page, 72, nik(172), "Mama Lupa 2")
    page.set_input_files(
        "[name=photo]", files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": small}]
    )
    page.wait_for_selector("#pin:not([hidden])")
    page.fill("#pin-input", "999999")
    page.click("#pin-ok")
    page.wait_for_function("() => document.querySelector('#message').textContent === 'PIN salah.'")
    page.click("#pin-forgot")
    page.wait_for_selector("#pin-reset:not([hidden])")
    explain = page.inner_text("#pin-reset-explain")
    assert "tidak dapat dipulihkan" in explain and "2 foto" in explain
    shot(page, "10-pin-forgotten")
    page.fill("#pin-reset-code", "12345678")
    page.click("#pin-reset-ok")
    page.wait_for_function(
        "() => document.querySelector('#message').textContent.includes('sinyal')"
    )
    ctx.set_offline(False)
    page.fill("#pin-reset-password", "bukan-kata-sandi")
    page.fill("#pin-reset-code", "")
    page.click("#pin-reset-ok")
    page.wait_for_function(
        "() => document.querySelector('#message').textContent.startsWith('Tidak diatur ulang')"
    )
    # the supervisor makes a one-time code on the progress page
    sup = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server.url)
    sp = sup.new_page()
    sign_in(sp, "sup1", "/field/progress")
    sp.fill("#pin-code-form input[name=registrar]", "reg1")
    sp.click("#pin-code-form button")
    sp.wait_for_load_state()
    code = sp.inner_text("#pin-code strong")
    assert len(code) == 8
    shot(sp, "11-pin-code")
    sup.close()
    page.fill("#pin-reset-password", "")
    page.fill("#pin-reset-code", code)
    page.click("#pin-reset-ok")
    page.wait_for_function(
        "() => document.querySelector('#message').textContent.startsWith('PIN diatur ulang')"
    )
    assert "2 foto perlu diambil ulang" in page.inner_text("#message")
    assert "Buat PIN" in page.inner_text("#pin-label")  # the same unlock asks a new PIN
    page.fill("#pin-input", "864200")
    page.click("#pin-ok")
    page.wait_for_selector("#photo-note:not([hidden])")
    save(page)
    kept = page.evaluate(
        """() => JaringField.mine().then(all => all
             .filter(x => x.name.startsWith('Mama Lupa'))
             .map(x => ({name: x.name, nik: x.data && x.data.nik, photo: !!x.photo,
                         state: x.photo_state})))"""
    )
    by_name = {k["name"]: k for k in kept}
    assert by_name["Mama Lupa 0"] == {
        "name": "Mama Lupa 0", "nik": nik(170), "photo": False, "state": "retake"
    }  # fmt: skip
    assert by_name["Mama Lupa 1"]["state"] == "retake" and by_name["Mama Lupa 1"]["nik"]
    assert by_name["Mama Lupa 2"]["state"] == "waiting" and by_name["Mama Lupa 2"]["photo"]
    page.click(".tab[data-tab=queue]")
    assert page.locator("#records .retake").count() == 2
    assert page.locator("#records .retake").first.inner_text() == "Foto perlu diambil ulang"
    page.click("#sync")
    page.wait_for_function(
        "() => document.querySelector('#sync-state').textContent.startsWith('Terkirim')"
    )
    with engine.connect() as c:
        photos = dict(
            c.execute(
                text(
                    "SELECT nik, photo_id IS NOT NULL FROM field_record WHERE nik IN (:a, :b, :c)"
                ),
                {"a": nik(170), "b": nik(171), "c": nik(172)},
            ).all()
        )
        reset = c.execute(
            text("SELECT after FROM audit_event WHERE action = 'field.pin_reset'")
        ).scalar_one()
    assert photos == {nik(170): False, nik(171): False, nik(172): True}  # all three records
    assert json.loads(reset) == {"method": "supervisor", "photos_lost": 2}
    shot(page, "12-photos-to-retake")
    # one photo taken again: locked under the new PIN, sent at the next sync
    li = page.locator("#records li", has_text="Mama Lupa 0")
    li.locator(".retake-photo input").set_input_files(
        files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": small}]
    )
    photo_state = """() => JaringField.mine().then(all => all.find(x => x.name === 'Mama Lupa 0')
                           .photo_state)"""
    until(page, photo_state, "waiting")
    page.click("#sync")
    until(page, photo_state, "sent")
    with engine.connect() as c:
        assert c.execute(
            text("SELECT photo_id IS NOT NULL FROM field_record WHERE nik = :n"), {"n": nik(170)}
        ).scalar_one()
    ctx.close()
