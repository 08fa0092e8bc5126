"""Region outlines for the coverage maps: a simplified copy of the province, regency and
distrik boundaries of ``cahyadsn/wilayah_boundaries`` (MIT, notice in
``data/boundaries/LICENSE``), shipped in the package so a map needs no tile server.

``data/boundaries/<province>.json.gz`` holds, for one province, every regency (``kab``) and
distrik (``kec``) as rings of ``[lng, lat]`` in ten-thousandths of a degree (about 11 m),
simplified with Ramer-Douglas-Peucker; ``prov.json.gz`` holds the provinces. Rebuild with
``python -m jaring.coverage.boundaries <folder of the source's db/>``.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

Ring = list[tuple[int, int]]
SCALE = 10_000  # stored coordinates are degrees x 10 000 (about 11 m)
TOLERANCE = {"prov": 0.01, "kab": 0.002, "kec": 0.0005}  # degrees
_ROW = re.compile(r"\('([\d.]+)','((?:[^']|'')*)',(-?[\d.]+),(-?[\d.]+),'(\[.*?\])'\)")


@cache
def _province_file(name: str) -> dict[str, Any]:
    path = resources.files("jaring") / "data" / "boundaries" / f"{name}.json.gz"
    try:
        data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        return {}
    return data


def children(code: str) -> dict[str, dict[str, Any]]:
    """The outlines one level below ``code`` (a province's regencies, a regency's distrik;
    ``""`` the provinces): ``{code: {"n": name, "r": [ring, ...]}}``; empty when none are
    shipped."""
    level = 0 if not code else code.count(".") + 1
    if level == 0:
        return dict(_province_file("prov").get("prov", {}))
    if level > 2:
        return {}
    data = _province_file(code.split(".")[0])
    key = "kab" if level == 1 else "kec"
    prefix = code + "."
    return {k: v for k, v in data.get(key, {}).items() if k.startswith(prefix)}


# --------------------------------------------------------------------------- building


def _rdp(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            # a closed ring's ends coincide: the distance from that point instead of a line
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else math.hypot(x - x1, y - y1)
            if d > best:
                best, idx = d, i
        if best > tol and idx > 0:
            keep[idx] = True
            stack.append((a, idx))
            stack.append((idx, b))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rings(path_json: str, tol: float) -> list[Ring]:
    data = json.loads(path_json)
    # the source nests [lat, lng] pairs one or two levels deep (polygon or multipolygon)
    polys = data if data and isinstance(data[0][0][0], list) else [data]
    out: list[Ring] = []
    for poly in polys:
        for ring in poly:
            pts = [(float(p[1]), float(p[0])) for p in ring]
            simple = _rdp(pts, tol)
            q: Ring = []
            for x, y in simple:
                pt = (round(x * SCALE), round(y * SCALE))
                if not q or q[-1] != pt:
                    q.append(pt)
            if len(q) >= 3:
                out.append(q)
    return out


def _read(sql: Path, tol: float) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for m in _ROW.finditer(sql.read_text(encoding="utf-8")):
        code, name, _lat, _lng, path = m.groups()
        rings = _rings(path, tol)
        if rings:
            out[code] = {"n": name.replace("''", "'"), "r": rings}
    return out


def build(source: Path, target: Path) -> None:
    """Write the simplified outlines from the source's ``db/`` folder into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    provs: dict[str, dict[str, Any]] = {}
    for f in sorted((source / "prov").glob("*.sql")):
        provs.update(_read(f, TOLERANCE["prov"]))
    (target / "prov.json.gz").write_bytes(
        gzip.compress(json.dumps({"prov": provs}, separators=(",", ":")).encode(), mtime=0)
    )
    for f in sorted((source / "kab").glob("*.sql")):
        prov = f.stem.rsplit("_", 1)[1]
        kec_file = source / "kec" / f"wilayah_boundaries_kec_{prov}.sql"
        data = {
            "kab": _read(f, TOLERANCE["kab"]),
            "kec": _read(kec_file, TOLERANCE["kec"]) if kec_file.exists() else {},
        }
        (target / f"{prov}.json.gz").write_bytes(
            gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0)
        )


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    build(Path(sys.argv[1]), Path(__file__).resolve().parents[1] / "data" / "boundaries")
