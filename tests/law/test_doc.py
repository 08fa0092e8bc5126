"""docs/law.md carries the parameter reference generated from the YAML: it must be current."""

from __future__ import annotations

from pathlib import Path

from jaring.law import doc
from jaring.law.parameters import params

DOC = Path(__file__).resolve().parents[2] / "docs" / "law.md"


def test_docs_law_md_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert doc.splice(text, doc.generate()) == text, (
        "run: python -m jaring.law.doc --write docs/law.md"
    )


def test_every_parameter_and_reference_is_in_the_doc() -> None:
    generated = doc.generate()
    for name in params().names():
        assert f"`{name}`" in generated
        for entry in params().parameter(name).entries:
            assert entry.effective_from.isoformat() in generated


def test_splice_replaces_only_the_marked_section() -> None:
    text = f"intro\n\n{doc.START}\nold\n{doc.END}\n\noutro\n"
    out = doc.splice(text, f"{doc.START}\nnew\n{doc.END}\n")
    assert out.startswith("intro") and "new" in out and "old" not in out and out.endswith("outro\n")
