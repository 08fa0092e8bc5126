"""The registry's DuckDB comparison SQL in Spark SQL: the dialect module of the national run.

The registry's model (:mod:`jaring.registry.dedupe`) writes its levels in DuckDB SQL, with
list functions and two macros (``words_near``, ``initials_in``) that Spark does not have.
:func:`to_spark` rewrites each such construct into Spark's built-in SQL: higher-order
functions (``forall``, ``exists``) over arrays, ``array_intersect``, ``array_except`` and
``size``; the string similarities are Spark's built-in ``levenshtein`` and the Scala
functions Splink puts on Spark's class path (``jaro_winkler``, ``damerau_levenshtein``): no
Python UDF, so nothing leaves the JVM per row.

The rewriting is by pattern, for the arguments the registry uses (column names and numbers).
:func:`to_spark` refuses (``ValueError``) SQL that still holds a DuckDB-only construct after
it, so a level added to the registry in a form not covered here fails loudly (in
``tests/national``) instead of silently scoring differently on the two engines.

Equivalences (``a``, ``b``, ``s``, ``i`` arrays of words; ``t`` a number)::

    len(list_intersect(a, b))  -> size(array_intersect(a, b))
    len(a)                     -> size(a)
    list_has_all(a, b)         -> every element of b is in a: size(array_except(b, a)) = 0
    list_has_any(a, b)         -> arrays_overlap(a, b) (the words hold no nulls)
    initials_in(s, i)          -> list_has_all(i, s)
    words_near(a, b, t)        -> size(a) > 0 AND forall(a, x -> exists(b, y ->
                                  jaro_winkler(x, y) >= t))
    first_near(a, b, t)        -> exists(b, y -> jaro_winkler(try_element_at(a, 1), y) >= t)
    jaro_winkler_similarity    -> jaro_winkler (Splink's Scala function)

Nulls: a null array gives ``size`` -1 in Spark (not null) and null in DuckDB; either way the
level is not met, which is all a comparison level asks.
"""

from __future__ import annotations

import re
from typing import Any

_ARG = r"\s*([A-Za-z_][A-Za-z0-9_.]*)\s*"
_NUM = r"\s*([0-9]*\.?[0-9]+)\s*"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"\bwords_near\({_ARG},{_ARG},{_NUM}\)", re.IGNORECASE),
        r"(size(\1) > 0 AND forall(\1, x -> exists(\2, y -> jaro_winkler(x, y) >= \3)))",
    ),
    (
        re.compile(rf"\bfirst_near\({_ARG},{_ARG},{_NUM}\)", re.IGNORECASE),
        r"exists(\2, y -> jaro_winkler(try_element_at(\1, 1), y) >= \3)",
    ),
    (
        re.compile(rf"\binitials_in\({_ARG},{_ARG}\)", re.IGNORECASE),
        r"(size(array_except(\1, \2)) = 0)",
    ),
    (
        re.compile(rf"\blist_has_all\({_ARG},{_ARG}\)", re.IGNORECASE),
        r"(size(array_except(\2, \1)) = 0)",
    ),
    (
        re.compile(rf"\blist_has_any\({_ARG},{_ARG}\)", re.IGNORECASE),
        r"arrays_overlap(\1, \2)",
    ),
    (
        re.compile(rf"\blen\(\s*list_intersect\({_ARG},{_ARG}\)\s*\)", re.IGNORECASE),
        r"size(array_intersect(\1, \2))",
    ),
    (re.compile(rf"\blen\({_ARG}\)", re.IGNORECASE), r"size(\1)"),
    (re.compile(r"\bjaro_winkler_similarity\(", re.IGNORECASE), "jaro_winkler("),
)

# What must not be left: DuckDB's list functions and lambdas, the registry's macros, len on
# a list
_DUCKDB_ONLY = re.compile(
    r"\b(list_\w+|lambda|words_near|first_near|initials_in|len|array_has_all|jaro_winkler_similarity)\b",
    re.IGNORECASE,
)


def to_spark(sql: str) -> str:
    """``sql`` (one of the registry's DuckDB conditions) in Spark SQL; refuses
    (``ValueError``, naming the construct) what :data:`_RULES` does not cover."""
    out = sql
    for pattern, repl in _RULES:
        out = pattern.sub(repl, out)
    left = _DUCKDB_ONLY.search(out)
    if left:
        raise ValueError(f"no Spark SQL for {left.group(0)!r} in: {sql}")
    return out


def settings_to_spark(settings: dict[str, Any]) -> dict[str, Any]:
    """A Splink settings dict with every comparison level's and blocking rule's SQL in Spark
    SQL (:func:`to_spark`)."""
    comps = []
    for c in settings["comparisons"]:
        levels = [
            {**lv, "sql_condition": to_spark(lv["sql_condition"])} if "sql_condition" in lv else lv
            for lv in c["comparison_levels"]
        ]
        comps.append({**c, "comparison_levels": levels})
    rules = [
        {**r, "blocking_rule": to_spark(r["blocking_rule"])}
        for r in settings.get("blocking_rules_to_generate_predictions", [])
    ]
    return {
        **settings,
        "comparisons": comps,
        "blocking_rules_to_generate_predictions": rules,
    }
