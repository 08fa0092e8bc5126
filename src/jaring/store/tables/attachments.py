"""Attachment tables: what a file is (``attachment``) and its bytes (``attachment_blob``).

The bytes live apart from the record so that listing files never reads them, and so that a
deletion erases the bytes while the record of what was there, who deleted it and why stays.
"""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from jaring.store.tables.base import BigId, metadata

attachment = Table(
    "attachment",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    # SHA-256 of the plaintext: the same file stored twice is recognised as such
    Column("sha256", String(64), nullable=False),
    Column("media_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("filename", String(130), nullable=False),
    # the owning domain's name for what the file is, e.g. award.evidence, registry.change
    Column("purpose", String(40), nullable=False),
    # the region the file belongs to (dotted code), or none for a file of no region
    Column("region", String(13), nullable=True),
    # the right that reads the file; a personal file is refused to masked roles too
    Column("read_right", String(40), nullable=False),
    Column("personal", Boolean, nullable=False, default=False),
    # AES-256-GCM at rest under the key named by key_id (jaring.attachments.keys)
    Column("encrypted", Boolean, nullable=False, default=False),
    Column("key_id", String(16), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("deleted_at", DateTime, nullable=True),
    Column("deleted_by", String(80), nullable=True),
    Index("ix_attachment_purpose", "purpose", "created_at"),
)

attachment_blob = Table(
    "attachment_blob",
    metadata,
    Column(
        "attachment_id",
        BigId,
        ForeignKey("attachment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("data", LargeBinary, nullable=False),
)
