"""Refusals of the settings (Indonesian in ``locales/id/LC_MESSAGES/settings.po``)."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("settings")

ZONE_UNKNOWN = CATALOGUE.refused("zone_unknown", "Unknown time zone {value} (choose: {choices}).")
REGION_UNKNOWN = CATALOGUE.refused("setting_region_unknown", "Unknown region code {value}.")
