"""The dashboard's cache: requests arriving together for cold figures share one computation,
and figures computed across a change are not kept."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import Engine
from tests.web.conftest import principal_named

from jaring.web import dashboard as dash


def _admin(engine: Engine) -> Any:
    return principal_named(engine, "admin")


def test_concurrent_cold_requests_compute_once(
    web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = _admin(web_engine)
    real = dash._compute
    calls: list[dt.date] = []
    started = threading.Event()
    release = threading.Event()

    def counted(engine: Engine, principal: Any, on: dt.date) -> Any:
        calls.append(on)
        started.set()
        release.wait(10)  # hold the computation until every request has arrived
        return real(engine, principal, on)

    monkeypatch.setattr(dash, "_compute", counted)
    dash.invalidate()
    on = dt.date(2024, 6, 3)
    results: list[Any] = []
    threads = [
        threading.Thread(target=lambda: results.append(dash.dashboard(web_engine, p, on)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    assert started.wait(10)
    release.set()
    for t in threads:
        t.join(10)
    assert calls == [on]
    assert len(results) == 6 and all(r == results[0] for r in results)
    assert results[0].people == 4 and results[0].covered == 2


def test_figures_computed_across_a_change_are_not_cached(
    web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = _admin(web_engine)
    real = dash._compute

    def changed_meanwhile(engine: Engine, principal: Any, on: dt.date) -> Any:
        data = real(engine, principal, on)
        dash.invalidate()  # a payment recorded through the web while the queries ran
        return data

    monkeypatch.setattr(dash, "_compute", changed_meanwhile)
    dash.invalidate()
    on = dt.date(2024, 6, 4)
    assert dash.dashboard(web_engine, p, on).people == 4
    assert dash.cached(web_engine, p, on) is None
    monkeypatch.setattr(dash, "_compute", real)
    dash.dashboard(web_engine, p, on)
    assert dash.cached(web_engine, p, on) is not None
