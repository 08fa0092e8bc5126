"""Everything field registration changes, one transaction each, for an actor (checked for
its right and regions, recorded in the audit trail), by group: :mod:`~jaring.field.actions.
sync` (records answered and entered into the registry), :mod:`~jaring.field.actions.pull` (ODK
pulls and exports) and
:mod:`~jaring.field.actions.photos` (KTP photos and their retention), :mod:`~jaring.field.actions.pin` (a forgotten PIN). The names callers use
are kept here."""

from jaring.field.actions.photos import (
    PHOTO_MAX,
    PHOTO_PURPOSE,
    PhotosExpired,
    PhotoStored,
    purge_expired_photos,
    purge_expired_quietly,
    purge_photos,
    store_photo,
)
from jaring.field.actions.pin import PinCode, PinReset, issue_pin_code, reset_pin
from jaring.field.actions.pull import pull, sync_many
from jaring.field.actions.sync import Answer, Issue, Synced, check, sync

__all__ = [
    "PHOTO_MAX",
    "PHOTO_PURPOSE",
    "Answer",
    "Issue",
    "PhotoStored",
    "PhotosExpired",
    "PinCode",
    "PinReset",
    "Synced",
    "check",
    "issue_pin_code",
    "pull",
    "purge_expired_photos",
    "purge_expired_quietly",
    "purge_photos",
    "reset_pin",
    "store_photo",
    "sync",
    "sync_many",
]
