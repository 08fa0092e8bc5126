"""The stages of a Paritrana edition and which moves between them are allowed (pure rules).

An edition is assessed at the provincial stage (administrative data and the provincial
interview, by a regional team of any size) and then at the national stage (the interview
before the independent jury of nine). The secretariat moves an edition between them:

- forward (``provinsi`` to ``nasional``) at any time, except while an interview that has no
  score yet has a panel that the national stage would not accept (not nine jurors): it must
  be rescheduled with its nine first, so no panel is left that the stage's rules forbid;
- back (``nasional`` to ``provinsi``) only while no juror has recorded a score: it corrects
  a stage set by mistake, and scores given under one stage's rules are never re-read under
  another's;
- never to the stage the edition is already at.
"""

from __future__ import annotations

from collections.abc import Mapping

from jaring.award import errors

STAGES = ("provinsi", "nasional")
# The jury of nine sits at the final, central stage (the national interview); the provincial
# stage is assessed by a regional team of any size.
JURY_SIZE: Mapping[str, int] = {"nasional": 9}


def moves(current: str) -> tuple[str, ...]:
    """The stages an edition at ``current`` can be moved to, before the store is asked (the
    other stages, in order)."""
    return tuple(s for s in STAGES if s != current)


def panel_fits(stage: str, jurors: int) -> bool:
    """Whether a panel of ``jurors`` may sit at ``stage``."""
    need = JURY_SIZE.get(stage)
    return jurors >= 1 if need is None else jurors == need


def check_move(current: str, target: str, *, scores: int, panels: Mapping[str, int]) -> None:
    """Refuse the move of an edition from ``current`` to ``target`` unless the rules above
    allow it. ``scores`` counts the scores recorded in the edition (drafts included);
    ``panels`` maps each candidate whose interview has no score yet to its panel's size.
    Refuses ``bad_stage``, ``stage_unchanged``, ``stage_scored``, ``stage_panels``."""
    if target not in STAGES:
        raise errors.BAD_STAGE(field="stage", value=target)
    if target == current:
        raise errors.STAGE_UNCHANGED(field="stage", stage=target)
    if STAGES.index(target) < STAGES.index(current) and scores:
        raise errors.STAGE_SCORED(field="stage", stage=target, scores=scores)
    misfit = sorted(c for c, n in panels.items() if not panel_fits(target, n))
    if misfit:
        raise errors.STAGE_PANELS(
            field="stage",
            stage=target,
            needed=JURY_SIZE.get(target, 1),
            candidates=", ".join(misfit),
        )
