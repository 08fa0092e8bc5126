"""The machinery under the law's column computations: Arrow columns read in place as numpy,
values per band laid out for a one-step look-up, and rows computed in blocks written straight
into their output columns.

Nothing here knows the law. :mod:`jaring.law.contributions` says what each amount is; this
module makes that cheap for ten million rows:

- an input column is read from its Arrow buffers without a copy (:func:`numbers`,
  :func:`bools`); a column in several chunks (a Parquet file gives dozens) stays in them
  (:class:`Pieces`), since joining it would copy it into fresh memory, which costs more than
  the computation on it;
- the rows are cut into blocks of at most :data:`BLOCK` rows that end where the chunks end
  (:func:`ranges`), so a block is a view of one chunk; each block writes its results into
  views of output columns allocated once (:func:`outputs`, :func:`run`);
- rows under several parameter sets (worker-months across a change of the law) are computed
  block by block under the set most of the block's rows have, the others gathered, computed
  under their own set and put back in place (:func:`grouped`);
- a value per band of an amount (the BPU income bands) is one integer division and a gather
  per row (:class:`BandTable`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

#: Rows per block. A block's temporaries (1 MiB each) come from memory the allocator reuses
#: and stay in the CPU cache; whole-column temporaries of 80 MB would each fault in fresh
#: pages, which costs more than the arithmetic.
BLOCK = 1 << 17
#: Look-up tables up to this many entries; beyond it, a binary search per row.
MAX_LOOKUP = 1 << 20


# --- Arrow columns as numpy, in place ------------------------------------------------------------


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


def joined(parts: list[np.ndarray]) -> np.ndarray:
    """One array of ``parts`` (the part itself when there is one)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def bools(series: pl.Series) -> np.ndarray:
    """A Boolean Series without nulls as a numpy bool array, read from its Arrow bitmaps."""
    return joined([_bits(a.buffers()[1], a.offset, len(a)) for a in _chunks(series)])


class Pieces:
    """An integer column as the Arrow chunks it arrived in: values, and valid or None, per chunk.

    The computation reads it block by block (:func:`ranges` ends blocks where chunks end, so a
    block is a view of one chunk); only a refusal joins the whole column.
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
            return joined(self.values), None
        return joined(self.values), joined(
            [
                np.ones(len(x), dtype=bool) if v is None else v
                for x, v in zip(self.values, self.valid, strict=True)
            ]
        )


#: An input column as the computation reads it: a numpy array, or an integer column in chunks.
Column = np.ndarray | Pieces


def numbers(series: pl.Series) -> Pieces:
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
    return Pieces(values, valid)


def distinct_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


# --- values per band -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BandTable:
    """Named values per band of an amount, laid out for a one-step look-up.

    Every band edge is a multiple of their greatest common divisor ``step`` (Rp100,000 for the
    BPU income bands), so ``amount // step`` indexes a small table whose entry k holds the
    values of the band of the amount k x step: one integer division and a gather per row
    instead of a search. When that table would pass :data:`MAX_LOOKUP` entries, ``lowers`` is
    set and :meth:`index` searches the band edges instead.

    >>> t = BandTable.of([0, 100, 300], {"base": [50, 200, 400]})
    >>> t.take("base", t.index(np.array([0, 99, 100, 250, 10_000])))
    array([ 50,  50, 200, 200, 400])
    """

    step: int
    lowers: np.ndarray | None
    values: dict[str, np.ndarray]

    @classmethod
    def of(cls, lowers: list[int], values: dict[str, list[int]]) -> BandTable:
        """The table of bands starting at ``lowers`` (ascending, the first 0), with ``values``
        (one list per name, one value per band)."""
        step = math.gcd(*lowers[1:]) if len(lowers) > 1 else 1
        size = lowers[-1] // step + 1
        if size <= MAX_LOOKUP:
            band_of = np.array([bisect.bisect_right(lowers, k * step) - 1 for k in range(size)])
            laid = {n: np.asarray(v, dtype=np.int64)[band_of] for n, v in values.items()}
            return cls(step, None, laid)
        laid = {n: np.asarray(v, dtype=np.int64) for n, v in values.items()}
        return cls(step, np.asarray(lowers, dtype=np.int64), laid)

    def index(self, amounts: np.ndarray) -> np.ndarray:
        """Each amount's entry in the table (read it with :meth:`take`, which clips)."""
        if self.lowers is None:
            return amounts // self.step
        return np.searchsorted(self.lowers, amounts, side="right") - 1

    def take(self, name: str, index: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The values ``name`` at ``index`` (into ``out`` when given); an index out of range
        (a null slot read as an amount) is clipped, never an error."""
        return np.take(self.values[name], index, out=out, mode="clip")


# --- blocks --------------------------------------------------------------------------------------

#: Computes one block: reads the input views, writes into the output views (zeroed, same
#: length), returns the names of the output columns it wrote.
Compute = Callable[[dict[str, np.ndarray], dict[str, np.ndarray]], set[str]]


def outputs(n: int, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Zeroed Int64 output columns. ``np.zeros`` takes pages the kernel maps on first write,
    so a column no row writes costs nothing."""
    return {name: np.zeros(n, dtype=np.int64) for name in names}


def ranges(n: int, cols: dict[str, Column]) -> list[tuple[int, int]]:
    """Block bounds over ``n`` rows: at most :data:`BLOCK` rows each, ending where the input
    chunks end (so a block reads each input in place) unless that would make blocks small."""
    cuts = sorted({end for v in cols.values() if isinstance(v, Pieces) for end in v.ends} | {n})
    bounds: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        while cut - start > BLOCK:
            bounds.append((start, start + BLOCK))
            start += BLOCK
        if cut > start and (cut - start >= BLOCK // 4 or cut == n):
            bounds.append((start, cut))
            start = cut
    return bounds or [(0, n)]


def run(cols: dict[str, Column], names: tuple[str, ...], compute: Compute) -> dict[str, np.ndarray]:
    """The output columns ``names`` for the rows of ``cols``, computed block by block.

    The outputs are allocated once; each block runs ``compute`` on views of the inputs and
    writes straight into views of the outputs (no copies).
    """
    n = len(cols["bpu"])
    out = outputs(n, names)
    for start, end in ranges(n, cols):
        compute(
            {k: v[start:end] for k, v in cols.items()}, {k: v[start:end] for k, v in out.items()}
        )
    return out


def grouped(
    cols: dict[str, Column], names: tuple[str, ...], plans: list[Compute], gidx: np.ndarray
) -> dict[str, np.ndarray]:
    """Rows under several computations (one per parameter set): ``gidx`` gives each row's.

    Block by block, straight into the outputs: the whole block is computed by the plan most
    of its rows have; the rows of each other plan are then gathered, computed by their own
    and put in place over those results (every column either plan wrote, so a column only the
    first wrote goes back to zero there). Plans interleaved in a block cost a gather and a
    scatter of their rows only, not of the whole block.
    """
    n = len(gidx)
    out = outputs(n, names)
    for start, end in ranges(n, cols):
        sub = {k: v[start:end] for k, v in cols.items()}
        view = {k: v[start:end] for k, v in out.items()}
        groups = gidx[start:end]
        counts = np.bincount(groups, minlength=len(plans))
        most = int(np.argmax(counts))
        written = plans[most](sub, view)
        for g in np.flatnonzero(counts).tolist():
            if g == most:
                continue
            rows = np.flatnonzero(groups == g)
            part = outputs(len(rows), names)
            mine = plans[g]({k: v[rows] for k, v in sub.items()}, part)
            for name in written | mine:
                view[name][rows] = part[name]
    return out
