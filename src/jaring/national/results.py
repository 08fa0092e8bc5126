"""The files a cross-region deduplication leaves in its ``--out`` folder::

    summary.json              engine, records, cross_region_pairs, cross_region_people, seconds
    pairs.parquet             every scored pair of two Pemda (see dedupe.Result)
    clusters.parquet          the linked records and their human (cluster)
    to_pemda/<code>.parquet   per Pemda: its people in a linked pair or a pair to decide (not
                              pairs held as two people, e.g. twins), the other Pemda's code,
                              the probability and what agreed (and the hold, if any),
                              the mark of the store the Pemda's snapshot came from
                              (``store``: its person ids are that store's), nothing
                              personal of the other side

The per-Pemda files are what goes back to each Pemda (``jaring national receive``).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import polars as pl

from jaring.national import errors
from jaring.national.dedupe import Result

BACK = {
    "person_id": pl.Int64,
    "other_region": pl.String,
    "other_key": pl.String,
    "match_probability": pl.Float64,
    "link": pl.Boolean,
    "explain": pl.String,
    "store": pl.String,
}


def summary(result: Result) -> dict[str, Any]:
    return {
        "engine": result.engine,
        "records": result.records,
        "cross_region_pairs": result.cross_region_pairs,
        "cross_region_people": result.cross_region_people,
        "pairs_for_review": result.for_review.height,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }


def write(result: Result, out: str | Path) -> dict[str, Any]:
    """Write ``result`` into ``out`` (see the module); returns the summary."""
    root = Path(out)
    (root / "to_pemda").mkdir(parents=True, exist_ok=True)
    run = uuid.uuid4().hex
    result.pairs.write_parquet(root / "pairs.parquet")
    result.clusters.write_parquet(root / "clusters.parquet")
    # what goes back: the links and the pairs to decide, not the pairs held as two people
    p = pl.concat([result.pairs.filter("link"), result.for_review])
    key = pl.lit(run + ":") + pl.col("id_l").cast(pl.String) + "-" + pl.col("id_r").cast(pl.String)
    sides = pl.concat(
        [
            p.select(pemda="pemda_l", person_id="person_l", other_region="pemda_r",
                     other_key=key, match_probability="match_probability", link="link",
                     explain="explain"),
            p.select(pemda="pemda_r", person_id="person_r", other_region="pemda_l",
                     other_key=key, match_probability="match_probability", link="link",
                     explain="explain"),
        ]
    )  # fmt: skip
    stores = pl.DataFrame(
        {"pemda": list(result.stores), "store": list(result.stores.values())},
        schema={"pemda": pl.String, "store": pl.String},
    )
    sides = sides.join(stores, on="pemda", how="left")
    for (pemda,), part in sides.partition_by("pemda", as_dict=True).items():
        part.select(list(BACK)).sort("person_id").write_parquet(
            root / "to_pemda" / f"{pemda}.parquet"
        )
    s = {**summary(result), "run": run}
    (root / "summary.json").write_text(json.dumps(s, indent=1, sort_keys=True))
    return s


def clusters_path(out: str | Path) -> list[str]:
    """The clusters file of a deduplication's folder; refuses ``not_deduped``."""
    p = Path(out) / "clusters.parquet"
    if not p.is_file():
        raise errors.NOT_DEDUPED(dir=str(out), field="dedupe")
    return [str(p)]


def back_to(out: str | Path, pemda: str) -> pl.DataFrame:
    """The pairs a deduplication's folder holds for Pemda ``pemda`` (none: empty)."""
    p = Path(out) / "to_pemda" / f"{pemda}.parquet"
    if not (Path(out) / "summary.json").is_file():
        raise errors.NOT_DEDUPED(dir=str(out), field="results")
    if not p.is_file():
        return pl.DataFrame(schema=BACK)
    back = pl.read_parquet(p)
    if "store" not in back.columns:  # written from snapshots made before stores were marked
        back = back.with_columns(store=pl.lit(None, dtype=pl.String))
    return back.select(list(BACK)).cast(BACK)  # type: ignore[arg-type]
