"""Vectorised parsing and normalisation of the values people type into worker lists.

Each function takes and returns a Polars expression over a String column, so a million rows
are parsed in one pass. A value that cannot be parsed becomes null; the caller compares with
the raw value to raise an issue.
"""

from __future__ import annotations

import re

import polars as pl

from jaring.dates import FIRST_YEAR, LAST_YEAR

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8, "agust": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
_EXCEL_EPOCH_DAYS = -25569  # days from 1970-01-01 back to 1899-12-30


def parse_date(col: pl.Expr) -> pl.Expr:
    """Dates in the forms Indonesians type: 31/12/1980, 31-12-1980, 31.12.1980, 1980-12-31,
    "31 Desember 1980", "31 Des 1980", and Excel serials (29586). Impossible dates are null.

    Two-digit years are not guessed (they are ambiguous for birth dates): null. So is a
    year outside the dates Jaring works with (:data:`jaring.dates.FIRST_YEAR` ..
    :data:`~jaring.dates.LAST_YEAR`): "0001-01-01" is a typing slip, and Polars would hold a
    year 0 that Python's dates cannot.
    """
    s = col.str.strip_chars().str.to_lowercase()
    # ISO, possibly with a time part from a spreadsheet ("1980-12-31 00:00:00")
    iso = s.str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ t]\d.*)?$", 1)
    dmy = s.str.extract(r"^(\d{1,2}[/\-.]\d{1,2}[/\-.]\d{4})$", 1).str.replace_all(r"[/.]", "-")
    # "31 desember 1980", "31-des-1980", "31 des. 1980"
    words = s.str.extract_groups(r"^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})$")
    month = words.struct.field("2").replace_strict(_MONTHS, default=None, return_dtype=pl.String)
    named = pl.concat_str([words.struct.field("1"), month, words.struct.field("3")], separator="-")
    serial = s.str.extract(r"^(\d{4,5})(?:\.0+)?$", 1).cast(pl.Int32, strict=False)
    from_serial = (
        pl.when(serial.is_between(1, 73051))  # 1900-01-01 .. 2099-12-31
        .then((serial + _EXCEL_EPOCH_DAYS).cast(pl.Date))
        .otherwise(None)
    )
    found = pl.coalesce(
        iso.str.to_date("%Y-%m-%d", strict=False),
        dmy.str.to_date("%d-%m-%Y", strict=False),
        named.str.to_date("%d-%m-%Y", strict=False),
        from_serial,
    )
    return pl.when(found.dt.year().is_between(FIRST_YEAR, LAST_YEAR)).then(found).otherwise(None)


_TITLES = {
    "h", "hj", "haji", "hajjah", "ir", "dr", "drs", "dra", "prof", "ustad", "ustadz", "bpk",
    "bapak", "ibu", "ny", "nn", "sdr", "sdri", "tn", "pdt", "spd", "se", "sh", "st", "ssos",
    "skom", "sag", "sip", "skep", "sked", "sfarm", "ssi", "spsi", "shut", "spt", "sak", "skm",
    "mm", "mpd", "msi", "mh", "mt", "mkes", "amd", "amdkeb", "amdkep", "bsc", "ba", "ma", "mba",
    "spdi", "sth", "ssn", "str", "mkom",
}  # fmt: skip
# Short forms of Muhammad. Not "M." alone: in Papua "M. Mobalen" is as often Markus or
# Maria, and a single letter stays an initial, which the dedupe and the search read as the
# first letter of a given name (it matches "muhammad" and "markus" alike).
_MUHAMMAD = {
    "muh", "moh", "mhd", "mohd", "muhd", "mochammad", "mohammad", "mohamad", "muhamad",
    "muhammad", "mochamad", "muchammad", "muhamat", "mukhammad", "mukhamad", "moch", "much",
}  # fmt: skip

# Degrees written with dots and optional spaces: "S.Pd", "S. Pd.", "A.Md.Keb", "M.M"
_DEGREE = r"\b(?:s|m|a|d)\.\s?(?:pd\.?i|pd|e|h|t|kom|sos|ag|ip|kep|ked|farm|si|psi|hut|pt|ak|kes|m|md|md\.keb|md\.kep|hum|sn|p|th|tr|keb|sc|a|ba)\b\.?"


def normalise_name(col: pl.Expr) -> pl.Expr:
    """A name for matching: lower case, titles and degrees gone ("H.", "Hj.", "Ir.", "S.Pd"),
    "Muh."/"Moh."/"Mhd." -> "muhammad" ("M." stays the initial "m"), punctuation dropped,
    single spaces. Empty -> null."""
    s = (
        col.str.to_lowercase()
        .str.replace_all(r",", " ")
        .str.replace_all(_DEGREE, " ")
        .str.replace_all(r"[^a-z' ]", " ")
        .str.replace_all(r"'", "")
        .str.strip_chars()
        .str.split(" ")
        .list.eval(
            pl.element()
            .filter((pl.element() != "") & ~pl.element().is_in(list(_TITLES)))
            .replace(dict.fromkeys(_MUHAMMAD, "muhammad"))
        )
        .list.join(" ")
    )
    return pl.when(s.str.len_chars() > 0).then(s).otherwise(None)


# A name of ASCII letters in words split by single spaces, none of them a title or a short
# form of Muhammad ("muhammad" itself maps to itself): normalise_name only lowercases it.
_PLAIN_NAME = r"^[A-Za-z]+(?: [A-Za-z]+)*$"
_NAME_TOKENS = (
    r"(?i-u)\b(?:" + "|".join(sorted((_TITLES | _MUHAMMAD) - {"muhammad"})) + r")\b"
)  # ASCII \b: the words it looks at are ASCII letters


def plain_name(col: pl.Expr) -> pl.Expr:
    """Whether :func:`normalise_name` of ``col`` is only ``col`` lowercased: ASCII letters in
    words split by single spaces (no comma, dot, degree, apostrophe, digit or other letter),
    none of them a title or a short form of Muhammad. 81% of the benchmark's distinct names."""
    return col.str.contains(_PLAIN_NAME) & ~col.str.contains(_NAME_TOKENS)


_PLAIN_ONE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_SPECIAL_WORDS = frozenset((_TITLES | _MUHAMMAD) - {"muhammad"})


def normalise_one(value: str) -> str | None:
    """:func:`normalise_name` of one value (a query typed in a search box): a plain name
    (:func:`plain_name`, after its outer spaces) lowercased in Python, anything else through
    the Polars expression. Equal to the expression for every string (a property test holds
    them together); a plain query costs microseconds instead of a Polars query plan."""
    stripped = value.strip()
    if _PLAIN_ONE.fullmatch(stripped):
        lowered = stripped.lower()
        if not _SPECIAL_WORDS.intersection(lowered.split(" ")):
            return lowered
    out = pl.select(normalise_name(pl.lit(value, dtype=pl.String))).item()
    return None if out is None else str(out)


def normalise_names(frame: pl.LazyFrame, col: str, out: str) -> pl.LazyFrame:
    """``frame`` with ``out`` = :func:`normalise_name` of ``col``, rows in any order: the plain
    names (:func:`plain_name`) are only lowercased, the others take the regexes and the split
    and join of words. The frame is split, not a when/then, which Polars evaluates on both
    branches for every row."""
    marked = frame.with_columns(_plain=plain_name(pl.col(col)).fill_null(False))
    plain = marked.filter("_plain").with_columns(pl.col(col).str.to_lowercase().alias(out))
    other = marked.filter(~pl.col("_plain")).with_columns(normalise_name(pl.col(col)).alias(out))
    return pl.concat([plain, other]).drop("_plain")


def normalise_phone(col: pl.Expr) -> pl.Expr:
    """An Indonesian mobile or landline number in +62 form; null when it cannot be one
    (fewer than 8 or more than 13 national digits)."""
    digits = col.str.replace_all(r"[^0-9]", "")
    national = digits.str.replace(r"^(?:62|0)", "")  # "62..." loses 62, "0..." loses 0
    ok = national.str.contains(r"^[1-9][0-9]{7,12}$")  # ASCII class: \d is Unicode, slower
    return pl.when(ok).then(pl.concat_str(pl.lit("+62"), national))


_SEX = {
    "l": "L", "lk": "L", "laki": "L", "lakilaki": "L", "pria": "L", "m": "L", "male": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P", "w": "P",
}  # fmt: skip


def normalise_sex(col: pl.Expr) -> pl.Expr:
    """'L'/'P' from "L", "Laki-laki", "Pria", "P", "Perempuan", "Wanita"... else null."""
    key = col.str.to_lowercase().str.replace_all(r"[^a-z]", "")
    return key.replace_strict(_SEX, default=None, return_dtype=pl.String)


def parse_rupiah(col: pl.Expr) -> pl.Expr:
    """Whole rupiah from "Rp 1.500.000", "1,500,000", "1500000", "1.5 jt" -> Int64 (else null).

    Indonesian writes "." for thousands; a trailing ",00" is cents and dropped.
    """
    s = col.str.to_lowercase().str.replace_all(r"rp\.?|\s", "")
    jt = s.str.extract(r"^(\d+(?:[.,]\d+)?)(?:jt|juta)$", 1)
    millions = (jt.str.replace(",", ".").cast(pl.Float64, strict=False) * 1_000_000).round(0)
    plain = s.str.replace(r"[.,]00$", "").str.replace_all(r"[.,]", "")
    return pl.coalesce(
        millions.cast(pl.Int64, strict=False),
        pl.when(plain.str.contains(r"^\d{1,13}$")).then(plain).cast(pl.Int64, strict=False),
    )


def normalise_place(col: pl.Expr) -> pl.Expr:
    """A region name for lookup: lower case, "Distrik"/"Kecamatan"/"Kel."/"Desa" prefixes
    gone, letters only, single spaces."""
    return (
        col.str.to_lowercase()
        .str.replace(r"^\s*(distrik|kecamatan|kec\.?|kelurahan|kel\.?|desa|kampung)\s+", "")
        .str.replace_all(r"[^a-z ]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
