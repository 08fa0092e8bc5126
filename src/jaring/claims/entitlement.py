"""What a claim is worth: ``jaring.law`` at the event date, plus the eligibility lines.

The claims package never computes a benefit itself: every rupiah comes from
``jaring.law.benefits`` evaluated at the event date, with the law's explanation lines and legal
references. This module turns a claim's type and inputs into the right law call, puts the
eligibility facts in front of the law's lines, and sets the payable amount to zero when a rule
failed (the law's figure is kept as ``law_total`` so an operator can see what an override
would pay).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jaring import formatting
from jaring.claims import errors
from jaring.claims import heirs as heir_rules
from jaring.claims.catalog import claim_types, reject_reasons, rules
from jaring.i18n import N_, gettext_in
from jaring.law import benefits
from jaring.law.amount import ExplanationLine
from jaring.law.parameters import params

#: The inputs that are counts or amounts, and their largest sensible value.
NUMBERS = {
    "wage": 1_000_000_000_000,
    "cost": 1_000_000_000_000,
    "months": 1_200,
    "months_before": 1_200,
    "years": 100,
    "percent": 100,
    "function_loss": 100,
}


def check_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """``inputs`` with its counts and amounts (:data:`NUMBERS`) as ints; anything else in
    them (``"abc"``, ``1.5``, ``-3``, a name typed in the wrong field) is refused
    (``claim_input_bad`` naming the field), never an internal error."""
    out = dict(inputs)
    for key, maximum in NUMBERS.items():
        value = out.get(key)
        if value is None:
            continue
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 16:
            number = int(value.strip())
        if number is None or not 0 <= number <= maximum:
            raise errors.CLAIM_INPUT_BAD(field=key, maximum=maximum)
        out[key] = number
    return out


def _need(inputs: dict[str, Any], key: str, claim_type: str) -> Any:
    """``inputs[key]``, or ``claim_input_missing`` naming the field."""
    value = inputs.get(key)
    if value is None:
        raise errors.CLAIM_INPUT_MISSING(field=key, type=claim_type)
    return value


def law_amount(
    claim_type: str,
    event_date: dt.date,
    *,
    segment: str,
    member_since: dt.date | None,
    contribution_months: int,
    inputs: dict[str, Any],
) -> Any:
    """Call the law for one claim; returns the law's ``Amount`` (``total``, ``components``,
    ``explanation``, ``uncertain``, ``to_dict()``). Refused (``claim_input_missing``) when
    the type needs an input that is not given (a wage, months, a cost, a level)."""
    if claim_type == "jkm":
        return benefits.jkm(event_date, segment=segment, member_since=member_since)
    if claim_type == "jkk_death":
        return benefits.jkk_death(_need(inputs, "wage", claim_type), event_date)
    if claim_type == "jkk_medical":
        return benefits.jkk_medical(_need(inputs, "cost", claim_type), event_date)
    if claim_type == "jkk_stmb":
        return benefits.stmb(
            _need(inputs, "wage", claim_type), _need(inputs, "months", claim_type), event_date
        )
    if claim_type == "jkk_disability":
        kind = inputs.get("disability", "partial")
        if kind == "total":
            return benefits.jkk_total_disability(_need(inputs, "wage", claim_type), event_date)
        if inputs.get("part") is None and inputs.get("percent") is None:
            _need(inputs, "percent", claim_type)
        return benefits.jkk_partial_disability(
            _need(inputs, "wage", claim_type),
            event_date,
            part=inputs.get("part"),
            percent=inputs.get("percent"),
            function_loss=inputs.get("function_loss"),
        )
    if claim_type == "scholarship":
        level = _need(inputs, "level", claim_type)
        return benefits.scholarship(
            event_date,
            [(level, int(inputs.get("years", 1)))],
            cause=inputs.get("cause", "jkm"),
            contribution_months=contribution_months,
        )
    raise AssertionError(claim_type)  # check_type() ran before


def law_parameter(name: str, on: dt.date) -> Any:
    """A parameter of the law in force on ``on`` (its ``value``, ``reference``, ``confidence``)."""
    return params().entry(name, on)


def _law_line(entry: Any, note: tuple[str, str]) -> dict[str, Any]:
    """An explanation line for a law parameter a rule used (no amount of its own)."""
    return ExplanationLine.of(entry, None, note=note).to_dict()


def _both(message: str, **fmt: Any) -> tuple[str, str]:
    """``message`` (English, marked with ``N_``) in Indonesian and in English, ``%(name)s``
    slots filled, dates and numbers written as each language writes them: a claim stores its
    lines in both languages, as decided at filing."""
    return (
        gettext_in(message, "id") % _written(fmt, "id"),
        message % _written(fmt, "en"),
    )


def _written(fmt: dict[str, Any], lang: str) -> dict[str, Any]:
    """``fmt``'s dates (``date`` or ISO text) and whole numbers as ``lang`` writes them."""
    out: dict[str, Any] = {}
    for key, value in fmt.items():
        if isinstance(value, dt.date) or (
            isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"
        ):
            value = formatting.date(value, lang)
        elif isinstance(value, int) and not isinstance(value, bool):
            value = formatting.number(value, lang)
        out[key] = value
    return out


def _label(message: str) -> dict[str, str]:
    label_id, label_en = _both(message)
    return {"label_id": label_id, "label_en": label_en}


def _note(note: tuple[str, str] | None) -> dict[str, str | None]:
    """A line's note in both languages, the shape of :meth:`ExplanationLine.to_dict`: the
    stored ``note`` is Indonesian; interfaces pick ``note_id`` or ``note_en`` when they show it."""
    note_id, note_en = note or (None, None)
    return {"note": note_id, "note_id": note_id, "note_en": note_en}


COVERED = N_("Covered (contributions paid) on the event date")
COVERED_NOTE = N_(
    "member since %(since)s, day %(day)s of membership; last covered day %(last)s; "
    "%(months)s paid months"
)
PAID_MONTHS = N_("paid months: %(months)s")
NO_DEADLINE = N_("JKK claim deadline not encoded for this date")
NO_DEADLINE_NOTE = N_("no deadline applied")
IN_TIME = N_("file by %(by)s: in time")
LATE = N_("file by %(by)s: filed after the deadline")
STMB_BEFORE = N_("STMB already claimed for this accident")
STMB_BEFORE_NOTE = N_("months 1-%(months)s")


def scholarship_min_months(on: dt.date) -> int:
    return int(law_parameter("benefits.scholarship.jkm_min_contribution_months", on).value)


def scholarship_max_children(on: dt.date) -> int:
    return int(law_parameter("benefits.scholarship.max_children", on).value)


def eligibility_lines(
    claim_type: str, facts: dict[str, Any], event_date: dt.date | None = None
) -> list[dict[str, Any]]:
    """The facts eligibility rested on, in the shape of the law's explanation lines."""
    r = rules()
    covered = r["covered_on_event_date"]
    lines: list[dict[str, Any]] = [
        {
            "parameter": "claims.covered_on_event_date",
            **_label(COVERED),
            "value": bool(facts["covered"]),
            "amount": None,
            "reference": covered["reference"],
            "confidence": covered["confidence"],
            **_note(
                _both(
                    COVERED_NOTE,
                    since=facts.get("member_since"),
                    day=facts.get("membership_day"),
                    last=facts.get("last_covered_day"),
                    months=facts.get("contribution_months"),
                )
            ),
        },
    ]
    if claim_type == "scholarship" and "min_contribution" in (facts.get("reasons") or []):
        entry = law_parameter(
            "benefits.scholarship.jkm_min_contribution_months", event_date or dt.date.today()
        )
        months = facts.get("contribution_months")
        lines.append(_law_line(entry, _both(PAID_MONTHS, months=months)))
    if catalog_deadline(claim_type) and facts.get("deadline") is None:
        lines.append(
            {
                "parameter": "benefits.jkk.claim_deadline_years",
                **_label(NO_DEADLINE),
                "value": None,
                "amount": None,
                "reference": None,
                "confidence": "unsure",
                **_note(_both(NO_DEADLINE_NOTE)),
            }
        )
    if facts.get("deadline") is not None:
        entry = law_parameter("benefits.jkk.claim_deadline_years", event_date or dt.date.today())
        by = facts["deadline"]
        lines.append(_law_line(entry, _both(IN_TIME if facts["within_deadline"] else LATE, by=by)))
    reasons = reject_reasons()
    for code in facts.get("reasons") or []:
        label = reasons.get(code, {"id": code, "en": code})
        lines.append(
            {
                "parameter": "claims.not_eligible",
                "label_id": label["id"],
                "label_en": label["en"],
                "value": code,
                "amount": None,
                "reference": None,
                "confidence": None,
                **_note(None),
            }
        )
    return lines


NO_HEIR = N_("No heir and no will: the funeral cost only")
NO_HEIR_NOTE = N_(
    "the funeral cost goes to whoever arranged the funeral; the lump sum and the periodic "
    "benefit stay with the Dana Jaminan Sosial"
)
NO_HEIR_PARAMETER = "benefits.heirs_order"
NO_HEIR_LINE = "claims.no_heir_funeral_only"


def apply_heirs(
    ent: dict[str, Any], heirs: list[dict[str, Any]], event_date: dt.date
) -> dict[str, Any]:
    """The entitlement of a death claim given its heirs: with no heir and no will (the
    recipient is whoever arranged the funeral) only the funeral component is payable, the
    rest staying with the Dana Jaminan Sosial, and a line says so. Applying it again with other
    heirs (an heir found later) restores the full amount: ``before_heirs`` keeps it."""
    before = int(ent.get("before_heirs", ent["amount"]))
    lines = [x for x in ent["explanation"] if x.get("parameter") != NO_HEIR_LINE]
    out = {**ent, "explanation": lines, "amount": before}
    out.pop("before_heirs", None)
    if not heir_rules.funeral_only(heirs):
        return out
    funeral = int(ent.get("components", {}).get("funeral", 0))
    payable = min(before, funeral)
    entry = law_parameter(NO_HEIR_PARAMETER, event_date)
    line = _law_line(entry, _both(NO_HEIR_NOTE))
    line.update(_label(NO_HEIR), parameter=NO_HEIR_LINE, value=funeral, amount=payable - before)
    out.update(amount=payable, before_heirs=before, explanation=[*lines, line])
    return out


def catalog_deadline(claim_type: str) -> bool:
    return bool(claim_types()[claim_type].get("deadline"))


def early_death(law_dict: dict[str, Any]) -> bool:
    """Whether the law applied the BPU first-months rule (a line of that parameter paying)."""
    return any(
        line.get("parameter") == "benefits.jkm.early_death_bpu" and line.get("amount")
        for line in law_dict.get("explanation", [])
    )


def entitle(
    claim_type: str,
    event_date: dt.date,
    *,
    segment: str,
    facts: dict[str, Any],
    inputs: dict[str, Any],
) -> dict[str, Any]:
    """The stored entitlement of a claim: ``amount`` payable (0 when not eligible),
    ``law_total``, ``components``, ``explanation`` lines, ``uncertain``."""
    eligible = bool(facts["eligible"])
    if "min_contribution" in (facts.get("reasons") or []):
        # The law refuses to compute a JKM scholarship below the minimum: nothing is due.
        law_dict: dict[str, Any] = {"components": {}, "explanation": [], "uncertain": False}
        total = 0
    else:
        since = facts.get("member_since")
        law = law_amount(
            claim_type,
            event_date,
            segment=segment,
            # a membership that began after the event: not covered; the law gets no start date
            member_since=since if since is not None and since <= event_date else None,
            contribution_months=int(facts.get("contribution_months") or 0),
            inputs=inputs,
        )
        law_dict = law.to_dict()
        total = int(law.total)
        if claim_type == "jkk_stmb" and inputs.get("months_before"):
            # A later STMB claim for the same accident: the months so far, less those claimed.
            before = law_amount(
                claim_type,
                event_date,
                segment=segment,
                member_since=None,
                contribution_months=0,
                inputs={**inputs, "months": int(inputs["months_before"])},
            )
            total -= int(before.total)
            law_dict["components"] = {
                **law_dict.get("components", {}),
                "claimed_before": -int(before.total),
                "total": total,
            }
            law_dict["explanation"] = [
                *list(law_dict.get("explanation", [])),
                {
                    "parameter": "claims.stmb_claimed_before",
                    **_label(STMB_BEFORE),
                    "value": int(inputs["months_before"]),
                    "amount": -int(before.total),
                    "reference": None,
                    "confidence": None,
                    **_note(_both(STMB_BEFORE_NOTE, months=inputs["months_before"])),
                },
            ]
    return {
        "amount": total if eligible else 0,
        "law_total": total,
        "components": law_dict.get("components", {}),
        "uncertain": bool(law_dict.get("uncertain", False)),
        "early_death": early_death(law_dict),
        "explanation": eligibility_lines(claim_type, facts, event_date)
        + list(law_dict.get("explanation", [])),
    }


def sudden_death_type(event_date: dt.date, caused_by_work: bool) -> str:
    """The claim type of a sudden death (meninggal mendadak): ``jkk_death`` when work caused
    it (Permenaker 5/2021: a work accident, BPU and honorer alike), else ``jkm``."""
    return "jkk_death" if benefits.sudden_death_is_jkk(event_date, caused_by_work) else "jkm"
