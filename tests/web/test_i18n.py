"""Languages and formats: every string has its Indonesian translation; rupiah and dates
follow the locale."""

import datetime as dt
from importlib import resources

from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from jaring.web import i18n
from jaring.web.locales.update import extract


def test_every_message_is_translated_into_indonesian() -> None:
    """Every string the code and templates show has an Indonesian entry in the catalogue
    (some, like "Status", are the same word in both languages)."""
    path = resources.files("jaring.web") / "locales" / "id" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        cat = read_po(f, locale="id")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in cat
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    wanted = {(m.id if isinstance(m.id, str) else m.id[0]) for m in extract() if m.id}
    assert sorted(wanted - translated) == []
    assert i18n.catalogue("id").gettext("Sign in") == "Masuk"


def test_rupiah_and_dates_by_locale() -> None:
    assert i18n.rupiah(2_200_000_000, "id") == "Rp2.200.000.000"
    assert i18n.rupiah(2_200_000_000, "en") == "Rp2,200,000,000"
    assert i18n.rupiah(-16_800, "id") == "-Rp16.800"
    assert i18n.rupiah(None) == "-"
    assert i18n.date(dt.date(2024, 2, 26), "id") == "26 Februari 2024"
    assert i18n.date(dt.date(2024, 2, 26), "en") == "26 February 2024"
    assert i18n.date("2024-08-17", "id") == "17 Agustus 2024"
    assert i18n.percent(0.5, "id") == "50,0%"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_round_trips(amount: int) -> None:
    text = i18n.rupiah(amount, "id")
    assert text.replace("Rp", "").replace(".", "") == str(amount)
    assert int(i18n.rupiah(amount, "en").replace("Rp", "").replace(",", "")) == amount


def test_language_picking() -> None:
    assert i18n.pick("EN-us") == "en"
    assert i18n.pick("fr") is None
    assert i18n.from_accept_language("fr-FR,en;q=0.8,id;q=0.5") == "en"
    assert i18n.from_accept_language("") is None
