"""Small generated national sets (clear and pseudonymised) and the engines, each made once
per session: Spark's JVM takes seconds to start. Spark tests are skipped when Java is
missing, and fail instead when ``JARING_REQUIRE_SPARK=1`` (CI)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jaring.national import dedupe, engines, snapshot, synth

KEY = b"k" * 16 + b"national-test-key-0123"


def _java() -> bool:
    return bool(shutil.which("java") or os.environ.get("JAVA_HOME"))


@pytest.fixture(scope="session")
def national(tmp_path_factory: pytest.TempPathFactory) -> synth.National:
    return synth.generate(3000, n_regencies=4, provinces=("32", "96"), seed=11)


@pytest.fixture(scope="session")
def clear_dir(tmp_path_factory: pytest.TempPathFactory, national: synth.National) -> Path:
    out = tmp_path_factory.mktemp("national_clear")
    synth.write(national, out)
    return out


@pytest.fixture(scope="session")
def hashed_dir(tmp_path_factory: pytest.TempPathFactory, national: synth.National) -> Path:
    out = tmp_path_factory.mktemp("national_hashed")
    synth.write(national, out, key=KEY)
    return out


def snapshot_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "manifest.json").is_file())


def manifests(root: Path) -> list[snapshot.Manifest]:
    return snapshot.read_all([str(p) for p in snapshot_dirs(root)])


@pytest.fixture(scope="session")
def spark() -> Iterator[engines.SparkEngine]:
    """The Spark engine in local mode (one session for the whole run)."""
    if not _java():
        if os.environ.get("JARING_REQUIRE_SPARK") == "1":
            pytest.fail("JARING_REQUIRE_SPARK=1 but no Java runtime is installed")
        pytest.skip("no Java runtime: Spark cannot start")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if os.environ.get("JARING_REQUIRE_SPARK") == "1":
            pytest.fail("JARING_REQUIRE_SPARK=1 but pyspark is not installed")
        pytest.skip("pyspark is not installed")
    os.environ.setdefault("PYSPARK_PYTHON", shutil.which("python") or "python")
    eng = engines.SparkEngine("local[2]")
    yield eng
    eng.close()


@pytest.fixture
def duck() -> Iterator[engines.DuckDBEngine]:
    eng = engines.DuckDBEngine(threads=2)
    yield eng
    eng.close()


_MODELS: dict[str, dict[str, Any]] = {}


def model(root: Path) -> dict[str, Any]:
    """The model trained once per generated set (as ``national dedupe`` does per run)."""
    if str(root) not in _MODELS:
        d = engines.DuckDBEngine(threads=2)
        total = dedupe.register_records(d, manifests(root))
        _MODELS[str(root)] = dedupe.train(dedupe.training_sample(d, total, 100_000), total)
        d.close()
    return _MODELS[str(root)]


def truth_clusters(root: Path) -> pl.DataFrame:
    """The clusters the truth makes: every listing of one human in one cluster."""
    ms = manifests(root)
    index = {m.source: i for i, m in enumerate(ms)}
    t = pl.read_parquet(root / "truth.parquet").with_columns(
        id=pl.col("pemda").replace_strict(index, return_dtype=pl.Int64) * dedupe.ID_SHIFT
        + pl.col("person_id")
    )
    return t.join(t.group_by("human").agg(cluster=pl.col("id").min()), on="human").select(
        "id", "pemda", "person_id", "cluster"
    )


def twice_listed(clusters: pl.DataFrame) -> pl.DataFrame:
    """The clusters as a deduplication gives them: only the humans listed twice or more (the
    other listings are humans of their own, in no cluster)."""
    return clusters.filter(pl.len().over("cluster") > 1)


@pytest.fixture(scope="session", autouse=True)
def national_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tallies of snapshots read without clusters go to a folder of the run, never to the
    user's cache."""
    old = os.environ.get("JARING_NATIONAL_CACHE")
    where = tmp_path_factory.mktemp("national_cache")
    os.environ["JARING_NATIONAL_CACHE"] = str(where)
    yield where
    if old is None:
        os.environ.pop("JARING_NATIONAL_CACHE", None)
    else:
        os.environ["JARING_NATIONAL_CACHE"] = old
