"""The one conversion of Jaring's values to JSON: dates as ISO text, Decimals as strings,
dataclasses and objects with ``to_dict`` as objects; rupiah stay integers.

The CLI's ``--json``, stored JSON columns (audit before/after, explanations) and the API all
use it, so a value reads the same wherever it is written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
from typing import Any


def to_jsonable(value: Any) -> Any:
    """``value`` made of JSON's own types only (dict, list, str, int, float, bool, None)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    return value


def dumps(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON text (UTF-8 kept as written: names in their own letters)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent)
