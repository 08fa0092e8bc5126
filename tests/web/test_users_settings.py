"""Users and settings in the browser: a role and regions chosen from lists of names, a
password reset, the least powerful role by default; a region's letterhead and logo."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select
from tests.web.conftest import PASSWORD, csrf_of

from jaring.access import DEFAULT_ROLE, ROLES
from jaring.store.tables.web import audit_event


def _png() -> bytes:
    img = Image.new("RGB", (40, 48), "#1f5f8b")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


def _selected(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)" selected>', html)


def test_a_new_user_starts_least_powerful_and_regions_are_names(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    page = admin.get("/admin/users/new").text
    assert DEFAULT_ROLE == ROLES[0] == "viewer"
    assert _selected(page) == ["viewer"]
    # regions are offered by name (the registry's distrik and their city), never typed
    assert re.search(r'<option value="96\.71\.02">[^<]*Sorong Timur</option>', page)
    assert 'name="regions" placeholder' not in page


def test_change_role_and_regions_and_reset_a_password(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    token = csrf_of(admin.get("/admin/users").text)
    r = admin.post(
        "/admin/users/new",
        data={"csrf_token": token, "username": "petugas", "role": "operator", "password": PASSWORD},
    )
    assert r.status_code == 400 and "wilayah" in r.text  # an operator needs a region
    r = admin.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "username": "petugas",
            "role": "operator",
            "password": PASSWORD,
            "regions": ["96.71.02"],
        },
    )
    assert r.status_code == 200, r.text
    uid = re.search(r'action="/admin/users/(\d+)"', r.text)
    assert uid is not None
    r = admin.post(
        f"/admin/users/{uid.group(1)}",
        data={"csrf_token": token, "role": "supervisor", "regions": ["96.71.01", "96.71.02"]},
    )
    assert r.status_code == 200
    assert _selected(r.text) == ["supervisor", "96.71.01", "96.71.02"]
    r = admin.post(
        f"/admin/users/{uid.group(1)}/password",
        data={"csrf_token": token, "password": "sementara-baru-123"},
    )
    assert r.status_code == 200 and "petugas" in r.text
    with web_engine.connect() as c:
        done = {
            a
            for (a,) in c.execute(
                select(audit_event.c.action).where(audit_event.c.entity_id == uid.group(1))
            )
        }
    assert {"user.create", "user.update", "user.reset_password"} <= done
    assert browser_as("viewer").get(f"/admin/users/{uid.group(1)}").status_code == 403


def test_a_region_letterhead_with_its_logo(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    token = csrf_of(admin.get("/admin/settings").text)
    form = {
        "csrf_token": token,
        "region": "96.71",
        "authority": "PEMERINTAH KOTA SORONG",
        "office": "DINAS TENAGA KERJA",
        "signatory": "Nama Wali Kota",
        "signatory_title": "Wali Kota Sorong",
    }
    bad = admin.post(
        "/admin/settings/letterhead",
        data=form,
        files={"logo": ("logo.png", b"GIF89a", "image/png")},
    )
    assert bad.status_code == 400 and "PNG" in bad.text
    r = admin.post(
        "/admin/settings/letterhead", data=form, files={"logo": ("logo.png", PNG, "image/png")}
    )
    assert r.status_code == 200 and 'data-region="96.71"' in r.text
    logo = admin.get("/admin/settings/logo/96.71")
    assert logo.content == PNG and logo.headers["content-type"] == "image/png"
    assert browser_as("operator").get("/admin/settings").status_code == 403


def test_one_settings_page_leads_to_every_setting(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    html = admin.get("/settings").text
    title = html.split("<title>")[1].split("</title>")[0]
    assert title == "Pengaturan · Jaring"
    body = html.split("<main")[1]
    for anchor in ('href="#zones"', 'href="#retention"', 'href="#letterheads"'):
        assert anchor in body and f'id="{anchor[7:-1]}"' in body
    # one form per setting, the region chosen by name from a list (not a form per region)
    assert body.count('action="/settings/zones"') == 1
    assert body.count('action="/settings/photo-retention"') == 1
    assert '<option value="96.71.02">— — Sorong Timur</option>' in body and "pilih zona" in body
    assert "96.71.02</span>" not in body
    assert 'id="letterheads-link"' in body and 'href="/admin/settings"' in body
    assert 'href="/settings"' in admin.get("/admin/settings").text
