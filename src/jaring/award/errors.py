"""Refusals of the award domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/award.po``); see :mod:`jaring.errors`."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("award")

# rubrics
BAD_RUBRIC = CATALOGUE.refused(
    "bad_rubric",
    "Invalid rubric {file}: {field} = {value}. Weights must be positive and sum to exactly "
    "100%, criterion codes unique, and every scale usable (levels with points, ascending "
    "thresholds, points with min < max; jury criteria on points, evidence criteria on levels "
    "or thresholds).",
)
UNKNOWN_CRITERION = CATALOGUE.refused(
    "unknown_criterion", "Criterion not in the rubric: {criterion} (known: {known})."
)
BAD_EVIDENCE = CATALOGUE.refused(
    "bad_evidence", "Value {value} is not on the scale of {criterion} ({choices})."
)
NOT_JURY_CRITERION = CATALOGUE.refused(
    "not_jury_criterion", "Criterion {criterion} is scored from evidence, not by jurors."
)
NOT_EVIDENCE_CRITERION = CATALOGUE.refused(
    "not_evidence_criterion", "Criterion {criterion} is scored by jurors, not from evidence."
)
BAD_POINTS = CATALOGUE.refused(
    "bad_points",
    "Not valid points: {value}{scale}; points are whole numbers on the criterion's scale, "
    "written criterion=points.",
)

# editions, candidates, jurors
EDITION_NOT_FOUND = CATALOGUE.not_found(
    "edition_not_found", "Paritrana edition {edition} does not exist."
)
EDITION_EXISTS = CATALOGUE.refused("edition_exists", "Edition {edition} already exists.")
BAD_CATEGORY = CATALOGUE.refused(
    "bad_category", "Unknown category, or not open in this edition: {category} (choose {choices})."
)
BAD_STAGE = CATALOGUE.refused("bad_stage", "Unknown stage: {value} (choose {choices}).")
STAGE_UNCHANGED = CATALOGUE.refused(
    "stage_unchanged", "The edition is already at the {stage} stage."
)
STAGE_SCORED = CATALOGUE.refused(
    "stage_scored",
    "The edition cannot go back to the {stage} stage: jurors have recorded {scores} scores "
    "at a later stage.",
)
STAGE_PANELS = CATALOGUE.refused(
    "stage_panels",
    "The {stage} stage needs {needed} jurors on each interview panel; reschedule the "
    "interviews of {candidates} with their panel first.",
)
NO_SHORTLIST = CATALOGUE.refused(
    "no_shortlist",
    "No candidate of the {stage} stage has been chosen to go on ({candidates} candidates): "
    "choose those who pass before moving the edition forward.",
)
LAST_STAGE = CATALOGUE.refused(
    "last_stage", "The {stage} stage is the last: no candidate goes on after it."
)
NOT_AT_STAGE = CATALOGUE.refused("not_at_stage", "Not assessed at the {stage} stage: {candidates}.")
STAGE_NO_INTERVIEW = CATALOGUE.refused(
    "stage_no_interview",
    "The {stage} stage has no interview: it is assessed from the evidence.",
)
RUBRIC_CATEGORY = CATALOGUE.refused(
    "rubric_category", "Rubric {rubric} is not for category {category}."
)
CANDIDATE_NOT_FOUND = CATALOGUE.not_found(
    "candidate_not_found", "Candidate {candidate} is not in edition {edition}."
)
BAD_CANDIDATE = CATALOGUE.refused(
    "bad_candidate", "{candidate} is not a region of the {category} category."
)
NAME_REQUIRED = CATALOGUE.refused("name_required", "A company / business name is required.")
CANDIDATE_EXISTS = CATALOGUE.refused(
    "candidate_exists", "Candidate {candidate} is already in edition {edition}."
)
JUROR_NOT_FOUND = CATALOGUE.not_found(
    "juror_not_found", "Juror {juror} is not registered in edition {edition}."
)
JUROR_EXISTS = CATALOGUE.refused("juror_exists", "Juror {juror} is already registered.")
NOT_A_JUROR = CATALOGUE.forbidden(
    "not_a_juror", "Your account is not a juror of edition {edition}."
)
OTHER_JUROR = CATALOGUE.forbidden(
    "other_juror", "A juror acts only as themselves: you are juror {juror}, not {asked}."
)
JUROR_REQUIRED = CATALOGUE.refused("juror_required", "Name the juror who scores or views.")

# interviews and the jury
JURY_SIZE = CATALOGUE.refused(
    "jury_size", "The jury panel has {given} jurors; the {stage} stage needs {needed}."
)
JUROR_BUSY = CATALOGUE.refused("juror_busy", "Juror {juror} is already scheduled at {at}.")
INTERVIEW_SCORED = CATALOGUE.refused(
    "interview_scored", "The interview has scores; it cannot be rescheduled."
)
NO_INTERVIEW = CATALOGUE.refused("no_interview", "No interview scheduled for {candidate}.")
NOT_ON_PANEL = CATALOGUE.refused(
    "not_on_panel", "Juror {juror} is not on the interview panel of {candidate}."
)
SCORES_LOCKED = CATALOGUE.refused(
    "scores_locked", "Juror {juror}'s scores for {candidate} are submitted and locked."
)
INCOMPLETE_SCORES = CATALOGUE.refused(
    "incomplete_scores", "Not every criterion is scored: {criteria}."
)
SUBMIT_FIRST = CATALOGUE.refused(
    "submit_first", "Submit your scores for {candidate} before seeing other jurors' scores."
)
