"""All tables, one module per domain package. Importing this module registers them all on
:data:`metadata` (Alembic compares the migrated schema with it in the tests)."""

from jaring.store.tables import (  # noqa: F401
    attachments,
    award,
    claims,
    coverage,
    programs,
    registry,
    web,
)
from jaring.store.tables.base import metadata

__all__ = ["metadata"]
