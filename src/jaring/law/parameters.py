"""The law's parameters: dated values with a legal reference and a confidence, one YAML file each.

The tree under ``params/`` mirrors the law (``bpu/jkm.yaml`` is the parameter ``bpu.jkm``).
Each file holds ``description``, ``label`` (``id``/``en``), ``unit``, an optional ``rounding``
and ``values``: start date -> ``{value, reference, confidence, note?}``. A value holds from its
start date until the next one (OpenFisca style). Everything is validated when the tree is
loaded, so a mistake in a file stops the program at start-up with a message naming the file,
never later as a silent zero:

- every value needs a ``reference`` and a ``confidence`` of confirmed, likely or unsure;
- dates are unique and ascending, and every parameter has a value from the day the law starts
  (:data:`LAW_START`, 1 July 2015), so there is no gap in any timeline;
- a ``note`` is bilingual, ``{id: ..., en: ...}`` like a label: it is shown in the interface
  in the user's language, so a note in one language only is refused;
- a value may be ``null`` only with a ``note``: it marks a period whose value we have not
  sourced (the 2026 JP wage cap); asking for it raises :class:`ParameterError`
  (``parameter_unknown``);
- tables (``unit: table``) declare their ``columns`` and every row must have them all;
  mappings (``keys``) must have exactly those keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser: the whole tree loads in a tenth of the time
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from jaring.i18n import N_
from jaring.law import errors
from jaring.law.errors import ParameterError

#: BPJS TK programs run under PP 44/2015, PP 45/2015 and PP 46/2015 from 1 July 2015.
LAW_START = dt.date(2015, 7, 1)
PARAMS_DIR = Path(__file__).parent / "params"
CONFIDENCES = ("confirmed", "likely", "unsure")
ROUNDINGS = ("half_up", "down", "up")
UNITS = (
    "rupiah",
    "basis_points",
    "months",
    "months_of_wage",
    "count",
    "table",
    "mapping",
)

__all__ = ["LAW_START", "Entry", "Parameter", "ParameterError", "Parameters", "load", "params"]


@dataclass(frozen=True)
class Entry:
    """One dated value of a parameter, with everything needed to explain an amount."""

    name: str
    value: Any
    effective_from: dt.date
    reference: str
    confidence: str
    note_id: str | None
    note_en: str | None
    unit: str
    rounding: str | None
    label_id: str
    label_en: str


@dataclass(frozen=True)
class Parameter:
    """A parameter's whole timeline (entries sorted by start date)."""

    name: str
    description: str
    unit: str
    rounding: str | None
    label_id: str
    label_en: str
    entries: tuple[Entry, ...]
    source: str
    columns: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    def at(self, on: dt.date) -> Entry:
        """The entry in force on ``on``; a :class:`ParameterError` when there is none."""
        if not isinstance(on, dt.date):
            raise TypeError(f"date expected, got {type(on).__name__}")
        if isinstance(on, dt.datetime):
            on = on.date()
        found: Entry | None = None
        for entry in self.entries:
            if entry.effective_from <= on:
                found = entry
            else:
                break
        if found is None:
            raise ParameterError(errors.DATE_BEFORE_LAW, parameter=self.name, date=on.isoformat())
        if found.value is None:
            raise ParameterError(
                errors.PARAMETER_UNKNOWN,
                note=(found.note_id, found.note_en),
                parameter=self.name,
                date=on.isoformat(),
                file=self.source,
            )
        return found


@dataclass
class Parameters:
    """The loaded, validated parameter tree."""

    by_name: dict[str, Parameter] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def names(self) -> list[str]:
        return sorted(self.by_name)

    def parameter(self, name: str) -> Parameter:
        try:
            return self.by_name[name]
        except KeyError:
            raise ParameterError(errors.PARAMETER_MISSING, parameter=name) from None

    def entry(self, name: str, on: dt.date) -> Entry:
        """Value, reference, start date and confidence of ``name`` in force on ``on``."""
        return self.parameter(name).at(on)

    def value(self, name: str, on: dt.date) -> Any:
        """The value of ``name`` in force on ``on`` (never a silent default)."""
        return self.entry(name, on).value

    def in_force(self, on: dt.date) -> list[Entry | ParameterError]:
        """Every parameter at ``on``: its entry, or the error saying why there is none."""
        out: list[Entry | ParameterError] = []
        for name in self.names():
            try:
                out.append(self.entry(name, on))
            except ParameterError as e:
                out.append(e)
        return out


def _bad(
    source: str, problem: str, facts: dict[str, Any] | None = None, **context: Any
) -> ParameterError:
    """``parameter_invalid`` for the file ``source``: ``problem`` is an English sentence marked
    with ``N_`` whose ``%(name)s`` slots ``facts`` and ``context`` fill."""
    facts = {**context, **(facts or {})}
    return ParameterError(
        errors.PARAMETER_INVALID, problem=problem, facts=facts, file=source, **context
    )


class _UniqueKeyLoader(_SafeLoader):
    """A YAML loader that refuses duplicate keys (PyYAML keeps the last one silently)."""


def _construct_mapping(loader: _SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_pairs(node))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _note(source: str, at: str, note: Any) -> tuple[str | None, str | None]:
    """A value's note as ``(indonesian, english)``; both are required when there is a note."""
    if note is None:
        return None, None
    texts = (note.get("id"), note.get("en")) if isinstance(note, dict) else (None, None)
    if (
        not isinstance(note, dict)
        or set(note) != {"id", "en"}
        or not all(isinstance(t, str) and t.strip() for t in texts)
    ):
        raise _bad(source, N_("%(date)s: a note needs both id and en texts"), date=at)
    return " ".join(str(texts[0]).split()), " ".join(str(texts[1]).split())


def _check_value(
    source: str,
    day: dt.date,
    value: Any,
    unit: str,
    columns: tuple[str, ...],
    keys: tuple[str, ...],
) -> None:
    at = day.isoformat()
    if unit == "table":
        if not isinstance(value, list) or not value:
            raise _bad(source, N_("%(date)s: a table needs rows"), date=at)
        for i, row in enumerate(value, 1):
            if not isinstance(row, dict):
                raise _bad(source, N_("%(date)s row %(row)s is not a mapping"), row=i, date=at)
            missing = [c for c in columns if c not in row]
            extra = [c for c in row if c not in columns]
            if missing or extra:
                raise _bad(
                    source,
                    N_(
                        "%(date)s row %(row)s: missing fields %(missing)s / unknown fields %(extra)s"
                    ),
                    {"missing": missing, "extra": extra},
                    row=i,
                    date=at,
                )
        if "lower" in columns:
            lowers = [row["lower"] for row in value]
            if lowers[0] != 0 or any(b <= a for a, b in itertools.pairwise(lowers)):
                raise _bad(
                    source,
                    N_("%(date)s: band lower edges must start at 0 and rise, leaving no gap"),
                    date=at,
                )
    elif keys:
        if not isinstance(value, dict) or set(value) != set(keys):
            raise _bad(
                source, N_("%(date)s: keys must be exactly %(keys)s"), {"keys": list(keys)}, date=at
            )
    elif isinstance(value, bool) or not isinstance(value, int):
        raise _bad(
            source, N_("%(date)s: value must be a whole number (%(unit)s)"), {"unit": unit}, date=at
        )


def load_file(path: Path, name: str) -> Parameter:
    """Read and validate one parameter file."""
    source = str(path.relative_to(path.parents[len(name.split("."))]))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as e:
        raise _bad(source, N_("broken YAML (%(error)s)"), {"error": e}) from None
    if not isinstance(data, dict):
        raise _bad(source, N_("not a mapping"))
    for key in ("description", "label", "unit", "values"):
        if key not in data:
            raise _bad(source, N_("missing key %(key)s"), {"key": key})
    unit = data["unit"]
    if unit not in UNITS:
        raise _bad(source, N_("unknown unit %(unit)r"), {"unit": unit})
    rounding = data.get("rounding")
    if rounding is not None and rounding not in ROUNDINGS:
        raise _bad(source, N_("unknown rounding %(rounding)r"), {"rounding": rounding})
    label = data["label"]
    if not isinstance(label, dict) or not {"id", "en"} <= set(label):
        raise _bad(source, N_("label needs id and en"))
    columns = tuple(data.get("columns") or ())
    keys = tuple(data.get("keys") or ())
    if unit == "table" and not columns:
        raise _bad(source, N_("a table needs columns"))
    values = data["values"]
    if not isinstance(values, dict) or not values:
        raise _bad(source, N_("no values"))
    entries: list[Entry] = []
    previous: dt.date | None = None
    for day, item in values.items():
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise _bad(source, N_("bad date %(day)r"), {"day": day})
        at = day.isoformat()
        if previous is not None and day <= previous:
            raise _bad(source, N_("date %(date)s is out of order or overlaps"), date=at)
        previous = day
        if not isinstance(item, dict) or "value" not in item:
            raise _bad(source, N_("%(date)s: no value"), date=at)
        reference = item.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            raise _bad(source, N_("%(date)s: no legal reference"), date=at)
        confidence = item.get("confidence")
        if confidence not in CONFIDENCES:
            raise _bad(
                source,
                N_("%(date)s: unknown confidence %(confidence)r"),
                {"confidence": confidence},
                date=at,
            )
        unknown = set(item) - {"value", "reference", "confidence", "note"}
        if unknown:
            raise _bad(
                source, N_("%(date)s: unknown keys %(keys)s"), {"date": at, "keys": sorted(unknown)}
            )
        value = item["value"]
        note = _note(source, at, item.get("note"))
        if value is None:
            if not note[0]:
                raise _bad(source, N_("%(date)s: an empty value needs a note saying why"), date=at)
        else:
            _check_value(source, day, value, unit, columns, keys)
        entries.append(
            Entry(
                name=name,
                value=_freeze(value),
                effective_from=day,
                reference=reference.strip(),
                confidence=confidence,
                note_id=note[0],
                note_en=note[1],
                unit=unit,
                rounding=rounding,
                label_id=label["id"],
                label_en=label["en"],
            )
        )
    if entries[0].effective_from > LAW_START:
        raise _bad(
            source,
            N_("gap: the first value starts %(first)s, after %(start)s"),
            {"first": entries[0].effective_from, "start": LAW_START},
        )
    return Parameter(
        name=name,
        description=" ".join(str(data["description"]).split()),
        unit=unit,
        rounding=rounding,
        label_id=label["id"],
        label_en=label["en"],
        entries=tuple(entries),
        source=source,
        columns=columns,
        keys=keys,
    )


class _FrozenDict(dict):
    """A read-only dict, so a cached parameter value cannot be changed by a caller."""

    _hash: int | None = None

    def __hash__(self) -> int:  # type: ignore[override]
        # Computed once: the computation's caches hash a whole table of these per call.
        if self._hash is None:
            self._hash = hash(tuple(sorted(self.items(), key=lambda kv: str(kv[0]))))
        return self._hash

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("parameter values are read-only")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _readonly  # type: ignore[assignment]


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return _FrozenDict({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def load(root: Path = PARAMS_DIR) -> Parameters:
    """Load and validate every ``*.yaml`` under ``root``."""
    tree = Parameters()
    for path in sorted(root.rglob("*.yaml")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        tree.by_name[name] = load_file(path, name)
    if not tree.by_name:
        raise _bad(str(root), N_("no parameter files in this folder"))
    return tree


@functools.cache
def params() -> Parameters:
    """The package's parameter tree, loaded and validated once per process."""
    return load(PARAMS_DIR)
