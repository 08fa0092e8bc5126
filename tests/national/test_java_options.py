"""The options of Spark's driver JVM: the class archive a session writes at exit is taken up
by a later one once its JVM is gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jaring.national import engines

pytest.importorskip("pyspark")


def test_the_first_session_writes_the_archive_a_later_one_maps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JARING_SPARK_CDS", str(tmp_path))
    opts, writes = engines._java_options()
    assert writes is not None and f"-XX:ArchiveClassesAtExit={writes}" in opts
    # the JVM wrote the archive and exited: a process id no longer alive
    Path(writes).write_bytes(b"archive")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    Path(writes + ".jvm").write_text(str(gone.pid))
    opts, writes2 = engines._java_options()
    final = writes.rsplit(".", 2)[0]
    assert writes2 is None and f"-XX:SharedArchiveFile={final}" in opts
    assert sorted(os.listdir(tmp_path)) == [os.path.basename(final)]


def test_an_archive_being_written_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JARING_SPARK_CDS", str(tmp_path))
    _, writes = engines._java_options()
    assert writes is not None
    Path(writes).write_bytes(b"half an archive")
    Path(writes + ".jvm").write_text(str(os.getpid()))  # its JVM still running
    opts, again = engines._java_options()
    assert "ArchiveClassesAtExit" in opts and again is not None
    assert Path(writes).is_file()


def test_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JARING_SPARK_CDS", "off")
    monkeypatch.setenv("JARING_SPARK_JAVA_OPTIONS", "-Xss4m")
    opts, writes = engines._java_options()
    assert writes is None and "Shared" not in opts and "Archive" not in opts
    assert opts.endswith("-Xss4m")
