"""Demo step: registry. Writes the synthetic Kota Sorong lists (CSV and XLSX, with the
errors real lists have), imports each with its own source and date, and deduplicates them
into people; the hidden truth measures how well."""

from __future__ import annotations

from typing import Any

from jaring.demo import DemoContext

N_PEOPLE = 19_336  # Kota Sorong 2024: pekerja rentan paid from the APBD


def run(ctx: DemoContext) -> dict[str, Any]:
    from jaring.demo.synth import pair_quality, write_lists
    from jaring.registry import service

    lists = write_lists(ctx.out_dir / "lists", N_PEOPLE, seed=ctx.seed)
    imports = []
    for source, paths in lists.files.items():
        r = service.import_files(
            ctx.engine, paths, source, listed_on=lists.listed_on[source], imported_by="demo"
        )
        imports.append(
            {k: r[k] for k in ("batch", "source", "rows", "accepted", "rejected", "warnings")}
        )
    result = service.dedupe(ctx.engine)
    quality = pair_quality(service.links(ctx.engine), lists.truth)
    return {
        "lists": imports,
        "rows": sum(i["rows"] for i in imports),
        "accepted": sum(i["accepted"] for i in imports),
        "rejected": sum(i["rejected"] for i in imports),
        "warnings": sum(i["warnings"] for i in imports),
        "people": result["people"],
        "review": result["review"],
        "true_people": int(lists.truth.get_column("person_key").n_unique()),
        "precision": quality["precision"],
        "recall": quality["recall"],
        "files": {s: [str(p) for p in ps] for s, ps in lists.files.items()},
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    en = lang == "en"
    lines = [
        "Registry: worker lists of Kota Sorong" if en else "Registri: daftar pekerja Kota Sorong"
    ]
    for i in summary["lists"]:
        lines.append(
            f"  {i['source']}: {i['rows']} rows, {i['accepted']} accepted, {i['rejected']} rejected"
            if en
            else f"  {i['source']}: {i['rows']} baris, {i['accepted']} diterima, {i['rejected']} ditolak"
        )
    lines.append(
        f"  {summary['accepted']} accepted rows are {summary['people']} people "
        f"({summary['review']} possible duplicates await review; "
        f"precision {summary['precision']:.3f}, recall {summary['recall']:.3f})"
        if en
        else f"  {summary['accepted']} baris diterima = {summary['people']} orang "
        f"({summary['review']} kemungkinan duplikat menunggu pemeriksaan; "
        f"presisi {summary['precision']:.3f}, recall {summary['recall']:.3f})"
    )
    lines.append(
        f"  {summary['rejected']} rows wait for correction: jaring registry errors --batch ID"
        if en
        else f"  {summary['rejected']} baris menunggu perbaikan: jaring registry errors --batch ID"
    )
    return lines
