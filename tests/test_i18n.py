"""Languages and formats: every string and refusal has its Indonesian wording, in its
domain's catalogue; ``docs/errors.md`` is what the catalogues say; rupiah and dates follow
the locale."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from jaring import errors
from jaring import i18n as core
from jaring.locales import update
from jaring.web import i18n


def test_catalogues_are_current_and_complete() -> None:
    """Every string the code and templates show, and every refusal, has an Indonesian entry
    in its domain's catalogue (some, like "Status", are the same word in both languages),
    and docs/errors.md is generated from them: run ``python -m jaring.locales.update``."""
    assert update.run(check=True) == []
    assert core.gettext_in("Sign in", "id") == "Masuk"


def test_one_msgid_one_translation_across_domains() -> None:
    seen: dict[tuple[str, str | None], tuple[str, object]] = {}
    clashes = []
    for path in core.catalogue_files("id"):
        for m in core.read_catalogue(path, "id"):
            if not m.id:
                continue
            key = (m.id if isinstance(m.id, str) else m.id[0], m.context)
            if key in seen and seen[key][1] != m.string:
                clashes.append((key, seen[key][0], path.name))
            seen.setdefault(key, (path.name, m.string))
    assert clashes == []


def test_every_refusal_reads_in_both_languages_with_its_facts() -> None:
    for refusal in errors.all_refusals():
        assert refusal.code not in refusal.en  # the wording is a sentence, not the code
        e = refusal(field="f")
        assert e.code == refusal.code and e.message("id") and e.message("en")


def test_slots_take_the_languages_figures() -> None:
    cat = errors.Catalogue("test-slots")
    r = cat.refused("test_slot_amount", "Paid {amount:rupiah} on {on:date} ({n:number}).")
    e = r(amount=2_200_000_000, on=dt.date(2024, 3, 20), n=19336)
    assert e.message("en") == "Paid Rp2,200,000,000 on 20 March 2024 (19,336)."
    assert e.message("id").startswith("Paid Rp2.200.000.000 on 20 Maret 2024 (19.336)")
    assert r().message("en") == "Paid {amount:rupiah} on {on:date} ({n:number})."
    del errors.REGISTRY["test_slot_amount"]


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
