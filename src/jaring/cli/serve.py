"""`jaring serve`: the web app and REST API on uvicorn (issue 7, owned by the web work)."""

from __future__ import annotations

import os

import typer

from jaring.cli.common import DbOpt, LangOpt, engine, lang, set_lang
from jaring.logs import log_to_stderr


def serve(
    db: DbOpt = None,
    lang_: LangOpt = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. / Alamat."),
    port: int = typer.Option(8000, "--port", help="Port. / Porta."),
    workers: int = typer.Option(1, "--workers", help="Worker processes. / Jumlah proses."),
) -> None:
    """Jalankan aplikasi web dan API. / Run the web app and the API.

    On the first start without users an administrator ``admin`` is created and its one-time
    password printed here once (or taken from JARING_ADMIN_PASSWORD). Behind an HTTPS proxy,
    cookies are marked Secure (the proxy's X-Forwarded-Proto is trusted from 127.0.0.1).
    """
    import uvicorn

    from jaring.store.db import ENV_VAR
    from jaring.web.accounts import ensure_admin
    from jaring.web.app import create_app, freeze_startup_objects

    set_lang(lang_)
    eng = engine(db)
    first = ensure_admin(eng)
    if first and not first["from_env"]:
        if lang() == "en":
            typer.echo(
                f"First start: administrator '{first['username']}' created with the one-time "
                f"password: {first['password']}\nIt is shown only now; you must change it at "
                "the first sign-in."
            )
        else:
            typer.echo(
                f"Mulai pertama: administrator '{first['username']}' dibuat dengan kata sandi "
                f"sekali pakai: {first['password']}\nHanya ditampilkan sekarang; wajib diganti "
                "saat masuk pertama."
            )
    elif first:
        typer.echo(
            f"Administrator '{first['username']}' created from JARING_ADMIN_PASSWORD."
            if lang() == "en"
            else f"Administrator '{first['username']}' dibuat dari JARING_ADMIN_PASSWORD."
        )
    url = f"http://{host}:{port}/"
    typer.echo(f"Jaring: {url}  (API: {url}api/v1/docs)")
    if workers > 1:
        typer.echo(
            "--workers > 1: the sign-in limit is shared through the database, caches are each "
            "process's own: a revoked token or ended session stops at once in the process that "
            "handled it and within 5 seconds in the others."
            if lang() == "en"
            else "--workers > 1: batas percobaan masuk dibagi lewat basis data, cache milik tiap "
            "proses: token yang dicabut atau sesi yang diakhiri langsung berhenti di proses yang "
            "menanganinya dan dalam 5 detik di proses lain."
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
