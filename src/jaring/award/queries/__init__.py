"""Every read of the award: editions and candidates, a candidate's result, a category's
ranking, what a juror may see, a candidate's page and its dossier. Each takes the actor
(``award.read``) and returns dataclasses; a juror account sees as itself, under the jury's
isolation rules (:mod:`jaring.award.jury`).

- :mod:`.results`: :func:`results`, :func:`ranking`, :func:`juror_view`, :func:`candidate`,
  :func:`candidate_page`, :func:`editions`;
- :mod:`.dossier`: :func:`dossier`;
- :mod:`.desk`: the web's juror desk (:func:`desk`), scoring sheet (:func:`sheet`) and the
  secretariat's edition (:func:`admin_edition`);
- :mod:`.records`: the single records (edition, candidate, juror, interview, evidence) the
  actions and queries are built on.
"""

from jaring.award.queries.desk import (
    AdminCandidate,
    AdminEdition,
    Desk,
    DeskItem,
    GuideLevel,
    Sheet,
    SheetCriterion,
    admin_edition,
    desk,
    sheet,
)
from jaring.award.queries.dossier import Dossier, DossierCriterion, FileRef, InterviewInfo, dossier
from jaring.award.queries.records import Evidence
from jaring.award.queries.results import (
    CandidatePage,
    CandidateRef,
    CriterionInfo,
    CriterionScore,
    EditionSummary,
    JurorScore,
    JurorView,
    RankedCandidate,
    Ranking,
    Result,
    RubricInfo,
    Spread,
    candidate,
    candidate_page,
    editions,
    juror_view,
    ranking,
    results,
)

__all__ = [
    "AdminCandidate",
    "AdminEdition",
    "CandidatePage",
    "CandidateRef",
    "CriterionInfo",
    "CriterionScore",
    "Desk",
    "DeskItem",
    "Dossier",
    "DossierCriterion",
    "EditionSummary",
    "Evidence",
    "FileRef",
    "GuideLevel",
    "InterviewInfo",
    "JurorScore",
    "JurorView",
    "RankedCandidate",
    "Ranking",
    "Result",
    "RubricInfo",
    "Sheet",
    "SheetCriterion",
    "Spread",
    "admin_edition",
    "candidate",
    "candidate_page",
    "desk",
    "dossier",
    "editions",
    "juror_view",
    "ranking",
    "results",
    "sheet",
]
