"""What the dashboard summary's triggers (revision 0030) cost bulk writes on PostgreSQL:
people, memberships and coverage periods loaded in SQL (``national_pg.load``, people only)
into a store at revision 0029 (no triggers) and one at head, in turn, ``--rounds`` times.

    nice -n 10 python bench/dashboard_summary.py [--people 200000] [--rounds 2]

Printed per round and revision: each step's wall and server CPU seconds, then the refresh
that the first dashboard after the load pays (every distrik marked: a full recount) and the
figures' equality with the direct count. Databases ``h_dash_sum_*``, dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jaring.access import Actor  # noqa: E402
from jaring.coverage.queries.dashboard import _direct_counts, dashboard  # noqa: E402
from jaring.store import make_engine, migrate, summary  # noqa: E402
from national_pg import MONTH0, PG_ADMIN, load, server_cpu  # noqa: E402


def one(revision: str, people: int, tag: str) -> dict[str, Any]:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"h_dash_sum_{tag}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        migrate(eng, revision, partition_by_province=True)
        out: dict[str, Any] = {"revision": revision, "load": load(eng, people, 3, people_only=True)}
        if summary.kept(eng):
            t0, c0 = time.perf_counter(), server_cpu(eng)
            out["marked"] = summary.refresh(eng)
            out["first_refresh"] = {
                "wall_s": round(time.perf_counter() - t0, 2),
                "server_cpu_s": round(server_cpu(eng) - c0, 2),
            }
            on = MONTH0 + dt.timedelta(days=40)
            for actor in (Actor.system(), Actor(username="p", role="viewer", regions=("96",))):
                got = dashboard(eng, actor, on)
                with eng.connect() as conn:
                    people_, covered, states = _direct_counts(conn, actor, on)
                assert got.people == sum(people_.values()) and got.memberships == states
                assert {d.code: d.covered for d in got.districts if d.covered} == covered
            out["equal_to_direct"] = True
        return out
    finally:
        eng.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    report: dict[str, Any] = {
        "people": args.people,
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_before": os.getloadavg(),
        "runs": [],
    }
    for r in range(args.rounds):
        for rev in ("0029", "head"):
            run = one(rev, args.people, f"{r}_{rev}")
            print(json.dumps(run), flush=True)
            report["runs"].append(run)
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
