"""`jaring registry ...`: the commands of the issue with --json, and one-line refusals."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from jaring.cli import app, options

CSV = (
    "No.;No. KTP;Nama Lengkap;Tgl Lahir;L/P\n"
    "1;9271010101800001;Ali;01/01/1980;L\n"
    "2;9.27101E+15;Siti;31/12/1980;P\n"
    "3;9671010101800001;Muh. Ali;01/01/1980;L\n"
)


def invoke(group: object, args: list[str]) -> Result:
    """One command as ``jaring.cli.main`` runs it: the shared options of an earlier command
    in this process (``--json``) forgotten first."""
    options.reset()
    return CliRunner().invoke(group, args)  # type: ignore[arg-type]


def test_registry_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    f = tmp_path / "remu.csv"
    f.write_text(CSV)
    run = invoke
    r = run(app, ["registry", "import", str(f), "--source", "Pasar Remu", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert {k: out[k] for k in ("batch", "rows", "accepted", "rejected")} == {
        "batch": 1,
        "rows": 3,
        "accepted": 2,
        "rejected": 1,
    }
    assert "warnings" in out
    r = run(app, ["registry", "errors", "--batch", "1", "--format", "csv", "--db", db])
    assert r.exit_code == 0
    header, first = r.output.splitlines()[:2]
    assert header.startswith("file,sheet,row,field,code")
    assert "nik_excel_mangled" in first
    r = run(app, ["registry", "dedupe", "--db", db, "--json"])
    assert json.loads(r.output)["people"] == 1
    r = run(app, ["registry", "links", "--format", "csv", "--db", db])
    lines = r.output.strip().splitlines()
    assert len(lines) == 4 and lines[0].startswith("source,file,sheet,row")
    r = run(app, ["registry", "review", "list", "--db", db, "--json"])
    assert json.loads(r.output) == []
    r = run(app, ["registry", "split", "3", "--reason", "x", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["from_person"] == 1 and json.loads(r.output)["person"] == 2
    r = run(app, ["registry", "split", "3", "--db", db, "--json"])
    assert r.exit_code == 2 and r.output.rstrip().endswith("[split_single_row]")
    out_file = tmp_path / "people.xlsx"
    r = run(app, ["registry", "export", "--format", "xlsx", "--out", str(out_file), "--db", db])
    assert r.exit_code == 0 and out_file.exists()
    r = run(app, ["registry", "find", "ali", "--db", db, "--json"])
    assert json.loads(r.output)[0]["nik"] in ("9271010101800001", "9671010101800001")


def test_refusal_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Kolom A,Kolom B\n1,2\n")
    p = subprocess.run(
        [sys.executable, "-m", "jaring", "registry", "import", str(f), "--source", "X",
         "--db", f"sqlite:///{tmp_path / 'j.db'}"],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert "columns_unmapped" in p.stderr


def test_registry_rows_exports_source_rows(tmp_path: Path) -> None:
    """`jaring registry rows`: every source row with its provenance, values now and the cells
    as typed (header -> value), as CSV, JSON or Parquet; a batch that does not exist is a
    one-line refusal."""
    import polars as pl

    db = f"sqlite:///{tmp_path / 'j.db'}"
    f = tmp_path / "remu.csv"
    f.write_text(CSV)
    run = invoke
    assert (
        run(app, ["registry", "import", str(f), "--source", "Pasar Remu", "--db", db]).exit_code
        == 0
    )
    r = run(app, ["registry", "rows", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [(x["row"], x["status"]) for x in rows] == [
        (2, "accepted"),
        (3, "rejected"),
        (4, "accepted"),
    ]
    assert json.loads(rows[1]["raw"]) == {
        "No.": "2", "No. KTP": "9.27101E+15", "Nama Lengkap": "Siti", "Tgl Lahir": "31/12/1980",
        "L/P": "P",
    }  # fmt: skip
    assert rows[0]["source"] == "Pasar Remu" and rows[0]["file"] == "remu.csv"
    out = tmp_path / "rows.parquet"
    r = run(
        app,
        ["registry", "rows", "--batch", "1", "--format", "parquet", "--out", str(out), "--db", db],
    )
    assert r.exit_code == 0 and pl.read_parquet(out).height == 3
    r = run(app, ["registry", "rows", "--format", "csv", "--db", db])
    assert r.output.splitlines()[0].startswith(
        "row_id,batch,source,listed_on,file,sheet,row,status"
    )
    r = run(app, ["registry", "rows", "--batch", "9", "--db", db])
    assert r.exit_code == 2 and r.output.rstrip().endswith("[batch_not_found]")


def test_review_accept_above_shows_a_sample_and_asks(tmp_path: Path) -> None:
    from jaring.demo.hardlists import hard_list, write_csv

    db = f"sqlite:///{tmp_path / 'j.db'}"
    write_csv(hard_list(400, seed=5), tmp_path / "hard.csv")
    r = invoke(app, ["registry", "import", str(tmp_path / "hard.csv"), "--source", "Hard",
                     "--db", db])  # fmt: skip
    assert r.exit_code == 0, r.output
    r = invoke(app, ["registry", "dedupe", "--match", "0.9999999", "--db", db, "--json"])
    out = json.loads(r.output)
    assert out["review"] > 0 and out["expected_false_merges"] >= 0 and out["expected_missed"] >= 0
    r = invoke(app, ["registry", "review", "clusters", "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.output)[0]["pairs"]
    # the operator sees a random sample and says no: nothing changes
    args = ["registry", "review", "accept", "--above", "0.98", "--sample", "3", "--db", db,
            "--lang", "en"]  # fmt: skip
    r = CliRunner().invoke(app, args, input="n\n")  # type: ignore[arg-type]
    options.reset()
    assert r.exit_code == 1 and "p=" in r.output and "Accept all" in r.output, r.output
    pending = json.loads(invoke(app, ["registry", "review", "list", "--db", db, "--json",
                                      "--limit", "10000"]).output)  # fmt: skip
    above = [p for p in pending if p["match_probability"] >= 0.98 and "hold" not in p["explain"]]
    assert above
    # scripts say --yes
    r = invoke(app, [*args, "--yes", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["decided"] + len(json.loads(r.output)["conflicts"]) == len(above)
    r = invoke(app, ["registry", "review", "accept", "--above", "0.3", "--db", db])
    assert r.exit_code == 2 and r.output.rstrip().endswith("[bad_threshold]")
    decided = above[0]["pair"]
    r = invoke(app, ["registry", "review", "undo", str(decided), "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["pair"] == decided
