"""Demo step: registry. Writes the synthetic Kota Sorong lists (CSV and XLSX, with the
errors real lists have), imports each with its own source and date, and deduplicates them
into people; the hidden truth measures how well. The demo acts as the system."""

from __future__ import annotations

from typing import Any

from jaring.access import Actor
from jaring.demo import DemoContext
from jaring.demo.synth import pair_quality, write_lists
from jaring.formatting import number
from jaring.i18n import _, using
from jaring.registry.actions import imports, linking
from jaring.registry.queries import exports

N_PEOPLE = 19_336  # Kota Sorong 2024: pekerja rentan paid from the APBD


def run(ctx: DemoContext) -> dict[str, Any]:
    system = Actor.system(via="demo")
    lists = write_lists(ctx.out_dir / "lists", N_PEOPLE, seed=ctx.seed)
    done = []
    for source, paths in lists.files.items():
        r = imports.import_files(
            ctx.engine, system, paths, source, listed_on=lists.listed_on[source]
        )
        done.append(
            {
                "batch": r.batch,
                "source": r.source,
                "rows": r.rows,
                "accepted": r.accepted,
                "rejected": r.rejected,
                "warnings": r.warnings,
            }
        )
    result = linking.dedupe(ctx.engine, system)
    quality = pair_quality(exports.links(ctx.engine, system), lists.truth)
    return {
        "lists": done,
        "rows": sum(i["rows"] for i in done),
        "accepted": sum(i["accepted"] for i in done),
        "rejected": sum(i["rejected"] for i in done),
        "warnings": sum(i["warnings"] for i in done),
        "people": result.people,
        "review": result.review,
        "true_people": int(lists.truth.get_column("person_key").n_unique()),
        "precision": quality["precision"],
        "recall": quality["recall"],
        "files": {s: [str(p) for p in ps] for s, ps in lists.files.items()},
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    with using(lang):
        lines = [_("Registry: worker lists of Kota Sorong")]
        for i in summary["lists"]:
            lines.append(
                "  "
                + _(
                    "%(source)s: %(rows)s rows, %(accepted)s accepted, %(rejected)s rejected",
                    source=i["source"],
                    rows=number(i["rows"]),
                    accepted=number(i["accepted"]),
                    rejected=number(i["rejected"]),
                )
            )
        lines.append(
            "  "
            + _(
                "%(accepted)s accepted rows are %(people)s people (%(review)s possible "
                "duplicates await review; precision %(precision)s, recall %(recall)s)",
                accepted=number(summary["accepted"]),
                people=number(summary["people"]),
                review=number(summary["review"]),
                precision=number(summary["precision"], digits=3),
                recall=number(summary["recall"], digits=3),
            )
        )
        lines.append(
            "  "
            + _(
                "%(rejected)s rows wait for correction: %(command)s",
                rejected=number(summary["rejected"]),
                command="jaring registry errors --batch ID",
            )
        )
    return lines
