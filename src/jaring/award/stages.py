"""The four stages of a Paritrana edition, who assesses each, which criteria each uses, and
which moves and shortlists are allowed (pure rules).

The award's rubric describes four stages (RULES.md 5; the issue on the law: the jury of nine
sits only at the final, central stage):

1. ``administrasi``: the administrative data at province level, assessed by a regional team
   from the evidence (no interview, no juror scores);
2. ``wawancara-provinsi``: the provincial interview, before a regional team of any size;
3. ``verifikasi``: the central verification of the evidence (no interview);
4. ``wawancara-nasional``: the national interview, before the independent jury of nine.

The two stages Jaring had before 5 December 2026 are aliases: ``provinsi`` is the provincial
interview and ``nasional`` the national interview (:func:`canonical`).

A score belongs to the stage it was given at; a stage's ranking uses that stage's scores and
the criteria of that stage (:func:`criteria`). Each candidate has the furthest stage it has
reached: the secretariat shortlists, at the edition's stage, the candidates that go on to the
next one; the others stay where they were, with their scores readable.

Moves of an edition:

- forward, when the secretariat has shortlisted at least one candidate of the current stage
  (an edition with no candidate at the current stage moves freely), and no interview of the
  new stage that has no score yet has a panel that stage refuses;
- back, only while no juror has recorded a score (drafts included) at a stage after the one
  it goes back to: a correction, and scores given under one stage's rules are never re-read
  under another's;
- never to the stage the edition is already at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jaring.award import errors
from jaring.errors import Coded


@dataclass(frozen=True)
class Stage:
    """A stage: its code, who assesses it (``assessed_by``: ``tim_daerah``, ``tim_provinsi``,
    ``tim_pusat``, ``dewan_juri``), whether it holds interviews, the panel size it needs
    (``jury_size``: ``None`` any size of at least one; only meaningful with ``interview``)
    and whether its criteria include the jury's (``jury_criteria``)."""

    code: str
    assessed_by: str
    interview: bool
    jury_size: int | None
    jury_criteria: bool


STAGE_RULES: tuple[Stage, ...] = (
    Stage("administrasi", "tim_daerah", interview=False, jury_size=None, jury_criteria=False),
    Stage("wawancara-provinsi", "tim_provinsi", interview=True, jury_size=None, jury_criteria=True),
    Stage("verifikasi", "tim_pusat", interview=False, jury_size=None, jury_criteria=False),
    Stage("wawancara-nasional", "dewan_juri", interview=True, jury_size=9, jury_criteria=True),
)
STAGES: tuple[str, ...] = tuple(s.code for s in STAGE_RULES)
BY_CODE: Mapping[str, Stage] = {s.code: s for s in STAGE_RULES}
ALIASES: Mapping[str, str] = {"provinsi": "wawancara-provinsi", "nasional": "wawancara-nasional"}
# The jury of nine sits at the final, central stage only (the national interview).
JURY_SIZE: Mapping[str, int] = {s.code: s.jury_size for s in STAGE_RULES if s.jury_size}
# Criteria measured at an interview (the head of region's attendance) count only at the
# interview stages, unless a rubric lists a criterion's ``stages`` itself.
INTERVIEW_MEASURES = ("head_attendance",)


def canonical(stage: str, field: str = "stage") -> str:
    """The stage's code, an old alias turned into its stage; refuses ``bad_stage``."""
    code = ALIASES.get(stage.strip().lower(), stage.strip().lower())
    if code not in BY_CODE:
        raise errors.BAD_STAGE(field=field, value=stage, choices=", ".join(STAGES))
    return code


def index(stage: str) -> int:
    return STAGES.index(stage)


def next_stage(stage: str) -> str | None:
    """The stage after ``stage``, ``None`` after the last."""
    i = index(stage) + 1
    return STAGES[i] if i < len(STAGES) else None


def reached(candidate_stage: str, stage: str) -> bool:
    """Whether a candidate that has reached ``candidate_stage`` is assessed at ``stage``."""
    return index(candidate_stage) >= index(stage)


def moves(current: str) -> tuple[str, ...]:
    """The stages an edition at ``current`` can be moved to, before the store is asked (the
    other stages, in order)."""
    return tuple(s for s in STAGES if s != current)


def panel_fits(stage: str, jurors: int) -> bool:
    """Whether a panel of ``jurors`` may sit at ``stage`` (an interview stage)."""
    need = JURY_SIZE.get(stage)
    return jurors >= 1 if need is None else jurors == need


def criteria(rubric: Mapping[str, Any], stage: str) -> list[dict[str, Any]]:
    """The criteria of ``rubric`` a stage assesses: a criterion's own ``stages`` list when
    the rubric gives one; else every criterion at an interview stage, and at the other
    stages the evidence criteria not measured at an interview."""
    st = BY_CODE[stage]
    out = []
    for c in rubric["criteria"]:
        own = c.get("stages")
        if own:
            keep = stage in [ALIASES.get(s, s) for s in own]
        elif st.jury_criteria:
            keep = True
        else:
            keep = c["scored_by"] == "evidence" and c.get("measure") not in INTERVIEW_MEASURES
        if keep:
            out.append(c)
    return out


def stage_rubric(rubric: Mapping[str, Any], stage: str) -> dict[str, Any]:
    """``rubric`` with only the criteria of ``stage`` (the weights then sum to the stage's
    share of 100)."""
    return {**rubric, "criteria": criteria(rubric, stage)}


def check_move(
    current: str,
    target: str,
    *,
    scores_after: int,
    panels: Mapping[str, int],
    at_stage: int = 0,
    shortlisted: int = 0,
) -> None:
    """Refuse the move of an edition from ``current`` to ``target`` (a code, see
    :func:`canonical`) unless the rules above allow it. ``scores_after`` counts the scores
    recorded at the stages after ``target`` (drafts included); ``panels`` maps each candidate
    whose interview at ``target`` has no score yet to its panel's size; ``at_stage`` counts
    the candidates at ``current`` and ``shortlisted`` those of them that go on. Refuses
    ``bad_stage``, ``stage_unchanged``, ``stage_scored``, ``no_shortlist``,
    ``stage_panels``."""
    if target not in BY_CODE:
        raise errors.BAD_STAGE(field="stage", value=target, choices=", ".join(STAGES))
    if target == current:
        raise errors.STAGE_UNCHANGED(field="stage", stage=Coded(target, "award_stage"))
    forward = index(target) > index(current)
    if not forward and scores_after:
        raise errors.STAGE_SCORED(
            field="stage", stage=Coded(target, "award_stage"), scores=scores_after
        )
    if forward and at_stage and not shortlisted:
        raise errors.NO_SHORTLIST(
            field="stage", stage=Coded(current, "award_stage"), candidates=at_stage
        )
    misfit = sorted(c for c, n in panels.items() if not panel_fits(target, n))
    if misfit:
        raise errors.STAGE_PANELS(
            field="stage",
            stage=Coded(target, "award_stage"),
            needed=JURY_SIZE.get(target, 1),
            candidates=", ".join(misfit),
        )


def check_shortlist(current: str, unknown: list[str]) -> str:
    """The stage a shortlist made at ``current`` sends its candidates to. Refuses
    ``last_stage`` (nothing follows the national interview) and ``not_at_stage`` for
    candidates that are not at ``current`` (``unknown``)."""
    nxt = next_stage(current)
    if nxt is None:
        raise errors.LAST_STAGE(field="candidates", stage=Coded(current, "award_stage"))
    if unknown:
        raise errors.NOT_AT_STAGE(
            field="candidates", stage=Coded(current, "award_stage"), candidates=", ".join(unknown)
        )
    return nxt
