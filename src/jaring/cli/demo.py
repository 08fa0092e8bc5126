"""`jaring demo`: build a synthetic Kota Sorong database and run the whole job on it."""

import importlib
from pathlib import Path

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang


def demo(
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
    seed: int = typer.Option(2024, "--seed", help="Random seed for the synthetic data."),
    out: Path = typer.Option(Path("demo-out"), "--out", help="Folder for files the demo writes."),
) -> None:
    """Bangun basis data demo Kota Sorong dan jalankan semuanya. / Build the Kota Sorong demo."""
    from jaring import demo as demo_mod

    set_lang(lang_)
    eng = engine(db)
    url = eng.url.render_as_string(hide_password=True)
    summaries = demo_mod.run(eng, seed=seed, out_dir=out)
    if json_:
        print_json({"database": url, "steps": summaries})
        return
    typer.echo(f"Basis data: {url}" if lang() == "id" else f"Database: {url}")
    for s in summaries:
        module = importlib.import_module(f"jaring.demo.{s['step']}")
        for line in module.render(s, lang()):
            typer.echo(line)
