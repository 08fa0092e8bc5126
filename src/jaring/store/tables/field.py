"""Field registration tables: one row per record a registrar entered on a phone (or an ODK
submission), keyed by the id the phone made for it, so that a record sent twice is stored
once.

``field_record`` keeps the record as sent (``payload``, JSON), the server's answer
(``status`` and ``issues``), where it entered the registry (``batch_id``, ``row_id``: one
batch per registrar and day) and its provenance: who (``registrar``), where (``market``, the
region codes), when (``registered_at`` on the phone, ``received_at`` on the server) and on
which device. A record that needs a fix enters nothing until the phone sends it again,
corrected, under the same id.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from jaring.store.tables.base import BigId, metadata

field_record = Table(
    "field_record",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("client_id", String(64), nullable=False, unique=True),  # made by the phone
    Column("instance_id", String(100), unique=True),  # ODK's meta/instanceID, when from ODK
    Column("origin", String(10), nullable=False),  # pwa | odk | import
    Column("registrar", String(100), nullable=False),  # username
    Column("registrar_id", Integer),
    Column("device", String(200)),
    Column("day", Date, nullable=False),  # the registrar's day (batch per registrar and day)
    Column("registered_at", DateTime),  # on the phone's clock, UTC
    Column("received_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("province_code", String(2)),
    Column("regency_code", String(5)),
    Column("district_code", String(8)),
    Column("village_code", String(13)),
    Column("market", String(200)),  # market or base: "Pasar Remu"
    # accepted | needs_fix | duplicate_here | duplicate_elsewhere
    Column("status", String(20), nullable=False),
    Column("nik", String(16)),  # clean, null unless valid
    Column("payload", Text, nullable=False),  # JSON: the record as last sent
    Column("issues", Text, nullable=False),  # JSON list: {field, code, severity, value, detail}
    Column("consent_name", String(200)),
    Column("consent_at", DateTime),
    Column("batch_id", Integer),  # registry_batch the record entered (null: needs a fix)
    Column("row_id", BigInteger),  # its source row
    Column("photo_id", BigInteger),  # the KTP photo in the attachment store, if any
    Index("ix_field_record_registrar_day", "registrar", "day"),
    Index("ix_field_record_nik", "nik"),
    Index("ix_field_record_district", "district_code", "day"),
)
