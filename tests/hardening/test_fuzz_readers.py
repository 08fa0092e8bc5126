"""Hypothesis fuzz of the list readers under a memory ceiling: crafted sheet dimensions, zip
bombs, damaged zips, encodings (UTF-16, Windows-1252, mixed), NUL bytes, binary. Whatever the
file, the reader answers with rows or a refusal (a JaringError), inside 2 GiB of address
space: never a crash, never an abort, never an unbounded allocation.

The fuzzing runs in a child process whose address space is limited (``RLIMIT_AS``), so an
allocation the checks miss kills the child, not the test run; the child reports each
outcome."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

CEILING = 2 << 30

CHILD = textwrap.dedent(
    r"""
    import io, resource, sys, tempfile, zipfile
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))

    from hypothesis import HealthCheck, given, settings, strategies as st
    import xlsxwriter

    from jaring.errors import JaringError
    from jaring.registry import intake

    TMP = Path(tempfile.mkdtemp())
    outcomes = {"rows": 0, "refused": 0}

    def read(name: str, data: bytes) -> None:
        path = TMP / name
        path.write_bytes(data)
        try:
            intake.read_file(path)
            outcomes["rows"] += 1
        except JaringError:
            outcomes["refused"] += 1

    def workbook(row: int, col: int, value: str) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet("Data")
        ws.write_row(0, 0, ["Nama", "NIK", "Tgl Lahir"])
        ws.write_row(1, 0, ["Ali", "9671011203850001", "12/03/1985"])
        ws.write_string(row, col, value)
        wb.close()
        return buf.getvalue()

    def bomb(member: str, size: int, filler: bytes) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(member, b"<x>" + filler * (size // len(filler)) + b"</x>")
        return buf.getvalue()

    settings_ = settings(
        max_examples=int(sys.argv[1]), deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )

    @settings_
    @given(st.integers(0, 1048575), st.integers(0, 16383), st.text(max_size=20))
    def dimensions(row, col, value):
        read("d.xlsx", workbook(row, col, value))

    @settings_
    @given(
        st.sampled_from(["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"]),
        st.integers(1 << 20, 64 << 20),
        st.sampled_from([b" ", b"<c/>", b"ab", b"<row/>"]),
    )
    def bombs(member, size, filler):
        read("b.xlsx", bomb(member, size, filler))

    @settings_
    @given(st.binary(max_size=4000), st.integers(0, 3000))
    def damaged(noise, cut):
        good = workbook(5, 3, "x")
        read("c.xlsx", good[:cut] + noise)

    @settings_
    @given(
        st.text(alphabet="NIKamTglhr;,\n\t\r\x00é€😀=+-@\"'", max_size=300),
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]),
    )
    def texts(text, encoding):
        read("t.csv", ("NIK;Nama\n" + text).encode(encoding, errors="replace"))

    @settings_
    @given(st.binary(max_size=3000))
    def binary(data):
        read("x.csv", data)

    @settings_
    @given(st.integers(140_000, 600_000), st.sampled_from([b"a", b"9", b'"', b"a;"]),
           st.booleans())
    def long_cells(size, filler, first):
        cell = filler * (size // len(filler))
        read("l.csv", cell if first else b"NIK;Nama\n9671011203850001;" + cell + b"\n")

    for fuzz in (dimensions, bombs, damaged, texts, binary, long_cells):
        fuzz()
    print(outcomes["rows"], outcomes["refused"])
    """
).replace("CEILING", str(CEILING))


@pytest.mark.slow
def test_readers_hold_under_a_memory_ceiling() -> None:
    # a fixed number of threads: each reserves address space (stacks, allocator arenas), and
    # the ceiling must not depend on how many cores the machine has
    env = {**os.environ, "POLARS_MAX_THREADS": "2", "RAYON_NUM_THREADS": "2"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "25"], capture_output=True, text=True, timeout=280, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows, refused = (int(x) for x in done.stdout.split())
    assert rows > 0 and refused > 0
