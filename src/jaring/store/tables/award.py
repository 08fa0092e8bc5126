"""Award tables (filled by the award work; see the issue)."""

from jaring.store.tables.base import metadata  # noqa: F401
