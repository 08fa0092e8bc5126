"""National coverage by level in one pass, against the same figures counted in Polars."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.errors import JaringError
from jaring.national import coverage, engines, snapshot, synth

from .conftest import manifests, snapshot_dirs, truth_clusters, twice_listed

ON = dt.date(2026, 6, 15)


def expected(nat: synth.National, clusters: pl.DataFrame, column: str) -> pl.DataFrame:
    people, cov = [], []
    for pemda, t in nat.tables.items():
        people.append(t["people"].select("person_id", column, pemda=pl.lit(pemda)))
        cov.append(t["coverage"].select("person_id", "start_date", "end_date", pemda=pl.lit(pemda)))
    p = pl.concat(people).join(clusters, on=["pemda", "person_id"])
    covered = pl.concat(cov).filter((pl.col("start_date") <= ON) & (pl.col("end_date") >= ON))
    on_day = covered.select("pemda", "person_id").unique().with_columns(cov=pl.lit(True))
    p = p.join(on_day, on=["pemda", "person_id"], how="left").with_columns(
        pl.col("cov").fill_null(False)
    )
    return (
        p.group_by(pl.col(column).alias("region"))
        .agg(
            listed=pl.col("cluster").n_unique(),
            covered=pl.col("cluster").filter("cov").n_unique(),
        )
        .sort("region")
    )


def nation_covered(nat: synth.National, clusters: pl.DataFrame) -> int:
    cov = pl.concat(
        t["coverage"].select("person_id", "start_date", "end_date", pemda=pl.lit(pemda))
        for pemda, t in nat.tables.items()
    ).filter((pl.col("start_date") <= ON) & (pl.col("end_date") >= ON))
    return cov.join(clusters, on=["pemda", "person_id"]).get_column("cluster").n_unique()


def humans_on_day(nat: synth.National, clusters: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per listing: its region, its human (the cluster, else the listing itself), and whether
    it holds a period on ``ON`` (any, BPU, PU)."""
    people, cov = [], []
    for pemda, t in nat.tables.items():
        people.append(t["people"].select("person_id", column, pemda=pl.lit(pemda)))
        cov.append(
            t["coverage"].select(
                "person_id", "segment", "start_date", "end_date", pemda=pl.lit(pemda)
            )
        )
    day = (
        pl.concat(cov)
        .filter((pl.col("start_date") <= ON) & (pl.col("end_date") >= ON))
        .group_by("pemda", "person_id")
        .agg(bpu=(pl.col("segment") == "bpu").any(), pu=(pl.col("segment") == "pu").any())
        .with_columns(cov=pl.lit(True))
    )
    human = pl.coalesce(pl.col("cluster").cast(pl.String), pl.format("{}/{}", "pemda", "person_id"))
    return (
        pl.concat(people)
        .join(clusters.select("pemda", "person_id", "cluster"), on=["pemda", "person_id"],
              how="left")
        .join(day, on=["pemda", "person_id"], how="left")
        .select(pl.col(column).alias("region"), human.alias("human"),
                pl.col("cov", "bpu", "pu").fill_null(False))
    )  # fmt: skip


@pytest.mark.parametrize("level", ["province", "regency", "district"])
def test_clusters_of_twice_listed_only(
    duck: engines.DuckDBEngine, clear_dir: Path, national: synth.National, level: str
) -> None:
    """With clusters of the humans listed twice only (the rest humans of their own), each
    region and the nation count each human once: listed, covered, covered BPU and PU."""
    clusters = twice_listed(truth_clusters(clear_dir))
    assert 0 < clusters.height < sum(m.counts["people"] for m in manifests(clear_dir))
    res = coverage.coverage(duck, manifests(clear_dir), level=level, on=ON, clusters=clusters)
    h = humans_on_day(national, clusters, coverage.LEVELS[level])
    want = (
        h.group_by("region")
        .agg(
            listed=pl.col("human").n_unique(),
            covered=pl.col("human").filter("cov").n_unique(),
            covered_bpu=pl.col("human").filter("bpu").n_unique(),
            covered_pu=pl.col("human").filter("pu").n_unique(),
        )
        .sort("region")
        .with_columns(pl.all().exclude("region").cast(pl.Int64))
    )
    got = res.regions.select("region", "listed", "covered", "covered_bpu", "covered_pu")
    assert got.equals(want)
    assert res.total_listed == h.get_column("human").n_unique()
    assert res.total_covered == h.filter("cov").get_column("human").n_unique()
    assert res.total_covered < res.regions.get_column("covered").sum() or level == "province"


@pytest.mark.parametrize("level", ["province", "regency", "district"])
def test_by_level(
    duck: engines.DuckDBEngine, clear_dir: Path, national: synth.National, level: str
) -> None:
    clusters = truth_clusters(clear_dir)
    res = coverage.coverage(duck, manifests(clear_dir), level=level, on=ON, clusters=clusters)
    want = expected(national, clusters, coverage.LEVELS[level])
    got = res.regions.select(
        "region", pl.col("listed").cast(pl.UInt32), pl.col("covered").cast(pl.UInt32)
    )
    assert got.equals(want.with_columns(pl.col("listed", "covered").cast(pl.UInt32)))
    assert (res.regions.get_column("covered_bpu") == res.regions.get_column("covered")).all()
    # the nation counts each human once
    assert res.total_listed == clusters.get_column("cluster").n_unique()
    assert res.total_covered == nation_covered(national, clusters)
    assert res.total_listed < res.regions.get_column("listed").sum() or level == "province"


def test_bad_level(duck: engines.DuckDBEngine, clear_dir: Path) -> None:
    with pytest.raises(JaringError) as e:
        coverage.coverage(duck, manifests(clear_dir), level="village", on=ON)
    assert e.value.code == "national_bad_level"


def test_without_clusters_every_listing_counts(duck: engines.DuckDBEngine, clear_dir: Path) -> None:
    ms: list[snapshot.Manifest] = manifests(clear_dir)
    res = coverage.coverage(duck, ms, level="province", on=ON)
    assert res.total_listed == sum(m.counts["people"] for m in ms)


# Listings of a few humans in three distrik of two regencies of two provinces; each listing's
# periods carry its place, as a snapshot's do.
_PLACES = [("32", "32.01", "32.01.01"), ("32", "32.01", "32.01.02"), ("32", "32.02", "32.02.01"),
           ("96", "96.71", "96.71.01"), ("96", "96.71", None)]  # fmt: skip
_DAY0 = dt.date(2026, 1, 1)

_period = st.tuples(
    st.integers(0, 30),  # start, days after _DAY0
    st.integers(-2, 12),  # length less one (negative: ends before it starts)
    st.sampled_from(["bpu", "pu", None]),
)
_listing = st.tuples(
    st.integers(0, len(_PLACES) - 1),
    st.sampled_from([None, 1, 2, 3]),
    st.lists(_period, max_size=4),
)


@settings(max_examples=60, deadline=None)
@given(
    listings=st.lists(_listing, min_size=1, max_size=14),
    days=st.lists(st.integers(-1, 45), min_size=1, max_size=4),
)
def test_tally_counts_what_the_rows_count(
    listings: list[tuple[int, int | None, list[tuple[int, int, str | None]]]], days: list[int]
) -> None:
    """Overlapping, touching, repeated and empty periods, humans listed in one place or
    several: the tally's figures (a region's runs started minus ended) are the rows' own
    (distinct humans holding a period on the day), at every level, for the nation, BPU and
    PU alike."""
    people, periods = [], []
    for i, (place, cluster, ps) in enumerate(listings):
        prov, reg, dist = _PLACES[place]
        c = None if cluster is None else 10_000 + cluster
        people.append({"province_code": prov, "regency_code": reg, "district_code": dist,
                       "cluster": c})  # fmt: skip
        for start, length, segment in ps:
            periods.append({"id": i, "segment": segment,
                            "start_date": _DAY0 + dt.timedelta(days=start),
                            "end_date": _DAY0 + dt.timedelta(days=start + length),
                            "province_code": prov, "regency_code": reg, "district_code": dist,
                            "cluster": c})  # fmt: skip
    schema = {"province_code": pl.String, "regency_code": pl.String,
              "district_code": pl.String, "cluster": pl.Int64}  # fmt: skip
    duck = engines.DuckDBEngine(threads=1)
    try:
        duck.register_frame("national_cov_people", pl.DataFrame(people, schema=schema))
        duck.register_frame(
            "national_cov_periods",
            pl.DataFrame(periods, schema={"id": pl.Int64, "segment": pl.String,
                                          "start_date": pl.Date, "end_date": pl.Date, **schema}),
        )  # fmt: skip
        tally = coverage.count_tally(duck)
        for level in coverage.LEVELS:
            for d in days:
                on = _DAY0 + dt.timedelta(days=d)
                rows = coverage.figures(coverage.query_rows(duck, level, on), level, on)
                got = coverage.figures(coverage.query_tally(duck, tally, level, on), level, on)
                assert got.regions.equals(rows.regions), (level, on)
                assert (got.total_listed, got.total_covered) == (
                    rows.total_listed,
                    rows.total_covered,
                ), (level, on)
    finally:
        duck.close()


def test_tally_written_beside_the_clusters_and_never_stale(clear_dir: Path, tmp_path: Path) -> None:
    """The tally is written once beside the deduplication's clusters (``coverage/``) and read
    by the later queries; a snapshot or the clusters rewritten since name another tally,
    whose figures are the rows' as they are now."""

    # a snapshot written anew in its folder (files rewritten, manifest too); the files alone
    # here, so the manifests are read without their checksums
    def unchecked(root: Path) -> list[snapshot.Manifest]:
        return snapshot.read_all([str(p) for p in snapshot_dirs(root)], verify=False)

    root = tmp_path / "snapshots"
    shutil.copytree(clear_dir, root)
    out = tmp_path / "dedupe"
    out.mkdir()
    clusters = out / "clusters.parquet"
    twice_listed(truth_clusters(root)).write_parquet(clusters)
    files = [str(clusters)]

    def both(level: str, on: dt.date) -> coverage.NationalCoverage:
        duck = engines.DuckDBEngine(threads=2)
        try:
            rows = coverage.coverage(duck, unchecked(root), level=level, on=on, clusters=files,
                                     tally=False)  # fmt: skip
            got = coverage.coverage(duck, unchecked(root), level=level, on=on, clusters=files,
                                    tally=True)  # fmt: skip
        finally:
            duck.close()
        assert got.regions.equals(rows.regions)
        assert (got.total_listed, got.total_covered) == (rows.total_listed, rows.total_covered)
        return got

    first = both("regency", ON)
    tallies = sorted((out / "coverage").glob("*"))
    assert [p.name for p in tallies] == [coverage.tally_file(unchecked(root), files)[0].name]
    written = tallies[0].stat().st_mtime_ns
    # the same files through a link: the same tally
    (tmp_path / "link").symlink_to(root)
    assert coverage.tally_file(unchecked(tmp_path / "link"), files)[0].name == tallies[0].name
    both("district", dt.date(2026, 2, 1))  # read, not written again
    assert sorted((out / "coverage").glob("*")) == tallies
    assert tallies[0].stat().st_mtime_ns == written

    # one snapshot's periods rewritten: every period a month later
    m = unchecked(root)[0]
    f = m.paths("coverage")[0]
    moved = pl.read_parquet(f).with_columns(
        pl.col("start_date", "end_date").dt.offset_by("1mo").dt.month_end()
    )
    moved.write_parquet(f)
    second = both("regency", ON)
    assert len(list((out / "coverage").glob("tally-*.parquet"))) == 2
    assert (
        second.regions.get_column("covered").to_list()
        != first.regions.get_column("covered").to_list()
        or second.total_covered != first.total_covered
    )

    # the clusters rewritten: no clusters now, every listing a human of its own
    pl.read_parquet(clusters).head(0).write_parquet(clusters)
    third = both("regency", ON)
    assert third.total_listed > second.total_listed
    assert not list((out / "coverage").glob(".*"))  # nothing half-written left behind


def test_tally_without_clusters_in_the_cache_dir(clear_dir: Path, tmp_path: Path) -> None:
    """Snapshots read without a deduplication: the tally goes to the cache folder
    (``JARING_NATIONAL_CACHE``), and a file there that is still being written (a ``.part``)
    is never read."""
    ms = manifests(clear_dir)
    (place,) = coverage.tally_file(ms, None)
    assert place.parent == coverage.cache_dir()
    place.parent.mkdir(parents=True, exist_ok=True)
    half = place.with_name(f".{place.name}.1.x.part")
    half.write_bytes(b"PAR1 half")
    duck = engines.DuckDBEngine(threads=2)
    try:
        got = coverage.coverage(duck, ms, level="province", on=ON, tally=True)
        rows = coverage.coverage(duck, ms, level="province", on=ON, tally=False)
    finally:
        duck.close()
    assert place.is_file()
    assert got.regions.equals(rows.regions)
    assert got.total_listed == sum(m.counts["people"] for m in ms)
