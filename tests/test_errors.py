"""The refusals shared by every interface."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from jaring import errors
from jaring.errors import JaringError, require_file


def test_require_file_refuses_missing_files_and_folders(tmp_path: Path) -> None:
    present = tmp_path / "daftar.csv"
    present.write_text("NIK\n")
    assert require_file(str(present)) == present
    for wrong in (tmp_path / "tidak-ada.csv", tmp_path):
        with pytest.raises(JaringError) as e:
            require_file(wrong)
        assert e.value.code == "file_not_found"
        assert e.value.context["file"] == str(wrong)
        assert str(wrong) in e.value.message("id") and str(wrong) in e.value.message("en")


SRC = Path(__file__).resolve().parent.parent / "src" / "jaring"
KINDS = {"JaringError", "NotFound", "Forbidden", "Conflict", "Unauthorised", "RateLimited"}


def _constructions(path: Path) -> list[str]:
    """Places in ``path`` that build a refusal by its class instead of raising a catalogue
    entry (``raise errors.CODE(...)``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in KINDS | {"Refusal"}:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_refusal_is_raised_from_a_catalogue() -> None:
    """No module builds a JaringError (or a kind of it) itself: each refusal is an entry of
    its domain's catalogue, so that its code is documented in docs/errors.md and its wording
    is in the gettext catalogues (tests/test_i18n.py checks both)."""
    allowed = {SRC / "errors.py"}
    places = [
        place
        for path in sorted(SRC.rglob("*.py"))
        if path not in allowed
        for place in _constructions(path)
    ]
    assert places == []


def test_catalogue_entries_live_in_errors_modules() -> None:
    """Entries are declared in a domain's errors module (or jaring/errors.py), nowhere else."""
    outside = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "errors.py":
            continue
        text = path.read_text(encoding="utf-8")
        for method in ("refused", "not_found", "forbidden", "conflict"):
            if f"CATALOGUE.{method}(" in text or f"COMMON.{method}(" in text:
                outside.append(str(path.relative_to(SRC)))
    assert outside == []


def test_codes_are_unique_and_documented() -> None:
    refusals = errors.all_refusals()
    codes = [r.code for r in refusals]
    assert len(codes) == len(set(codes))
    doc = (SRC.parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in doc for code in codes)
