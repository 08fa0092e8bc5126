"""Hard worker lists for deduplication: lists typed by hand where the NIK itself is mistyped,
with twins and siblings, and NIKs issued to two people. Built to tune and test
:mod:`jaring.registry.dedupe` (``bench/registry_dedupe_hard.py``, ``tests/registry``); the
truth of every row comes with it.

The population is :func:`jaring.demo.synth.people` (Kota Sorong names, NIKs old ``9271`` and
new ``9671``, phones), with an address each. Rates (the defaults of :class:`Rates`):

- ``duplicate_share`` 0.40 of the rows are further appearances of someone already listed
  (people drawn with replacement, so some appear three or four times);
- ``twins`` 0.02 of people are twins or siblings: pairs with consecutive NIK serials, the
  same birth date, family name, address, village and family phone, other given names (the
  second's given name, of one word or two, "Wa Ode", is never the given name the first's
  name begins with, case aside: :func:`_same_given`);
- ``shared_nik`` 0.003 of NIKs belong to two different people (NIK ganda): a second person
  with their own name and birth date carries the first one's NIK.

In a duplicate row (the first appearance is typed as issued, apart from honorifics and case):

- NIK: missing ``nik_missing`` 0.10; mistyped ``nik_typo`` 0.30, a third each one digit
  changed, two adjacent digits swapped, one digit dropped or doubled (the NIK stays 16 digits:
  a dropped digit is followed by a stray one at the end, a doubled one pushes the last out),
  always a NIK of valid shape (intake holds back the others); of the rest, 0.10 of the
  people with an old 9271 NIK give it as 9671;
- birth date mistyped ``bd_typo`` 0.20: a third day and month swapped (when both <= 12),
  the others one digit of the day, month or year changed (a valid date);
- name misspelled ``name_typo`` 0.40: one edit (45%), two edits (20%), a part dropped (20%),
  parts in another order (15%); besides, 0.05 give the first name as an initial and 0.10 an
  honorific (Bpk., Ibu, Hj., Sdr.);
- phone missing 0.30, another number 0.10; village another 0.10, missing 0.10; sex flipped
  0.01.

Nothing here is random beyond ``seed``: the same arguments give the same list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from jaring.demo.synth import FEMALE, MALE, people
from jaring.registry import files
from jaring.registry.normalise import normalise_name


@dataclasses.dataclass(frozen=True)
class Rates:
    """The corruption profile (see the module)."""

    duplicate_share: float = 0.40
    twins: float = 0.02
    shared_nik: float = 0.003
    nik_missing: float = 0.10
    nik_typo: float = 0.30
    papua_code: float = 0.10
    bd_typo: float = 0.20
    name_typo: float = 0.40
    initial: float = 0.05
    honorific: float = 0.10
    phone_missing: float = 0.30
    phone_other: float = 0.10
    village_other: float = 0.10
    village_missing: float = 0.10
    sex_flip: float = 0.01


_STREETS = ["Jl. Basuki Rahmat", "Jl. Ahmad Yani", "Jl. Sam Ratulangi", "Jl. Yos Sudarso",
            "Jl. Kanguru", "Jl. Malibela", "Jl. Pendidikan", "Jl. Victory", "Jl. Klamono",
            "Jl. Bubara", "Jl. Frans Kaisiepo", "Jl. Arteri"]  # fmt: skip
_HONORIFICS = ["Bpk. ", "Ibu ", "Hj. ", "Sdr. "]
_LETTERS = "aeiounrstkmgdy"


def _nik_ok(nik: str) -> bool:
    """16 digits, a real date (women's day + 40), serial not 0000."""
    if len(nik) != 16 or not nik.isdigit() or nik[12:] == "0000":
        return False
    day, month = int(nik[6:8]), int(nik[8:10])
    day = day - 40 if day > 40 else day
    try:
        dt.date(2000, month, day)  # a leap year: 29 Feb is a date
    except ValueError:
        return False
    return True


def _nik_typo(nik: str, kind: int, rng: np.random.Generator) -> str:
    for _ in range(30):
        if kind == 0:  # one digit changed
            i = int(rng.integers(0, 16))
            d = str(int(rng.integers(0, 10)))
            out = nik[:i] + d + nik[i + 1 :]
        elif kind == 1:  # adjacent swap
            i = int(rng.integers(0, 15))
            out = nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
        elif rng.random() < 0.5:  # dropped, a stray digit at the end
            i = int(rng.integers(0, 16))
            out = nik[:i] + nik[i + 1 :] + str(int(rng.integers(0, 10)))
        else:  # doubled, the last digit pushed out
            i = int(rng.integers(0, 16))
            out = (nik[: i + 1] + nik[i:])[:16]
        if out != nik and _nik_ok(out):
            return out
    return nik


def _name_typo(name: str, rng: np.random.Generator) -> str:
    parts = name.split(" ")
    r = rng.random()
    if r < 0.65:
        edits = 1 if r < 0.45 else 2
        for _ in range(edits):
            j = int(rng.integers(0, len(parts)))
            w = parts[j]
            if len(w) < 3:
                continue
            i = int(rng.integers(1, len(w)))
            k = int(rng.integers(0, 3))
            c = _LETTERS[int(rng.integers(0, len(_LETTERS)))]
            if k == 0:
                w = w[:i] + w[i + 1 :]
            elif k == 1 and i < len(w) - 1:
                w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
            else:
                w = w[:i] + c + w[i + 1 :]
            parts[j] = w
        return " ".join(parts)
    if r < 0.85 and len(parts) > 2:  # a middle part dropped
        j = int(rng.integers(1, len(parts) - 1))
        return " ".join(parts[:j] + parts[j + 1 :])
    if r < 0.85:  # two parts: the family name dropped, or the given name
        return parts[0] if rng.random() < 0.5 else parts[-1] + " " + parts[0]
    return " ".join(parts[-1:] + parts[:-1])  # family name first


def _bd_typo(d: dt.date, rng: np.random.Generator) -> dt.date:
    if rng.random() < 1 / 3 and d.day <= 12 and d.day != d.month:
        return dt.date(d.year, d.day, d.month)
    for _ in range(30):
        s = d.strftime("%d%m%Y")
        i = int(rng.choice([0, 1, 2, 3, 6, 7]))  # a digit of day, month or the year's last two
        out = s[:i] + str(int(rng.integers(0, 10))) + s[i + 1 :]
        try:
            new = dt.datetime.strptime(out, "%d%m%Y").date()
        except ValueError:
            continue
        if new != d:
            return new
    return d


def _same_given(given: str, name: str) -> bool:
    """Whether ``given`` (a given name of one word or more: "Wa Ode") is the given name
    ``name`` begins with: its words, case aside, are the first words of ``name`` before the
    family name (the last word). Parents do not give twins one given name: "Wa Ode" is
    "Wa Ode Rasyid"'s and "Wa Ode Markus Rasyid"'s, not "Wati Rasyid"'s."""
    words = given.lower().split()
    before_family = name.lower().split()[:-1]
    return before_family[: len(words)] == words


def _population(n_people: int, rates: Rates, seed: int) -> pl.DataFrame:
    """People with ``twin_of`` (the other twin's key, both ways) and ``nik`` possibly shared."""
    rng = np.random.default_rng(seed + 101)
    pop = people(n_people, seed).with_columns(
        address=pl.Series(
            [
                f"{_STREETS[int(s)]} No. {int(k)}"
                for s, k in zip(
                    rng.integers(0, len(_STREETS), n_people),
                    rng.integers(1, 200, n_people),
                    strict=True,
                )
            ]
        ),
        twin_of=pl.lit(None, dtype=pl.Int64),
    )
    rows = pop.to_dicts()
    n_pairs = round(n_people * rates.twins / 2)
    # the last 2 * n_pairs people become pairs: the second of each takes the first's family
    for k in range(n_pairs):
        a = rows[n_people - 2 * n_pairs + 2 * k]
        b = rows[n_people - 2 * n_pairs + 2 * k + 1]
        female = b["sex"] == "P"
        firsts = FEMALE if female else MALE
        given = firsts[int(rng.integers(0, len(firsts)))]
        while _same_given(given, a["name"]):
            given = firsts[int(rng.integers(0, len(firsts)))]
        serial = int(a["nik"][12:])
        serial = serial + 1 if serial < 9999 else serial - 1
        day = a["birth_date"].day + (40 if female else 0)
        b.update(
            birth_date=a["birth_date"],
            name=f"{given} {a['name'].split(' ')[-1]}",
            village_code=a["village_code"],
            village=a["village"],
            district_code=a["district_code"],
            phone=a["phone"],
            address=a["address"],
            nik=f"{a['nik'][:6]}{day:02d}{a['nik'][8:12]}{serial:04d}",
            twin_of=a["person_key"],
        )
        a["twin_of"] = b["person_key"]
    pop = pl.DataFrame(rows, schema=pop.schema)
    # serials of twins may meet someone else's NIK: bump those others
    clash = pop.filter(pl.col("nik").is_duplicated() & pl.col("twin_of").is_null())
    if clash.height:
        keys = set(clash.get_column("person_key").to_list())
        pop = pop.with_columns(
            nik=pl.when(pl.col("person_key").is_in(list(keys)))
            .then(pl.col("nik").str.slice(0, 12) + "9998")
            .otherwise(pl.col("nik"))
        )
    # NIK ganda: some people (not twins) carry another person's NIK
    n_shared = round(n_people * rates.shared_nik)
    plain = pop.filter(pl.col("twin_of").is_null()).get_column("person_key").to_numpy()
    pick = rng.choice(plain, size=2 * n_shared, replace=False)
    carriers, owners = pick[:n_shared], pick[n_shared:]
    nik_of = dict(zip(pop["person_key"].to_list(), pop["nik"].to_list(), strict=True))
    new_nik = {int(c): nik_of[int(o)] for c, o in zip(carriers, owners, strict=True)}
    return pop.with_columns(
        nik=pl.col("person_key").replace_strict(new_nik, default=pl.col("nik")),
        shares_nik=pl.col("person_key").is_in(list(new_nik) + [int(o) for o in owners]),
    )


def hard_list(rows: int, *, seed: int = 7, rates: Rates | None = None) -> pl.DataFrame:
    """``rows`` rows of a hard list, in no particular order.

    Columns: ``id`` (1..rows), ``nik``, ``name`` (as typed), ``name_norm``, ``birth_date``,
    ``sex``, ``district_code``, ``village_code``, ``address``, ``phone``; the truth:
    ``person_key``, ``twin_of`` (the twin's person key, or null) and ``shares_nik``."""
    rt = rates or Rates()
    n_people = max(2, round(rows * (1 - rt.duplicate_share)))
    pop = _population(n_people, rt, seed)
    rng = np.random.default_rng(seed + 202)
    dup_keys = rng.integers(1, n_people + 1, size=rows - n_people)
    by_key = {r["person_key"]: r for r in pop.iter_rows(named=True)}
    # in a fixed order (``unique`` alone gives them in any order: the list differed run to run)
    villages = pop.select("village_code", "district_code").unique().sort("village_code").rows()
    out: list[dict[str, object]] = []
    for key in [*range(1, n_people + 1), *dup_keys.tolist()]:
        p = dict(by_key[int(key)])
        dup = len(out) >= n_people
        name = p["name"]
        if dup:
            u = rng.random(8)
            nik = p["nik"]
            if u[0] < rt.nik_missing:
                nik = None
            elif u[0] < rt.nik_missing + rt.nik_typo:
                nik = _nik_typo(nik, int(rng.integers(0, 3)), rng)
            elif nik.startswith("92") and rng.random() < rt.papua_code:
                nik = "96" + nik[2:]
            p["nik"] = nik
            if u[1] < rt.bd_typo:
                p["birth_date"] = _bd_typo(p["birth_date"], rng)
            if u[2] < rt.name_typo:
                name = _name_typo(name, rng)
            if u[3] < rt.initial and " " in name:
                name = name[0] + ". " + name.split(" ", 1)[1]
            if u[4] < rt.honorific:
                name = _HONORIFICS[int(rng.integers(0, len(_HONORIFICS)))] + name
            if u[5] < rt.phone_missing:
                p["phone"] = None
            elif u[5] < rt.phone_missing + rt.phone_other:
                p["phone"] = "08" + str(int(rng.integers(10**9, 10**10)))
            if u[6] < rt.village_missing:
                p["village_code"] = None
            elif u[6] < rt.village_missing + rt.village_other:
                v, d = villages[int(rng.integers(0, len(villages)))]
                p["village_code"], p["district_code"] = v, d
            if u[7] < rt.sex_flip:
                p["sex"] = "L" if p["sex"] == "P" else "P"
        elif rng.random() < 0.3:
            p["phone"] = None
        if rng.random() < 0.15:
            name = name.upper()
        p["name"] = name
        out.append(p)
    frame = pl.DataFrame(out, schema=pop.schema).select(
        "nik",
        "name",
        "birth_date",
        "sex",
        "district_code",
        "village_code",
        "address",
        "phone",
        "person_key",
        "twin_of",
        "shares_nik",
    )
    frame = frame.sample(fraction=1.0, shuffle=True, seed=seed + 303)
    return frame.with_columns(
        id=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        name_norm=normalise_name(pl.col("name")),
    ).select(
        "id", "nik", "name", "name_norm", "birth_date", "sex", "district_code", "village_code",
        "address", "phone", "person_key", "twin_of", "shares_nik",
    )  # fmt: skip


def quality(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of ``clusters`` (``id``, ``cluster``) against
    ``truth`` (``id``, ``person_key``, ``twin_of``), and ``twin_pairs_merged``: pairs of rows
    of two twins in one cluster."""
    j = clusters.join(truth.select("id", "person_key", "twin_of"), on="id")

    def pairs(keys: list[str]) -> int:
        n = j.group_by(keys).len().get_column("len").cast(pl.Int64)
        return int((n * (n - 1) // 2).sum())

    tp, pred, actual = pairs(["cluster", "person_key"]), pairs(["cluster"]), pairs(["person_key"])
    p = tp / pred if pred else 1.0
    r = tp / actual if actual else 1.0
    tw = j.filter(pl.col("twin_of").is_not_null())
    twins = tw.join(tw, left_on=["cluster", "person_key"], right_on=["cluster", "twin_of"]).height
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "true_pairs": actual,
        "predicted_pairs": pred,
        "false_pairs": pred - tp,
        "missed_pairs": actual - tp,
        "twin_pairs_merged": twins // 2,
    }


def write_csv(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """Write a hard list (:func:`hard_list`) as a worker list CSV the registry imports (NIK,
    name, birth date, sex, address, village, distrik, phone); returns ``row_number`` (the
    CSV's line, the header being line 1) -> ``id``, ``person_key``."""
    from jaring.registry.regions import regions

    names = dict(regions().select("kode", "nama").iter_rows())
    table = frame.select(
        pl.col("nik").alias("NIK"),
        pl.col("name").alias("Nama Lengkap"),
        pl.col("birth_date").dt.strftime("%d/%m/%Y").alias("Tgl Lahir"),
        pl.col("sex").alias("L/P"),
        pl.col("address").alias("Alamat"),
        pl.col("village_code").replace_strict(names, default=None).alias("Kelurahan"),
        pl.col("district_code").replace_strict(names, default=None).alias("Distrik"),
        pl.col("phone").alias("No HP"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_csv(table, path)
    return frame.select(
        (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("row_number"), "id", "person_key"
    )
