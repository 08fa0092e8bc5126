"""Every API operation describes its answer: a JSON schema with fields for each 2xx response
(or a binary file, or no body for 204), never an untyped object (``dict[str, Any]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jaring.store import make_engine, migrate
from jaring.web.app import create_app


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def untyped(doc: dict[str, Any], schema: dict[str, Any] | None) -> str | None:
    """Why ``schema`` does not describe an answer, or ``None`` when it does."""
    if not schema:
        return "no schema"
    schema = _resolve(doc, schema)
    if schema.get("type") == "array":
        why = untyped(doc, schema.get("items"))
        return f"items: {why}" if why else None
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            reasons = [untyped(doc, s) for s in schema[key] if s.get("type") != "null"]
            return next((r for r in reasons if r), None)
    is_object = schema.get("type") == "object" or "additionalProperties" in schema
    if is_object and not schema.get("properties"):
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            why = untyped(doc, extra)
            return f"values: {why}" if why else None
        return "an object without fields"
    return None


def untyped_operations(doc: dict[str, Any]) -> list[str]:
    """``METHOD path: why`` for each operation with a success answer the document leaves
    untyped (a JSON answer without fields, or a file not described as binary)."""
    found = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            reasons = []
            for status, answer in op.get("responses", {}).items():
                if not status.startswith("2") or status == "204":
                    continue
                content = answer.get("content")
                if not content:
                    reasons.append(f"{status}: no content described")
                for media, body in (content or {}).items():
                    schema = body.get("schema")
                    if media.startswith("application/json"):
                        why = untyped(doc, schema)
                    elif schema and schema.get("format") == "binary":
                        why = None
                    else:
                        why = "a file without a binary schema (use api.common.files)"
                    if why:
                        reasons.append(f"{status} {media}: {why}")
            if reasons:
                found.append(f"{method.upper()} {path}: " + "; ".join(reasons))
    return found


def test_untyped_schemas_are_recognised() -> None:
    doc: dict[str, Any] = {"components": {"schemas": {"User": {"properties": {"id": {}}}}}}
    assert untyped(doc, {}) == "no schema"
    assert untyped(doc, {"type": "object", "additionalProperties": True}) is not None
    assert untyped(doc, {"type": "array", "items": {"type": "object"}}) is not None
    assert untyped(doc, {"$ref": "#/components/schemas/User"}) is None
    assert untyped(doc, {"type": "array", "items": {"$ref": "#/components/schemas/User"}}) is None
    assert untyped(doc, {"type": "object", "additionalProperties": {"type": "integer"}}) is None
    assert untyped(doc, {"type": "string"}) is None


def test_every_operation_describes_its_answer(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'jaring.db'}")
    migrate(engine)
    doc = create_app(engine).openapi()
    engine.dispose()
    operations = sum(len(ops) for ops in doc["paths"].values())
    assert operations >= 49
    missing = untyped_operations(doc)
    assert not missing, f"{len(missing)} of {operations} operations untyped:\n" + "\n".join(missing)
