"""The web fixtures (a seeded store of each dialect, users of every role, signed-in clients)
for the field API and page tests."""

from tests.web.conftest import (  # noqa: F401
    _fast_password_hashing,
    _templates,
    api,
    app,
    browser_as,
    web_engine,
)
