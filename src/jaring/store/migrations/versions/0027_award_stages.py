"""award: four stages, scores kept per stage, and the furthest stage each candidate reached

The award's rubric has four stages (administrative data, provincial interview, central
verification, national interview); Jaring had two, ``provinsi`` and ``nasional``, and a
candidate's interview, scores and submissions had no stage. This revision adds ``stage`` to
``award_interview`` (one interview per candidate and stage), ``award_score`` and
``award_submission`` (a score and a lock belong to a stage), and to ``award_candidate`` (the
furthest stage it reached), and renames the editions' stages.

How the existing rows are placed, and why:

- ``provinsi`` becomes the provincial interview (``wawancara-provinsi``), not the
  administrative stage: the old provincial stage held interviews before a regional team of
  any size and took juror scores, which are the rules of the provincial interview; the
  administrative stage has no interview, so an edition moved there would refuse what it
  already holds. ``nasional`` becomes the national interview (``wawancara-nasional``): the
  panel of nine was already enforced there.
- A candidate had one interview, which could not be rescheduled once scored, and every score
  and lock of the candidate was given at it. So an interview, and the scores and locks of its
  candidate, belong to the stage the edition was at when the interview was last scheduled:
  read from the audit trail (the last ``award.interview_schedule`` of the candidate against
  the ``award.edition_stage`` moves of its edition, by event order). Without those events
  (an edition whose stage never moved: before 5 December 2026 a stage was set at creation
  and never changed), the edition's own stage.
- Every candidate has reached the edition's stage: before this revision nobody was left
  behind at a stage, there was no shortlist.

Downgrade maps the four stages back to two and drops the columns; it refuses while a
candidate has interviews or scores at two stages, which the old schema cannot hold.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

NEW = {"provinsi": "wawancara-provinsi", "nasional": "wawancara-nasional"}
OLD = {
    "administrasi": "provinsi",
    "wawancara-provinsi": "provinsi",
    "verifikasi": "nasional",
    "wawancara-nasional": "nasional",
}
TABLES = ("award_candidate", "award_interview", "award_score", "award_submission")

edition = sa.table("award_edition", sa.column("id"), sa.column("year"), sa.column("stage"))
candidate = sa.table(
    "award_candidate",
    sa.column("id"),
    sa.column("edition_id"),
    sa.column("code"),
    sa.column("stage"),
)
interview = sa.table("award_interview", sa.column("candidate_id"), sa.column("stage"))
score = sa.table("award_score", sa.column("candidate_id"), sa.column("stage"))
submission = sa.table("award_submission", sa.column("candidate_id"), sa.column("stage"))
event = sa.table(
    "audit_event",
    sa.column("id"),
    sa.column("action"),
    sa.column("entity_id"),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def _stage_of(value: Any) -> str | None:
    stage = value.get("stage") if isinstance(value, dict) else None
    return NEW.get(stage, stage) if isinstance(stage, str) else None


def _interview_stages(bind: sa.Connection) -> dict[str, dict[str, list[str]]]:
    """Edition year -> stage -> candidate codes whose interview was scheduled at it."""
    moves: dict[str, list[tuple[int, str | None, str | None]]] = defaultdict(list)
    for eid, year, before, after in bind.execute(
        sa.select(event.c.id, event.c.entity_id, event.c.before, event.c.after)
        .where(event.c.action == "award.edition_stage")
        .order_by(event.c.id)
    ):
        moves[str(year)].append((int(eid), _stage_of(before), _stage_of(after)))
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ref, last in bind.execute(
        sa.select(event.c.entity_id, sa.func.max(event.c.id))
        .where(event.c.action == "award.interview_schedule")
        .group_by(event.c.entity_id)
    ):
        year, _sep, code = str(ref).partition("/")
        earlier = [m for m in moves.get(year, []) if m[0] < last]
        later = [m for m in moves.get(year, []) if m[0] > last]
        stage = earlier[-1][2] if earlier else (later[0][1] if later else None)
        if stage is not None:
            out[year][stage].append(code)
    return out


def upgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name) as b:
            b.add_column(sa.Column("stage", sa.String(length=20), nullable=True))
    bind = op.get_bind()
    for old, new in NEW.items():
        bind.execute(sa.update(edition).where(edition.c.stage == old).values(stage=new))
    ed_stage = (
        sa.select(edition.c.stage).where(edition.c.id == candidate.c.edition_id).scalar_subquery()
    )
    bind.execute(sa.update(candidate).values(stage=ed_stage))
    for year, by_stage in _interview_stages(bind).items():
        if not year.isdigit():
            continue
        for stage, codes in by_stage.items():
            ids = sa.select(candidate.c.id).where(
                candidate.c.edition_id.in_(
                    sa.select(edition.c.id).where(edition.c.year == int(year))
                ),
                candidate.c.code.in_(codes),
            )
            bind.execute(
                sa.update(interview).where(interview.c.candidate_id.in_(ids)).values(stage=stage)
            )
    cand_stage = (
        sa.select(candidate.c.stage)
        .where(candidate.c.id == interview.c.candidate_id)
        .scalar_subquery()
    )
    bind.execute(sa.update(interview).where(interview.c.stage.is_(None)).values(stage=cand_stage))
    for t in (score, submission):
        of_interview = (
            sa.select(interview.c.stage)
            .where(interview.c.candidate_id == t.c.candidate_id)
            .scalar_subquery()
        )
        of_candidate = (
            sa.select(candidate.c.stage).where(candidate.c.id == t.c.candidate_id).scalar_subquery()
        )
        bind.execute(sa.update(t).values(stage=sa.func.coalesce(of_interview, of_candidate)))
    with op.batch_alter_table("award_candidate") as b:
        b.alter_column("stage", existing_type=sa.String(length=20), nullable=False)
    with op.batch_alter_table("award_interview") as b:
        b.alter_column("stage", existing_type=sa.String(length=20), nullable=False)
        b.drop_constraint("uq_award_interview_candidate_id", type_="unique")
        b.create_unique_constraint(
            "uq_award_interview_candidate_id_stage", ["candidate_id", "stage"]
        )
    with op.batch_alter_table("award_score") as b:
        b.alter_column("stage", existing_type=sa.String(length=20), nullable=False)
        b.drop_constraint("uq_award_score_candidate_id_juror_id_criterion", type_="unique")
        b.create_unique_constraint(
            "uq_award_score_candidate_id_juror_id_criterion_stage",
            ["candidate_id", "juror_id", "criterion", "stage"],
        )
    with op.batch_alter_table("award_submission") as b:
        b.alter_column("stage", existing_type=sa.String(length=20), nullable=False)
        b.drop_constraint("pk_award_submission", type_="primary")
        b.create_primary_key("pk_award_submission", ["candidate_id", "juror_id", "stage"])


def downgrade() -> None:
    bind = op.get_bind()
    for t in (interview, submission):
        twice = bind.execute(
            sa.select(t.c.candidate_id)
            .group_by(t.c.candidate_id)
            .having(sa.func.count(sa.distinct(t.c.stage)) > 1)
            .limit(1)
        ).first()
        if twice is not None:
            raise RuntimeError(
                "award: a candidate has interviews or scores at two stages; revision 0025 "
                "cannot hold them (delete one stage's rows first)"
            )
    with op.batch_alter_table("award_submission") as b:
        b.drop_constraint("pk_award_submission", type_="primary")
        b.create_primary_key("pk_award_submission", ["candidate_id", "juror_id"])
    with op.batch_alter_table("award_score") as b:
        b.drop_constraint("uq_award_score_candidate_id_juror_id_criterion_stage", type_="unique")
        b.create_unique_constraint(
            "uq_award_score_candidate_id_juror_id_criterion",
            ["candidate_id", "juror_id", "criterion"],
        )
    with op.batch_alter_table("award_interview") as b:
        b.drop_constraint("uq_award_interview_candidate_id_stage", type_="unique")
        b.create_unique_constraint("uq_award_interview_candidate_id", ["candidate_id"])
    for new, old in OLD.items():
        bind.execute(sa.update(edition).where(edition.c.stage == new).values(stage=old))
    for name in TABLES:
        with op.batch_alter_table(name) as b:
            b.drop_column("stage")
