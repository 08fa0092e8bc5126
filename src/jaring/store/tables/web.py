"""Web tables: accounts, sessions, API tokens, settings, and the append-only audit trail.

Secrets are never stored in clear: passwords as argon2 hashes, session and API tokens as
SHA-256 digests of high-entropy random values (a slow KDF buys nothing for 256-bit tokens and
would cost milliseconds per request). ``audit_event`` is append-only: migration 0006 installs
triggers on both dialects that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    func,
)

from jaring.store.tables.base import metadata

web_user = Table(
    "web_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False, default=""),
    # administrator | operator | budget_officer | viewer | juror | auditor
    Column("role", String(20), nullable=False),
    # dotted region codes the user may see and change (operators); [] = every region
    Column("regions", JSON, nullable=False, default=list),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("lang", String(2)),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

web_session = Table(
    "web_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex of the cookie value
    Column("user_id", Integer, ForeignKey("web_user.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Index("ix_web_session_user_id", "user_id"),
)

web_token = Table(
    "web_token",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("web_user.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),  # shown in lists so a token can be recognised
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

web_setting = Table(
    "web_setting",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

audit_event = Table(
    "audit_event",
    metadata,
    # BIGINT on PostgreSQL; INTEGER on SQLite, where only that type is an auto-id (rowid)
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime, nullable=False),
    Column("actor_id", Integer),  # no FK: the trail outlives accounts
    Column("actor", String(80), nullable=False),  # username at the time, or 'system'
    Column("action", String(60), nullable=False),  # e.g. 'user.create', 'registry.import'
    Column("entity", String(60), nullable=False),  # e.g. 'web_user', 'person'
    Column("entity_id", String(60)),
    Column("before", JSON(none_as_null=True)),
    Column("after", JSON(none_as_null=True)),
    Index("ix_audit_event_entity", "entity", "entity_id"),
    Index("ix_audit_event_at", "at"),
)

# Recent sign-in attempts per client address, shared by every worker of `jaring serve
# --workers N` (an in-process counter would allow N times the limit). The address is stored as
# a SHA-256 digest; rows older than the window are deleted at each attempt, so the table holds
# at most a minute of attempts.
nik_lookup = Table(
    "nik_lookup",
    metadata,
    # an exact-NIK look-up by a user of a masked role, kept for the limit's window
    # (jaring.registry.lookups): counted in the store so every worker shares one count
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("username", String(100), nullable=False),
    Column("at", Float, nullable=False),  # seconds since the epoch (time.time())
    Index("ix_nik_lookup_username", "username", "at"),
)

web_login_attempt = Table(
    "web_login_attempt",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("address", String(64), nullable=False),  # sha256(client address), hex
    Column("at", Float, nullable=False),  # seconds since the epoch (time.time())
    Index("ix_web_login_attempt_address", "address", "at"),
    Index("ix_web_login_attempt_at", "at"),
)

# The letterhead a region's reports carry: the Pemda's name as it heads its letters, the
# lines under it (office, address) and its logo (PNG or JPEG, small), set by an administrator
# (``settings.manage``). One row per region code (``96.71``); the nearest enclosing region's
# row heads a report of a distrik.
region_letterhead = Table(
    "region_letterhead",
    metadata,
    Column("region_code", String(13), primary_key=True),
    Column("authority", String(200), nullable=False),  # e.g. 'PEMERINTAH KOTA SORONG'
    Column("office", String(200), nullable=False, default=""),  # e.g. 'DINAS TENAGA KERJA'
    Column("address", String(300), nullable=False, default=""),
    Column("signatory", String(200), nullable=False, default=""),  # name under the signature
    Column("signatory_title", String(200), nullable=False, default=""),
    Column("logo", LargeBinary),
    Column("logo_type", String(20)),  # image/png | image/jpeg
    Column("updated_by", String(80), nullable=False),
    Column("updated_at", DateTime, nullable=False, server_default=func.now()),
)
