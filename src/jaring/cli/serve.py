"""`jaring serve`: the web app and REST API on uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from jaring.accounts.actions import ensure_admin
from jaring.cli.common import command, engine, say
from jaring.i18n import _
from jaring.logs import log_to_stderr
from jaring.store.db import ENV_VAR
from jaring.web.app import create_app, freeze_startup_objects

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on. / Alamat.")]
PortOpt = Annotated[int, typer.Option("--port", help="Port. / Porta.")]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Worker processes. / Jumlah proses.")]

command_app = typer.Typer(add_completion=False)  # one command: jaring.cli takes it as such


@command(command_app, "serve")
def serve(host: HostOpt = "127.0.0.1", port: PortOpt = 8000, workers: WorkersOpt = 1) -> None:
    """Jalankan aplikasi web dan API. / Run the web app and the API.

    On the first start without users an administrator ``admin`` is created and its one-time
    password printed here once (or taken from JARING_ADMIN_PASSWORD). Behind an HTTPS proxy,
    cookies are marked Secure (the proxy's X-Forwarded-Proto is trusted from 127.0.0.1).
    """
    eng = engine()
    first = ensure_admin(eng)
    if first and not first.from_env:
        say(
            _(
                "First start: administrator '%(username)s' created with the one-time password: "
                "%(password)s",
                username=first.username,
                password=first.password,
            )
        )
        say(_("It is shown only now; you must change it at the first sign-in."))
    elif first:
        say(
            _(
                "Administrator '%(username)s' created from JARING_ADMIN_PASSWORD.",
                username=first.username,
            )
        )
    url = f"http://{host}:{port}/"
    say(f"Jaring: {url}  (API: {url}api/v1/docs)")
    if workers > 1:
        say(
            _(
                "--workers > 1: the sign-in limit is shared through the database, caches are "
                "each process's own: a revoked token or ended session stops at once in the "
                "process that handled it and within 5 seconds in the others."
            )
        )
        # uvicorn starts each worker by importing the app by name, so the workers find the
        # store through the environment (the same variable --db would otherwise default to)
        os.environ[ENV_VAR] = eng.url.render_as_string(hide_password=False)
        uvicorn.run(
            "jaring.web.app:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=True,
        )
        return
    log_to_stderr()  # internal errors reach the server's log, without personal data
    app = create_app(eng)
    freeze_startup_objects()
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
