"""Refusals of the programs domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/programs.po``); see :mod:`jaring.errors`."""

from __future__ import annotations

from jaring.errors import Catalogue

CATALOGUE = Catalogue("programs")
