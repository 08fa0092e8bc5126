"""The web's side of claims: region scope around the claims service, and form parsing.

A claim belongs to a person; an operator may file, see and move only claims of people in
their regions. Heirs are written one per line as in the CLI (``relation:name[:NIK][:date]``,
``*`` after the relation marks the recipient).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from jaring.errors import JaringError, NotFound
from jaring.web import i18n, people
from jaring.web.security import Principal


def person_for_nik(engine: Engine, p: Principal, nik: str) -> int:
    """The one person with this NIK in the principal's regions."""
    found = people.find_by_nik(engine, p, nik)
    if not found:
        raise NotFound(
            "person_not_found",
            "Tidak ada orang dengan NIK ini di wilayah Anda.",
            "Nobody with this NIK in your regions.",
            field="nik",
        )
    if len(found) > 1:
        raise JaringError(
            "nik_shared",
            "NIK ini dipakai lebih dari satu orang; selesaikan di registri dulu.",
            "More than one person carries this NIK; resolve it in the registry first.",
            field="nik",
        )
    return int(found[0]["id"])


def get_claim(engine: Engine, p: Principal, claim_id: int) -> dict[str, Any]:
    from jaring.claims import service

    c = service.get_claim(engine, claim_id)
    people.check_person_scope(engine, p, int(c["person_id"]))
    return c


def localized(c: dict[str, Any]) -> dict[str, Any]:
    """A claim with its explanation's notes in the request's language (``note``); the stored
    claim keeps both (``note_id``, ``note_en``)."""
    from jaring.law.amount import localize

    if not c.get("explanation"):
        return c
    return {**c, "explanation": localize(c["explanation"], i18n.current.get())}


def list_claims(engine: Engine, p: Principal, **filters: Any) -> list[dict[str, Any]]:
    from jaring.claims import service

    rows = service.list_claims(engine, **filters)
    ok = people.ids_in_scope(engine, p, [int(r["person_id"]) for r in rows if r.get("person_id")])
    return [r for r in rows if r.get("person_id") in ok]


def parse_heirs(text: str) -> list[dict[str, Any]]:
    from jaring.claims import heirs

    return [heirs.parse_heir(line) for line in text.splitlines() if line.strip()]


def checklist(c: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The documents of the claim's checklist: received ones and missing ones, labelled in
    ``lang`` (the law's JKM list and the claims package's own; a code nobody labels shows as
    itself)."""
    from jaring.claims import catalog

    known = catalog.document_labels()
    received = {d["code"]: d["received_on"] for d in c["documents"]}
    codes = list(dict.fromkeys([*received, *c["missing_documents"]]))
    out = []
    for code in codes:
        label = known.get(code, {}).get(lang, code)
        out.append(
            {
                "code": code,
                "label": label[:1].upper() + label[1:],
                "received_on": received.get(code),
            }
        )
    return out


def next_steps(status: str) -> tuple[str, ...]:
    from jaring.claims import workflow

    return workflow.TRANSITIONS.get(status, ())
