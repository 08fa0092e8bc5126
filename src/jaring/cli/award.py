"""`jaring award`: Paritrana Award: edisi, kandidat, juri, peringkat. / The Paritrana Award."""

import typer

app = typer.Typer(
    help="Paritrana Award: edisi, kandidat, juri, peringkat. / The Paritrana Award.",
    no_args_is_help=True,
)
