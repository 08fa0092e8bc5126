"""The jury's isolation rules, as pure checks on what the store says about one juror and one
candidate. The award's actions and queries call them, so that every interface (CLI, API,
pages) enforces the same:

- a juror scores only a candidate whose interview panel they sit on, and only until they
  submit: submitted scores are locked;
- submitting needs every jury criterion scored;
- a juror sees other jurors' scores (or any result built from them) only after submitting
  their own, and only the scores others have submitted: drafts never show and never count.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jaring.award import errors


def check_may_score(
    candidate: str, juror: str, *, interviewed: bool, on_panel: bool, submitted: bool
) -> None:
    """Refuse ``no_interview`` (no interview scheduled for ``candidate``), ``not_on_panel``
    (``juror`` is not on its panel) or ``scores_locked`` (``juror`` has submitted)."""
    if not interviewed:
        raise errors.NO_INTERVIEW(candidate=candidate)
    if not on_panel:
        raise errors.NOT_ON_PANEL(juror=juror, candidate=candidate)
    if submitted:
        raise errors.SCORES_LOCKED(juror=juror, candidate=candidate)


def check_complete(rubric: dict[str, Any], scored: Iterable[str]) -> None:
    """Refuse ``incomplete_scores`` unless every jury criterion of ``rubric`` is in
    ``scored``."""
    have = set(scored)
    missing = [
        c["code"] for c in rubric["criteria"] if c["scored_by"] == "jury" and c["code"] not in have
    ]
    if missing:
        raise errors.INCOMPLETE_SCORES(criteria=", ".join(missing), missing=missing)


def check_may_view(candidate: str, juror: str, *, on_panel: bool, submitted: bool) -> None:
    """Refuse ``submit_first`` while ``juror`` sits on ``candidate``'s panel and has not
    submitted: results are built from the other jurors' scores."""
    if on_panel and not submitted:
        raise errors.SUBMIT_FIRST(juror=juror, candidate=candidate)


def others_visible(
    scores: Iterable[tuple[str, str, int]],
    juror: str,
    submitted: bool,
    others_submitted: set[str],
) -> dict[str, dict[str, int]] | None:
    """The other jurors' submitted scores (juror -> criterion -> points) out of ``scores``
    (juror, criterion, points) that ``juror`` may see: ``None`` until they have submitted."""
    if not submitted:
        return None
    others: dict[str, dict[str, int]] = {}
    for j, c, p in scores:
        if j != juror and j in others_submitted:
            others.setdefault(j, {})[c] = p
    return others
