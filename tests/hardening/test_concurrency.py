"""N identical requests at the same moment, on SQLite and PostgreSQL: payments on one
invoice, claims for one death, wrong passwords for one account. Exactly one payment and one
claim succeed; every failure counts."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from tests.claims.helpers import world
from tests.programs.test_service import START, setup_program

from jaring.access import Actor
from jaring.accounts import actions as accounts
from jaring.accounts import passwords
from jaring.claims import actions as claims
from jaring.errors import JaringError
from jaring.programs import actions as programs
from jaring.store.tables.web import web_user

N = 6
SYSTEM = Actor.system()


def at_once(n: int, call: Callable[[int], Any]) -> list[Any]:
    """``call(i)`` for i in 0..n-1 on n threads released together; results or exceptions."""
    gate = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        gate.wait()
        try:
            out[i] = call(i)
        except Exception as e:
            out[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def codes(results: list[Any]) -> list[str]:
    return sorted(r.code if isinstance(r, JaringError) else type(r).__name__ for r in results)


def test_one_payment_settles_an_invoice(engine: Engine, tmp_path: Path) -> None:
    setup_program(engine, tmp_path, people=20, budget=2_000_000)
    inv = programs.create_invoice(engine, SYSTEM, "Uji", START)
    results = at_once(
        N,
        lambda i: programs.pay(
            engine, SYSTEM, inv.invoice, amount=inv.amount, sp2d=f"SP2D-{i}", on=START
        ),
    )
    ok = [r for r in results if not isinstance(r, Exception)]
    assert len(ok) == 1, codes(results)
    assert codes([r for r in results if isinstance(r, Exception)]) == [
        "payment_exceeds_invoice"
    ] * (N - 1)
    with engine.connect() as c:
        paid = c.execute(text("SELECT SUM(amount) FROM payment")).scalar_one()
    assert paid == inv.amount


def test_one_claim_for_one_death(engine: Engine) -> None:
    nik = "9671010101800001"
    world(engine, [{"nik": nik, "periods": [(dt.date(2024, 1, 1), dt.date(2024, 6, 30))]}])
    results = at_once(
        N,
        lambda i: claims.file_claim(
            engine,
            SYSTEM,
            claim_type="jkm",
            nik=nik,
            event_date=dt.date(2024, 5, 10),
            filed_on=dt.date(2025, 1, 10),
            reporter=f"Kelurahan {i}",
            heirs=[{"relation": "spouse", "name": "Mama Yuliana"}],
        ),
    )
    ok = [r for r in results if not isinstance(r, Exception)]
    assert len(ok) == 1, codes(results)
    assert codes([r for r in results if isinstance(r, Exception)]) == ["claim_duplicate"] * (N - 1)


def test_concurrent_wrong_passwords_all_count(engine: Engine) -> None:
    real = passwords.hasher
    from argon2 import PasswordHasher

    passwords.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        accounts.create_user(
            engine, SYSTEM, username="sasaran", role="viewer", password="Kuat-Sekali-2026!"
        )
        n = accounts.MAX_FAILED - 1 + N  # more than enough to lock it, all at once
        results = at_once(n, lambda i: accounts.authenticate(engine, "sasaran", f"salah-{i}"))
        assert all(isinstance(r, JaringError) for r in results)
        with engine.connect() as c:
            locked = c.execute(
                select(web_user.c.locked_until).where(web_user.c.username == "sasaran")
            ).scalar_one()
        assert locked is not None, "concurrent failures were lost: the account is not locked"
    finally:
        passwords.hasher = real
