"""A synthetic Kota Sorong: pekerja rentan on the lists a Pemda really receives.

~19,300 people (Kota Sorong 2024: 19,336 pekerja rentan): market traders (Pasar Remu, Pasar
Boswesen; many of them Mama-Mama Papua), ojek drivers, honorer of the city government, some
nelayan and buruh, and the poverty list P3KE. NIKs are built from the real Kota Sorong
district codes, old (``9271..``) and new (``9671..``), day +40 for women, random serials;
names are drawn from common Indonesian and Papuan names. No real person's data.

The lists carry what real lists carry: people on several lists, the same person twice on one
list, typos in names, titles ("H.", "Hj.", "S.Pd"), "Muh." for Muhammad, swapped day and
month, missing NIKs, Excel-mangled NIKs ("9.27101E+15"), impossible dates, empty names, phones
in every format. The truth (which row is which person) is kept aside for measuring dedupe.

Everything is vectorised (NumPy/Polars) and seeded: the benchmark builds a million rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from jaring.registry.regions import regions

MALE = [
    "Yohanis", "Yakobus", "Markus", "Petrus", "Paulus", "Yosias", "Obaja", "Frans", "Hendrik",
    "Agustinus", "Marthen", "Simon", "Daniel", "Elias", "Musa", "Zakarias", "Lukas", "Nikolas",
    "Muhammad", "Ahmad", "Abdul", "Budi", "Agus", "Andi", "Rahmat", "Hasan", "Ismail", "Yusuf",
    "Ridwan", "Arif", "Joko", "Slamet", "Bambang", "Dedi", "Hendra", "Irwan", "Syamsul",
    "Sulaiman", "Rudi", "Wahyu", "Fransiskus", "Benyamin", "Kornelius", "Alfred", "Septinus",
]  # fmt: skip
FEMALE = [
    "Maria", "Martha", "Yohana", "Ester", "Debora", "Rahel", "Ruth", "Naomi", "Magdalena",
    "Agustina", "Yuliana", "Fransina", "Selfina", "Dorsila", "Lince", "Siti", "Nur", "Sri",
    "Dewi", "Fatimah", "Aminah", "Rina", "Wati", "Sulastri", "Hasna", "Nurhayati", "Rosmini",
    "Halijah", "Sitti", "Suryani", "Yuni", "Mariam", "Kristina", "Elisabeth", "Ernawati",
    "Mama", "Wa Ode", "Susana", "Herlina", "Novita",
]  # fmt: skip
SURNAMES = [
    "Yoku", "Kambu", "Mayor", "Rumbiak", "Wonatorei", "Kalami", "Malak", "Osok", "Sawaki",
    "Fatem", "Mobalen", "Kareth", "Ulimpa", "Sapisa", "Howay", "Rumaropen", "Mandowen",
    "Korwa", "Mambrasar", "Sesa", "Duwith", "Kondjol", "Salossa", "Sagrim", "Kladit", "Momot",
    "Baru", "Sapulete", "Latuconsina", "Rahayaan", "Wattimena", "Pattiasina", "Lakotani",
    "Saleh", "Rahman", "Hidayat", "Santoso", "Wijaya", "Saputra", "Setiawan", "Kurniawan",
    "Hamid", "Hakim", "Daeng", "Rasyid", "Nasution", "Siregar", "Simanjuntak", "Tanamal",
    "Kaisiepo", "Rumere", "Ansaka", "Womsiwor", "Karubaba", "Ayomi", "Idie", "Bonsapia",
]  # fmt: skip
TITLES_PRE = ["H. ", "Hj. ", "Ir. ", "Dr. "]
TITLES_POST = [", S.Pd", ", S.E.", ", S.Sos", ", A.Md"]

GROUPS = {
    # group: (share of people, occupations, share women)
    "pedagang": (0.47, ["Pedagang", "Pedagang Sayur", "Pedagang Pinang", "Pedagang Ikan"], 0.62),
    "ojek": (0.31, ["Pengemudi Ojek", "Ojek"], 0.04),
    "honorer": (0.13, ["Honorer", "Tenaga Honorer", "Pegawai Honorer"], 0.45),
    "nelayan": (0.09, ["Nelayan", "Buruh Pelabuhan", "Buruh Bangunan"], 0.1),
}


@dataclasses.dataclass
class Lists:
    """The generated lists: ``files`` (source name -> paths), ``listed_on`` per source,
    ``truth`` (source, file_name, sheet, row_number, person_key) and ``people``."""

    files: dict[str, list[Path]]
    listed_on: dict[str, dt.date]
    truth: pl.DataFrame
    people: pl.DataFrame


def _kota_sorong() -> tuple[list[str], pl.DataFrame]:
    r = regions()
    districts = r.filter((pl.col("level") == 3) & pl.col("kode").str.starts_with("96.71."))
    villages = r.filter((pl.col("level") == 4) & pl.col("kode").str.starts_with("96.71."))
    return districts.get_column("kode").to_list(), villages.select(
        village_code="kode", village="nama", district_code="parent"
    )


def people(n: int, seed: int = 2024, today: dt.date = dt.date(2024, 12, 31)) -> pl.DataFrame:
    """``n`` distinct synthetic people of Kota Sorong with a unique NIK each."""
    rng = np.random.default_rng(seed)
    group_names = list(GROUPS)
    shares = np.array([GROUPS[g][0] for g in group_names])
    group = rng.choice(len(group_names), size=n, p=shares / shares.sum())
    women_share = np.array([GROUPS[g][2] for g in group_names])[group]
    female = rng.random(n) < women_share
    age_days = rng.integers(18 * 365, 64 * 365, size=n)
    birth = np.datetime64(today) - age_days.astype("timedelta64[D]")
    _, villages = _kota_sorong()
    vidx = rng.integers(0, villages.height, size=n)
    old_code = rng.random(n) < 0.4  # issued before the 2022 split: 9271...
    first = np.where(
        female,
        np.array(FEMALE)[rng.integers(0, len(FEMALE), n)],
        np.array(MALE)[rng.integers(0, len(MALE), n)],
    )
    middle_m = np.array(MALE)[rng.integers(0, len(MALE), n)]
    has_middle = rng.random(n) < 0.25
    last = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    name = np.where(has_middle, np.char.add(np.char.add(first, " "), middle_m), first)
    name = np.char.add(np.char.add(name, " "), last)
    desil = rng.choice(np.arange(1, 11), size=n, p=_desil_weights())
    occ_pick = rng.random(n)
    phone_digits = rng.integers(10**8, 10**9, size=n).astype(str)
    operator = np.array(["812", "813", "821", "822", "852", "853", "811", "857"])[
        rng.integers(0, 8, n)
    ]
    frame = pl.DataFrame(
        {
            "person_key": np.arange(1, n + 1, dtype=np.int64),
            "group": np.array(group_names)[group],
            "sex": np.where(female, "P", "L"),
            "birth_date": birth.astype("datetime64[D]"),
            "name": name,
            "village_code": villages.get_column("village_code").to_numpy()[vidx],
            "village": villages.get_column("village").to_numpy()[vidx],
            "district_code": villages.get_column("district_code").to_numpy()[vidx],
            "old_code": old_code,
            "desil": desil.astype(np.int16),
            "occ_pick": occ_pick,
            "phone": np.char.add(np.char.add("0", operator), phone_digits),
            "serial": rng.integers(1, 10000, size=n),
        }
    ).with_columns(pl.col("birth_date").cast(pl.Date))
    occupation = pl.lit(None, dtype=pl.String)
    for g, (_, occs, _) in GROUPS.items():
        pick = (pl.col("occ_pick") * len(occs)).cast(pl.Int32).clip(0, len(occs) - 1)
        occupation = pl.when(pl.col("group") == g).then(_pick(occs, pick)).otherwise(occupation)
    day = pl.col("birth_date").dt.day() + pl.when(pl.col("sex") == "P").then(40).otherwise(0)
    nik = pl.concat_str(
        pl.when(pl.col("old_code")).then(pl.lit("92")).otherwise(pl.lit("96")),
        pl.col("district_code").str.slice(3).str.replace_all(".", "", literal=True),
        day.cast(pl.String).str.zfill(2),
        pl.col("birth_date").dt.month().cast(pl.String).str.zfill(2),
        (pl.col("birth_date").dt.year() % 100).cast(pl.String).str.zfill(2),
        pl.col("serial").cast(pl.String).str.zfill(4),
    )
    frame = frame.with_columns(occupation=occupation, nik=nik).drop("occ_pick", "serial")
    # serials are random: make NIKs unique by bumping collisions
    dup = frame.select(pl.col("nik").is_duplicated()).to_series()
    while dup.any():
        frame = _bump(frame, dup, rng)
        dup = frame.select(pl.col("nik").is_duplicated()).to_series()
    return frame


def _pick(options: list[str], index: pl.Expr) -> pl.Expr:
    expr = pl.lit(options[0])
    for i, o in enumerate(options[1:], start=1):
        expr = pl.when(index == i).then(pl.lit(o)).otherwise(expr)
    return expr


def _bump(frame: pl.DataFrame, dup: pl.Series, rng: np.random.Generator) -> pl.DataFrame:
    serial = pl.Series([f"{s:04d}" for s in rng.integers(1, 10000, size=frame.height)])
    return frame.with_columns(
        nik=pl.when(dup).then(pl.col("nik").str.slice(0, 12) + serial).otherwise(pl.col("nik"))
    )


def _desil_weights() -> np.ndarray:
    w = np.array([22, 18, 15, 12, 10, 8, 6, 4, 3, 2], dtype=float)
    return w / w.sum()


# source -> (primary groups, file kind, listed on)
SOURCES: dict[str, tuple[tuple[str, ...], str, dt.date]] = {
    "Pasar Remu": (("pedagang",), "csv_semicolon_cp1252", dt.date(2023, 1, 16)),
    "Pasar Boswesen": (("pedagang",), "xlsx_blocks", dt.date(2023, 2, 6)),
    "Pangkalan Ojek": (("ojek",), "csv_bom", dt.date(2023, 3, 1)),
    "Honorer Pemkot": (("honorer",), "xlsx_dates", dt.date(2023, 1, 9)),
    "P3KE": (("nelayan",), "csv_p3ke", dt.date(2024, 7, 1)),
}

_MONTH_NAMES = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]  # fmt: skip


def appearances(pop: pl.DataFrame, seed: int = 2024) -> pl.DataFrame:
    """Which person appears on which list, how many times (overlap between lists, the same
    person twice on one list), before any typing errors."""
    rng = np.random.default_rng(seed + 1)
    n = pop.height
    sources = list(SOURCES)
    g = pop.get_column("group").to_numpy()
    primary = np.where(
        g == "pedagang",
        np.where(rng.random(n) < 0.55, "Pasar Remu", "Pasar Boswesen"),
        np.where(g == "ojek", "Pangkalan Ojek", np.where(g == "honorer", "Honorer Pemkot", "P3KE")),
    )
    rows = [pl.DataFrame({"person_key": pop["person_key"], "source": primary})]
    poor = pop.get_column("desil").to_numpy() <= 3
    p3ke = poor & (primary != "P3KE") & (rng.random(n) < 0.45)
    rows.append(pl.DataFrame({"person_key": pop["person_key"].filter(p3ke), "source": "P3KE"}))
    extra = rng.random(n) < 0.12
    others = np.array([s for s in sources if s not in ("Honorer Pemkot", "P3KE")])
    pick = others[rng.integers(0, len(others), n)]
    extra &= pick != primary
    rows.append(
        pl.DataFrame({"person_key": pop["person_key"].filter(extra), "source": pick[extra]})
    )
    twice = rng.random(n) < 0.015  # typed twice into the same list
    rows.append(
        pl.DataFrame({"person_key": pop["person_key"].filter(twice), "source": primary[twice]})
    )
    app = pl.concat(rows).join(pop, on="person_key", how="left")
    # lists are in no particular order
    return app.sample(fraction=1.0, shuffle=True, seed=seed + 2)


def _typo(name: pl.Expr, kind: pl.Expr, pos: pl.Expr, letter: pl.Expr) -> pl.Expr:
    """One typing error at ``pos`` (never the first letter): drop, swap or replace a letter."""
    left = name.str.slice(0, pos)
    right = name.str.slice(pos + 1)
    swapped = (
        left.str.slice(0, pos - 1) + name.str.slice(pos, 1) + name.str.slice(pos - 1, 1) + right
    )
    return (
        pl.when(kind == 0)
        .then(left + right)
        .when(kind == 1)
        .then(swapped)
        .otherwise(left + letter + right)
    )


def corrupt(app: pl.DataFrame, seed: int = 2024, *, rate: float = 1.0) -> pl.DataFrame:
    """Render each appearance as typed: text columns with the errors real lists have.
    ``rate`` scales every error rate (the benchmark uses its own mix)."""
    rng = np.random.default_rng(seed + 3)
    n = app.height
    u = {
        k: rng.random(n)
        for k in ("name", "title", "muh", "case", "bd", "nik", "ph", "area", "miss")
    }
    letters = np.array(list("aeiounrstk"))[rng.integers(0, 10, n)]
    f = app.with_columns(
        _u_name=pl.Series(u["name"]),
        _u_title=pl.Series(u["title"]),
        _u_muh=pl.Series(u["muh"]),
        _u_case=pl.Series(u["case"]),
        _u_bd=pl.Series(u["bd"]),
        _u_nik=pl.Series(u["nik"]),
        _u_ph=pl.Series(u["ph"]),
        _u_area=pl.Series(u["area"]),
        _u_miss=pl.Series(u["miss"]),
        _kind=pl.Series(rng.integers(0, 3, n)),
        _letter=pl.Series(letters),
        _pos_f=pl.Series(rng.random(n)),
        _ndig=pl.Series(rng.integers(0, 10, n).astype(str)),
        _title_pre=pl.Series(np.array(TITLES_PRE)[rng.integers(0, len(TITLES_PRE), n)]),
        _title_post=pl.Series(np.array(TITLES_POST)[rng.integers(0, len(TITLES_POST), n)]),
        _muh=pl.Series(np.array(["Muh.", "M.", "Moh.", "Muhamad"])[rng.integers(0, 4, n)]),
        _phone_fmt=pl.Series(rng.integers(0, 4, n)),
    )
    r = rate
    name = pl.col("name")
    pos = (pl.col("_pos_f") * (name.str.len_chars() - 2)).cast(pl.Int64) + 1
    name = (
        pl.when(pl.col("_u_name") < 0.08 * r)
        .then(_typo(name, pl.col("_kind"), pos, pl.col("_letter")))
        .otherwise(name)
    )
    name = (
        pl.when(name.str.starts_with("Muhammad ") & (pl.col("_u_muh") < 0.5))
        .then(pl.col("_muh") + name.str.slice(8))
        .otherwise(name)
    )
    name = (
        pl.when(pl.col("_u_title") < 0.04 * r)
        .then(pl.col("_title_pre") + name)
        .when(pl.col("_u_title") < 0.07 * r)
        .then(name + pl.col("_title_post"))
        .otherwise(name)
    )
    name = (
        pl.when((pl.col("source") == "P3KE") | (pl.col("_u_case") < 0.15))
        .then(name.str.to_uppercase())
        .when(pl.col("_u_case") < 0.18)
        .then(name.str.to_lowercase() + "  ")
        .otherwise(name)
    )
    name = pl.when(pl.col("_u_miss") < 0.002 * r).then(pl.lit("")).otherwise(name)
    bd = pl.col("birth_date")
    day, month, year = bd.dt.day(), bd.dt.month(), bd.dt.year()
    swap = (pl.col("_u_bd") < 0.02 * r) & (day <= 12) & (day != month)
    impossible = (pl.col("_u_bd") >= 0.02 * r) & (pl.col("_u_bd") < 0.024 * r)
    d_txt = pl.when(swap).then(month).otherwise(day).cast(pl.String).str.zfill(2)
    m_txt = pl.when(swap).then(day).otherwise(month).cast(pl.String).str.zfill(2)
    d_txt = pl.when(impossible).then(pl.lit("31")).otherwise(d_txt)
    m_txt = pl.when(impossible).then(pl.lit("02")).otherwise(m_txt)
    y_txt = year.cast(pl.String)
    month_name = _pick(_MONTH_NAMES, m_txt.cast(pl.Int64) - 1)
    bd_text = (
        pl.when(pl.col("source") == "P3KE")
        .then(pl.concat_str(y_txt, m_txt, d_txt, separator="-"))
        .when(pl.col("source") == "Pangkalan Ojek")
        .then(pl.concat_str(d_txt.str.strip_chars_start("0"), month_name, y_txt, separator=" "))
        .when(pl.col("source") == "Pasar Boswesen")
        .then(pl.concat_str(d_txt, m_txt, y_txt, separator="-"))
        .otherwise(pl.concat_str(d_txt, m_txt, y_txt, separator="/"))
    )
    nik = pl.col("nik")
    missing_rate = pl.when(pl.col("source") == "Pangkalan Ojek").then(0.10 * r).otherwise(0.03 * r)
    mangle_rate = pl.when(pl.col("source") == "Pasar Remu").then(0.02 * r).otherwise(0.0)
    mangled = pl.format(
        "{}.{}E+15", nik.str.slice(0, 1), nik.str.slice(1, 5).str.strip_chars_end("0")
    )
    typo_pos = 12 + (pl.col("_pos_f") * 4).cast(pl.Int64)
    nik_typo = nik.str.slice(0, typo_pos) + pl.col("_ndig") + nik.str.slice(typo_pos + 1)
    nik = (
        pl.when(pl.col("_u_nik") < missing_rate)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("_u_nik") < missing_rate + mangle_rate)
        .then(mangled)
        .when(pl.col("_u_nik") < missing_rate + mangle_rate + 0.01 * r)
        .then(nik_typo)
        .otherwise(nik)
    )
    nik = pl.when(nik.str.ends_with("0000")).then(nik.str.slice(0, 15) + "1").otherwise(nik)
    national = pl.col("phone").str.slice(1)
    phone = (
        pl.when(pl.col("_u_ph") < 0.3)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("_phone_fmt") == 0)
        .then(pl.col("phone"))
        .when(pl.col("_phone_fmt") == 1)
        .then(pl.format("+62 {}", national))
        .when(pl.col("_phone_fmt") == 2)
        .then(
            pl.format(
                "{}-{}-{}",
                pl.col("phone").str.slice(0, 4),
                pl.col("phone").str.slice(4, 4),
                pl.col("phone").str.slice(8),
            )
        )
        .otherwise(pl.format("62{}", national))
    )
    district_name = _district_names(pl.col("district_code"))
    district = (
        pl.when(pl.col("_u_area") < 0.08)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("_u_area") < 0.3)
        .then(pl.lit("Distrik ") + district_name)
        .when(pl.col("_u_area") < 0.45)
        .then(district_name.str.to_uppercase())
        .otherwise(district_name)
    )
    village = (
        pl.when(pl.col("_u_area") < 0.1)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("_u_area") > 0.85)
        .then(pl.lit("Kel. ") + pl.col("village"))
        .otherwise(pl.col("village"))
    )
    sex = (
        pl.when(pl.col("source") == "P3KE")
        .then(
            pl.when(pl.col("sex") == "P").then(pl.lit("Perempuan")).otherwise(pl.lit("Laki-laki"))
        )
        .otherwise(pl.col("sex"))
    )
    return f.select(
        "person_key",
        "source",
        nik_text=nik,
        name_text=name,
        bd_text=bd_text,
        birth_date="birth_date",
        swapped=swap,
        sex_text=sex,
        district_text=district,
        village_text=village,
        phone_text=phone,
        occupation="occupation",
        desil="desil",
        district_code="district_code",
        village_code="village_code",
    )


def _district_names(code: pl.Expr) -> pl.Expr:
    r = regions().filter((pl.col("level") == 3) & pl.col("kode").str.starts_with("96.71."))
    return code.replace_strict(dict(r.select("kode", "nama").iter_rows()), default=None)


def _write_csv(
    frame: pl.DataFrame, path: Path, *, sep: str, encoding: str, title: str | None
) -> int:
    """Write ``frame`` (all text) as a list typed by hand; returns the first data row number."""
    buf = io.StringIO()
    if title:
        buf.write(title + sep * (frame.width - 1) + "\n")
    frame.write_csv(buf, separator=sep, null_value="")
    data = buf.getvalue()
    path.write_bytes(
        (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"")
        + data.encode("cp1252" if encoding == "cp1252" else "utf-8", errors="replace")
    )
    return 3 if title else 2


def write_lists(out_dir: Path, n_people: int = 19_336, seed: int = 2024) -> Lists:
    """Generate the people, their appearances on the lists, and write the lists as the files a
    Pemda receives (CSV and XLSX, each with its own headers and habits)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pop = people(n_people, seed)
    rows = corrupt(appearances(pop, seed), seed)
    files: dict[str, list[Path]] = {}
    truth: list[pl.DataFrame] = []
    for source, (_, kind, _) in SOURCES.items():
        part = rows.filter(pl.col("source") == source)
        slug = source.lower().replace(" ", "_")
        if kind == "csv_semicolon_cp1252":
            table = part.select(
                pl.int_range(1, pl.len() + 1).cast(pl.String).alias("No."),
                pl.col("nik_text").alias("No. KTP"),
                pl.col("name_text").alias("Nama Lengkap"),
                pl.col("bd_text").alias("Tgl Lahir"),
                pl.col("sex_text").alias("L/P"),
                pl.col("district_text").alias("Distrik"),
                pl.col("village_text").alias("Kelurahan"),
                pl.col("phone_text").alias("No HP"),
                pl.col("occupation").alias("Jenis Usaha"),
            )
            path = out_dir / f"{slug}.csv"
            first = _write_csv(
                table, path, sep=";", encoding="cp1252", title="DAFTAR PEDAGANG PASAR REMU 2023"
            )
            files[source] = [path]
            truth.append(_truth(part, source, path.name, None, first))
        elif kind == "csv_bom":
            table = part.select(
                pl.col("name_text").alias("Nama"),
                pl.col("nik_text").alias("NIK"),
                pl.col("bd_text").alias("Tanggal Lahir"),
                pl.col("sex_text").alias("Jenis Kelamin"),
                pl.col("phone_text").alias("No. HP"),
                pl.col("district_text").alias("Kecamatan"),
                pl.lit("Pangkalan Remu").alias("Pangkalan"),
            )
            path = out_dir / f"{slug}.csv"
            first = _write_csv(table, path, sep=",", encoding="utf-8-sig", title=None)
            files[source] = [path]
            truth.append(_truth(part, source, path.name, None, first))
        elif kind == "csv_p3ke":
            table = part.select(
                pl.format("P3KE-{}", pl.col("person_key")).alias("id_keluarga_p3ke"),
                pl.lit("PAPUA BARAT DAYA").alias("provinsi"),
                pl.lit("KOTA SORONG").alias("kabupaten"),
                pl.col("district_text").alias("kecamatan"),
                pl.col("village_text").alias("desa"),
                pl.col("desil").cast(pl.String).alias("desil_kesejahteraan"),
                pl.col("name_text").alias("nama_lengkap"),
                pl.col("nik_text").alias("nik"),
                pl.col("sex_text").alias("jenis_kelamin"),
                pl.lit("Kepala Keluarga").alias("hubungan_dengan_kepala_keluarga"),
                pl.col("bd_text").alias("tanggal_lahir"),
                pl.col("occupation").alias("pekerjaan"),
            )
            path = out_dir / "p3ke_kota_sorong.csv"
            first = _write_csv(table, path, sep=",", encoding="utf-8", title=None)
            files[source] = [path]
            truth.append(_truth(part, source, path.name, None, first))
        else:
            path = out_dir / f"{slug}.xlsx"
            files[source] = [path]
            truth.extend(_write_xlsx(part, source, kind, path))
    return Lists(
        files=files,
        listed_on={s: v[2] for s, v in SOURCES.items()},
        truth=pl.concat(truth),
        people=pop,
    )


def _truth(
    part: pl.DataFrame, source: str, file_name: str, sheet: str | None, first: int
) -> pl.DataFrame:
    return part.select(
        pl.lit(source).alias("source"),
        pl.lit(file_name).alias("file_name"),
        pl.lit(sheet, dtype=pl.String).alias("sheet"),
        (pl.int_range(pl.len()) + first).cast(pl.Int32).alias("row_number"),
        "person_key",
    )


def _write_xlsx(part: pl.DataFrame, source: str, kind: str, path: Path) -> list[pl.DataFrame]:
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    out = []
    if kind == "xlsx_blocks":
        half = part.height // 2
        blocks = {"Blok A": part.slice(0, half), "Blok B": part.slice(half)}
        headers = [
            "NO",
            "NIK",
            "NAMA",
            "TANGGAL LAHIR",
            "JENIS KELAMIN",
            "KELURAHAN",
            "HP",
            "USAHA",
        ]
        cols = [
            "nik_text",
            "name_text",
            "bd_text",
            "sex_text",
            "village_text",
            "phone_text",
            "occupation",
        ]
        for sheet, block in blocks.items():
            ws = wb.add_worksheet(sheet)
            ws.write(0, 0, f"DATA PEDAGANG PASAR BOSWESEN - {sheet.upper()}")
            ws.write_row(2, 0, headers)
            for i, row in enumerate(block.select(cols).iter_rows()):
                ws.write_number(3 + i, 0, i + 1)
                for j, v in enumerate(row):
                    if v is not None:
                        ws.write_string(3 + i, 1 + j, str(v))
            out.append(_truth(block, source, path.name, sheet, 4))
    else:  # honorer: real date cells, income, title row
        ws = wb.add_worksheet("Honorer 2023")
        ws.write(0, 0, "DAFTAR TENAGA HONORER PEMERINTAH KOTA SORONG")
        headers = [
            "No",
            "Nama Lengkap",
            "NIK",
            "Tgl. Lahir",
            "L/P",
            "Distrik",
            "Unit Kerja",
            "Penghasilan",
        ]
        ws.write_row(1, 0, headers)
        rows = part.select(
            "name_text", "nik_text", "birth_date", "bd_text", "sex_text", "district_text"
        ).iter_rows()
        for i, (name, nik, bd, bd_text, sex, district) in enumerate(rows):
            r = 2 + i
            ws.write_number(r, 0, i + 1)
            ws.write_string(r, 1, name or "")
            if nik is not None:
                ws.write_string(r, 2, nik)
            if bd_text and not bd_text.startswith("31/02") and bd_text[:5] == bd.strftime("%d/%m"):
                ws.write_datetime(r, 3, dt.datetime(bd.year, bd.month, bd.day), date_fmt)
            else:  # a swapped or impossible date, typed as text
                ws.write_string(r, 3, bd_text or "")
            ws.write_string(r, 4, sex or "")
            if district:
                ws.write_string(r, 5, district)
            ws.write_string(r, 6, "Dinas Kebersihan" if i % 3 else "Sekretariat Daerah")
            ws.write_string(r, 7, "Rp 1.500.000")
        out.append(_truth(part, source, path.name, "Honorer 2023", 3))
    wb.close()
    return out


def pair_quality(links: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Precision, recall and F1 of deduplication over pairs of linked source rows.

    ``links`` has ``source``, ``file``, ``sheet``, ``row``, ``person_id``; ``truth`` has
    ``source``, ``file_name``, ``sheet``, ``row_number``, ``person_key``. Counts pairs per
    group (n choose 2) instead of listing them, so it works at a million rows.
    """
    joined = links.filter(pl.col("person_id").is_not_null()).join(
        truth.rename({"file_name": "file", "row_number": "row"}).with_columns(
            pl.col("row").cast(pl.Int64)
        ),
        on=["source", "file", "sheet", "row"],
        how="inner",
        nulls_equal=True,
    )

    def pairs(keys: list[str]) -> int:
        n = joined.group_by(keys).len().get_column("len").cast(pl.Int64)
        return int((n * (n - 1) // 2).sum())

    tp = pairs(["person_id", "person_key"])
    predicted = pairs(["person_id"])
    actual = pairs(["person_key"])
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "rows": joined.height,
        "true_pairs": actual,
        "predicted_pairs": predicted,
    }
