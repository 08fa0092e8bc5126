"""A synthetic national population with its truth, for the tests and the benchmarks: regencies
in several provinces, each regency and each province a Pemda with its own list; a share of
the humans listed by two Pemda (a move to another regency, or the province's list beside the
city's) with the second listing corrupted as hand-typed lists are (NIK typos, missing NIKs,
birth-date and name errors), twins who are two people, a share also covered by an employer
(PU), and paid months per listing with the rupiah paid.

:func:`generate` returns the snapshots' tables per Pemda and the truth; :func:`write` writes
them as snapshots (:mod:`jaring.national.snapshot`) and the BPJS list of PU participants.
Vectorised (NumPy, Polars): ten million rows take about a minute.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from jaring.national import snapshot
from jaring.registry import files

PROVINCES = ("11", "32", "35", "73", "96")
MONTHS = [dt.date(2026, m, 1) for m in range(1, 13)]
BPU_AMOUNT = {"regency": 16_800, "province": 20_800}  # JKK 1% + JKM Rp 6.800 of Rp 1 / 1,4 jt

_SYL = ["ba", "bu", "di", "du", "ga", "gi", "ha", "hi", "ja", "ju", "ka", "ki", "ko", "la", "li", "lu", "ma", "mi", "mo", "mu", "na", "ni", "no", "nu", "pa", "pi", "pu", "ra", "ri", "ro", "ru", "sa", "si", "so", "su", "ta", "ti", "to", "tu", "wa", "wi", "ya", "yu", "an", "in", "un", "ar", "ir", "ur", "as", "is", "us", "at", "it"]  # fmt: skip


def _names(rng: np.random.Generator, n: int, min_syl: int, max_syl: int) -> np.ndarray:
    k = rng.integers(min_syl, max_syl + 1, n)
    parts = rng.choice(np.array(_SYL), size=(n, max_syl))
    return np.array(["".join(p[:kk]) for p, kk in zip(parts, k, strict=True)])


@dataclasses.dataclass
class National:
    """The generated tables per Pemda (``pemda`` -> table name -> frame), the truth and the
    BPJS PU participants' list."""

    tables: dict[str, dict[str, pl.DataFrame]]
    truth: pl.DataFrame  # pemda, person_id, human
    pu: pl.DataFrame  # nik, employer, months
    double_paid: pl.DataFrame  # human, month, payer, amount (payer 'pu:<employer>' for PU)


def regencies(n: int, provinces: tuple[str, ...] = PROVINCES) -> list[str]:
    """``n`` regency codes spread over ``provinces``."""
    per = -(-n // len(provinces))
    return [f"{p}.{r + 1:02d}" for p in provinces for r in range(per)][:n]


def generate(
    rows: int,
    *,
    n_regencies: int = 20,
    cross_share: float = 0.05,
    pu_share: float = 0.02,
    twin_share: float = 0.005,
    province_share: float = 0.10,
    provinces: tuple[str, ...] = PROVINCES,
    seed: int = 7,
) -> National:
    """About ``rows`` listings: humans, each listed once, ``cross_share`` of them twice (see
    the module)."""
    rng = np.random.default_rng(seed)
    n = round(rows / (1 + cross_share))
    regs = np.array(regencies(n_regencies, provinces))
    home = rng.integers(0, len(regs), n)
    reg = regs[home]
    prov = np.array([r[:2] for r in regs])[home]
    district = rng.integers(1, 11, n)
    village = rng.integers(1, 8, n)
    sex = np.where(rng.random(n) < 0.5, "L", "P")
    start = dt.date(1960, 1, 1).toordinal()
    bd_ord = rng.integers(start, dt.date(2006, 12, 31).toordinal(), n)
    first = _names(rng, 4000, 2, 3)
    last = _names(rng, 6000, 2, 4)
    fi = rng.integers(0, len(first), n)
    li = rng.integers(0, len(last), n)
    # twins: the next human is the twin of this one (same birth date, last name, village)
    twin = np.zeros(n, dtype=bool)
    tw = np.flatnonzero(rng.random(n - 1) < twin_share)
    tw = tw[np.diff(np.concatenate([[-2], tw])) > 1]  # no chains
    twin[tw + 1] = True
    bd_ord[tw + 1] = bd_ord[tw]
    li[tw + 1] = li[tw]
    district[tw + 1] = district[tw]
    village[tw + 1] = village[tw]
    fi[tw + 1] = (fi[tw] + 1) % len(first)
    name = np.char.add(np.char.add(first[fi], " "), last[li])
    phone = pl.Series(np.char.add("+628", rng.integers(10**9, 10**10, n).astype(str)))
    phone = pl.select(pl.when(pl.Series(rng.random(n) < 0.4)).then(phone)).to_series()
    people = pl.DataFrame(
        {
            "human": np.arange(1, n + 1, dtype=np.int64),
            "province_code": prov,
            "regency_code": reg,
            "district_n": district,
            "village_n": village,
            "sex": sex,
            "bd_ord": bd_ord,
            "name_norm": name,
            "phone": phone,
        }
    ).with_columns(
        birth_date=(pl.lit(dt.date(1, 1, 1)) + pl.duration(days=pl.col("bd_ord") - 1)).cast(
            pl.Date
        ),
        district_code=pl.col("regency_code")
        + "."
        + pl.col("district_n").cast(pl.String).str.zfill(2),
    )
    people = people.with_columns(
        village_code=pl.col("district_code") + "." + (2000 + pl.col("village_n")).cast(pl.String),
        serial=pl.int_range(1, pl.len() + 1).over("district_code", "birth_date", "sex"),
    )
    day = pl.col("birth_date").dt.day() + pl.when(pl.col("sex") == "P").then(40).otherwise(0)
    people = people.with_columns(
        nik=pl.col("district_code").str.replace_all(".", "", literal=True)
        + day.cast(pl.String).str.zfill(2)
        + pl.col("birth_date").dt.month().cast(pl.String).str.zfill(2)
        + (pl.col("birth_date").dt.year() % 100).cast(pl.String).str.zfill(2)
        + pl.col("serial").cast(pl.String).str.zfill(4)
    ).drop("district_n", "village_n", "bd_ord", "serial")

    # the first listing: the home regency's list, or the province's
    by_prov = rng.random(n) < province_share
    first_pemda = np.where(by_prov, prov, reg)
    # the second listing (not for twins: they are the traps, not the duplicates)
    cross = (rng.random(n) < cross_share) & ~twin
    kind_move = rng.random(n) < 0.5
    other_reg = regs[(home + rng.integers(1, len(regs), n)) % len(regs)]
    second_pemda = np.where(
        kind_move, other_reg, np.where(by_prov, reg, prov)
    )  # a move, or the province beside the city
    listings = pl.concat(
        [
            people.with_columns(pemda=pl.Series(first_pemda), second=pl.lit(False)),
            people.filter(pl.Series(cross)).with_columns(
                pemda=pl.Series(second_pemda[cross]),
                second=pl.lit(True),
                moved=pl.Series(kind_move[cross]),
            ),
        ],
        how="diagonal",
    ).with_columns(pl.col("moved").fill_null(False))
    # a move: the second listing lives in the new regency
    listings = listings.with_columns(
        regency_code=pl.when("moved").then(pl.col("pemda")).otherwise("regency_code")
    ).with_columns(
        province_code=pl.col("regency_code").str.slice(0, 2),
        district_code=pl.when("moved")
        .then(pl.col("regency_code") + pl.col("district_code").str.slice(5))
        .otherwise("district_code"),
        village_code=pl.when("moved")
        .then(pl.col("regency_code") + pl.col("village_code").str.slice(5))
        .otherwise("village_code"),
    )
    listings = _corrupt(listings, rng)
    listings = listings.with_columns(
        person_id=pl.int_range(1, pl.len() + 1).over("pemda").cast(pl.Int64)
    )
    return _money(listings, people, rng, pu_share)


def _corrupt(listings: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """The second listing as typed by hand, each error independently, at the rates of the
    registry's synthetic lists (:func:`jaring.demo.synth.corrupt`) or above: NIK missing 5%,
    one digit mistyped 2% (anywhere after the province and regency), a letter of the name
    mistyped 8%, day and month swapped 2%, the year off by one 2%, the phone left out 50%."""
    n = listings.height
    sec = listings.get_column("second").to_numpy()

    def hit(p: float) -> pl.Series:
        return pl.Series(sec & (rng.random(n) < p))

    pos = pl.Series(rng.integers(6, 16, n))
    digit = pl.Series(rng.integers(0, 10, n).astype(str))
    nik = pl.col("nik")
    typo = nik.str.slice(0, pos) + digit + nik.str.slice(pos + 1)
    npos = pl.Series(rng.integers(1, 6, n))
    letter = pl.Series(rng.choice(list("aiueokr"), n))
    nm = pl.col("name_norm")
    name_typo = nm.str.slice(0, npos) + letter + nm.str.slice(npos + 1)
    bd = pl.col("birth_date")
    swapped = pl.date(bd.dt.year(), bd.dt.day().clip(1, 12), bd.dt.month())
    off_year = bd.dt.offset_by("1y")
    return listings.with_columns(
        nik=pl.when(hit(0.05)).then(None).when(hit(0.02)).then(typo).otherwise(nik),
        name_norm=pl.when(hit(0.08)).then(name_typo).otherwise(nm),
        birth_date=pl.when(hit(0.02)).then(swapped).when(hit(0.02)).then(off_year).otherwise(bd),
        phone=pl.when(hit(0.5)).then(None).otherwise("phone"),
    )


def _money(
    listings: pl.DataFrame, people: pl.DataFrame, rng: np.random.Generator, pu_share: float
) -> National:
    n = listings.height
    # every listing a membership of its Pemda's program; paid months: a run within 2026
    level = (
        pl.when(pl.col("pemda").str.len_chars() == 2)
        .then(pl.lit("province"))
        .otherwise(pl.lit("regency"))
    )
    first_m = rng.integers(0, 12, n)
    months = rng.integers(1, 13, n)
    paid = rng.random(n) < 0.7
    lst = listings.with_columns(
        first_m=pl.Series(first_m),
        months=pl.Series(np.minimum(months, 12 - first_m)),
        paid=pl.Series(paid),
        amount=level.replace_strict(BPU_AMOUNT, return_dtype=pl.Int64),
        program_id=pl.when(level == "province").then(1).otherwise(2).cast(pl.Int64),
    )
    # PU: a share of humans on an employer's books for a run of months
    humans = people.height
    pu_h = np.flatnonzero(rng.random(humans) < pu_share) + 1
    pu_first = rng.integers(0, 12, len(pu_h))
    pu_months = np.minimum(rng.integers(1, 13, len(pu_h)), 12 - pu_first)
    pu = people.filter(pl.col("human").is_in(pl.Series(pu_h).implode())).select("human", "nik")
    pu = pu.with_columns(
        employer=pl.lit("PT Maju ") + (pl.col("human") % 97).cast(pl.String),
        pu_first=pl.Series(pu_first),
        pu_months=pl.Series(pu_months),
    )
    pu_file = pu.select(
        "nik",
        "employer",
        months=pl.format(
            "{}..{}",
            pl.lit("2026-") + (pl.col("pu_first") + 1).cast(pl.String).str.zfill(2),
            pl.lit("2026-")
            + (pl.col("pu_first") + pl.col("pu_months")).cast(pl.String).str.zfill(2),
        ),
    )
    # payments of every paid listing, month by month
    month_idx = pl.int_ranges(pl.col("first_m"), pl.col("first_m") + pl.col("months"))
    pay = (
        lst.filter("paid")
        .with_columns(m=month_idx)
        .explode("m")
        .with_columns(month=pl.date(2026, pl.col("m") + 1, 1))
    )
    pemda_pay = pay.select("human", "month", payer="pemda", amount="amount")
    pu_pay = (
        pu.with_columns(
            m=pl.int_ranges(pl.col("pu_first"), pl.col("pu_first") + pl.col("pu_months"))
        )
        .explode("m")
        .select(
            "human",
            month=pl.date(2026, pl.col("m") + 1, 1),
            payer=pl.lit("pu:") + pl.col("employer"),
            amount=pl.lit(None, dtype=pl.Int64),
        )
    )
    allpay = pl.concat([pemda_pay, pu_pay])
    doubled = allpay.group_by("human", "month").agg(pl.col("payer").n_unique().alias("k"))
    double_paid = (
        allpay.join(doubled.filter(pl.col("k") > 1), on=["human", "month"])
        .drop("k")
        .sort("human", "month", "payer")
    )
    tables: dict[str, dict[str, pl.DataFrame]] = {}
    for (pemda,), part in lst.partition_by("pemda", as_dict=True).items():
        p = part.with_columns(payer=pl.col("pemda"), segment=pl.lit("bpu"))
        cov = p.filter("paid").with_columns(
            start_date=pl.date(2026, pl.col("first_m") + 1, 1),
            end_date=pl.date(2026, pl.col("first_m") + pl.col("months"), 1).dt.month_end(),
        )
        paid_p = pay.filter(pl.col("pemda") == pemda)
        tables[str(pemda)] = {
            "people": p,
            "memberships": p.with_columns(
                membership_id=pl.col("person_id"),
                state=pl.lit("active"),
                start_month=pl.date(2026, pl.col("first_m") + 1, 1),
                end_month=pl.lit(None, dtype=pl.Date),
            ),
            "coverage": cov.with_columns(membership_id=pl.col("person_id")),
            "payments": paid_p.with_columns(payer=pl.col("pemda")),
        }
    truth = lst.select("pemda", "person_id", "human", "second")
    return National(tables, truth, pu_file, double_paid)


def write(nat: National, out: str | Path, *, key: bytes | None = None) -> list[Path]:
    """Write one snapshot per Pemda under ``out`` (``out/<pemda>``), the truth
    (``out/truth.parquet``, ``out/double_paid.parquet``) and the PU list (``out/pu.csv``);
    returns the snapshot directories."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    dirs = []
    for pemda, tables in sorted(nat.tables.items()):
        d = root / pemda
        snapshot.write(d, pemda, tables, region=pemda, key=key)
        dirs.append(d)
    nat.truth.write_parquet(root / "truth.parquet")
    nat.double_paid.write_parquet(root / "double_paid.parquet")
    files.write_csv(nat.pu, root / "pu.csv")
    return dirs


def write_batched(
    rows: int,
    out: str | Path,
    *,
    batches: int,
    n_regencies: int = 20,
    provinces: tuple[str, ...] = PROVINCES,
    key: bytes | None = None,
    seed: int = 7,
) -> int:
    """:func:`generate` and :func:`write` in ``batches`` of provinces (each batch its own
    provinces, regencies and humans, about ``rows / batches`` listings), so that memory
    holds one batch at a time (one batch of 2M listings peaks at about 5 GiB; 10M at once
    would need the machine's whole 24 GiB). The one difference from one batch: a move goes
    to another regency of the same batch of provinces. The truth, the doubly paid months and
    the PU list cover every batch (human numbers made distinct across them). Returns the
    listings written."""
    if batches < 1 or batches > len(provinces):
        raise ValueError(f"batches must be 1 to {len(provinces)}")
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    groups = [provinces[i::batches] for i in range(batches)]
    truth, paid, pus = [], [], []
    for b, group in enumerate(groups):
        nat = generate(
            rows // batches,
            n_regencies=max(len(group), n_regencies * len(group) // len(provinces)),
            provinces=group,
            seed=seed + b,
        )
        offset = pl.lit(b * 1_000_000_000, dtype=pl.Int64)
        for pemda, tables in sorted(nat.tables.items()):
            snapshot.write(root / pemda, pemda, tables, region=pemda, key=key)
        truth.append(nat.truth.with_columns(pl.col("human") + offset))
        paid.append(nat.double_paid.with_columns(pl.col("human") + offset))
        pus.append(nat.pu)
        del nat
    t = pl.concat(truth)
    t.write_parquet(root / "truth.parquet")
    pl.concat(paid).write_parquet(root / "double_paid.parquet")
    files.write_csv(pl.concat(pus), root / "pu.csv")
    return t.height


def pair_quality(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Precision, recall and F1 over cross-region pairs of listings: the predicted ones (two
    listings in one cluster) against the true ones (two listings of one human)."""
    t = truth.select("pemda", "person_id", "human")

    def pairs(frame: pl.DataFrame, key: str) -> int:
        n = frame.group_by(key).len().get_column("len").cast(pl.Int64)
        return int((n * (n - 1) // 2).sum())

    c = clusters.select("pemda", "person_id", "cluster").join(t, on=["pemda", "person_id"])
    tp = pairs(c.with_columns(k=pl.struct("cluster", "human")), "k")
    predicted = pairs(c, "cluster")
    actual = pairs(t, "human")
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": actual,
        "predicted_pairs": predicted,
    }
