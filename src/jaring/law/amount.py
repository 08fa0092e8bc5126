"""An amount of money and the lines that explain it: the shape every law function returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jaring.jsonable import to_jsonable
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
    note_id: str | None = None
    note_en: str | None = None

    @classmethod
    def of(
        cls, entry: Entry, amount: int | None, *, value: Any = None, note: NoteText = None
    ) -> ExplanationLine:
        """A line from a parameter entry; ``value`` overrides the entry's (e.g. one table row).

        ``note`` is ``(indonesian, english)``, or one string for a text that reads the same in
        both (a formula such as ``2 x Rp1.000``); without it the entry's own note is used.
        """
        note_id, note_en = (entry.note_id, entry.note_en) if note is None else bilingual(note)
        return cls(
            parameter=entry.name,
            label_id=entry.label_id,
            label_en=entry.label_en,
            value=entry.value if value is None else value,
            amount=amount,
            effective_from=entry.effective_from,
            reference=entry.reference,
            confidence=entry.confidence,
            note_id=note_id,
            note_en=note_en,
        )

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def note(self, lang: str = "id") -> str | None:
        """The note in ``lang`` (``id`` or ``en``): users never read English in the Indonesian
        interface, nor the reverse."""
        return self.note_en if lang == "en" else self.note_id

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        """The line as JSON: ``note`` in ``lang``, and both languages under ``note_id`` and
        ``note_en`` (stored explanations, e.g. a claim's, are shown later in either)."""
        return {
            "parameter": self.parameter,
            "label_id": self.label_id,
            "label_en": self.label_en,
            "value": to_jsonable(self.value),
            "amount": self.amount,
            "effective_from": self.effective_from.isoformat(),
            "reference": self.reference,
            "confidence": self.confidence,
            "note": self.note(lang),
            "note_id": self.note_id,
            "note_en": self.note_en,
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

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        """The amount as JSON; its explanation's notes in ``lang``."""
        return {
            **self.components,
            "total": self.total,
            "components": dict(self.components),
            "uncertain": self.uncertain,
            "explanation": [line.to_dict(lang) for line in self.explanation],
        }


NoteText = tuple[str, str] | str | None
"""A note as given to :meth:`ExplanationLine.of`: ``(indonesian, english)`` or one neutral text."""


def bilingual(note: NoteText) -> tuple[str | None, str | None]:
    """``(indonesian, english)`` of a note; a single string (a formula) serves both."""
    if note is None or isinstance(note, str):
        return note, note
    return note[0], note[1]


def localize(lines: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Explanation lines as dicts (e.g. a claim's stored ones) with ``note`` set to ``lang``.

    Lines stored before notes were bilingual carry only ``note``; they are left as they are.
    """
    key = "note_en" if lang == "en" else "note_id"
    return [{**line, "note": line[key]} if key in line else line for line in lines]


def is_uncertain(lines: list[ExplanationLine]) -> bool:
    """Whether any line rests on a value whose confidence is ``unsure``."""
    return any(line.confidence == "unsure" for line in lines)
