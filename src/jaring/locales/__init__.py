"""Catalogues of the words people read, one per domain and language (see :mod:`jaring.i18n`)."""
