"""Output paths that cannot be written: every command's ``--out``/``--output`` is refused in
one line, exit 2, naming the file and the reason, before any work and without a traceback."""

import errno
from pathlib import Path

import pytest
from tests.clirun import jaring as run

from jaring import errors
from jaring.cli.options import check_out, file_error


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'x.db'}"
    assert run("db", "upgrade", "--db", url).returncode == 0
    return url


def refused(p, code: str) -> str:  # type: ignore[no-untyped-def]
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and "internal" not in p.stderr.lower()
    line = p.stderr.strip()
    assert len(line.splitlines()) == 1 and line.endswith(f"[{code}]"), line
    return line


def test_a_file_where_a_folder_must_be(db: str, tmp_path: Path) -> None:
    blocker = tmp_path / "laporan.txt"
    blocker.write_text("x")
    line = refused(
        run("registry", "export", "--db", db, "--out", str(blocker / "orang.csv")),
        "path_not_folder",
    )
    assert str(blocker) in line and "(--out)" in line
    snap = refused(
        run("national", "snapshot", "--db", db, "--out", str(blocker)), "path_not_folder"
    )
    assert "bukan folder" in snap
    assert blocker.read_text() == "x"


def test_a_folder_named_as_the_file_to_write(db: str, tmp_path: Path) -> None:
    line = refused(run("registry", "export", "--db", db, "--out", str(tmp_path)), "is_folder")
    assert "adalah folder" in line
    en = refused(
        run("--lang", "en", "registry", "links", "--db", db, "--out", str(tmp_path)), "is_folder"
    )
    assert "is a folder" in en


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_takes_no_file_is_refused_before_any_work(db: str) -> None:
    for args in (
        ("db", "backup", "--out", "/proc/cadangan.db"),
        ("national", "snapshot", "--out", "/proc/snapshot"),
        ("registry", "export", "--out", "/proc/orang.csv"),
    ):
        line = refused(run(*args, "--db", db), "cannot_write_file")
        assert "Pilih tempat lain" in line
    assert not Path("/proc/cadangan.db").exists()


def test_folders_not_yet_made_are_fine(db: str, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "orang.csv"
    p = run("registry", "export", "--db", db, "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert out.is_file()


def test_the_probe_leaves_nothing_behind(tmp_path: Path) -> None:
    check_out("out", tmp_path / "x" / "y.csv")
    check_out("out", tmp_path)
    check_out("out", None)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/data/x.csv"), "disk_full"),
        (IsADirectoryError("expected a file path; '/data' is a directory"), "is_folder"),
        (PermissionError(errno.EACCES, "Permission denied", "/data/x.csv"), "cannot_write_file"),
        (FileNotFoundError(errno.ENOENT, "No such file", "/elsewhere/in.csv"), "cannot_open_file"),
    ],
)
def test_each_reason_has_its_words(error: OSError, code: str) -> None:
    refusal = file_error(error, {"out": Path("/data/x.csv")})
    assert refusal is not None and refusal.code == code
    assert refusal.context["field"] in {"out", "file"}
    assert "{" not in refusal.message()


def test_an_error_naming_no_file_is_left_to_the_bug_handler() -> None:
    assert file_error(OSError("socket"), {"out": None}) is None
    assert errors.CANNOT_OPEN_FILE(file="x").code == "cannot_open_file"


def test_a_template_that_is_not_yaml_text_is_refused_in_words(tmp_path: Path) -> None:
    from jaring.programs import bpjs_files

    for content in (b"\xff\xfe\x00garbage", b"PK\x03\x04\x00\x00", b"- just\n- a list\n"):
        f = tmp_path / "templat.yaml"
        f.write_bytes(content)
        with pytest.raises(errors.JaringError) as e:
            bpjs_files.registration_template(f)
        assert e.value.code == "bad_template"
