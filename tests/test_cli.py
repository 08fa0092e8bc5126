"""The CLI's contract: refusals are one line, exit 2, no traceback; the demo runs."""

import json
import os
import subprocess
import sys

from tests.clirun import jaring

from jaring.access import Actor
from jaring.accounts import actions, queries
from jaring.store import make_engine


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "jaring", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_db_upgrade_on_sqlite(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    p = run("db", "upgrade", "--db", url, "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["revision"]


def test_bad_language_is_one_line_exit_2(tmp_path) -> None:
    p = run("--lang", "fr", "db", "current", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_help_loads_no_command_group_and_no_store() -> None:
    """``jaring --help`` lists the groups without importing any of them, nor SQLAlchemy (its
    start-up time is in docs/benchmarks.md; tests never time anything)."""
    code = (
        "import sys\n"
        "from jaring import cli\n"
        "sys.argv = ['jaring', '--help']\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m == 'sqlalchemy' or m.startswith('sqlalchemy.')\n"
        "          or (m.startswith('jaring.cli.') and m != 'jaring.cli.options')]\n"
        "print(','.join(sorted(loaded)), file=sys.stderr)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "registry" in p.stdout and "serve" in p.stdout  # the groups are listed
    assert p.stderr.strip() == ""


def test_unknown_user_is_refused_in_one_line(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    p = run("demo", "--db", db, "--out", str(tmp_path / "out"), "--user", "nobody")
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [p.stderr.strip()]
    assert p.stderr.strip().endswith("[unknown_user]") and "nobody" in p.stderr
    assert not (tmp_path / "out").exists()  # refused before anything ran
    env_p = subprocess.run(
        [sys.executable, "-m", "jaring", "demo", "--db", db, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "JARING_USER": "nobody"},
        timeout=600,
    )
    assert env_p.returncode == 2 and "[unknown_user]" in env_p.stderr


SORONG_CSV = (
    "No.;No. KTP;Nama Lengkap;Tgl Lahir;L/P\n"
    "1;9271010101800001;Ali;01/01/1980;L\n"
    "2;9671010101800001;Muh. Ali;01/01/1980;L\n"
)


def test_the_cli_acts_as_a_named_account_within_its_regions(tmp_path) -> None:
    """``--user`` acts with the account's role and regions: an operator of Distrik Sorong
    Timur may not split a source row of a person of Distrik Sorong (one line, exit 2);
    without ``--user`` the system acts everywhere and the trail records it as ``system``."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    lists = tmp_path / "remu.csv"
    lists.write_text(SORONG_CSV)
    p = jaring("registry", "import", str(lists), "--source", "Pasar Remu", "--db", db)
    assert p.returncode == 0, p.stderr
    assert jaring("registry", "dedupe", "--db", db).returncode == 0  # one person, two rows
    engine = make_engine(db)
    actions.create_user(
        engine,
        Actor.system(),
        username="op.timur",
        role="operator",
        password="rahasia-sekali-123",
        regions=["96.71.02"],
    )
    split = ("registry", "split", "2", "--reason", "salah gabung", "--db", db)
    p = jaring("--user", "op.timur", *split)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [p.stderr.strip()]
    assert p.stderr.strip().endswith("[person_out_of_region]")
    p = jaring(*split)
    assert p.returncode == 0, p.stderr
    trail = queries.list_events(engine, Actor.system(), action="registry.")
    engine.dispose()
    assert {e.action for e in trail.events} >= {"registry.import", "registry.split"}
    assert {(e.actor, e.actor_id) for e in trail.events} == {("system", None)}


def test_bad_invocations_are_one_indonesian_line_exit_2() -> None:
    """The parser words its refusals in English; the CLI says them in the user's language,
    naming the option and what it needs."""
    cases = [
        (
            ("law", "contribution", "--segment", "bpu", "--income", "abc"),
            "jaring: Nilai untuk --income tidak dapat dipakai: harus bilangan bulat, "
            "misalnya 2500000. [usage]",
        ),
        (
            ("law", "contribution", "--segmen", "bpu"),
            "jaring: Pilihan tidak dikenal: --segmen. Maksudnya --segment? [usage]",
        ),
        (("registry", "import"), "jaring: FILES wajib diisi. [usage]"),
        (("program", "plan", "x", "--quota"), "jaring: --quota perlu diberi nilai. [usage]"),
        (
            ("law", "params", "kemarin", "lusa"),
            "jaring: Kata yang tidak diterima perintah ini: kemarin lusa. [usage]",
        ),
    ]
    for args, line in cases:
        p = jaring(*args)
        assert (p.returncode, p.stderr.strip()) == (2, line), args
    p = run("--lang", "en", "law", "contribution", "--segment", "bpu", "--income", "abc")
    assert p.returncode == 2
    assert p.stderr.strip() == (
        "jaring: The value for --income cannot be used: it must be a whole number, "
        "such as 2500000. [usage]"
    )
