"""An amount of money and the lines that explain it: the shape every law function returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jaring.law.parameters import Entry


@dataclass(frozen=True)
class ExplanationLine:
    """One line of an explanation: which parameter, which value, since when, by which law.

    ``amount`` is the rupiah this line adds to the total (negative for a discount), or None
    for a line that only states a fact used by other lines (the income band, a wage cap).
    """

    parameter: str
    label_id: str
    label_en: str
    value: Any
    amount: int | None
    effective_from: dt.date
    reference: str
    confidence: str
    note: str | None = None

    @classmethod
    def of(
        cls, entry: Entry, amount: int | None, *, value: Any = None, note: str | None = None
    ) -> ExplanationLine:
        """A line from a parameter entry; ``value`` overrides the entry's (e.g. one table row)."""
        return cls(
            parameter=entry.name,
            label_id=entry.label_id,
            label_en=entry.label_en,
            value=entry.value if value is None else value,
            amount=amount,
            effective_from=entry.effective_from,
            reference=entry.reference,
            confidence=entry.confidence,
            note=note if note is not None else entry.note,
        )

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "label_id": self.label_id,
            "label_en": self.label_en,
            "value": _jsonable(self.value),
            "amount": self.amount,
            "effective_from": self.effective_from.isoformat(),
            "reference": self.reference,
            "confidence": self.confidence,
            "note": self.note,
        }


@dataclass(frozen=True)
class Amount:
    """A whole-rupiah total, its named components and its explanation.

    ``uncertain`` is true when any line rests on a value whose confidence is ``unsure``: the
    interfaces flag such amounts so nobody pays or bills them without a second look.
    """

    total: int
    components: dict[str, int]
    explanation: list[ExplanationLine] = field(default_factory=list)
    uncertain: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.components,
            "total": self.total,
            "components": dict(self.components),
            "uncertain": self.uncertain,
            "explanation": [line.to_dict() for line in self.explanation],
        }


def is_uncertain(lines: list[ExplanationLine]) -> bool:
    return any(line.confidence == "unsure" for line in lines)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
