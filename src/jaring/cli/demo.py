"""`jaring demo`: build a synthetic Kota Sorong database and run the whole job on it."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from jaring import demo as demo_steps
from jaring.cli.common import actor, as_json, command, engine, lang, print_json, progress, say
from jaring.i18n import _

SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed for the synthetic data.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for files the demo writes.")]

command_app = typer.Typer(add_completion=False)  # one command: jaring.cli takes it as such


@command(command_app, "demo")
def demo(seed: SeedOpt = 2024, out: OutOpt = Path("demo-out")) -> None:
    """Bangun basis data demo Kota Sorong dan jalankan semuanya. / Build the Kota Sorong demo."""
    eng = engine()
    who = actor(eng)
    url = eng.url.render_as_string(hide_password=True)
    with progress() as p:
        summaries = demo_steps.run(eng, seed=seed, out_dir=out, progress=p, actor=who)
    if as_json():
        print_json({"database": url, "steps": summaries})
        return
    say(_("Database: %(url)s", url=url))
    for s in summaries:
        # each step module renders its own summary (imported by name: see jaring.demo.STEPS)
        module = importlib.import_module(f"jaring.demo.{s['step']}")
        for line in module.render(s, lang()):
            say(line)
