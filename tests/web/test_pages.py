"""The pages through a cookie-carrying client: sign-in with CSRF and rate limiting, sessions,
roles and regions, masking, the language switch, sizes under 150 KB."""

from __future__ import annotations

import gzip
import warnings

from sqlalchemy import select

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf_of, sign_in

from jaring.accounts.actions import ensure_admin
from jaring.store.tables.web import audit_event
from jaring.web.app import create_app


def test_pages_need_sign_in(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = c.get("/people/2", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/people/2"


def test_every_page_names_its_icon_and_the_icon_is_served(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    login = c.get("/login")
    assert '<link rel="icon" href="/static/field/icon-192.png">' in login.text
    r = c.get("/favicon.ico")  # no sign-in needed, as a browser asks before anything else
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert str(r.url).endswith("/static/field/icon-192.png")


def test_sign_in_sets_a_safe_session_cookie(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = sign_in(c, "viewer", next="/people")
    assert r.status_code == 303 and r.headers["location"] == "/people"
    cookie = r.headers["set-cookie"]
    assert "jaring_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; https requests get Secure
    assert c.get("/").status_code == 200


def test_secure_cookie_over_https(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app, base_url="https://testserver")
    r = sign_in(c, "viewer")
    assert "Secure" in r.headers["set-cookie"]


def test_sign_in_refusals(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = sign_in(c, "viewer", "wrong-password")
    assert r.status_code == 401 and "Nama pengguna atau kata sandi salah." in r.text
    r = sign_in(c, "nobody", "wrong-password")
    assert r.status_code == 401 and "Nama pengguna atau kata sandi salah." in r.text
    # without the form's CSRF value
    r = c.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert r.status_code == 400


def test_open_redirect_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = sign_in(c, "viewer", next="//evil.example/x")
    assert r.headers["location"] == "/"


def test_account_locks_after_five_failures(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    for _ in range(5):
        assert sign_in(c, "auditor", "wrong-password").status_code == 401
    r = sign_in(c, "auditor")  # right password, but locked now
    assert r.status_code == 401 and "Terlalu banyak percobaan gagal" in r.text


def test_rate_limit_per_address(web_engine) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(web_engine, rate_limit=3))
    for _ in range(3):
        sign_in(c, "viewer", "wrong-password")
    r = sign_in(c, "viewer")
    assert r.status_code == 429


def test_rate_limit_is_shared_by_apps_on_one_database(web_engine) -> None:  # type: ignore[no-untyped-def]
    """Two app instances (as two workers of ``jaring serve --workers 2``), each with its own
    engine on the same database, share the per-address limit: 3 attempts in all, not 3 each."""
    from sqlalchemy import create_engine, func, select

    from jaring.store.tables.web import web_login_attempt

    other_engine = create_engine(web_engine.url)
    try:
        a = TestClient(create_app(web_engine, rate_limit=3))
        b = TestClient(create_app(other_engine, rate_limit=3))
        assert sign_in(a, "viewer", "wrong-password").status_code == 401
        assert sign_in(b, "viewer", "wrong-password").status_code == 401
        assert sign_in(a, "viewer", "wrong-password").status_code == 401
        r = sign_in(b, "viewer")  # the right password, but the address has used its 3
        assert r.status_code == 429 and "Terlalu banyak percobaan masuk" in r.text
        assert sign_in(a, "viewer").status_code == 429
        with web_engine.connect() as conn:
            stored = conn.execute(select(web_login_attempt.c.address)).scalars().all()
            assert len(stored) == 3 and "testclient" not in stored  # digests, not addresses
            # an attempt older than the window is forgotten: the address may try again
            conn.execute(web_login_attempt.update().values(at=web_login_attempt.c.at - 61))
            conn.commit()
            assert conn.execute(select(func.count()).select_from(web_login_attempt)).scalar() == 3
        assert sign_in(b, "viewer").status_code == 303
    finally:
        other_engine.dispose()


def test_forms_need_the_csrf_token(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("admin")
    r = c.post("/admin/users", data={"username": "x1", "role": "viewer", "password": PASSWORD})
    assert r.status_code == 403 and "csrf_failed" in r.text
    token = csrf_of(c.get("/admin/users").text)
    r = c.post(
        "/admin/users",
        data={"username": "x1", "role": "viewer", "password": PASSWORD, "csrf_token": token},
    )
    assert r.status_code == 200 and "Pengguna x1 dibuat." in r.text
    # the API under a browser session needs it too (header form)
    assert c.post("/api/v1/tokens", json={"name": "t"}).status_code == 403
    assert (
        c.post("/api/v1/tokens", json={"name": "t"}, headers={"X-CSRF-Token": token}).status_code
        == 201
    )


def test_sign_out_ends_the_session(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("viewer")
    token = csrf_of(c.get("/").text)
    cookie = c.cookies.get("jaring_session")
    assert c.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    c.cookies.set("jaring_session", cookie)  # replaying the old cookie does not work
    assert c.get("/", follow_redirects=False).status_code == 303


def test_viewer_sees_masked_nik_on_pages(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("viewer")
    r = c.get("/people", params={"q": "Kambuaya"})
    assert "9671********0001" in r.text and "9671011203850001" not in r.text
    r = c.get("/people/1")
    assert "9671********0001" in r.text and "+628******0001" in r.text
    assert "Jl. Contoh 1" not in r.text


def test_operator_gets_403_for_another_distrik(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("operator")
    assert c.get("/people/2").status_code == 200
    r = c.get("/people/1")
    assert r.status_code == 403
    assert "Orang ini berada di luar wilayah kerja Anda." in r.text


def test_roles_see_only_their_menu(browser_as) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/admin/users"' in browser_as("admin").get("/").text
    page = browser_as("viewer").get("/").text
    assert 'href="/admin/users"' not in page and 'href="/audit"' not in page
    assert browser_as("viewer").get("/admin/users").status_code == 403
    assert browser_as("auditor").get("/audit").status_code == 200
    assert browser_as("juror").get("/people").status_code == 403


def test_dashboard_in_indonesian_then_english(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("viewer")
    r = c.get("/", params={"on": "2024-02-26"})
    assert "Dasbor" in r.text and "Rp2.200.000.000" in r.text and "26 Februari 2024" in r.text
    assert "<svg" in r.text  # the chart is drawn on the server
    c.get("/lang/en?next=/")
    r = c.get("/", params={"on": "2024-02-26"})
    assert "Dashboard" in r.text and "Rp2,200,000,000" in r.text and "26 February 2024" in r.text


def test_pages_are_small_and_safe(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("admin")
    total = 0
    for path in ("/", "/people?q=so", "/people/1", "/audit", "/admin/users", "/account/tokens"):
        r = c.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200, path
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        total = max(total, len(gzip.compress(r.content)))
    js = c.get("/static/htmx.min.js")
    css = c.get("/static/jaring.css")
    assert total + len(gzip.compress(js.content)) + len(gzip.compress(css.content)) < 150_000


def test_first_start_creates_one_admin_once(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("JARING_ADMIN_PASSWORD", raising=False)
    first = ensure_admin(engine)
    assert first and len(first.password) >= 12 and not first.from_env
    assert ensure_admin(engine) is None
    c = TestClient(create_app(engine))
    r = sign_in(c, "admin", first.password)
    assert r.headers["location"] == "/account/password"  # must change the one-time password
    assert c.get("/", follow_redirects=False).headers["location"] == "/account/password"
    token = csrf_of(c.get("/account/password").text)
    r = c.post(
        "/account/password",
        data={"current": first.password, "new": "a-brand-new-secret", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert c.get("/").status_code == 200
    with engine.connect() as conn:
        actions = [
            r.action for r in conn.execute(select(audit_event.c.action).order_by(audit_event.c.id))
        ]
    assert actions[:3] == ["user.create", "session.start", "user.change_password"]
    assert first.password not in str(actions)


def test_admin_password_from_environment(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JARING_ADMIN_PASSWORD", "from-the-environment-1")
    first = ensure_admin(engine)
    assert first and first.from_env
    c = TestClient(create_app(engine))
    assert sign_in(c, "admin", "from-the-environment-1").headers["location"] == "/"
