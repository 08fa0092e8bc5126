"""The one ``MetaData`` every table belongs to, with constraint names both dialects accept."""

from sqlalchemy import BigInteger, Integer, MetaData

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: Surrogate keys: 64-bit on PostgreSQL; on SQLite only ``INTEGER PRIMARY KEY`` aliases the rowid
#: and auto-assigns ids, so the same column is ``INTEGER`` there (SQLite integers are 64-bit).
BigId = BigInteger().with_variant(Integer(), "sqlite")
