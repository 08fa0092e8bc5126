"""Paritrana Award tables: editions (with their rubric frozen as data), candidates, evidence,
jurors, interviews and scores.

A rubric is copied into its edition when the edition is created, so later edits to a rubric
file never change how an edition already under way is scored. Scores are per juror,
candidate, criterion and stage (revision 0027: a score belongs to the stage it was given
at; :mod:`jaring.award.stages`); a juror's scores for a candidate at a stage are locked by
one ``award_submission`` row (no update or delete after it). A candidate has one interview
per interview stage, and the furthest stage it has reached (``award_candidate.stage``).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

from jaring.store.tables.base import metadata

award_edition = Table(
    "award_edition",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False, unique=True),  # the edition's year (2024)
    Column("assessed_year", Integer, nullable=False),  # the calendar year assessed (2023)
    Column("name", String(200), nullable=False),
    # 'administrasi' | 'wawancara-provinsi' | 'verifikasi' | 'wawancara-nasional'
    Column("stage", String(20), nullable=False),
    Column("categories", JSON, nullable=False),  # ['provinsi', 'kabupaten-kota', ...]
    Column("rubric", JSON, nullable=False),  # the rubric, frozen at creation
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

award_candidate = Table(
    "award_candidate",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("edition_id", Integer, ForeignKey("award_edition.id"), nullable=False),
    Column("category", String(30), nullable=False),
    Column("code", String(30), nullable=False),  # region code, or a company's own code
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    # the furthest stage reached: the stage it was added at, then each shortlist it passed
    Column("stage", String(20), nullable=False),
    UniqueConstraint("edition_id", "code"),
)

award_evidence = Table(
    "award_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", Integer, ForeignKey("award_candidate.id"), nullable=False),
    Column("criterion", String(50), nullable=False),
    Column("value", String(100), nullable=False),  # a level ('perda') or a number as text
    Column("origin", String(10), nullable=False),  # 'jaring' (filled from data) | 'entered'
    Column("detail", JSON, nullable=False),  # the figures and rows behind the value
    Column("file_name", String(300)),
    Column("file_sha256", String(64)),
    Column("file_path", Text),
    Column("attachment_id", Integer),  # the document in the attachment store, when uploaded
    Column("entered_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("candidate_id", "criterion"),
)

award_juror = Table(
    "award_juror",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("edition_id", Integer, ForeignKey("award_edition.id"), nullable=False),
    Column("code", String(30), nullable=False),  # short handle, e.g. 'J1'
    Column("name", String(200), nullable=False),
    Column("affiliation", String(200)),  # Disnaker, APINDO, serikat pekerja, akademisi...
    UniqueConstraint("edition_id", "code"),
)

award_interview = Table(
    "award_interview",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", Integer, ForeignKey("award_candidate.id"), nullable=False),
    Column("scheduled_at", DateTime, nullable=False),
    Column("place", String(200)),
    Column("head_attended", Boolean),  # the head of region attended in person
    Column("notes", Text),  # the secretariat's notes of the interview, shown to the jurors
    Column("stage", String(20), nullable=False),  # the interview stage it is held at
    UniqueConstraint("candidate_id", "stage"),
)

award_panel = Table(
    "award_panel",
    metadata,
    Column("interview_id", Integer, ForeignKey("award_interview.id"), primary_key=True),
    Column("juror_id", Integer, ForeignKey("award_juror.id"), primary_key=True),
)

award_score = Table(
    "award_score",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", Integer, ForeignKey("award_candidate.id"), nullable=False),
    Column("juror_id", Integer, ForeignKey("award_juror.id"), nullable=False),
    Column("criterion", String(50), nullable=False),
    Column("points", Integer, nullable=False),  # on the criterion's scale
    Column("note", Text),
    Column("updated_at", DateTime, nullable=False, server_default=func.now()),
    Column("stage", String(20), nullable=False),  # the stage the score was given at
    UniqueConstraint("candidate_id", "juror_id", "criterion", "stage"),
)

award_submission = Table(
    "award_submission",
    metadata,
    Column("candidate_id", Integer, ForeignKey("award_candidate.id"), primary_key=True),
    Column("juror_id", Integer, ForeignKey("award_juror.id"), primary_key=True),
    Column("stage", String(20), primary_key=True),
    Column("submitted_at", DateTime, nullable=False, server_default=func.now()),
)
