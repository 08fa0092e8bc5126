"""Refusals of the coverage domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/coverage.po``); see :mod:`jaring.errors`."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("coverage")
