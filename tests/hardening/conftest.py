"""The web fixtures (stores of both dialects with a user per role) shared with the
adversarial checks."""

from tests.web.conftest import (  # noqa: F401
    _fast_password_hashing,
    _templates,
    api,
    app,
    browser_as,
    web_engine,
)
