"""Size and time of the pages a budget officer, a head of region and a juror open, on a
store made by ``jaring demo``: ``python bench/web_pages.py sqlite:///jaring.db [runs]``.

Signs in through the form as a bench administrator (created once), fetches each page
``runs`` times in-process (FastAPI's TestClient, no network) and prints the body size and
the median time. Figures go to ``docs/benchmarks.md``."""

from __future__ import annotations

import argparse
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
from jaring.web.app import create_app

PASSWORD = "bench-rahasia-123"


def main(url: str, runs: int = 5) -> None:
    engine = make_engine(url)
    if not any(u.username == "bench" for u in queries.list_users(engine, Actor.system())):
        u = actions.create_user(
            engine, Actor.system(), username="bench", role="administrator", password=PASSWORD
        )
        with engine.begin() as c:
            c.execute(
                update(web_user).where(web_user.c.id == u.id).values(must_change_password=False)
            )
    client = TestClient(create_app(engine, rate_limit=10_000))
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    year = client.get("/award").text
    award_year = year.split('href="/award/')[1].split("/")[0] if 'href="/award/' in year else ""
    paths = [
        "/programs/1",
        "/programs/1/plan",
        "/programs/1/bpjs",
        "/programs/1/invoices",
        "/coverage?region=96.71&on=2024-12-31",
        "/coverage?region=96&on=2024-12-31",
        "/admin/users",
        f"/award/{award_year}/manage" if award_year else "/award",
    ]
    print(f"{'page':45} {'bytes':>8} {'median ms':>10}")
    for path in paths:
        times = []
        size = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            size = len(r.content)
            assert r.status_code == 200, (path, r.status_code)
        print(f"{path:45} {size:>8} {statistics.median(times):>10.0f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Size and time of the pages of a demo store.")
    ap.add_argument("db", help="the store's URL, e.g. sqlite:///jaring.db")
    ap.add_argument("runs", nargs="?", type=int, default=5)
    args = ap.parse_args()
    main(args.db, args.runs)
