"""Web helpers other domains' adapters still import from here: ``done`` (record a committed
action in the audit trail and refresh the dashboard) and ``MEDIA`` (download types).

The programs domain no longer uses this module: its actions record their own audit events
inside their transactions (:mod:`jaring.programs.actions`) and its adapters
(:mod:`jaring.web.api.programs`, :mod:`jaring.web.pages.programs`) refresh the dashboard
themselves. It goes once the other domains have moved their audit events into their actions
and ``MEDIA`` has a shared home.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from jaring import audit
from jaring.web import dashboard
from jaring.web.security import Principal


def done(
    engine: Engine, p: Principal, action: str, entity: str, entity_id: Any, after: Any
) -> None:
    """Record a committed domain action and refresh the dashboard's figures."""
    audit.record_now(engine, p, action, entity, entity_id=entity_id, after=after)
    dashboard.invalidate()


MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
