"""The claims package's data: claim types, eligibility rules, heirs, documents, reject reasons.

All of it is YAML under ``claims/data/`` so that an administrator (or a corrected regulation)
changes a file, not code. Loaded once and cached; the loaders check the shape and fail loudly.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

import yaml

from jaring.claims import errors
from jaring.law.parameters import params


def _load(name: str) -> Any:
    text = (resources.files("jaring.claims") / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def claim_types() -> dict[str, dict[str, Any]]:
    """``type -> {label, program, death, deadline_years}``."""
    return dict(_load("claim_types.yaml"))


@cache
def rules() -> dict[str, dict[str, Any]]:
    """Eligibility rules with ``value``, ``reference``, ``confidence``."""
    data = _load("rules.yaml")
    for key, rule in data.items():
        if "value" not in rule or "reference" not in rule:
            raise ValueError(f"claims/data/rules.yaml: {key} needs a value and a reference")
    return dict(data)


def rule(key: str) -> Any:
    return rules()[key]["value"]


@cache
def heir_relations() -> dict[str, dict[str, Any]]:
    return dict(_load("heirs.yaml")["relations"])


@cache
def documents() -> dict[str, Any]:
    return dict(_load("documents.yaml"))


@cache
def reject_reasons() -> dict[str, dict[str, str]]:
    return dict(_load("reject_reasons.yaml"))


def check_type(claim_type: str) -> dict[str, Any]:
    """The definition of ``claim_type``, or a refusal naming the types there are."""
    types = claim_types()
    if claim_type not in types:
        raise errors.CLAIM_TYPE_UNKNOWN(field="type", value=claim_type, choices=", ".join(types))
    return types[claim_type]


LAW_DOCUMENTS = "benefits.claims.jkm_documents"


def _law_documents(on: dt.date) -> list[dict[str, Any]]:
    return [dict(row) for row in params().entry(LAW_DOCUMENTS, on).value]


def document_labels(on: dt.date | None = None) -> dict[str, dict[str, str]]:
    """Every document code an operator may record: the law's JKM list and ours."""
    labels = {
        row["document"]: {"id": row["label_id"], "en": row["label_en"]}
        for row in _law_documents(on or dt.date.today())
    }
    return labels | dict(documents()["documents"])


def required_documents(
    claim_type: str, *, recipient_relation: str | None = None, on: dt.date | None = None
) -> list[str]:
    """The document codes a claim of ``claim_type`` needs, given who receives it: the law's
    list (a document marked ``spouse`` only when the spouse receives) plus ours."""
    checklist = documents()["checklists"][claim_type]
    codes: list[str] = []
    if checklist.get("law"):
        for row in _law_documents(on or dt.date.today()):
            when = row.get("when", "always")
            if when == "always" or (when == "spouse" and recipient_relation == "spouse"):
                codes.append(row["document"])
    codes += [c for c in checklist.get("required", []) if c not in codes]
    return codes
