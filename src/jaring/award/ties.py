"""What separated two candidates of a ranking, in words (pure): the page, the CLI and the demo
say the same sentence, in the current language, with Indonesian decimals."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from jaring import formatting
from jaring.i18n import N_, _

ORDER_WORDS = {
    "total": N_("total"),
    "jury_part": N_("the jury's own score"),
    "criteria_by_weight": N_("the criteria, heaviest first"),
    "spread": N_("how closely the jurors agreed"),
    "shared_rank": N_("a shared rank"),
}

if TYPE_CHECKING:
    from jaring.award.queries import Ranking


def tie_words(rk: Ranking, lang: str) -> dict[str, str]:
    """For each candidate whose place was not settled by the total alone (by candidate code):
    who it was level with and what separated them, or that they share the rank."""
    out: dict[str, str] = {}
    for above, r in itertools.pairwise(rk.ranking):
        if r.decided_by in (None, "total"):
            continue
        level = _(
            "%(a)s and %(b)s have the same total (%(total)s)",
            a=above.name,
            b=r.name,
            total=formatting.number(r.total, lang) if r.total is not None else "-",
        )
        by = r.decided_by or ""
        if by == "tie":
            why = _("nothing separates them, so they share rank %(rank)s", rank=r.rank)
        elif by == "jury_part":
            why = _("%(a)s is above on the jury's own score", a=above.name)
        elif by == "spread":
            why = _("%(a)s is above: its jurors agreed more closely", a=above.name)
        elif by.startswith("criterion:"):
            code = by.split(":", 1)[1]
            why = _(
                "%(a)s is above on the criterion %(c)s, the heaviest that differs",
                a=above.name,
                c=rk.criterion_names.get(code, {}).get(lang, code),
            )
        else:
            why = by
        out[r.candidate] = f"{level}; {why}."
    return out


def tie_break_words(rk: Ranking) -> str:
    """The order that settles a ranking, in words: ``total > the jury's own score > ...``."""
    return " > ".join(_(ORDER_WORDS[k]) if k in ORDER_WORDS else k for k in rk.tie_break)
