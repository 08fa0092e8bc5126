"""Progress of long work (an import, a dedupe, a plan, an invoice, the demo), reported by the
domain and shown by the front end that wants it.

A domain function that can take more than a few seconds accepts ``progress: Progress`` and
calls :meth:`Progress.step` as it enters each phase and :meth:`Progress.advance` as units of
work are done. The CLI shows a bar with counts and time left on a terminal
(:func:`jaring.cli.common.progress`); everything else passes :data:`SILENT`.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def step(self, description: str, total: int | None = None) -> None:
        """A new phase begins: ``description`` (already in the user's language) and, when
        known, how many units it has."""

    def advance(self, units: int = 1) -> None:
        """``units`` more of the current phase are done."""


class _Silent:
    def step(self, description: str, total: int | None = None) -> None:
        return None

    def advance(self, units: int = 1) -> None:
        return None


SILENT: Progress = _Silent()
