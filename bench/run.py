"""Run every benchmark in this folder, one after another (they each print their own table).

    python bench/run.py            # all but the national PostgreSQL load (below)
    python bench/run.py law web    # only files whose name starts with these prefixes

``national_pg.py`` loads 10M people and 100M invoice lines into PostgreSQL (about 34 minutes
and 18.5 GiB on a 2-core machine): it runs only when named (``python bench/run.py national_pg``).

Benchmarks generate their own data under bench/data/ (git-ignored) and never run in the tests.
Record the figures in docs/benchmarks.md with the machine and the date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONLY_WHEN_NAMED = {"national_pg.py"}


def main(prefixes: list[str]) -> int:
    files = sorted(
        p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_")
    )
    if prefixes:
        files = [p for p in files if any(p.name.startswith(x) for x in prefixes)]
    else:
        files = [p for p in files if p.name not in ONLY_WHEN_NAMED]
    status = 0
    for path in files:
        print(f"\n=== {path.name} ===", flush=True)
        status |= subprocess.call([sys.executable, str(path)])
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
