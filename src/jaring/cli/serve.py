"""`jaring serve` (issue 7, owned by the web work)."""

import typer

from jaring.cli.common import DbOpt


def serve(
    db: DbOpt = None,
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
) -> None:
    """Jalankan aplikasi web. / Run the web app."""
    from jaring.errors import JaringError

    raise JaringError("not_built", "Aplikasi web belum tersedia.", "The web app is not built yet.")
