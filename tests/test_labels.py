"""Every code a page can show has its words: each audited action and entity, each key of a
law parameter's mapping, and the system actor. A new ``audit.record(..., "x.y", "z", ...)``
without a label fails here instead of showing ``x.y`` on the audit page."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from jaring import labels

SRC = Path(__file__).resolve().parents[1] / "src" / "jaring"
RECORD = re.compile(
    r'record(?:_many|_read)?\(\s*\w+\s*,\s*[^,()]+(?:\([^()]*\))?\s*,\s*"([a-z_.]+)"\s*,\s*"([a-z_]+)"'
)
ACTION_ARG = re.compile(r'action="([a-z_]+\.[a-z_]+)"')


def _audited() -> tuple[set[str], set[str]]:
    actions: set[str] = set()
    entities: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text("utf-8")
        for m in RECORD.finditer(text):
            actions.add(m.group(1))
            entities.add(m.group(2))
        actions |= set(ACTION_ARG.findall(text))
    return actions, entities


def test_the_scan_finds_the_audit_calls() -> None:
    actions, entities = _audited()
    assert {"claim.file", "registry.import", "invoice.death_cancel"} <= actions
    assert {"claim", "person", "award_candidate"} <= entities


def _worded(kind: str, code: str) -> bool:
    words = labels.catalogue(kind).get(code) or {}
    return bool(words.get("id")) and bool(words.get("en"))


def test_every_audited_action_and_entity_has_words() -> None:
    actions, entities = _audited()
    missing = sorted(a for a in actions if not _worded("audit_action", a))
    assert not missing, f"audit actions without words: {missing}"
    missing = sorted(e for e in entities if not _worded("audit_entity", e))
    assert not missing, f"audit entities without words: {missing}"


def test_every_key_of_a_law_mapping_has_words() -> None:
    keys: set[str] = set()
    for path in (SRC / "law" / "params").rglob("*.yaml"):
        doc = yaml.safe_load(path.read_text("utf-8"))
        keys |= {str(k) for k in doc.get("keys") or []}
    missing = sorted(k for k in keys if not _worded("explain_key", k))
    assert not missing, f"mapping keys without words: {missing}"


def test_the_system_actor_is_named_in_words() -> None:
    assert labels.label("actor", "system", "id") == "sistem"
    assert labels.label("actor", "budi", "id") == "budi"  # a username is shown as it is


def test_every_dedupe_hold_and_level_has_words_in_both_languages() -> None:
    """A review card in English says why a pair is held and how each field agreed in English:
    every hold deduplication stores and every agreement level it writes has words."""
    from jaring.registry import dedupe

    for code, stored in dedupe.HOLDS.items():
        assert _worded("dedupe_hold", code), code
        assert labels.label("dedupe_hold", code, "id") == stored
    for levels in dedupe.LEVELS.values():
        for word in levels.values():
            if word == "?":
                continue
            assert labels.label("match_level", word, "en") != word, word
            assert labels.label("match_level", word, "id") == word
