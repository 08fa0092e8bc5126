"""The web's side of the Paritrana Award: editions and candidates to list, and who a juror is.

A web user with the role ``juror`` scores as the award juror whose code equals their username
(case-insensitive), in every edition where such a juror is registered: the secretariat creates
the account ``j1`` for juror ``J1``. A juror sees only their own scoring screen and, after
submitting, the results the award service lets them see; everyone else with ``award.read`` sees
the secretariat's view.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from jaring.errors import Forbidden
from jaring.store.tables.award import award_candidate, award_edition, award_juror
from jaring.web.roles import Principal


def editions(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        eds = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    award_edition.c.id,
                    award_edition.c.year,
                    award_edition.c.assessed_year,
                    award_edition.c.name,
                    award_edition.c.stage,
                    award_edition.c.categories,
                ).order_by(award_edition.c.year.desc())
            )
        ]
        for ed in eds:
            ed["candidates"] = [
                dict(r._mapping)
                for r in conn.execute(
                    select(
                        award_candidate.c.code, award_candidate.c.name, award_candidate.c.category
                    )
                    .where(award_candidate.c.edition_id == ed["id"])
                    .order_by(award_candidate.c.category, award_candidate.c.code)
                )
            ]
    return eds


def juror_code(engine: Engine, p: Principal, year: int) -> str | None:
    """The award juror code this user scores as in edition ``year`` (jurors only)."""
    if p.role != "juror":
        return None
    with engine.connect() as conn:
        code = conn.execute(
            select(award_juror.c.code)
            .join(award_edition, award_edition.c.id == award_juror.c.edition_id)
            .where(award_edition.c.year == year, func.lower(award_juror.c.code) == p.username)
        ).scalar_one_or_none()
    if code is None:
        raise Forbidden(
            "not_a_juror",
            f"Akun Anda bukan juri pada edisi {year}.",
            f"Your account is not a juror of edition {year}.",
            edition=year,
        )
    return str(code)


def rubric_of(engine: Engine, year: int, category: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        rub = conn.execute(
            select(award_edition.c.rubric).where(award_edition.c.year == year)
        ).scalar_one_or_none()
    if not rub:
        return None
    return dict(rub).get(category)


def jury_criteria(rubric: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in rubric.get("criteria", []) if c.get("scored_by") == "jury"]
