"""Deduplication: which source rows are the same human (Splink 5 on DuckDB, kept behind this
module so that the rest of Jaring never sees Splink's API).

1. Exact NIK: rows with the same valid NIK are one person (deterministic edges).
2. Probabilistic: a Fellegi-Sunter model over NIK (one-digit typos), normalised name (with
   term-frequency adjustment, so "muhammad" agreeing says less than "wonatorei"), birth date
   (with a level for swapped day and month), sex, area (village, district) and phone.
   u from random sampling, m by expectation maximisation blocked on birth date and on NIK.
3. Pairs at or above ``match`` probability are links; pairs between ``review`` and ``match``
   go to a review queue; operator decisions override the model (accepted = link, rejected =
   never a link).
4. Incremental: only pairs that touch a new row are scored; existing people are never
   re-clustered. A component holding an existing person gives its new rows that person.

Pure: frames in, frames out. DuckDB runs in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Iterator
from typing import Any

import polars as pl

log = logging.getLogger(__name__)

RECORD_COLUMNS = (
    "id",
    "nik",
    "name_norm",
    "birth_date",
    "sex",
    "district_code",
    "village_code",
    "phone",
    "is_new",
)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time one step (wall and CPU seconds of the whole process, DuckDB's threads included)
    and log it at DEBUG as ``dedupe stage``, with ``stage``, ``wall`` and ``cpu`` on the
    record: the benchmark collects them for its breakdown. Counts only, never row data."""
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        log.debug("dedupe stage %s: %.2f s wall, %.2f s CPU", name, wall, cpu,
                  extra={"stage": name, "wall": wall, "cpu": cpu})  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """Match probabilities: ``match`` and above links automatically; ``review`` up to
    ``match`` asks an operator. Calibrated on the synthetic Kota Sorong (docs/registry.md)."""

    match: float = 0.99
    review: float = 0.50


# Labels of each comparison's levels by gamma value (Splink numbers levels from the most
# specific down to 0 = else; -1 = null). Shown to operators to explain a merge.
LEVELS: dict[str, dict[int, str]] = {
    "nik": {-1: "kosong", 2: "sama", 1: "beda kode wilayah", 0: "beda"},
    "name_norm": {-1: "kosong", 4: "sama", 3: "sangat mirip", 2: "mirip", 1: "agak mirip", 0: "beda"},
    "birth_date": {
        -1: "kosong", 4: "sama", 3: "hari/bulan tertukar", 2: "dua dari tiga sama", 1: "tahun sama", 0: "beda",
    },
    "sex": {-1: "kosong", 1: "sama", 0: "beda"},
    "area": {-1: "kosong", 2: "kelurahan sama", 1: "distrik sama", 0: "beda"},
    "phone": {-1: "kosong", 1: "sama", 0: "beda"},
}  # fmt: skip


_TOUCHING_NEW = "(l.is_new = 1 OR r.is_new = 1)"
_LAST_TOKEN = "split_part({}.name_norm, ' ', -1)"

# Which pairs are scored at all (DuckDB SQL over a self-join ``l``/``r``; Splink scores the
# union). Each catches true pairs the others miss on the synthetic Kota Sorong; the union
# holds 0.9998 of the true pairs at 1M rows (docs/benchmarks/registry.md). Birth date +
# district used to be here: 2.9M of 4.6M pairs at 1M rows for 21 true pairs no other rule
# found; birth date + last name token finds 19 of them with a sixth of the pairs.
BLOCKING_RULES: tuple[str, ...] = (
    f"l.nik = r.nik AND {_TOUCHING_NEW}",
    "l.birth_date = r.birth_date AND substr(l.name_norm, 1, 2) = substr(r.name_norm, 1, 2) "
    f"AND {_TOUCHING_NEW}",
    "l.name_norm = r.name_norm AND substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4) "
    f"AND {_TOUCHING_NEW}",
    f"l.birth_date = r.birth_date AND {_LAST_TOKEN.format('l')} = {_LAST_TOKEN.format('r')} "
    f"AND {_TOUCHING_NEW}",
    f"l.phone = r.phone AND {_TOUCHING_NEW}",
)


def _settings(prior: float) -> Any:
    # Splink and DuckDB take about 0.6 s to import; only a deduplication run needs them, and
    # every registry command (and the web app) imports this module through the actions.
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    def null(col: str) -> Any:
        return cll.NullLevel(col)

    comparisons: list[Any] = [
        cl.CustomComparison(
            output_column_name="nik",
            comparison_levels=[
                null("nik"),
                cll.ExactMatchLevel("nik"),
                # the same NIK under another region code (old 9271 / new 9671, or a typo
                # there). Not "same region and birth date, other serial": that is what two
                # people born on one day in one district share, and it double-counts the
                # birth date and area comparisons (precision fell to 0.93 with it).
                cll.CustomLevel(
                    "substr(nik_l, 5, 12) = substr(nik_r, 5, 12)",
                    label_for_charts="region code differs",
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="name_norm",
            comparison_levels=[
                null("name_norm"),
                cll.ExactMatchLevel("name_norm", term_frequency_adjustments=True),
                cll.JaroWinklerLevel("name_norm", 0.95),
                cll.JaroWinklerLevel("name_norm", 0.88),
                cll.JaroWinklerLevel("name_norm", 0.80),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="birth_date",
            comparison_levels=[
                null("birth_date"),
                cll.ExactMatchLevel("birth_date"),
                cll.CustomLevel(
                    "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
                    "AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
                    "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)",
                    label_for_charts="day and month swapped",
                ),
                cll.CustomLevel(
                    "(substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7)) "
                    "OR (substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
                    "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 9, 2)) "
                    "OR (substr(birth_date_l, 6, 5) = substr(birth_date_r, 6, 5))",
                    label_for_charts="two of day, month, year",
                ),
                cll.CustomLevel(
                    "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)",
                    label_for_charts="same year",
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("sex"),
        cl.CustomComparison(
            output_column_name="area",
            comparison_levels=[
                cll.CustomLevel(
                    "district_code_l IS NULL OR district_code_r IS NULL", label_for_charts="null"
                ).configure(is_null_level=True),
                cll.ExactMatchLevel("village_code"),
                cll.ExactMatchLevel("district_code"),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("phone"),
    ]
    blocking: list[Any] = list(BLOCKING_RULES)  # Splink takes SQL text as well as creators
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


def _records(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns Splink compares, birth date as ISO text (for the swapped-day level)."""
    return frame.select(
        pl.col("id").cast(pl.Int64),
        pl.col("nik").cast(pl.String),
        pl.col("name_norm").cast(pl.String),
        pl.col("birth_date").cast(pl.Date).dt.strftime("%Y-%m-%d").alias("birth_date"),
        pl.col("sex").cast(pl.String),
        pl.col("district_code").cast(pl.String),
        pl.col("village_code").cast(pl.String),
        pl.col("phone").cast(pl.String),
        pl.col("is_new").cast(pl.Int8),
    )


def score_pairs(
    records: pl.DataFrame,
    *,
    min_probability: float,
    seed: int = 42,
    max_training_rows: int = 100_000,
) -> pl.DataFrame:
    """Score candidate pairs that touch at least one new row (``is_new``).

    ``records`` has the columns of :data:`RECORD_COLUMNS`. Returns ``id_l``, ``id_r``
    (``id_l < id_r``), ``match_weight``, ``match_probability`` and one ``gamma_<field>`` and
    ``mw_<field>`` (match weight in bits) column per comparison, for pairs at or above ``min_probability``.
    """
    import duckdb  # heavy and needed only here: see _settings
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)  # progress chatter, not for operators
    with stage("records"):
        recs = _records(records)
    n = recs.height
    if n < 2 or recs.filter(pl.col("is_new") == 1).height == 0:
        return _empty_pairs()
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    db_api = DuckDBAPI(connection=con)
    # prior: share of random pairs that match, from a rough expectation of one duplicate
    # per three rows (EM refines m; the prior only shifts the weights).
    prior = min(0.5, max(1e-9, (n / 3) / (n * (n - 1) / 2)))
    training = recs if n <= max_training_rows else recs.sample(max_training_rows, seed=seed)
    train_sdf = db_api.register(training.to_arrow(), table_name="records_train")
    settings = _settings(prior)
    trainer = Linker(train_sdf, settings, log_level="ERROR")
    with stage("train u (random sampling)"):
        trainer.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=seed, num_chunks=1)
    with stage("train m (EM)"):
        for rule in (block_on("birth_date"), block_on("nik")):
            try:
                trainer.training.estimate_parameters_using_expectation_maximisation(rule)
            except Exception as e:  # too few pairs to train on: keep the defaults
                log.info("EM skipped (%s): %s", rule, type(e).__name__)
    model = trainer.misc.save_model_to_json()
    model["retain_intermediate_calculation_columns"] = True  # gamma and Bayes factors: explain
    model["retain_matching_columns"] = True  # Splink 5 writes gamma_ columns only then
    with stage("rows that can pair with a new row"):
        candidates = _candidates(con, recs)
    sdf = db_api.register(candidates.to_arrow(), table_name="records_all")
    linker = Linker(sdf, model, log_level="ERROR")
    # term frequencies of the names over every row, not only the candidates
    tf = (
        recs.filter(pl.col("name_norm").is_not_null())
        .group_by("name_norm")
        .agg(tf_name_norm=pl.len().cast(pl.Float64) / recs.get_column("name_norm").count())
    )
    linker.table_management.register_term_frequency_lookup(
        db_api.register(tf.to_arrow(), table_name="tf_name_norm"), "name_norm"
    )
    with stage("predict (blocking + scoring)"):
        pred = linker.inference.predict(
            threshold_match_probability=min_probability, warning_mode="never"
        )
    with stage("pairs to Polars"):
        out = pl.from_arrow(pred.as_pyarrow_table())
        assert isinstance(out, pl.DataFrame)
        con.close()
        keep = ["id_l", "id_r", "match_weight", "match_probability"]
        keep += [c for c in out.columns if c.startswith(("gamma_", "mw_"))]
        out = out.select(keep).with_columns(pl.col("id_l", "id_r").cast(pl.Int64))
        # Splink puts the lower id left already; make it certain
        return out.with_columns(
            id_l=pl.min_horizontal("id_l", "id_r"), id_r=pl.max_horizontal("id_l", "id_r")
        )


def _candidates(con: Any, recs: pl.DataFrame) -> pl.DataFrame:
    """The rows that can form a scored pair: the new rows and the existing rows that share a
    blocking key with one (the same SQL as the blocking rules, so no pair is lost). For an
    import of 20,000 rows into a registry of a million this is a small part of the registry,
    so Splink's self-join no longer pairs the existing rows with each other only to drop them.
    When every row is new, all of them."""
    if recs.get_column("is_new").min() == 1:
        return recs
    con.register("dedupe_rows", recs.to_arrow())
    con.execute("CREATE TEMP TABLE dedupe_new AS SELECT * FROM dedupe_rows WHERE is_new = 1")
    touching = " UNION ".join(
        f"SELECT r.id FROM dedupe_rows r JOIN dedupe_new l ON {rule}" for rule in BLOCKING_RULES
    )
    out = con.sql(
        f"SELECT * FROM dedupe_rows WHERE is_new = 1 OR id IN ({touching}) ORDER BY id"
    ).pl()
    con.execute("DROP TABLE dedupe_new")
    con.unregister("dedupe_rows")
    return out.cast(dict(recs.schema))


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "id_l": pl.Int64,
            "id_r": pl.Int64,
            "match_weight": pl.Float64,
            "match_probability": pl.Float64,
        }
    )


def explain(pairs: pl.DataFrame) -> pl.Series:
    """One JSON text per pair: each field's agreement level (Indonesian labels) and its
    weight in bits (Splink's match weight), so an operator sees why two rows were joined."""
    fields = [f for f in LEVELS if f"gamma_{f}" in pairs.columns]
    exprs = []
    for f in fields:
        label = pl.col(f"gamma_{f}").replace_strict(LEVELS[f], default="?", return_dtype=pl.String)
        mw = pl.col(f"mw_{f}") if f"mw_{f}" in pairs.columns else pl.lit(0.0)
        if f"mw_tf_adj_{f}" in pairs.columns:
            mw = mw + pl.col(f"mw_tf_adj_{f}")
        exprs.append(pl.struct(level=label, weight=mw.round(2)).alias(f))
    return pairs.select(pl.struct(exprs).struct.json_encode().alias("explain")).to_series()


def nik_edges(records: pl.DataFrame) -> pl.DataFrame:
    """Edges between rows sharing a NIK, touching a new row: each row to the lowest id of its
    NIK group (a star is enough for connected components)."""
    r = records.filter(pl.col("nik").is_not_null()).select("id", "nik", "is_new")
    groups = r.group_by("nik").agg(root=pl.col("id").min(), any_new=(pl.col("is_new") == 1).any())
    return (
        r.join(groups.filter("any_new"), on="nik")
        .filter(pl.col("id") != pl.col("root"))
        .select(
            id_l=pl.min_horizontal("id", "root"),
            id_r=pl.max_horizontal("id", "root"),
        )
    )


def components(nodes: pl.Series, edges: pl.DataFrame) -> pl.DataFrame:
    """Connected components by minimum-label propagation (set-based, a few passes for the
    small clusters duplicates form). Returns ``node``, ``root`` (the smallest node id).

    Only nodes that have an edge take part in the passes (at 5% duplicates that is under a
    tenth of the rows); every other node is its own root. Edges to nodes outside ``nodes``
    are ignored."""
    all_nodes = pl.DataFrame({"node": nodes.cast(pl.Int64)}).unique()
    if edges.height == 0:
        return all_nodes.with_columns(root=pl.col("node"))
    e = (
        edges.select(
            pl.col("id_l").cast(pl.Int64).alias("a"), pl.col("id_r").cast(pl.Int64).alias("b")
        )
        .join(all_nodes, left_on="a", right_on="node", how="semi")
        .join(all_nodes, left_on="b", right_on="node", how="semi")
    )
    both = pl.concat([e, e.select(a="b", b="a")])
    labels = both.select(pl.col("a").alias("node")).unique().with_columns(root=pl.col("node"))
    for _ in range(100):
        prop = (
            both.join(labels, left_on="b", right_on="node")
            .group_by("a")
            .agg(pl.col("root").min().alias("cand"))
        )
        new = (
            labels.join(prop, left_on="node", right_on="a", how="left")
            .with_columns(root=pl.min_horizontal("root", "cand"))
            .drop("cand")
        )
        # pointer jumping: a node takes its root's root
        new = (
            new.join(
                new.rename({"node": "r2", "root": "rr"}), left_on="root", right_on="r2", how="left"
            )
            .with_columns(root=pl.min_horizontal("root", "rr"))
            .drop("rr")
        )
        changed = (
            new.join(labels, on="node", suffix="_old")
            .filter(pl.col("root") != pl.col("root_old"))
            .height
        )
        labels = new
        if changed == 0:
            break
    return all_nodes.join(labels, on="node", how="left").with_columns(
        root=pl.coalesce("root", "node")
    )


def link_records(
    records: pl.DataFrame, thresholds: Thresholds | None = None, *, seed: int = 42
) -> pl.DataFrame:
    """Deduplicate a frame of records from scratch (no store): ``id`` -> ``cluster`` (the
    smallest id of its person). Exact NIK edges plus model links at the match threshold.
    The store's incremental path (:func:`jaring.registry.actions.linking.dedupe`) uses
    the same parts."""
    th = thresholds or Thresholds()
    recs = records.with_columns(is_new=pl.lit(1, dtype=pl.Int8))
    scored = score_pairs(recs, min_probability=th.match, seed=seed)
    with stage("NIK edges"):
        nik = nik_edges(recs)
    edges = pl.concat(
        [nik, scored.filter(pl.col("match_probability") >= th.match).select("id_l", "id_r")]
    )
    with stage("connected components"):
        comp = components(recs.get_column("id"), edges)
    return comp.rename({"node": "id", "root": "cluster"})
