"""Rubrics as data: load, validate and apply the scale of a criterion.

A rubric is a YAML file (see ``rubrics/``): criteria with a weight in percent (exact
decimals, summing to exactly 100), who scores them (``evidence``: points follow from the
evidence by the scale, the same for every juror; ``jury``: each juror gives points on the
scale), the scale and the evidence each needs. No published Paritrana rubric exists, so the
shipped ones say they are Jaring's own proposal (``official: false`` and ``notice``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jaring import formatting, i18n
from jaring.award import errors
from jaring.errors import BAD_FILE, JaringError

CATEGORIES = ("provinsi", "kabupaten-kota", "perusahaan", "umk")
DEFAULT_RUBRICS = {
    "provinsi": "jaring-wilayah-2024.yaml",
    "kabupaten-kota": "jaring-wilayah-2024.yaml",
    "perusahaan": "jaring-usaha-2024.yaml",
    "umk": "jaring-usaha-2024.yaml",
}
MEASURES = (
    "entered",
    "coverage_pu",
    "coverage_bpu",
    "budget_per_worker",
    "coverage_growth",
    "head_attendance",
)
TIE_BREAKS = ("jury_part", "criteria_by_weight", "spread")


def _bad(file: str, field: str, value: Any = None, **ctx: Any) -> JaringError:
    """``bad_rubric``: ``field`` (``criteria``, ``weight_pct``, ``scale``...) of ``file`` is
    wrong, ``value`` says where or what."""
    return errors.BAD_RUBRIC(file=file, field=field, value=value, **ctx)


def load(path: Path | None = None, category: str = "kabupaten-kota") -> dict[str, Any]:
    """Read and validate a rubric file (default: the shipped one for ``category``).
    Refuses ``bad_file`` (unreadable) and ``bad_rubric`` (see :func:`validate`)."""
    if path is None:
        text = (resources.files("jaring.award") / "rubrics" / DEFAULT_RUBRICS[category]).read_text()
        name = DEFAULT_RUBRICS[category]
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError:
            raise BAD_FILE(file=str(path)) from None
        name = Path(path).name
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise _bad(name, "YAML", "-") from None
    return validate(data, file=name)


def validate(data: Any, file: str = "rubric") -> dict[str, Any]:
    """Check a rubric and return it with weights as exact ``Decimal`` percentages.

    Refuses: no criteria, duplicate codes, a weight that is not a positive decimal, weights
    that do not sum to exactly 100, an unknown ``scored_by`` or measure, a scale that cannot
    be applied (no levels, unordered thresholds, ``min >= max``), a jury criterion without a
    points scale, an unknown tie-break.
    """
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("criteria"), list)
        or not data["criteria"]
    ):
        raise _bad(file, "criteria", "-")
    out = dict(data)
    out.setdefault("official", False)
    out.setdefault("tie_break", list(TIE_BREAKS))
    for tb in out["tie_break"]:
        if tb not in TIE_BREAKS:
            raise _bad(file, "tie_break", tb)
    for cat in out.get("categories", []):
        if cat not in CATEGORIES:
            raise _bad(file, "categories", cat)
    seen: set[str] = set()
    total = Decimal(0)
    criteria = []
    for c in data["criteria"]:
        code = str(c.get("code", ""))
        if not code or code in seen:
            raise _bad(file, "code", repr(code))
        seen.add(code)
        try:
            weight = Decimal(str(c.get("weight_pct")))
        except InvalidOperation:
            weight = Decimal(-1)
        if not weight.is_finite() or weight <= 0:
            raise _bad(file, f"{code}.weight_pct", c.get("weight_pct"), criterion=code)
        total += weight
        scored_by = c.get("scored_by")
        if scored_by not in ("evidence", "jury"):
            raise _bad(file, f"{code}.scored_by", scored_by, criterion=code)
        scale = _check_scale(c.get("scale"), code, file)
        if scored_by == "jury" and scale["type"] != "points":
            raise _bad(file, f"{code}.scale.type", scale["type"], criterion=code)
        if scored_by == "evidence":
            if c.get("measure", "entered") not in MEASURES:
                raise _bad(file, f"{code}.measure", c.get("measure"), criterion=code)
            if scale["type"] == "points":
                raise _bad(file, f"{code}.scale.type", scale["type"], criterion=code)
        criteria.append(
            {
                **c,
                "weight_pct": weight,
                "scale": scale,
                "measure": c.get("measure", "entered" if scored_by == "evidence" else None),
            }
        )
    if total != 100:
        raise _bad(file, "sum of weight_pct", f"{total}%", total=str(total))
    out["criteria"] = criteria
    return out


def _check_scale(scale: Any, code: str, file: str) -> dict[str, Any]:
    if not isinstance(scale, dict) or scale.get("type") not in ("levels", "thresholds", "points"):
        kind = scale.get("type") if isinstance(scale, dict) else scale
        raise _bad(file, f"{code}.scale.type", kind, criterion=code)
    kind = scale["type"]
    if kind == "levels":
        levels = scale.get("levels") or {}
        if not levels or any(int(v["points"]) < 0 for v in levels.values()):
            raise _bad(file, f"{code}.scale.levels", "-", criterion=code)
        return {**scale, "max": max(int(v["points"]) for v in levels.values())}
    if kind == "thresholds":
        bands = [(Decimal(str(lo)), int(p)) for lo, p in scale.get("bands") or []]
        if not bands or [b[0] for b in bands] != sorted({b[0] for b in bands}):
            raise _bad(file, f"{code}.scale.bands", [str(b[0]) for b in bands], criterion=code)
        return {**scale, "bands": bands, "max": max(p for _, p in bands)}
    lo, hi = int(scale.get("min", 0)), int(scale.get("max", 0))
    if lo >= hi or lo < 0:
        raise _bad(file, f"{code}.scale.min/max", f"{lo}/{hi}", criterion=code)
    return {**scale, "min": lo, "max": hi}


def criterion(rubric: dict[str, Any], code: str) -> dict[str, Any]:
    """The criterion ``code`` of ``rubric``; refuses ``unknown_criterion``."""
    for c in rubric["criteria"]:
        if c["code"] == code:
            return c
    raise errors.UNKNOWN_CRITERION(
        field="criterion", criterion=code, known=", ".join(c["code"] for c in rubric["criteria"])
    )


def evidence_points(c: dict[str, Any], value: str) -> int:
    """Points an evidence value earns on the criterion's scale; refuses values the scale
    does not know (a level not listed, a number that is not a number or below every band)."""
    scale = c["scale"]
    if scale["type"] == "levels":
        if value not in scale["levels"]:
            raise errors.BAD_EVIDENCE(
                field="value", criterion=c["code"], value=value, choices=", ".join(scale["levels"])
            )
        return int(scale["levels"][value]["points"])
    try:
        x: Decimal | None = Decimal(str(value))
    except InvalidOperation:
        x = None
    if x is None or not x.is_finite() or x < scale["bands"][0][0]:
        raise errors.BAD_EVIDENCE(
            field="value", criterion=c["code"], value=value, choices=f">= {scale['bands'][0][0]}"
        )
    points = 0
    for lo, p in scale["bands"]:
        if x >= lo:
            points = p
    return points


def check_jury_points(c: dict[str, Any], points: int) -> None:
    """Refuse ``not_jury_criterion`` for an evidence criterion, ``bad_points`` for points
    off the criterion's scale."""
    scale = c["scale"]
    if c["scored_by"] != "jury":
        raise errors.NOT_JURY_CRITERION(criterion=c["code"])
    if not scale["min"] <= points <= scale["max"]:
        raise errors.BAD_POINTS(
            field="points",
            criterion=c["code"],
            value=f"{c['code']}={points}",
            scale=f" ({scale['min']}-{scale['max']})",
            min=scale["min"],
            max=scale["max"],
        )


def to_json(rubric: dict[str, Any]) -> dict[str, Any]:
    """The rubric as JSON-able data (Decimals as text) for storing in an edition."""
    out = dict(rubric)
    crits = []
    for c in rubric["criteria"]:
        scale = dict(c["scale"])
        if "bands" in scale:
            scale["bands"] = [[str(lo), p] for lo, p in scale["bands"]]
        crits.append({**c, "weight_pct": str(c["weight_pct"]), "scale": scale})
    out["criteria"] = crits
    return out


# What each point of a jury-scored criterion means, unless the rubric's scale says otherwise
# (``scale.guide: {1: {id: ..., en: ...}, ...}``).
GENERIC_GUIDE: dict[int, dict[str, str]] = {
    1: {"id": "Sangat kurang: tidak ada atau tidak jelas", "en": "Very weak: absent or unclear"},
    2: {"id": "Kurang: ada, tetapi belum berjalan", "en": "Weak: exists but not yet working"},
    3: {"id": "Cukup: berjalan, hasil belum terukur", "en": "Fair: working, results not measured"},
    4: {"id": "Baik: berjalan dengan hasil terukur", "en": "Good: working with measured results"},
    5: {
        "id": "Sangat baik: hasil terukur dan dapat ditiru daerah lain",
        "en": "Excellent: measured results others can copy",
    },
}


def score_guide(c: dict[str, Any]) -> list[tuple[int, dict[str, str]]]:
    """What each score of criterion ``c`` means, lowest first: a jury criterion's points (the
    rubric's own guide, else :data:`GENERIC_GUIDE`), an evidence criterion's levels or
    bands."""
    scale = c.get("scale") or {}
    if scale.get("type") == "points":
        guide = {int(k): v for k, v in (scale.get("guide") or {}).items()}
        lo, hi = int(scale.get("min", 1)), int(scale.get("max", 5))
        out = []
        for n in range(lo, hi + 1):
            words = guide.get(n) or GENERIC_GUIDE.get(round(1 + 4 * (n - lo) / max(1, hi - lo)))
            out.append((n, words or {"id": str(n), "en": str(n)}))
        return out
    if scale.get("type") == "levels":
        levels = sorted(scale["levels"].items(), key=lambda kv: int(kv[1]["points"]))
        return [(int(v["points"]), {"id": v["label"], "en": v["label"]}) for _k, v in levels]
    if scale.get("type") == "thresholds":
        return [
            (int(p), {"id": f">= {low}", "en": f">= {low}"}) for low, p in scale.get("bands", [])
        ]
    return []


def levels_of(c: dict[str, Any]) -> dict[str, str]:
    """A criterion's levels (code -> label) when its scale has levels, else none."""
    return {code: str(v["label"]) for code, v in (c["scale"].get("levels") or {}).items()}


def value_words(
    value: str | None,
    *,
    unit: str | None,
    levels: dict[str, str] | None = None,
    lang: str | None = None,
) -> str:
    """An evidence value as people read it: a level by its label, a ratio as a percentage,
    a change of ratio in percentage points, rupiah as rupiah, another number in the
    language's digits; ``-`` for none. Never the code or the raw decimal."""
    if value is None or str(value).strip() == "":
        return "-"
    if levels and value in levels:
        return levels[value]
    try:
        x = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    with i18n.using(lang or i18n.lang()):
        if unit == "ratio":
            return formatting.percent(x, lang)
        if unit == "ratio_points":
            return i18n._(
                "%(sign)s%(points)s percentage points",
                sign="+" if x >= 0 else "",
                points=formatting.percent(x, lang).removesuffix("%"),
            )
        if unit == "rupiah":
            return formatting.rupiah(int(x), lang)
        return formatting.number(x, lang)
