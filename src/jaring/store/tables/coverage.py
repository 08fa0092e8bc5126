"""Coverage tables (filled by the coverage work; see issue 6)."""

from jaring.store.tables.base import metadata  # noqa: F401
