"""Attachments: files that belong to a record (award evidence, the evidence of an identity
change, the photo of a KTP taken in the field), kept in one store that backups include.

A file is checked by its content, not its name (PDF, JPEG or PNG), limited in size, and kept
in the database itself (``attachment`` for what it is, ``attachment_blob`` for its bytes), so
that ``jaring db backup`` and ``pg_dump`` carry it with the records that name it. A file with
personal data can be encrypted at rest (AES-256-GCM, :mod:`.keys`); the key is kept outside
the database, so a copy of the database alone does not open it.

The owning domain decides who may add a file, and says at :func:`.actions.put` which right
reads it (``read_right``) and whether it holds personal data (``personal``: roles that see
personal data masked cannot read it). Deleting erases the bytes and keeps the record of what
was there, who deleted it and why.

- :mod:`.rules`: content types, file names, encryption (pure);
- :mod:`.keys`: the key of encryption at rest;
- :mod:`.actions`: :func:`~.actions.put`, :func:`~.actions.delete`, :func:`~.actions.purge`;
- :mod:`.queries`: :func:`~.queries.get`, :func:`~.queries.read`, :func:`~.queries.list_for`.
"""

from jaring.attachments.rules import Attachment

__all__ = ["Attachment"]
