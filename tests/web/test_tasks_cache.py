"""The work queue ("Tugas saya") is not recounted on every dashboard load: it is kept per
user for a few seconds and forgotten after any successful change through the web."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import csrf_of

from jaring.web.pages import home


def test_the_queue_is_kept_until_a_change(browser_as, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real = home.tasks_of
    calls: list[str] = []

    def counted(request: Any, p: Any) -> Any:
        calls.append(p.username)
        return real(request, p)

    monkeypatch.setattr(home, "tasks_of", counted)
    op = browser_as("operator")
    first = op.get("/")
    assert first.status_code == 200 and 'id="tasks"' in first.text
    op.get("/")
    op.get("/")
    assert calls == ["operator"]  # counted once for three loads
    admin = browser_as("admin")
    admin.get("/")
    assert calls == ["operator", "admin"]  # each user has their own queue
    page = op.get("/people/2").text
    r = op.post(
        "/people/2/contact",
        data={"csrf_token": csrf_of(page), "occupation": "ojek pangkalan"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    op.get("/")
    assert calls == ["operator", "admin", "operator"]  # the change made it count again
    r = op.post("/people/2/contact", data={"csrf_token": "wrong", "occupation": "x"})
    assert r.status_code >= 400
    op.get("/")
    assert calls == ["operator", "admin", "operator"]  # a refused request changes nothing
