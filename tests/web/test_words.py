"""Every page in Indonesian reads as Indonesian: no snake_case code, no English status word,
no CLI flag, no raw ``True``/``False`` in the visible text; numbers with Indonesian
decimals; under 150 KB. The pages are filled first (a list with a rejected row, a claim
with an heir, a change request) so that the codes have somewhere to leak."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from tests.web.conftest import make_user

from jaring.access import Actor
from jaring.claims import actions as claim_actions
from jaring.registry.actions import changes, imports

LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
    "Agus Rumbiak,9671021507880009,15 Juli 1988,L,Sorong Timur\n"
    "Yosef Bonay,96710X,2 Februari 1980,L,Sorong Timur\n"
)

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
ENGLISH = re.compile(
    r"\b(?:filed|approved|rejected|paid|pending|accepted|verified|active|lapsed|True|False|"
    r"None|Batch|months|override|recipient|spouse|child)\b"
)


def visible_text(page: str) -> str:
    """What a reader sees: no tags, scripts, styles or attribute values."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # the audit trail's records as stored, folded away (the evidence itself, not words)
    body = re.sub(r"(?s)<details class=\"raw\" data-raw>.*?</details>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return html.unescape(body)


def _fill(engine, tmp_path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    system = Actor.system()
    path = tmp_path / "pasar.csv"
    path.write_text(LIST)
    out = imports.import_files(engine, system, [path], "Pasar Remu", listed_on=dt.date(2024, 1, 2))
    c = claim_actions.file_claim(
        engine,
        Actor(username="operator", role="operator", regions=("96.71.02",)),
        claim_type="jkm",
        event_date=dt.date(2024, 6, 10),
        nik="9671022505900002",
        reporter="Istri",
        heirs=[{"relation": "spouse", "name": "Maria Sawaki", "recipient": True}],
    )
    changes.request_change(engine, system, 2, {"name": "Markus Sawaki Kambu"}, "KK baru")
    return {"batch": int(out.batch or 0), "claim": c.claim}


PAGES = [
    "/",
    "/people",
    "/people?q=sawaki",
    "/people/2",
    "/people/new",
    "/registry",
    "/registry/batches/{batch}",
    "/registry/batches/{batch}?only_rejected=false",
    "/registry/review",
    "/registry/niks",
    "/claims",
    "/claims?status=filed",
    "/claims/{claim}",
    "/audit",
    "/admin/users",
    "/account/tokens",
    "/settings",
]


@pytest.mark.parametrize("role", ["admin", "operator", "supervisor", "approver"])
def test_every_page_reads_as_indonesian(browser_as, web_engine, tmp_path, role) -> None:  # type: ignore[no-untyped-def]
    make_user(web_engine, "supervisor", "supervisor", ["96.71.02"])
    make_user(web_engine, "approver", "claims_approver", [])
    ids = _fill(web_engine, tmp_path)
    c = browser_as(role)
    seen = 0
    for path in PAGES:
        r = c.get(path.format(**ids))
        if r.status_code in (303, 403):  # not this role's page
            continue
        assert r.status_code == 200, (path, r.status_code)
        assert len(r.content) < 150_000, path
        text = visible_text(r.text)
        for pattern in (SNAKE, FLAG, ENGLISH):
            found = pattern.findall(text)
            assert not found, f"{role} {path}: {found[:5]}"
        seen += 1
    assert seen >= 6
