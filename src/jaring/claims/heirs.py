"""Heirs (ahli waris) in the order of law, and who may receive a death benefit.

RULES.md 3: (1) widow/widower or children; (2) blood relatives up or down to the 2nd degree;
(3) siblings; (4) parents-in-law; (5) a person named in the will; (6) no heir and no will:
whoever arranged the funeral receives the funeral cost only, and the lump sum and periodic
benefit stay with the Dana Jaminan Sosial (PP 44/2015 Pasal 37 ayat (5) and Pasal 40 ayat (2);
"Balai Harta Peninggalan" was the older rule of PP 53/2012). A claim names its recipient; paying a later-ranked heir while an earlier-ranked one
is recorded is refused unless an operator writes why (the caller decides about overrides: this
module only states the facts).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jaring.claims import errors
from jaring.claims.catalog import heir_relations
from jaring.law.parameters import params


def rank_of(relation: str, on: dt.date | None = None) -> int:
    """The legal rank of ``relation`` (1 = first in line) from the law's order of heirs in
    force on ``on`` (default today); ``heir_relation_unknown`` naming the relations there
    are."""
    relations = heir_relations()
    if relation not in relations:
        raise errors.HEIR_RELATION_UNKNOWN(
            field="relation", value=relation, choices=", ".join(relations)
        )
    order = params().entry("benefits.heirs_order", on or dt.date.today()).value
    ranks = {row["heir"]: int(row["rank"]) for row in order}
    return ranks[relations[relation]["heir"]]


#: The heir class of the last rank: no heir and no will (PP 44/2015 Pasal 37 and 40).
FUNERAL_ONLY = "funeral-arranger"


def funeral_only(heirs: list[dict[str, Any]]) -> bool:
    """Whether the recipient is whoever arranged the funeral because there is no heir and no
    will: then only the funeral cost is paid (PP 44/2015 Pasal 37 ayat (5), Pasal 40 ayat (2))."""
    relations = heir_relations()
    recipient = next((h for h in heirs if h.get("recipient")), None)
    if recipient is None or recipient["relation"] not in relations:
        return False
    return bool(relations[recipient["relation"]]["heir"] == FUNERAL_ONLY)


_NIK = re.compile(r"^\d{16}$")


def parse_heir(text: str) -> dict[str, Any]:
    """Parse the CLI form ``relation:name[:nik][:birth_date]`` (e.g. ``spouse:Siti Aminah``).

    A trailing ``*`` on the relation (``spouse*:...``) marks the recipient. Refused
    (``heir_format``) without a relation and a name, or with a part that is neither a 16-digit
    NIK nor a ``YYYY-MM-DD`` date.

    >>> parse_heir("spouse*:Siti Aminah:1980-02-29")
    {'relation': 'spouse', 'name': 'Siti Aminah', 'recipient': True, 'birth_date': datetime.date(1980, 2, 29)}
    """
    parts = [p.strip() for p in text.split(":")]
    relation = parts[0].rstrip("*").strip()  # "*" alone marks a recipient, it names no relation
    if len(parts) < 2 or not relation or not parts[1]:
        raise errors.HEIR_FORMAT(field="heir")
    recipient = parts[0].endswith("*")
    heir: dict[str, Any] = {"relation": relation, "name": parts[1], "recipient": recipient}
    for extra in parts[2:]:
        if not extra:
            continue
        if _NIK.match(extra):
            heir["nik"] = extra
        else:
            try:
                heir["birth_date"] = dt.date.fromisoformat(extra)
            except ValueError:
                raise errors.HEIR_FORMAT(field="heir") from None
    return heir


def normalise(heirs: list[dict[str, Any]], on: dt.date | None = None) -> list[dict[str, Any]]:
    """Heirs with their ``rank`` and exactly one ``recipient``.

    Without a marked recipient the first heir of the earliest rank receives (the law's default);
    more than one marked recipient is refused (``heir_recipient_many``), as are an empty name
    (``heir_name_missing``), a NIK that is not 16 digits (``heir_nik_invalid``) and an unknown
    relation (``heir_relation_unknown``).
    """
    out = []
    for h in heirs:
        name = str(h.get("name") or "").strip()
        if not name:
            raise errors.HEIR_NAME_MISSING(field="name")
        nik = h.get("nik")
        if nik is not None and not _NIK.match(str(nik)):
            raise errors.HEIR_NIK_INVALID(field="nik")
        out.append(
            {
                "name": name,
                "nik": nik,
                "relation": h["relation"],
                "rank": rank_of(h["relation"], on),
                "birth_date": h.get("birth_date"),
                "recipient": bool(h.get("recipient")),
            }
        )
    marked = [h for h in out if h["recipient"]]
    if len(marked) > 1:
        raise errors.HEIR_RECIPIENT_MANY(field="recipient")
    if out and not marked:
        first = min(range(len(out)), key=lambda i: (out[i]["rank"], i))
        out[first]["recipient"] = True
    return out


def order_problem(heirs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``None`` when the recipient is of the earliest recorded rank; else the facts of the
    breach (recipient's rank and relation, the earliest rank recorded)."""
    if not heirs:
        return None
    recipient = next((h for h in heirs if h["recipient"]), None)
    earliest = min(int(h["rank"]) for h in heirs)
    if recipient is None:
        return {"recipient_rank": None, "earliest_rank": earliest}
    if int(recipient["rank"]) > earliest:
        return {
            "recipient_rank": int(recipient["rank"]),
            "recipient_relation": recipient["relation"],
            "earliest_rank": earliest,
        }
    return None
