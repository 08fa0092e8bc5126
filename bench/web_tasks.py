"""The dashboard with and without the work queue's cache ("Tugas saya"), on a store made by
``bench/web_load.py`` or ``jaring demo``:

    python bench/web_tasks.py sqlite:///bench/data/web_load.db [runs]

Signs in as a bench administrator and a bench operator (created once), then loads ``/``
``runs`` times each way: with the queue recounted on every load (``TASKS_TTL = 0``, as
before the cache) and with the cache; the dashboard's figures are cached in both (they
were before). Prints the median and p95 time and the CPU seconds of each. In-process
(FastAPI's TestClient), no network. Figures go to ``docs/benchmarks.md``."""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

from sqlalchemy import update

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from jaring.access import Actor
from jaring.accounts import actions, queries
from jaring.store import make_engine
from jaring.store.tables.web import web_user
from jaring.web import dashboard
from jaring.web.app import create_app

PASSWORD = "bench-rahasia-123"
USERS = {"bench": ("administrator", []), "bench_op": ("operator", ["96.71.02"])}


def _client(app: object, engine: object, name: str) -> TestClient:
    role, regions = USERS[name]
    if not any(u.username == name for u in queries.list_users(engine, Actor.system())):  # type: ignore[arg-type]
        u = actions.create_user(
            engine,  # type: ignore[arg-type]
            Actor.system(),
            username=name,
            role=role,
            password=PASSWORD,
            regions=regions,
        )
        with engine.begin() as c:  # type: ignore[attr-defined]
            c.execute(
                update(web_user).where(web_user.c.id == u.id).values(must_change_password=False)
            )
    client = TestClient(app)  # type: ignore[arg-type]
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    return client


def _run(client: TestClient, runs: int) -> tuple[float, float, float]:
    times = []
    cpu = time.process_time()
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get("/")
        assert r.status_code == 200, r.status_code
        times.append((time.perf_counter() - t) * 1000)
    cpu = time.process_time() - cpu
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], cpu


def main(url: str, runs: int = 20) -> None:
    engine = make_engine(url)
    app = create_app(engine, rate_limit=10_000)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for name in USERS:
        client = _client(app, engine, name)
        client.get("/")  # the figures into their cache
        for label, ttl in (("recounted", 0.0), ("cached", dashboard.TASKS_TTL)):
            dashboard.TASKS_TTL = ttl
            p50, p95, cpu = _run(client, runs)
            print(
                f"{name:9} {label:10} runs {runs:3}  p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  "
                f"CPU {cpu:6.2f} s"
            )
        dashboard.TASKS_TTL = 20.0
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="The dashboard with and without the tasks cache.")
    ap.add_argument("db", help="the store's URL, e.g. sqlite:///bench/data/web_load.db")
    ap.add_argument("runs", nargs="?", type=int, default=20)
    args = ap.parse_args()
    main(args.db, args.runs)
