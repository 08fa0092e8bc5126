"""The store: SQLAlchemy tables, engines, migrations and bulk paths.

The only package that knows SQL dialects. Domain packages hand it Polars frames and get
frames back; bulk writes use the driver's fastest way (PostgreSQL ``COPY``, SQLite
``executemany`` in one transaction) behind :mod:`jaring.store.bulk`.
"""

from jaring.store.db import DEFAULT_URL, database_url, make_engine, migrate

__all__ = ["DEFAULT_URL", "database_url", "make_engine", "migrate"]
