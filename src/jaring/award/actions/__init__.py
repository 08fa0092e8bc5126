"""Everything that changes the award's store, one function per user action, one transaction
each, taking the actor and writing its audit event:

- :mod:`.editions` (``award.manage``): :func:`create_edition`, :func:`change_stage`,
  :func:`shortlist`, :func:`add_candidate`,
  :func:`add_juror`, :func:`schedule_interview`, :func:`record_attendance`;
- :mod:`.evidence` (``award.manage``): :func:`add_evidence`, :func:`fill_evidence`;
- :mod:`.scores` (``award.score``): :func:`record_scores`, :func:`submit_scores` (the lock).
"""

from jaring.award.actions.editions import (
    AttendanceRecorded,
    CandidateAdded,
    EditionCreated,
    InterviewScheduled,
    JurorAdded,
    Shortlisted,
    StageChanged,
    add_candidate,
    add_juror,
    change_stage,
    create_edition,
    record_attendance,
    record_interview_notes,
    schedule_interview,
    shortlist,
)
from jaring.award.actions.evidence import (
    EvidenceAdded,
    EvidenceFilled,
    Filled,
    Skipped,
    add_evidence,
    fill_evidence,
)
from jaring.award.actions.scores import (
    ScoresRecorded,
    ScoresSubmitted,
    record_scores,
    submit_scores,
)

__all__ = [
    "AttendanceRecorded",
    "CandidateAdded",
    "EditionCreated",
    "EvidenceAdded",
    "EvidenceFilled",
    "Filled",
    "InterviewScheduled",
    "JurorAdded",
    "ScoresRecorded",
    "ScoresSubmitted",
    "Shortlisted",
    "Skipped",
    "StageChanged",
    "add_candidate",
    "add_evidence",
    "add_juror",
    "change_stage",
    "create_edition",
    "fill_evidence",
    "record_attendance",
    "record_interview_notes",
    "record_scores",
    "schedule_interview",
    "shortlist",
    "submit_scores",
]
