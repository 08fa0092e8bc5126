"""National coverage on a date by province, regency or distrik, from the snapshots: people
listed, people covered (a coverage period holds the date), the ratio, and the covered by
segment (BPU, PU), all levels' figures from one grouped pass over people and periods. The
same SQL on DuckDB and Spark.

A human listed by two Pemda (one cluster of the deduplication, when given) is counted once
in each region that lists them and once in the national total.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import uuid
from fractions import Fraction
from pathlib import Path

import polars as pl

from jaring.national import errors
from jaring.national.dedupe import ID_SHIFT
from jaring.national.engines import Engine, stamp
from jaring.national.funding import register_clusters
from jaring.national.scan import snapshot_rows
from jaring.national.snapshot import Manifest

LEVELS = {"province": "province_code", "regency": "regency_code", "district": "district_code"}

# Each human once per region and once in the nation, each source read once and each of its
# rows aggregated once:
# - listed: the people grouped by region and cluster. A listing of no cluster is a human of
#   its own: those fall into one group per region (cluster NULL) that counts them, in the
#   partial aggregate before any shuffle; only the listings of clusters (a few in a hundred)
#   reach the shuffle as groups of their own. The regions and the nation come from these
#   groups (a few per region and one per cluster and region), by region and by cluster.
# - covered: the periods holding the date (each carries its person's place) grouped by
#   region and human (a person may hold two periods on one day). The regions and the nation
#   come from these groups: by region, and by cluster for the nation (the humans of no
#   cluster lump together there, NULL, and are dropped: each is in one region, so the
#   nation adds up their regions' counts, ``lone``).
# The nation's grouping sets are on the groups, not on the rows read: grouping sets there
# would double every row before the first aggregation (a referenced-twice CTE instead would
# be read twice: Spark inlines it, pruned differently per use). The people and the periods
# come with their clusters (``_PEOPLE``, ``_PERIODS``); no count(DISTINCT) (its hash set per
# group made the query ten times slower). The rows out are a few per region.
_SQL = """
WITH lc AS (SELECT {column} AS region, cluster FROM national_cov_people),
la AS (
  SELECT region, cluster, count(*) AS n FROM lc GROUP BY region, cluster
),
ln AS (
  SELECT region, grouping(region) AS nation, cluster,
         sum(CASE WHEN cluster IS NULL THEN n ELSE 1 END) AS listed
  FROM la GROUP BY GROUPING SETS ((region), (cluster))
),
hc AS (
  SELECT {column} AS region, COALESCE(cluster, id) AS human,
         CASE WHEN cluster IS NULL THEN 1 ELSE 0 END AS lone,
         CASE WHEN cluster IS NULL THEN 0 ELSE 1 END AS clustered,
         CASE WHEN segment = 'bpu' THEN 1 ELSE 0 END AS bpu,
         CASE WHEN segment = 'pu' THEN 1 ELSE 0 END AS pu
  FROM national_cov_periods
  WHERE start_date <= DATE '{on}' AND end_date >= DATE '{on}'
),
ha AS (
  SELECT region, human, max(lone) AS lone, max(clustered) AS clustered, max(bpu) AS bpu,
         max(pu) AS pu
  FROM hc GROUP BY region, human
),
hn AS (
  SELECT region, grouping(region) AS nation, nkey, count(*) AS covered,
         sum(bpu) AS covered_bpu, sum(pu) AS covered_pu, sum(lone) AS lone
  FROM (SELECT region, CASE WHEN clustered = 1 THEN human END AS nkey, lone, bpu, pu
        FROM ha) AS hk
  GROUP BY GROUPING SETS ((region), (nkey))
),
parts AS (
  SELECT region, nation, CASE WHEN nation = 1 AND cluster IS NOT NULL THEN 1 ELSE listed END
         AS listed, 0 AS covered, 0 AS covered_bpu, 0 AS covered_pu, 0 AS lone
  FROM ln
  UNION ALL
  SELECT region, nation, 0, CASE WHEN nation = 1 THEN 1 ELSE covered END, covered_bpu,
         covered_pu, lone
  FROM hn WHERE nation = 0 OR nkey IS NOT NULL
)
SELECT region, nation, sum(listed) AS listed, sum(covered) AS covered,
       sum(covered_bpu) AS covered_bpu, sum(covered_pu) AS covered_pu, sum(lone) AS lone
FROM parts GROUP BY region, nation
"""


# The snapshots' rows with their clusters, the same for every date and level. The clusters
# (a few in a hundred of the listings) are broadcast, so neither the people nor the periods
# are shuffled to meet them.
_PEOPLE = """
SELECT /*+ BROADCAST(c) */ p.province_code, p.regency_code, p.district_code, c.cluster
FROM ({people}) AS p LEFT JOIN national_clusters c ON c.id = p.id
"""
_PERIODS = """
SELECT /*+ BROADCAST(c) */ v.id, v.segment, v.start_date, v.end_date, v.province_code,
       v.regency_code, v.district_code, c.cluster
FROM ({coverage}) AS v LEFT JOIN national_clusters c ON c.id = v.id
"""

# The tally: everything a coverage query asks, for every level and every date, counted once
# per set of input files (see :func:`tally_file`). Counted on the engine (:data:`_TALLY_SQL`):
# - per level (``province``, ``regency``, ``district``, ``nation``) and region: ``listed``,
#   the humans the region lists;
# - per level, region and day: how many runs of coverage start that day and end that day, of
#   all periods, of BPU periods, of PU periods. A run is a maximal stretch of days on which
#   one human holds a period in the region: the periods of one human in one region merged
#   where they overlap, so one human's runs in a region are disjoint, and the humans covered
#   on D are the runs holding D, counted by addition: (runs starting on or before D) - (runs
#   ending before D). The nation's runs are each human's over every region.
# Written as steps (:func:`_steps`): per level and region, the days from ``from_day`` (none:
# since ever) until before ``to_day`` (none: for ever) on which the covered stay the same,
# with the listed. A query takes the one step of each region holding its day: a filter, no
# aggregation, no join (on Spark one stage, no shuffle).
TALLY = {
    "level": pl.String,
    "region": pl.String,
    "listed": pl.Int64,
    "from_day": pl.Date,
    "to_day": pl.Date,
    "covered": pl.Int64,
    "covered_bpu": pl.Int64,
    "covered_pu": pl.Int64,
}
TALLY_FORMAT = "jaring-national-coverage-tally/2"

# How the periods are partitioned into humans' runs. A listing of no cluster is a human of
# one place (its periods carry its person's province, regency and distrik: the snapshot
# writes them from the person), so its runs are the same at every level and are made once
# (scope ``lone``, partitioned by the three codes and the listing); a cluster's listings
# may lie in several regions, so its runs are made per level (partitioned by that level's
# code and the cluster) and for the nation. Each period also goes to its segment's runs.
_KEYS = pl.DataFrame(
    [
        *((1, "lone", seg) for seg in ("all", "bpu", "pu")),
        *(
            (0, lv, seg)
            for lv in ("province", "regency", "district")
            for seg in ("all", "bpu", "pu")
        ),
        (0, "nation", "all"),
    ],
    schema={"lone": pl.Int64, "scope": pl.String, "segset": pl.String},
    orient="row",
)
_LEVELS = pl.DataFrame({"level": ["province", "regency", "district", "nation"]})
_EVENTS = pl.DataFrame({"x": [0, 1]})

# Every CTE is read once (Spark inlines a CTE read twice and computes it twice). Runs by
# gaps and islands in one window pass (one sort): ordered by start and end, a period starts
# a run when it starts after every earlier period of the partition ended (``before``), and
# ends one when the next period starts after the latest end so far (``reach``); the run
# ends on ``reach``. Periods with the same start and end are ties in any order: whichever
# comes first, one of them may start a run and one end it, on the same days.
_TALLY_SQL = """
WITH la AS (
  SELECT province_code, regency_code, district_code, cluster, count(*) AS n
  FROM national_cov_people GROUP BY province_code, regency_code, district_code, cluster
),
lg AS (
  SELECT province_code, regency_code, district_code, cluster, sum(n) AS n,
         grouping(province_code) AS gp, grouping(regency_code) AS gr,
         grouping(district_code) AS gd
  FROM la
  GROUP BY GROUPING SETS ((province_code, cluster), (regency_code, cluster),
                          (district_code, cluster), (cluster))
),
ll AS (
  SELECT CASE WHEN gp = 0 THEN 'province' WHEN gr = 0 THEN 'regency'
              WHEN gd = 0 THEN 'district' ELSE 'nation' END AS level,
         CASE WHEN gp = 0 THEN province_code WHEN gr = 0 THEN regency_code
              WHEN gd = 0 THEN district_code END AS region,
         CASE WHEN cluster IS NULL THEN n ELSE 1 END AS listed
  FROM lg
),
listed AS (
  SELECT level, region, CAST(NULL AS DATE) AS day, CAST(sum(listed) AS BIGINT) AS listed,
         CAST(0 AS BIGINT) AS starts, CAST(0 AS BIGINT) AS ends,
         CAST(0 AS BIGINT) AS starts_bpu, CAST(0 AS BIGINT) AS ends_bpu,
         CAST(0 AS BIGINT) AS starts_pu, CAST(0 AS BIGINT) AS ends_pu
  FROM ll GROUP BY level, region
),
pk AS (
  SELECT /*+ BROADCAST(k) */ k.scope, k.segset,
         CASE WHEN k.scope IN ('lone', 'province') THEN v.province_code END AS province_code,
         CASE WHEN k.scope IN ('lone', 'regency') THEN v.regency_code END AS regency_code,
         CASE WHEN k.scope IN ('lone', 'district') THEN v.district_code END AS district_code,
         COALESCE(v.cluster, v.id) AS human, v.start_date AS s, v.end_date AS e
  FROM national_cov_periods v JOIN national_tally_keys k
    ON k.lone = CASE WHEN v.cluster IS NULL THEN 1 ELSE 0 END
   AND (k.segset = 'all' OR k.segset = v.segment)
  WHERE v.start_date <= v.end_date
),
m AS (
  SELECT scope, segset, province_code, regency_code, district_code, s,
         max(e) OVER (PARTITION BY scope, segset, province_code, regency_code, district_code,
                      human ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before,
         max(e) OVER (PARTITION BY scope, segset, province_code, regency_code, district_code,
                      human ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS reach,
         lead(s) OVER (PARTITION BY scope, segset, province_code, regency_code, district_code,
                       human ORDER BY s, e) AS next_s
  FROM pk
),
ev AS (
  SELECT /*+ BROADCAST(x) */ scope, segset, province_code, regency_code, district_code,
         CASE WHEN x.x = 0 THEN s ELSE reach END AS day,
         1 - x.x AS st, x.x AS en
  FROM m JOIN national_tally_x x
    ON (x.x = 0 AND (before IS NULL OR s > before))
    OR (x.x = 1 AND (next_s IS NULL OR next_s > reach))
),
e1 AS (
  SELECT scope, segset, province_code, regency_code, district_code, day, sum(st) AS st,
         sum(en) AS en
  FROM ev GROUP BY scope, segset, province_code, regency_code, district_code, day
),
e2 AS (
  SELECT /*+ BROADCAST(l) */ l.level,
         CASE WHEN l.level = 'province' THEN e1.province_code
              WHEN l.level = 'regency' THEN e1.regency_code
              WHEN l.level = 'district' THEN e1.district_code END AS region,
         e1.segset, e1.day, e1.st, e1.en
  FROM e1 JOIN national_tally_levels l
    ON (e1.scope = 'lone' OR e1.scope = l.level) AND (l.level <> 'nation' OR e1.segset = 'all')
)
SELECT level, region, day, CAST(0 AS BIGINT) AS listed,
       CAST(sum(CASE WHEN segset = 'all' THEN st ELSE 0 END) AS BIGINT) AS starts,
       CAST(sum(CASE WHEN segset = 'all' THEN en ELSE 0 END) AS BIGINT) AS ends,
       CAST(sum(CASE WHEN segset = 'bpu' THEN st ELSE 0 END) AS BIGINT) AS starts_bpu,
       CAST(sum(CASE WHEN segset = 'bpu' THEN en ELSE 0 END) AS BIGINT) AS ends_bpu,
       CAST(sum(CASE WHEN segset = 'pu' THEN st ELSE 0 END) AS BIGINT) AS starts_pu,
       CAST(sum(CASE WHEN segset = 'pu' THEN en ELSE 0 END) AS BIGINT) AS ends_pu
FROM e2 GROUP BY level, region, day
UNION ALL
SELECT * FROM listed
"""

# A coverage query on the tally: the one step of each region of the level and of the nation
# that holds the day.
_TALLY_QUERY = """
SELECT region, CASE WHEN level = 'nation' THEN 1 ELSE 0 END AS nation, listed, covered,
       covered_bpu, covered_pu, 0 AS lone
FROM national_tally
WHERE (level = '{level}' OR level = 'nation')
  AND (from_day IS NULL OR from_day <= DATE '{on}') AND (to_day IS NULL OR to_day > DATE '{on}')
"""


@dataclasses.dataclass
class NationalCoverage:
    """Per region of ``level`` on ``on``: ``region``, ``listed``, ``covered``, ``ratio``
    (covered / listed, exact as a fraction, shown rounded), ``covered_bpu``, ``covered_pu``;
    ``total``: the nation (each human once)."""

    level: str
    on: dt.date
    regions: pl.DataFrame
    total_listed: int
    total_covered: int

    @property
    def total_ratio(self) -> Fraction:
        return Fraction(self.total_covered, self.total_listed or 1)


def coverage(
    engine: Engine,
    manifests: list[Manifest],
    *,
    level: str,
    on: dt.date,
    clusters: list[str] | pl.DataFrame | None = None,
    tally: bool | None = None,
) -> NationalCoverage:
    """Coverage by ``level`` (``province``, ``regency``, ``district``) on ``on``; refuses
    ``national_bad_level``.

    ``tally``: count from the tally of these inputs (:func:`tally_file`: read when it is
    there, else made and written first), or from the snapshots' rows (False). Default: the
    tally on Spark when the inputs are local files (a tally is kept only for those), the
    rows otherwise and on DuckDB (which reads them in about the time it would take to make
    the tally). Either way the same figures. Asked for inputs it cannot keep a tally of (a
    clusters frame, a remote path), it is made in memory for this query."""
    if level not in LEVELS:
        raise errors.BAD_LEVEL(value=level, field="level")
    places = [] if isinstance(clusters, pl.DataFrame) else tally_file(manifests, clusters)
    if tally or (tally is None and engine.name == "spark" and places):
        frame = _from_tally(engine, manifests, level, on, clusters, places)
    else:
        _register_rows(engine, manifests, clusters)
        frame = query_rows(engine, level, on)
    return figures(frame, level, on)


def query_rows(engine: Engine, level: str, on: dt.date) -> pl.DataFrame:
    """The coverage query's rows (region, nation, listed, covered, covered_bpu, covered_pu,
    lone) counted from the views ``national_cov_people`` and ``national_cov_periods``
    (:func:`count_tally`) at ``level`` on ``on``."""
    return engine.sql(_SQL.format(on=on.isoformat(), column=LEVELS[level]))


def figures(frame: pl.DataFrame, level: str, on: dt.date) -> NationalCoverage:
    """The coverage of the query's rows ``frame`` (region, nation, listed, covered,
    covered_bpu, covered_pu, lone: from the snapshots' rows or from the tally)."""
    frame = frame.with_columns(
        pl.col("listed", "covered", "covered_bpu", "covered_pu", "lone").cast(pl.Int64),
        pl.col("nation").cast(pl.Int64),
    )
    total = frame.filter(pl.col("nation") == 1)
    # the nation's covered: the clusters' humans once, and the humans of no cluster, each
    # counted in its one region
    lone = int(frame.filter(pl.col("nation") == 0).get_column("lone").sum())
    regions = (
        frame.filter(pl.col("nation") == 0)
        .with_columns(ratio=(pl.col("covered") / pl.col("listed")).round(4))
        .select("region", "listed", "covered", "ratio", "covered_bpu", "covered_pu")
        .sort("region", nulls_last=True)
    )
    return NationalCoverage(
        level=level,
        on=on,
        regions=regions,
        total_listed=int(total.get_column("listed").sum()),
        total_covered=int(total.get_column("covered").sum()) + lone,
    )


def _register_rows(
    engine: Engine, manifests: list[Manifest], clusters: list[str] | pl.DataFrame | None
) -> None:
    """The views ``national_cov_people`` and ``national_cov_periods``: the snapshots' people
    and coverage periods with their clusters."""
    register_clusters(engine, clusters, manifests)
    people, cov = snapshot_rows(
        engine,
        manifests,
        [
            (
                "people",
                "national_cpeople",
                "SELECT {id} AS id, province_code, regency_code, district_code FROM {view}",
            ),
            (
                "coverage",
                "national_coverage",
                "SELECT {id} AS id, segment, start_date, end_date, province_code, "
                "regency_code, district_code FROM {view}",
            ),
        ],
    )
    engine.view("national_cov_people", _PEOPLE.format(people=people))
    engine.view("national_cov_periods", _PERIODS.format(coverage=cov))


def cache_dir() -> Path:
    """Where tallies of snapshots read without a deduplication's clusters are written:
    ``JARING_NATIONAL_CACHE``, else ``$XDG_CACHE_HOME/jaring/national`` (or
    ``~/.cache/jaring/national``)."""
    where = os.environ.get("JARING_NATIONAL_CACHE")
    if where:
        return Path(where)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "jaring" / "national"


def tally_file(manifests: list[Manifest], clusters: list[str] | None) -> list[Path]:
    """Where the tally of these inputs lies or is written, in order of preference: in the
    folder ``coverage/`` beside the clusters' file (a deduplication's ``--out``), then
    :func:`cache_dir` (no clusters, or that folder not writable). The name holds a digest of
    every input file's path, size and modification time (each snapshot's people and
    coverage files in order, then the clusters'), so a snapshot or clusters rewritten since
    name another tally: a tally is never read for inputs other than its own. No place when
    an input is not a local file (it cannot be checked for change). The paths are the files'
    own (links resolved), so the same files named from another folder or through a link name
    the same tally."""
    real = os.path.realpath  # one file however it is reached (relative, through a link)
    stamps = (
        *(
            tuple(stamp(real(p)) for t in ("people", "coverage") for p in m.paths(t))
            for m in manifests
        ),
        tuple(stamp(real(p)) for p in clusters or []),
    )
    if any(None in s for s in stamps):
        return []
    digest = hashlib.sha256(repr((TALLY_FORMAT, stamps)).encode()).hexdigest()[:32]
    name = f"tally-{digest}.parquet"
    places = [Path(clusters[0]).parent / "coverage" / name] if clusters else []
    return [*places, cache_dir() / name]


_KEEP_TALLIES = 8  # per folder, the most recent; older ones are removed when one is written


def _from_tally(
    engine: Engine,
    manifests: list[Manifest],
    level: str,
    on: dt.date,
    clusters: list[str] | pl.DataFrame | None,
    places: list[Path],
) -> pl.DataFrame:
    """The coverage query's rows (as :data:`_SQL` gives them) counted from the tally of the
    inputs: read when written, else made on ``engine`` and written (atomically: a reader
    sees a whole file or none) to the first of ``places`` (:func:`tally_file`) that takes
    it."""
    found = next((p for p in places if p.is_file()), None)
    if found is not None:
        return query_tally(engine, found, level, on)
    made = make_tally(engine, manifests, clusters)
    written = next((p for p in places if _write_atomically(made, p)), None)
    return query_tally(engine, made if written is None else written, level, on)


def prepare_tally(
    engine: Engine, manifests: list[Manifest], clusters: list[str] | None
) -> Path | None:
    """Make and write the tally of these inputs (:func:`tally_file`) on ``engine`` unless it
    is there already: what a deduplication does once its clusters are written, so that the
    first coverage query over them only reads it. The tally's path, or ``None`` when none
    can be kept (an input not a local file, no folder that takes it)."""
    places = tally_file(manifests, clusters)
    found = next((p for p in places if p.is_file()), None)
    if found is not None or not places:
        return found
    made = make_tally(engine, manifests, clusters)
    return next((p for p in places if _write_atomically(made, p)), None)


def make_tally(
    engine: Engine, manifests: list[Manifest], clusters: list[str] | pl.DataFrame | None
) -> pl.DataFrame:
    """The tally of the snapshots ``manifests`` with ``clusters`` (:data:`TALLY`), counted
    on ``engine`` from the snapshots' rows: a few rows per region and day a run of coverage
    starts or ends."""
    _register_rows(engine, manifests, clusters)
    return count_tally(engine)


def count_tally(engine: Engine) -> pl.DataFrame:
    """The tally (:data:`TALLY`, steps) of the rows in the views ``national_cov_people`` (province,
    regency and distrik codes, cluster) and ``national_cov_periods`` (id, segment, start and
    end date, the three codes, cluster)."""
    engine.register_frame("national_tally_keys", _KEYS)
    engine.register_frame("national_tally_levels", _LEVELS)
    engine.register_frame("national_tally_x", _EVENTS)
    return _steps(engine.sql(_TALLY_SQL))


def _steps(counts: pl.DataFrame) -> pl.DataFrame:
    """The tally's steps (:data:`TALLY`) from the engine's counts (per level and region the
    listed, and per day the runs that start and end): a run ending on day E stops counting
    on E + 1, so each day a run starts or stops opens a step, which holds the running sum
    of the starts less the stops. Per level and region, the first step (none, first day)
    holds nothing; a region with no period has one step, ever (none, none)."""
    keys = ["level", "region"]
    counts = counts.with_columns(pl.col("listed", "starts", "ends", "starts_bpu", "ends_bpu",
                                        "starts_pu", "ends_pu").cast(pl.Int64))  # fmt: skip
    days = counts.filter(pl.col("day").is_not_null())
    opens = days.select(*keys, at=pl.col("day"), covered="starts", covered_bpu="starts_bpu",
                        covered_pu="starts_pu")  # fmt: skip
    stops = days.select(*keys, at=pl.col("day").dt.offset_by("1d"), covered=-pl.col("ends"),
                        covered_bpu=-pl.col("ends_bpu"), covered_pu=-pl.col("ends_pu"))  # fmt: skip
    change = (
        pl.concat([opens, stops])
        .group_by(*keys, "at")
        .agg(pl.col("covered", "covered_bpu", "covered_pu").sum())
        .sort(*keys, "at", nulls_last=True)
    )
    steps = change.select(
        *keys,
        from_day="at",
        to_day=pl.col("at").shift(-1).over(keys),
        covered=pl.col("covered").cum_sum().over(keys),
        covered_bpu=pl.col("covered_bpu").cum_sum().over(keys),
        covered_pu=pl.col("covered_pu").cum_sum().over(keys),
    )
    regions = (
        pl.concat(
            [counts.select(*keys, "listed"), change.select(*keys, listed=pl.lit(0, pl.Int64))]
        )
        .group_by(keys)
        .agg(pl.col("listed").sum())
    )
    first = regions.join(
        change.group_by(keys).agg(to_day=pl.col("at").min()), on=keys, how="left",
        nulls_equal=True,
    ).select(*keys, from_day=pl.lit(None, pl.Date), to_day="to_day", covered=pl.lit(0, pl.Int64),
             covered_bpu=pl.lit(0, pl.Int64), covered_pu=pl.lit(0, pl.Int64))  # fmt: skip
    out = pl.concat([first, steps]).join(regions, on=keys, how="left", nulls_equal=True)
    # one level's rows together: a query reads the row groups of its level and the nation's
    return (
        out.select(list(TALLY))
        .cast(TALLY)  # type: ignore[arg-type]
        .sort("level", "region", "from_day", nulls_last=True)
    )


def query_tally(
    engine: Engine, tally: pl.DataFrame | Path, level: str, on: dt.date
) -> pl.DataFrame:
    """The coverage query's rows (region, nation, listed, covered, covered_bpu, covered_pu,
    lone) counted from ``tally`` (a frame or its file) at ``level`` on ``on``."""
    if isinstance(tally, pl.DataFrame):
        engine.register_frame("national_tally", tally)
    else:
        engine.register("national_tally", [str(tally)], TALLY)
    return engine.sql(_TALLY_QUERY.format(on=on.isoformat(), level=level))


def _write_atomically(frame: pl.DataFrame, path: Path) -> bool:
    """``frame`` written to ``path`` through a file of its own in the same folder, renamed
    into place when whole; the folder's older tallies beyond the most recent few removed.
    False when the folder cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(tmp, compression="zstd")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    try:
        old = sorted(path.parent.glob("tally-*.parquet"), key=lambda p: p.stat().st_mtime_ns)
        for p in old[:-_KEEP_TALLIES]:
            if p != path:
                p.unlink(missing_ok=True)
    except OSError:
        pass
    return True


__all__ = [
    "ID_SHIFT",
    "LEVELS",
    "TALLY",
    "NationalCoverage",
    "cache_dir",
    "count_tally",
    "coverage",
    "figures",
    "make_tally",
    "prepare_tally",
    "query_rows",
    "query_tally",
    "tally_file",
]
