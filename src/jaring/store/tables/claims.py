"""Claims tables (filled by the claims work; see the issue)."""

from jaring.store.tables.base import metadata  # noqa: F401
