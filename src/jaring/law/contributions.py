"""BPJS TK contributions, for one worker or for millions of worker-months, by the same code.

The parameters in force on a date are a handful of scalars (33 band edges, a few rates, a wage
cap). :func:`frame` checks and encodes the input once (Polars, vectorised), resolves the
parameters once per distinct date, and computes every column with numpy int64 arithmetic in
blocks of rows written straight into the output columns: no per-row Python, no floats, each
parameter's rounding rule applied by :func:`jaring.law.rounding.apply_bp`. BPU amounts come
from per-band tables (one integer division and a gather per worker); PU amounts are computed
on the PU rows. The one-worker calls :func:`bpu` and :func:`pu` run the same block code on
arrays of length 1 (no frame is built) and add the explanation lines from the same resolved
parameters.

Columns of a contribution frame (all Int64, whole rupiah):

- ``base``: the BPU band's base income ("dasar penghasilan"), or the PU wage;
- ``jkk``, ``jkm``: the two programs a Pemda pays for pekerja rentan;
- ``jht``: BPU optional JHT, or for PU the employer + worker JHT;
- ``jht_employer``, ``jht_worker``, ``jp_employer``, ``jp_worker``: PU shares (0 for BPU);
- ``discount``: PP 49/2020 relief or the PP 50/2025 discount (self-paying BPU only);
- ``total`` = jkk + jkm + jht + jp_employer + jp_worker - discount.
"""

from __future__ import annotations

import bisect
import contextvars
import datetime as dt
import functools
import math
import re
from typing import Any, cast

import numpy as np
import polars as pl

from jaring.errors import JaringError
from jaring.law.amount import Amount, ExplanationLine, is_uncertain
from jaring.law.parameters import LAW_START, Entry, ParameterError, params
from jaring.law.rounding import apply_bp

SEGMENTS = ("bpu", "pu")
RISKS = ("sangat-rendah", "rendah", "sedang", "tinggi", "sangat-tinggi")
PAYERS = ("apbd", "self")
#: Larger declared incomes or wages are refused: no worker earns a trillion rupiah a month,
#: and the bound keeps ``amount * basis points`` far inside Int64.
MAX_RUPIAH = 1_000_000_000_000
OUTPUT = (
    "base",
    "jkk",
    "jkm",
    "jht",
    "jht_employer",
    "jht_worker",
    "jp_employer",
    "jp_worker",
    "discount",
    "total",
)
BPU_PARAMS = ("bpu.income_bands", "bpu.jkk_rate", "bpu.jkm", "bpu.jht_rate", "discounts.pp50_2025")
PU_PARAMS = (
    "pu.jkk_rates",
    "pu.jkm_rate",
    "pu.jht_rate_employer",
    "pu.jht_rate_worker",
    "pu.jp_rate_employer",
    "pu.jp_rate_worker",
    "pu.jp_wage_cap",
)
COMMON_PARAMS = ("discounts.pp49_2020",)
#: Set while :func:`bpu`/:func:`pu` run, so refusals name the field rather than "row 1".
_single: contextvars.ContextVar[bool] = contextvars.ContextVar("single", default=False)


def _date(on: Any) -> dt.date:
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    raise JaringError(
        "bad_date",
        f"Tanggal tidak sah: {on!r}",
        f"Not a date: {on!r}",
        value=str(on),
    )


def check_date(on: dt.date) -> dt.date:
    """Refuse a date before the law (1 July 2015) with a message naming it."""
    on = _date(on)
    if on < LAW_START:
        raise ParameterError(
            "date_before_law",
            f"Tanggal {on.isoformat()} sebelum program BPJS TK berlaku ({LAW_START.isoformat()})",
            f"Date {on.isoformat()} is before the BPJS TK programs started ({LAW_START.isoformat()})",
            date=on.isoformat(),
        )
    return on


@functools.lru_cache(maxsize=4096)
def resolve(on: dt.date, segments: tuple[str, ...] = SEGMENTS) -> dict[str, Entry]:
    """The parameter entries in force on ``on`` for the given segments.

    Only the segments present are resolved, so a frame of BPU workers in 2026 computes even
    though the 2026 JP wage cap is unknown; one PU worker in it raises the error naming
    ``pu.jp_wage_cap``.
    """
    check_date(on)
    names: list[str] = list(COMMON_PARAMS)
    if "bpu" in segments:
        names += BPU_PARAMS
    if "pu" in segments:
        names += PU_PARAMS
    tree = params()
    return {name: tree.entry(name, on) for name in names}


def _key(entries: dict[str, Entry]) -> tuple[tuple[str, dt.date], ...]:
    """Two dates with the same key have the same parameter values."""
    return tuple(sorted((n, e.effective_from) for n, e in entries.items()))


# --- input checking -------------------------------------------------------------------------


def _refuse(code: str, id_: str, en: str, df: pl.DataFrame, bad: pl.Expr, field: str) -> None:
    """Raise for the first row where ``bad`` holds, naming its 1-based row and value."""
    rows = df.with_row_index("_row").filter(bad).head(1)
    if rows.height:
        row = int(rows["_row"][0]) + 1
        value = rows[field][0] if field in rows.columns else None
        if _single.get():  # one worker: there is no "row" to speak of
            raise JaringError(
                code,
                f"{id_} ({field} = {value!r})",
                f"{en} ({field} = {value!r})",
                field=field,
                value=None if value is None else str(value),
            )
        raise JaringError(
            code,
            f"{id_} (baris {row}, kolom {field}, nilai {value!r})",
            f"{en} (row {row}, field {field}, value {value!r})",
            row=row,
            field=field,
            value=None if value is None else str(value),
        )


def _as_int(df: pl.DataFrame, name: str) -> pl.DataFrame:
    dtype = df.schema[name]
    if dtype == pl.Int64:
        return df
    if dtype.is_float():
        _refuse(
            "not_whole_rupiah",
            "Nilai rupiah harus bilangan bulat",
            "Rupiah amounts must be whole numbers",
            df,
            pl.col(name).is_not_null() & (pl.col(name) != pl.col(name).floor()),
            name,
        )
    elif dtype == pl.String:
        _refuse(
            "not_a_number",
            "Nilai rupiah bukan angka",
            "Rupiah amount is not a number",
            df,
            pl.col(name).is_not_null()
            & pl.col(name).str.strip_chars().str.to_integer(strict=False).is_null(),
            name,
        )
        return df.with_columns(pl.col(name).str.strip_chars().str.to_integer(strict=False))
    elif dtype == pl.Null or dtype.is_integer():
        pass
    else:
        raise JaringError(
            "bad_column",
            f"Kolom {name} harus angka, bukan {dtype}",
            f"Column {name} must be numeric, not {dtype}",
            field=name,
        )
    return df.with_columns(pl.col(name).cast(pl.Int64))


def _normalised(expr: pl.Expr) -> pl.Expr:
    """Text as users type it (``Sangat_Tinggi``, `` BPU``) in the form the law uses."""
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase().str.replace_all(r"[_\s]+", "-")


def _code(text: str, codes: tuple[str, ...]) -> int:
    """The position of ``text`` (normalised as :func:`_normalised` does) in ``codes``, or -1."""
    norm = re.sub(r"[_\s]+", "-", text.strip().lower())
    return codes.index(norm) if norm in codes else -1


def _text_codes(
    df: pl.DataFrame,
    name: str,
    codes: tuple[str, ...],
    where: np.ndarray | None,
    message: tuple[str, str, str],
    *,
    null_ok: bool = True,
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray | None]:
    """Each row's position in ``codes`` and which rows are not empty (None: all of them),
    refusing an unknown value (or an empty one unless ``null_ok``) in the rows ``where``
    holds (all when None).

    An empty row's position is unspecified: read it only where valid. An Enum column is small
    integers into its categories: when they are the law's codes in order (as Jaring's store
    keeps them) its integers are the positions, read without a copy; other categories are
    mapped once and gathered. Text costs one comparison per code, on the ``where`` rows only;
    only when a value is unknown are the texts normalised (case, spaces, underscores) and tried
    again.
    """

    def lookup(series: pl.Series) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(positions, valid or None, bad rows or None when there is none)."""
        if isinstance(series.dtype, pl.Enum):
            cats = series.dtype.categories.to_list()
            lut = np.array([_code(c, codes) for c in cats], dtype=np.int8)
            values, valid = _numbers(series.to_physical()).whole()
            bad: np.ndarray | None = None
            if np.array_equal(lut, np.arange(len(lut))):
                idx = values
            else:
                idx = np.take(lut, values, mode="clip")  # a null slot may hold anything
                if (lut < 0).any():
                    bad = idx < 0 if valid is None else (idx < 0) & valid
            if valid is not None and not null_ok:
                bad = ~valid if bad is None else bad | ~valid
            if bad is not None and where is not None:
                bad &= where
            return idx, valid, bad
        if series.dtype != pl.String:
            series = series.cast(pl.String)
        rows = None if where is None else np.flatnonzero(where)
        if rows is not None:
            series = series.gather(rows)
        col = pl.col(series.name)
        code: Any = pl.when(col == codes[0]).then(0)
        for i, text in enumerate(codes[1:], 1):
            code = code.when(col == text).then(i)
        unknown = code.otherwise(-1) < 0
        if null_ok:
            unknown = unknown & col.is_not_null()
        found = series.to_frame().select(
            code.otherwise(-1).cast(pl.Int8).alias("code"), unknown.cast(pl.UInt8).alias("bad")
        )
        idx, bad = found["code"].to_numpy(), found["bad"].to_numpy().view(np.bool_)
        if rows is not None:
            full, mask = np.full(df.height, -1, dtype=np.int8), np.zeros(df.height, dtype=bool)
            full[rows], mask[rows] = idx, bad
            idx, bad = full, mask
        return idx, None, bad

    idx, valid, bad = lookup(df[name])
    if bad is not None and bad.any():
        df = df.with_columns(_normalised(pl.col(name)).alias(name))
        idx, valid, bad = lookup(df[name])
        if bad is not None:
            _refuse_mask(message[0], message[1], message[2], df, bad, name)
    return df, idx, valid


def _check_amounts(
    df: pl.DataFrame, field: str, word: str, pieces: _Pieces, where: np.ndarray
) -> None:
    """Refuse an empty, negative or absurd amount in the rows ``where`` this field counts.

    A first look, chunk by chunk, tests for any fault at all: an empty row where the field
    counts, and in one pass both the negative and the absurd (seen as unsigned, a negative
    amount is larger than any bound). Only when it finds one is the column joined and tested
    by row masks, in order, refusing the first row: empty rows first (a null slot holds an
    unspecified number, so a hit there alone is no fault).
    """
    start = 0
    for values, valid in zip(pieces.values, pieces.valid, strict=True):
        end = start + len(values)
        if (valid is not None and (~valid & where[start:end]).any()) or (
            len(values) and values.view(np.uint64).max() > MAX_RUPIAH
        ):
            break
        start = end
    else:
        return
    values, valid = pieces.whole()
    if valid is not None:
        _refuse_mask(
            "missing_value", f"{word} kosong", f"{field} is empty", df, ~valid & where, field
        )
    _refuse_mask(
        f"negative_{field}",
        f"{word} tidak boleh negatif",
        f"{field.capitalize()} must not be negative",
        df,
        (values < 0) & where,
        field,
    )
    _refuse_mask(
        "amount_too_large",
        "Nilai rupiah terlalu besar",
        "Rupiah amount too large",
        df,
        (values > MAX_RUPIAH) & where,
        field,
    )


def _refuse_mask(
    code: str, id_: str, en: str, df: pl.DataFrame, bad: np.ndarray, field: str
) -> None:
    if bad.any():
        _refuse(code, id_, en, df, pl.lit(pl.Series(bad)), field)


def _bits(buffer: Any, offset: int, n: int) -> np.ndarray:
    """An Arrow bitmap (validity or Boolean values) as a numpy bool array."""
    packed = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little", count=offset + n)[offset:].view(np.bool_)


def _chunks(series: pl.Series) -> list[Any]:
    """The Arrow arrays of a Series, one per chunk, without copying.

    ``Series.to_arrow`` would first concatenate the chunks (a Parquet file arrives in dozens),
    which costs more than the whole computation on them.
    """
    if series.n_chunks() == 1:
        return [series.to_arrow()]
    return list(series.to_frame().to_arrow().column(0).chunks)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _bools(series: pl.Series) -> np.ndarray:
    """A Boolean Series without nulls as a numpy bool array, read from its Arrow bitmaps."""
    return _joined([_bits(a.buffers()[1], a.offset, len(a)) for a in _chunks(series)])


class _Pieces:
    """An integer column as the Arrow chunks it arrived in: values, and valid or None, per chunk.

    A Parquet file arrives in dozens of chunks; joining them would copy the column (80 MB per
    10M rows) into fresh memory, which costs more than the computation on it. The computation
    reads it block by block (:func:`_ranges` ends blocks where chunks end, so a block is a view
    of one chunk); only a refusal joins the whole column.
    """

    def __init__(self, values: list[np.ndarray], valid: list[np.ndarray | None]) -> None:
        self.values, self.valid = values, valid
        self.ends: list[int] = np.cumsum([len(v) for v in values]).tolist()

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    def __getitem__(self, key: slice) -> np.ndarray:
        """Rows ``start:stop``: a view when they lie in one chunk, else a (small) copy."""
        start, stop, _ = key.indices(len(self))
        parts: list[np.ndarray] = []
        while start < stop or not parts:
            i = min(bisect.bisect_right(self.ends, start), len(self.ends) - 1)
            first = self.ends[i] - len(self.values[i])
            end = min(stop, self.ends[i])
            parts.append(self.values[i][start - first : end - first])
            start = end
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def whole(self) -> tuple[np.ndarray, np.ndarray | None]:
        """(values, valid or None) of the whole column, joined when it has several chunks."""
        if all(v is None for v in self.valid):
            return _joined(self.values), None
        return _joined(self.values), _joined(
            [
                np.ones(len(x), dtype=bool) if v is None else v
                for x, v in zip(self.values, self.valid, strict=True)
            ]
        )


#: An input column as the computation reads it: a numpy array, or an integer column in chunks.
Column = np.ndarray | _Pieces


def _numbers(series: pl.Series) -> _Pieces:
    """An integer Series read from its Arrow buffers, without copying or filling its nulls.

    A null slot holds an unspecified number: callers read only valid rows, and clip before
    using one as an index.
    """
    values: list[np.ndarray] = []
    valid: list[np.ndarray | None] = []
    for arr in _chunks(series):
        validity, data = arr.buffers()[:2]
        dtype = np.dtype(arr.type.to_pandas_dtype())
        values.append(np.frombuffer(data, dtype=dtype, count=arr.offset + len(arr))[arr.offset :])
        valid.append(None if arr.null_count == 0 else _bits(validity, arr.offset, len(arr)))
    return _Pieces(values, valid)


def _prepare(
    df: pl.DataFrame, on: dt.date | None
) -> tuple[pl.DataFrame, set[str], dict[str, Column]]:
    """Cast, check and encode the input once (vectorised), refusing its first bad row.

    Returns the frame (with a Boolean ``_bpu`` column), the segments present, and the encoded
    inputs the computation reads as numpy arrays: ``bpu``, ``income``, ``wage`` (nulls as 0,
    never read for a checked row), and when present ``_risk`` (index in :data:`RISKS`),
    ``_jht``, ``_self``, ``_transport``.
    """
    if "segment" not in df.columns:
        raise JaringError(
            "missing_column",
            "Kolom segment tidak ada (isi bpu atau pu)",
            "Column segment is missing (bpu or pu)",
            field="segment",
        )
    df, seg, _ = _text_codes(
        df,
        "segment",
        SEGMENTS,
        None,
        ("unknown_segment", "Segmen tidak dikenal (bpu atau pu)", "Unknown segment (bpu or pu)"),
        null_ok=False,
    )
    is_bpu = seg == 0
    n_bpu = int(np.count_nonzero(is_bpu))
    segments = {"bpu"} if n_bpu else set()
    if n_bpu < len(is_bpu):
        segments.add("pu")
    cols: dict[str, Column] = {"bpu": is_bpu}

    for field, segment in (("income", "bpu"), ("wage", "pu")):
        if field in df.columns:
            df = _as_int(df, field)
        elif segment in segments:
            raise JaringError(
                "missing_column",
                f"Kolom {field} tidak ada",
                f"Column {field} is missing",
                field=field,
            )
        else:
            df = df.with_columns(pl.lit(None, pl.Int64).alias(field))
    if "pu" in segments:
        if "risk" not in df.columns:
            raise JaringError(
                "missing_column",
                "Kolom risk tidak ada (kelompok risiko PU)",
                "Column risk is missing (PU risk group)",
                field="risk",
            )
        df, cols["_risk"], _ = _text_codes(
            df,
            "risk",
            RISKS,
            ~is_bpu if "bpu" in segments else None,
            (
                "unknown_risk",
                f"Kelompok risiko tidak dikenal atau kosong (pilih: {', '.join(RISKS)})",
                f"Unknown or empty risk group (choose: {', '.join(RISKS)})",
            ),
            null_ok=False,
        )
    if "paid_by" in df.columns:
        df, payer, known = _text_codes(
            df,
            "paid_by",
            PAYERS,
            None,
            (
                "unknown_payer",
                "Pembayar tidak dikenal (apbd atau self)",
                "Unknown payer (apbd or self)",
            ),
        )
        cols["_self"] = payer == 1 if known is None else (payer == 1) & known
    for flag in ("jht", "transport"):
        if flag in df.columns:
            series = df[flag]
            if series.dtype != pl.Boolean or series.null_count():
                series = df.select(_to_bool(df, flag).fill_null(False)).to_series()
            cols[f"_{flag}"] = _bools(series)

    if on is None:
        if "month" not in df.columns:
            raise JaringError(
                "missing_column",
                "Tanpa tanggal (--on), kolom month wajib ada",
                "Without a date (--on), column month is required",
                field="month",
            )
        if df.schema["month"] == pl.String:
            # Text as files carry it: YYYY-MM-DD, or YYYY-MM for the first of the month.
            text = pl.col("month").str.strip_chars()
            parsed = pl.coalesce(
                text.str.to_date("%Y-%m-%d", strict=False),
                (text + "-01").str.to_date("%Y-%m-%d", strict=False),
            )
            _refuse(
                "bad_date",
                "Bulan bukan tanggal (YYYY-MM-DD atau YYYY-MM)",
                "Month is not a date (YYYY-MM-DD or YYYY-MM)",
                df,
                text.is_not_null() & parsed.is_null(),
                "month",
            )
            df = df.with_columns(parsed.alias("month"))
        elif df.schema["month"] != pl.Date:
            try:
                df = df.with_columns(pl.col("month").cast(pl.Date))
            except pl.exceptions.PolarsError:
                raise JaringError(
                    "bad_column",
                    "Kolom month harus berisi tanggal",
                    "Column month must hold dates",
                    field="month",
                ) from None
        if df["month"].null_count():
            _refuse(
                "missing_value",
                "Bulan kosong",
                "Month is empty",
                df,
                pl.col("month").is_null(),
                "month",
            )

    for field, where, word, segment in (
        ("income", is_bpu, "Penghasilan", "bpu"),
        ("wage", ~is_bpu, "Upah", "pu"),
    ):
        cols[field] = pieces = _numbers(df[field])
        if segment in segments:
            _check_amounts(df, field, word, pieces, where)
    return df, segments, cols


_TRUE = ("1", "true", "ya", "y", "yes", "t")
_FALSE = ("0", "false", "tidak", "n", "no", "f", "")


def _to_bool(df: pl.DataFrame, name: str) -> pl.Expr:
    """A yes/no column from text (ya/tidak, 1/0, true/false) or numbers (non-zero = yes, so a
    contribution frame's JHT amount reads back as the JHT choice)."""
    dtype = df.schema[name]
    if dtype == pl.Boolean:
        return pl.col(name)
    if dtype.is_numeric():
        return (pl.col(name) != 0).alias(name)
    text = pl.col(name).cast(pl.String).str.strip_chars().str.to_lowercase()
    _refuse(
        "bad_flag",
        "Nilai ya/tidak tidak dikenal",
        "Unknown yes/no value",
        df,
        text.is_not_null() & ~text.is_in(_TRUE + _FALSE),
        name,
    )
    return text.is_in(_TRUE).alias(name)


# --- the computation ---------------------------------------------------------------------------

#: Band lookup tables up to this many entries; beyond it, a binary search per row.
MAX_LOOKUP = 1 << 20


@functools.lru_cache(maxsize=64)
def _band_tables(
    bands: tuple[Any, ...],
    jkk_bp: int,
    jkk_round: str | None,
    jht_bp: int,
    jht_round: str | None,
    jkm: int,
) -> tuple[int, np.ndarray | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-band base, JKK, JHT and JKK + JKM, computed once per parameter set by the
    parameters' own rounding rules, laid out for a one-step lookup.

    Every band edge is a multiple of their greatest common divisor g (Rp100,000 in PP 44/2015
    Lampiran II), so ``income // g`` indexes a small table whose entry k holds the band of the
    income k x g: one integer division and a gather per worker instead of a search. Returns
    (g, lowers or None, base, jkk, jht, jkk + jkm); with lowers set (a table too large for
    that), the caller searches the band edges instead.
    """
    lowers = [row["lower"] for row in bands]
    bases = [row["base"] for row in bands]
    jkk = [apply_bp(b, jkk_bp, jkk_round) for b in bases]
    jht = [apply_bp(b, jht_bp, jht_round) for b in bases]
    g = math.gcd(*lowers[1:]) if len(lowers) > 1 else 1
    size = lowers[-1] // g + 1
    if size <= MAX_LOOKUP:
        band_of = np.array([bisect.bisect_right(lowers, k * g) - 1 for k in range(size)])
        b, j, h = (np.asarray(v, dtype=np.int64)[band_of] for v in (bases, jkk, jht))
        return g, None, b, j, h, j + jkm
    b, j, h = (np.asarray(v, dtype=np.int64) for v in (bases, jkk, jht))
    return g, np.asarray(lowers, dtype=np.int64), b, j, h, j + jkm


#: Rows per block. A block's temporaries (1 MiB each) come from memory the allocator reuses
#: and stay in the CPU cache; whole-column temporaries of 80 MB would each fault in fresh
#: pages, which costs more than the arithmetic (measured on this machine).
BLOCK = 1 << 17


def _outputs(n: int) -> dict[str, np.ndarray]:
    """Zeroed output columns. ``np.zeros`` takes pages the kernel maps on first write, so a
    column no row writes (PU shares in a BPU-only frame, a discount nobody gets) costs
    nothing."""
    return {name: np.zeros(n, dtype=np.int64) for name in OUTPUT}


def _ranges(n: int, cols: dict[str, Column]) -> list[tuple[int, int]]:
    """Block bounds over ``n`` rows: at most :data:`BLOCK` rows each, ending where the input
    chunks end (so a block reads each input in place) unless that would make blocks small."""
    cuts = sorted({end for v in cols.values() if isinstance(v, _Pieces) for end in v.ends} | {n})
    ranges: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        while cut - start > BLOCK:
            ranges.append((start, start + BLOCK))
            start += BLOCK
        if cut > start and (cut - start >= BLOCK // 4 or cut == n):
            ranges.append((start, cut))
            start = cut
    return ranges or [(0, n)]


def _contributions(
    cols: dict[str, Column], entries: dict[str, Entry], segments: set[str]
) -> dict[str, np.ndarray]:
    """Every output column for the rows in ``cols``, computed block by block.

    The output columns are allocated once; each block runs :func:`_block` on views of the
    inputs and writes its results straight into views of the outputs (no copies).
    """
    n = len(cols["bpu"])
    out = _outputs(n)
    for start, end in _ranges(n, cols):
        _block(
            {k: v[start:end] for k, v in cols.items()},
            entries,
            segments,
            {k: v[start:end] for k, v in out.items()},
        )
    return out


def _block(
    cols: dict[str, np.ndarray],
    entries: dict[str, Entry],
    segments: set[str],
    out: dict[str, np.ndarray],
) -> set[str]:
    """Write every output column for the rows in ``cols`` into ``out`` (zeroed, same length),
    by whole-column integer arithmetic; returns the names of the columns written (the others
    stay zero).

    BPU amounts come from the per-band tables (gathered over every row: a PU row reads some
    band and is then overwritten); PU amounts are computed on the PU rows only and put in
    place, so a BPU-only block never touches the PU share columns. Rounding is
    :func:`jaring.law.rounding.apply_bp`, the very function the per-band tables and the
    explanations use, so every path gives the same rupiah. The one-worker calls run this on
    arrays of length 1.
    """
    written: set[str] = set()
    total = out["total"]
    if "bpu" in segments:
        jkk_e, jht_e = entries["bpu.jkk_rate"], entries["bpu.jht_rate"]
        jkm = entries["bpu.jkm"].value
        g, lowers, base_t, jkk_t, jht_t, jkk_jkm_t = _band_tables(
            entries["bpu.income_bands"].value,
            jkk_e.value,
            jkk_e.rounding,
            jht_e.value,
            jht_e.rounding,
            jkm,
        )
        income = cols["income"]
        # The band of each row; every gather below clips it (mode="clip"), since a PU row's
        # income (a null slot) may be anything.
        k = income // g if lowers is None else np.searchsorted(lowers, income, side="right") - 1
        np.take(base_t, k, out=out["base"], mode="clip")
        np.take(jkk_t, k, out=out["jkk"], mode="clip")
        out["jkm"].fill(jkm)
        # The BPU total before discounts is a table too: JKK + JKM per band, plus JHT if chosen.
        np.take(jkk_jkm_t, k, out=total, mode="clip")
        written.update(("base", "jkk", "jkm", "total"))
        if "_jht" in cols:
            jht = out["jht"]
            np.take(jht_t, k, out=jht, mode="clip")
            np.multiply(jht, cols["_jht"], out=jht)
            np.add(total, jht, out=total)
            written.add("jht")
    if "pu" in segments:
        at = np.flatnonzero(~cols["bpu"]) if "bpu" in segments else slice(None)
        wage = cols["wage"][at]
        rates = entries["pu.jkk_rates"]
        risk_bp = np.asarray([rates.value[r] for r in RISKS], dtype=np.int64)[cols["_risk"][at]]
        capped = np.minimum(wage, entries["pu.jp_wage_cap"].value)

        def pct(amount: np.ndarray, name: str) -> np.ndarray:
            e = entries[name]
            return apply_bp(amount, e.value, e.rounding)

        jkk_pu = apply_bp(wage, risk_bp, rates.rounding)
        jkm_pu = pct(wage, "pu.jkm_rate")
        jht_employer = pct(wage, "pu.jht_rate_employer")
        jht_worker = pct(wage, "pu.jht_rate_worker")
        jp_employer = pct(capped, "pu.jp_rate_employer")
        jp_worker = pct(capped, "pu.jp_rate_worker")
        jht_pu = jht_employer + jht_worker
        out["base"][at] = wage
        out["jkk"][at] = jkk_pu
        out["jkm"][at] = jkm_pu
        out["jht"][at] = jht_pu
        out["jht_employer"][at] = jht_employer
        out["jht_worker"][at] = jht_worker
        out["jp_employer"][at] = jp_employer
        out["jp_worker"][at] = jp_worker
        total[at] = jkk_pu + jkm_pu + jht_pu + jp_employer + jp_worker
        written.update(("base", "jkk", "jkm", "jht", "total"))
        written.update(("jht_employer", "jht_worker", "jp_employer", "jp_worker"))

    discount: np.ndarray | None = None
    pp49 = entries["discounts.pp49_2020"]
    if pp49.value:
        discount = apply_bp(out["jkk"] + out["jkm"], pp49.value, pp49.rounding)
    pp50 = entries.get("discounts.pp50_2025")
    if pp50 is not None and "_self" in cols and (pp50.value["transport"] or pp50.value["other"]):
        who = cols["bpu"] & cols["_self"].astype(bool)
        if "_transport" in cols:
            bp = np.where(cols["_transport"], pp50.value["transport"], pp50.value["other"])
        else:
            bp = np.full(len(who), pp50.value["other"], dtype=np.int64)
        pp50_off = apply_bp(out["jkk"] + out["jkm"], bp * who, pp50.rounding)
        discount = pp50_off if discount is None else discount + pp50_off
    if discount is not None:
        out["discount"][:] = discount
        np.subtract(total, discount, out=total)
        written.add("discount")
    return written


def _result(df: pl.DataFrame, keep: list[str], out: dict[str, np.ndarray]) -> pl.DataFrame:
    """The kept input columns plus the outputs (numpy arrays become Series without a copy)."""
    return pl.DataFrame([df.get_column(c) for c in keep] + [pl.Series(n, out[n]) for n in OUTPUT])


def frame(df: pl.DataFrame, on: dt.date | None = None) -> pl.DataFrame:
    """Contributions for every row of ``df`` at ``on``, or at each row's ``month`` when None.

    Input columns: ``segment`` (bpu|pu), ``income`` (BPU declared income) and/or ``wage``
    (PU), ``risk`` (PU), ``jht`` (bool), optional ``paid_by`` (apbd|self, default apbd),
    ``transport`` (bool), and ``month`` (Date) when ``on`` is None. Returns the input columns
    plus Int64 :data:`OUTPUT`; the bool input ``jht`` is replaced by the JHT amount. Bad rows
    raise :class:`JaringError` naming the first one.
    """
    if on is not None:
        on = check_date(on)
    # The input columns come back (cast), with the outputs appended; the bool input ``jht``
    # becomes the JHT amount (Int64) of the same name.
    keep = [col for col in df.columns if col not in OUTPUT]
    prepared, segments, cols = _prepare(df, on)
    if prepared.height == 0:
        return (
            prepared.with_columns(pl.lit(None, pl.Int64).alias(c) for c in OUTPUT)
            .select(*keep, *OUTPUT)
            .clear()
        )
    if on is not None:
        entries = resolve(on, tuple(sorted(segments)))
        return _result(prepared, keep, _contributions(cols, entries, segments))

    # Worker-months: resolve once per distinct month; months with identical parameters form
    # one group, computed block by block (see _grouped).
    first, inverse = _distinct_days(_numbers(prepared["month"].to_physical()).whole()[0])
    has_pu = np.zeros(len(first), dtype=bool)
    if "pu" in segments:
        has_pu = np.bincount(inverse, weights=~cast(np.ndarray, cols["bpu"]), minlength=len(first))
        has_pu = has_pu > 0
    keys: dict[tuple[Any, ...], int] = {}
    plans: list[tuple[dict[str, Entry], set[str]]] = []
    group_of = np.empty(len(first), dtype=np.int64)
    for i, (number, pu) in enumerate(zip(first.tolist(), has_pu.tolist(), strict=True)):
        present = {"bpu", "pu"} if pu else {"bpu"}
        day = _EPOCH + dt.timedelta(days=number)
        entries = resolve(check_date(day), tuple(sorted(present)))
        key = (_key(entries), tuple(sorted(present)))
        if key not in keys:
            keys[key] = len(plans)
            plans.append((entries, present))
        group_of[i] = keys[key]
    if len(plans) == 1:
        entries, present = plans[0]
        return _result(prepared, keep, _contributions(cols, entries, present & segments))
    gidx = group_of[inverse]
    return _result(prepared, keep, _grouped(cols, [(e, p & segments) for e, p in plans], gidx))


_EPOCH = dt.date(1970, 1, 1)


def _distinct_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct day numbers in ``days`` (ascending) and each row's index into them.

    Months span a few years: a count per day in that span finds them in one pass (no sort,
    no hashing); a span too long for that (dates centuries apart) takes ``np.unique``.
    """
    lo = int(days.min())
    span = int(days.max()) - lo + 1
    if span > MAX_LOOKUP:
        first, inverse = np.unique(days, return_inverse=True)
        return first, inverse.ravel()
    rel = days.astype(np.intp) - lo
    found = np.flatnonzero(np.bincount(rel, minlength=span))
    position = np.zeros(span, dtype=np.intp)
    position[found] = np.arange(len(found))
    return found + lo, position[rel]


def _grouped(
    cols: dict[str, Column], plans: list[tuple[dict[str, Entry], set[str]]], gidx: np.ndarray
) -> dict[str, np.ndarray]:
    """Worker-months under several parameter sets: ``gidx`` gives each row's set.

    Block by block, straight into the outputs: the whole block is computed under the set most
    of its rows have; the rows of each other set are then gathered, computed under their own
    set and put in place over those results (every column either set wrote, so a column only
    the first wrote goes back to zero there). Months interleaved in a block cost a gather and
    a scatter of their rows only, not of the whole block.
    """
    n = len(gidx)
    out = _outputs(n)
    for start, end in _ranges(n, cols):
        sub = {k: v[start:end] for k, v in cols.items()}
        view = {k: v[start:end] for k, v in out.items()}
        groups = gidx[start:end]
        counts = np.bincount(groups, minlength=len(plans))
        most = int(np.argmax(counts))
        written = _block(sub, *plans[most], view)
        for g in np.flatnonzero(counts).tolist():
            if g == most:
                continue
            rows = np.flatnonzero(groups == g)
            part = _outputs(len(rows))
            mine = _block({k: v[rows] for k, v in sub.items()}, *plans[g], part)
            for name in written | mine:
                view[name][rows] = part[name]
    return out


def totals(df: pl.DataFrame) -> dict[str, int]:
    """Sum of every money column of a contribution frame, as Python ints."""
    sums = df.select(pl.col(c).sum() for c in OUTPUT if c != "base").row(0, named=True)
    return {k: int(v) for k, v in sums.items()}


# --- one worker, with the explanation ------------------------------------------------------------


def _band(entries: dict[str, Entry], income: int) -> dict[str, Any]:
    rows = entries["bpu.income_bands"].value
    chosen = rows[0]
    for row in rows:
        if row["lower"] <= income:
            chosen = row
    nxt = [r["lower"] for r in rows if r["lower"] > chosen["lower"]]
    return {**chosen, "upper": (nxt[0] - 1) if nxt else None}


def _discount_lines(
    entries: dict[str, Entry], jkk: int, jkm: int, *, bpu_self: bool, transport: bool, bpu: bool
) -> list[ExplanationLine]:
    lines: list[ExplanationLine] = []
    pp49 = entries["discounts.pp49_2020"]
    if pp49.value:
        lines.append(ExplanationLine.of(pp49, -apply_bp(jkk + jkm, pp49.value, pp49.rounding)))
    if bpu:
        pp50 = entries["discounts.pp50_2025"]
        bp = pp50.value["transport" if transport else "other"]
        if bp and bpu_self:
            lines.append(
                ExplanationLine.of(pp50, -apply_bp(jkk + jkm, bp, pp50.rounding), value=bp)
            )
        elif bp:
            lines.append(
                ExplanationLine.of(
                    pp50,
                    0,
                    value=0,
                    note=(
                        "Tidak berlaku bila iuran dibayar APBN/APBD",
                        "Not applied when the state (APBN) or a Pemda (APBD) pays",
                    ),
                )
            )
    return lines


def bpu(
    income: int,
    on: dt.date,
    *,
    jht: bool = False,
    paid_by: str = "apbd",
    transport: bool = False,
) -> Amount:
    """One BPU worker's monthly contribution at ``on``: band base, JKK, JKM, optional JHT.

    ``paid_by="apbd"`` (a Pemda pays) is never discounted; ``"self"`` gets PP 50/2025 in its
    windows. Components: ``base``, ``jkk``, ``jkm``, ``jht``, ``discount`` (when any), ``total``.
    """
    on = check_date(on)
    row = _one(
        {
            "segment": "bpu",
            "income": income,
            "jht": jht,
            "paid_by": paid_by,
            "transport": transport,
        },
        on,
    )
    entries = resolve(on, ("bpu",))
    band = _band(entries, income)
    lines = [
        ExplanationLine.of(entries["bpu.income_bands"], None, value=band),
        ExplanationLine.of(entries["bpu.jkk_rate"], row["jkk"]),
        ExplanationLine.of(entries["bpu.jkm"], row["jkm"]),
    ]
    if jht:
        lines.append(ExplanationLine.of(entries["bpu.jht_rate"], row["jht"]))
    lines += _discount_lines(
        entries,
        row["jkk"],
        row["jkm"],
        bpu_self=row["paid_by"] == "self",  # as written by the law: "SELF" and " self" too
        transport=transport,
        bpu=True,
    )
    components = {k: row[k] for k in ("base", "jkk", "jkm", "jht")}
    if row["discount"]:
        components["discount"] = row["discount"]
    components["total"] = row["total"]
    return Amount(
        total=row["total"], components=components, explanation=lines, uncertain=is_uncertain(lines)
    )


def pu(wage: int, risk: str, on: dt.date) -> Amount:
    """One PU worker's monthly contribution at ``on`` (employer and worker shares).

    Components: ``jkk``, ``jkm``, ``jht_employer``, ``jht_worker``, ``jp_employer``,
    ``jp_worker``, ``discount`` (when any), ``total``. JP is on the wage up to that date's cap;
    a date whose cap is unknown (March 2026 on) raises the error naming ``pu.jp_wage_cap``.
    """
    on = check_date(on)
    row = _one({"segment": "pu", "wage": wage, "risk": risk}, on)
    entries = resolve(on, ("pu",))
    cap = entries["pu.jp_wage_cap"]
    lines = [
        ExplanationLine.of(
            entries["pu.jkk_rates"],
            row["jkk"],
            value={row["risk"]: entries["pu.jkk_rates"].value[row["risk"]]},
        ),
        ExplanationLine.of(entries["pu.jkm_rate"], row["jkm"]),
        ExplanationLine.of(entries["pu.jht_rate_employer"], row["jht_employer"]),
        ExplanationLine.of(entries["pu.jht_rate_worker"], row["jht_worker"]),
        ExplanationLine.of(cap, None),
        ExplanationLine.of(entries["pu.jp_rate_employer"], row["jp_employer"]),
        ExplanationLine.of(entries["pu.jp_rate_worker"], row["jp_worker"]),
    ]
    lines += _discount_lines(
        entries, row["jkk"], row["jkm"], bpu_self=False, transport=False, bpu=False
    )
    keys = ("jkk", "jkm", "jht_employer", "jht_worker", "jp_employer", "jp_worker")
    components = {k: row[k] for k in keys}
    if row["discount"]:
        components["discount"] = row["discount"]
    components["total"] = row["total"]
    return Amount(
        total=row["total"], components=components, explanation=lines, uncertain=is_uncertain(lines)
    )


def _one(values: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """One worker's row of the contribution frame: its inputs (codes as the law writes them)
    and every :data:`OUTPUT` amount.

    Valid input goes straight to :func:`_block`, the vectorised code itself, on arrays of
    length 1: no frame is built, so the web and the CLI pay microseconds per call. Anything
    :func:`_quick` does not accept goes through a one-row frame and :func:`frame`, so every
    refusal is word for word the frame's (naming the field, not "row 1").
    """
    for field in ("income", "wage"):
        if field in values and (
            isinstance(values[field], bool) or not isinstance(values[field], int)
        ):
            raise JaringError(
                "not_whole_rupiah",
                f"{field} harus bilangan bulat rupiah",
                f"{field} must be whole rupiah",
                field=field,
                value=str(values[field]),
            )
    row = _quick(values, on)
    if row is not None:
        return row
    schema = {
        "segment": pl.String,
        "income": pl.Int64,
        "wage": pl.Int64,
        "risk": pl.String,
        "jht": pl.Boolean,
        "paid_by": pl.String,
        "transport": pl.Boolean,
    }
    one = pl.DataFrame({k: [v] for k, v in values.items()}, schema={k: schema[k] for k in values})
    token = _single.set(True)
    try:
        return frame(one, on).row(0, named=True)
    finally:
        _single.reset(token)


def _quick(values: dict[str, Any], on: dt.date) -> dict[str, Any] | None:
    """The row for one valid worker by :func:`_block` on length-1 arrays, or None when any
    input is one the frame path would refuse or convert (then :func:`_one` takes that path).

    The columns are encoded as :func:`_prepare` encodes them: the segment as ``bpu``, codes
    normalised by the same :func:`_code`, flags as bools, and only the inputs given (a ``pu``
    call has no JHT choice, payer or transport flag, as its one-row frame has none).
    """
    segment = values["segment"]
    field = "income" if segment == "bpu" else "wage"
    if not 0 <= values[field] <= MAX_RUPIAH:
        return None
    row = dict(values)
    cols: dict[str, np.ndarray] = {
        "bpu": np.array([segment == "bpu"]),
        "income": np.array([values.get("income") or 0], dtype=np.int64),
        "wage": np.array([values.get("wage") or 0], dtype=np.int64),
    }
    for name, codes in (("risk", RISKS), ("paid_by", PAYERS)):
        if name in values:
            text = values[name]
            code = _code(text, codes) if isinstance(text, str) else -1
            if code < 0:
                return None
            row[name] = codes[code]
            if name == "risk":
                cols["_risk"] = np.array([code], dtype=np.int8)
            else:
                cols["_self"] = np.array([code == 1])
    for flag in ("jht", "transport"):
        if flag in values:
            if not isinstance(values[flag], bool):
                return None
            cols[f"_{flag}"] = np.array([values[flag]])
    out = _outputs(1)
    _block(cols, resolve(on, (segment,)), {segment}, out)
    row.update((name, int(column[0])) for name, column in out.items())
    return row
