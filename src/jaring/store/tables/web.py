"""Web tables (filled by the web work; see the issue)."""

from jaring.store.tables.base import metadata  # noqa: F401
