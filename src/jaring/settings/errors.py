"""Refusals of the settings (Indonesian in ``locales/id/LC_MESSAGES/settings.po``)."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("settings")

ZONE_UNKNOWN = CATALOGUE.refused("zone_unknown", "Unknown time zone {value} (choose: {choices}).")
REGION_UNKNOWN = CATALOGUE.refused("setting_region_unknown", "Unknown region code {value}.")
RETENTION_BAD = CATALOGUE.refused(
    "retention_bad",
    "The photo retention must be a whole number of days from {min} to {max}: {value}.",
)
