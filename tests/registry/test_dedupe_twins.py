"""Twins are never one person through other rows: a row with the family name only, or an
initial and the other twin's NIK, may link to each twin, and the clusters would join them
(jaring.registry.dedupe.split_twins). A small list built by hand and the links a model gives
it; no model is trained here."""

import datetime as dt

import duckdb
import polars as pl

from jaring.registry import dedupe

BORN = dt.date(1988, 6, 13)
# twins: NIKs issued one after the other (serials 0571 and 0570), one birth date
HASAN, ISMAIL = "9671101306880571", "9671101306880570"
ROWS = [
    (1, HASAN, "hasan baru"),
    (2, HASAN, "hasan baru"),
    (3, ISMAIL, "ismail baru"),
    (4, None, "ismail baru"),
    (5, "9671101306886857", "baru"),  # the family name only, the NIK mistyped
    (6, ISMAIL, "h baru"),  # Hasan's initial with Ismail's NIK
    # one person whose serial is mistyped by one, and one whose name is
    (7, "9671034308880040", "rahel sapisa"),
    (8, "9671034308880041", "rahel sapisa"),
    (9, "9671034308880042", "dewi sapisa"),
    (10, "9671034308880043", "dwei sapisa"),
    # twins one of whom has a middle name like the other's given name, joined by an initial
    (11, "9671026107862573", "susana dedi hidayat"),
    (12, "9671026107862574", "dewi hidayat"),
    (13, "9671026610786257", "d hidayat"),
    # one person: a serial mistyped by one, the name in another order
    (14, "9671044807946410", "mariam kladit"),
    (15, "9671044807946410", "kladit mariam"),
    (16, "9671044807946411", "mariam kladit"),
    # twins of two sexes (the day of the woman's NIK 40 more) with given names one letter
    # apart, joined by a misspelling of one of them
    (17, "9671014709019840", "dewi wijaya"),
    (18, "9671014709019840", "dewi wijaya"),
    (19, "9671010709019839", "dedi wijaya"),
    (20, "9671014709019480", "dwei wijaya"),
]


def _records() -> pl.DataFrame:
    return pl.DataFrame(
        [(i, nik, name, BORN) for i, nik, name in ROWS],
        schema=["id", "nik", "name_norm", "birth_date"],
        orient="row",
    )


def _links(pairs: list[tuple[int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id_l": [a for a, _ in pairs],
            "id_r": [b for _, b in pairs],
            "match_probability": [0.999] * len(pairs),
            "hold": pl.Series([None] * len(pairs), dtype=pl.String),
        }
    )


LINKS = [(1, 2), (3, 4), (1, 5), (3, 5), (3, 6), (1, 6), (7, 8), (9, 10), (11, 13), (12, 13)]
LINKS += [(14, 15), (15, 16), (17, 18), (17, 20), (19, 20)]


def _clusters(links: pl.DataFrame) -> dict[int, int]:
    c = dedupe.components(_records().get_column("id"), links.select("id_l", "id_r"))
    return dict(c.iter_rows())


def test_twins_joined_through_other_rows_are_split_and_the_bridges_asked() -> None:
    kept, held, comp = dedupe.split_twins(_links(LINKS), _records())
    c = _clusters(kept)
    # the components it returns are those of the links it keeps
    given = dict(comp.iter_rows())
    assert all((given[a] == given[b]) == (c[a] == c[b]) for a in given for b in given)
    assert c[1] == c[2] == c[6]  # the initial is Hasan's
    assert c[3] == c[4]
    assert c[1] != c[3]
    assert c[5] not in (c[1], c[3])  # the family name alone: either twin, asked
    assert c[12] == c[13] != c[11]  # the initial is Dewi's, not Susana's
    assert c[17] == c[18] == c[20] != c[19]  # "dwei" is more like Dewi than Dedi
    held_pairs = sorted(held.select("id_l", "id_r").iter_rows())
    assert held_pairs == [(1, 5), (3, 5), (3, 6), (11, 13), (19, 20)]
    assert set(held.get_column("hold")) == {"twins_joined"}
    # a serial or a name mistyped is one person still
    assert c[7] == c[8] and c[9] == c[10] and c[14] == c[15] == c[16]


def test_the_queue_gets_the_held_links_and_the_page_words_them() -> None:
    empty = _links([]).with_columns(gamma_nik=pl.lit(6))
    decided = dedupe.Decided(
        links=_links(LINKS).with_columns(gamma_nik=pl.lit(6)), queue=empty, left_out=empty
    )
    out, _ = dedupe.keep_twins_apart(decided, _records())
    assert out.links.height == len(LINKS) - 5
    assert out.queue.height == 5 and out.left_out.height == 5
    assert "twins_joined" in dedupe.explain(out.queue)[0]
    assert "twins_joined" in dedupe.HOLDS


def test_what_stands_is_not_undone() -> None:
    # an operator accepted Hasan's and Ismail's rows as one person: nothing is held
    kept, held, _ = dedupe.split_twins(_links(LINKS[:6]), _records(), fixed=_links([(1, 3)]))
    assert held.height == 0 and kept.height == 6
    # rows already one person stand beside the links: the bridge is still found
    kept, held, _ = dedupe.split_twins(_links([(1, 5), (3, 5)]), _records(), fixed=_links([(1, 2)]))
    assert sorted(held.select("id_l", "id_r").iter_rows()) == [(1, 5), (3, 5)]


# Twins each in a cluster of their own, and a row of one of them linked to the other's rows
# by what the pair alone cannot tell apart: an initial of its own given name (the other
# twin's middle name) with the other's NIK mistyped into it; the family name alone without a
# NIK; an initial both given names start with under a NIK mistyped far from both. And
# someone else born that day, in that district, whose NIK's serial is next to the twins'.
APART = [
    (21, "9671041306880892", "obaja fransiskus rumaropen"),
    (22, None, "obaja fransiskus rumaropen"),
    (23, "9671041306880892", "f rumaropen"),  # Fransiskus, with Obaja's NIK
    (24, "9671041306880893", "fransiskus rumaropen"),
    (25, "9671041306880893", "fransiskus rumaropen"),
    (26, "9671051306880305", "frans santoso"),
    (27, "9671051306880305", "farns santso"),
    (28, None, "santoso"),  # Hendrik's row: the family name alone
    (29, "9671051306880306", "hendrik santoso"),
    (30, "9671061306882980", "yakobus hamid"),
    (31, "9671061306882980", "hamid yakobus"),
    (32, "9671061306882988", "y hamid"),  # Yusuf's NIK (2981) mistyped
    (33, "9671061306882981", "yusuf hamid"),
    (34, "9671061306882982", "maria kogoya"),
    (35, None, "kogoya"),
]
APART_LINKS = [(21, 22), (21, 23), (24, 25), (26, 27), (27, 28), (30, 31), (30, 32), (34, 35)]


def test_a_row_either_twin_may_be_is_asked_even_when_the_twins_are_apart() -> None:
    records = pl.DataFrame(
        [(i, nik, name, BORN) for i, nik, name in APART],
        schema=["id", "nik", "name_norm", "birth_date"],
        orient="row",
    )
    _, held, comp = dedupe.split_twins(_links(APART_LINKS), records)
    c = dict(comp.iter_rows())
    assert sorted(held.select("id_l", "id_r").iter_rows()) == [(21, 23), (27, 28), (30, 32)]
    assert c[21] == c[22] != c[23]  # the initial is Fransiskus's, not Obaja's
    assert c[26] == c[27] and c.get(28, 28) not in (c[26], c.get(29, 29))
    assert c[30] == c[31] and c.get(32, 32) != c[30]
    # someone else's family name alone stays with her: it can be no twin
    assert c[34] == c[35]
    # a twin's rows alone in the list still show the other twin's group
    _, held, _ = dedupe.split_twins(_links([(26, 27), (27, 28)]), records)
    assert sorted(held.select("id_l", "id_r").iter_rows()) == [(27, 28)]


# twins "Wa Ode" and "Wati" (a given name of two words, and one that starts as its first
# word does): a row of Wa Ode under her NIK with two digits swapped links to Wati's row by
# their names alike as wholes, the birth date and the phone
WA_ODE = [
    (40, "9671095002751741", "wa ode rumere"),
    (41, "9671095002751741", "wa ode rumere"),
    (42, "9671095002757141", "wa ode rumere"),
    (43, "9671095002751742", "wati rumere"),
]


def test_a_given_name_of_two_letters_is_another_given_name() -> None:
    records = pl.DataFrame(
        [(i, nik, name, BORN) for i, nik, name in WA_ODE],
        schema=["id", "nik", "name_norm", "birth_date"],
        orient="row",
    )
    con = duckdb.connect()
    for macro in dedupe._MACROS:
        con.execute(macro)
    twins = dedupe._twin_pairs(records, con)
    con.close()
    assert sorted(twins.select("id_l", "id_r").iter_rows()) == [(40, 43), (41, 43)]
    assert twins.get_column("given_apart").all()
    _, held, comp = dedupe.split_twins(_links([(40, 41), (40, 42), (41, 42), (42, 43)]), records)
    c = dict(comp.iter_rows())
    assert held.select("id_l", "id_r").rows() == [(42, 43)]
    assert c[40] == c[41] == c[42] != c.get(43, 43)
    # a typo of one letter is the same given name: "wati" and "wti" are one twin
    typo = records.with_columns(
        name_norm=pl.when(pl.col("id") == 40).then(pl.lit("wti rumere")).otherwise("name_norm")
    )
    _, held, _ = dedupe.split_twins(_links([(40, 43)]), typo.filter(pl.col("id").is_in([40, 43])))
    assert held.height == 0


def test_the_scoring_finds_the_twins_as_split_twins_would() -> None:
    """score_pairs_and_twins finds the twin pairs beside the scoring; given to split_twins
    they hold exactly what split_twins holds when it finds them itself."""
    records = _records().with_columns(
        sex=pl.lit(None, dtype=pl.String),
        district_code=pl.lit("96.71.01"),
        village_code=pl.lit(None, dtype=pl.String),
        phone=pl.lit(None, dtype=pl.String),
        is_new=pl.lit(1, dtype=pl.Int8),
    )
    scored, twins = dedupe.score_pairs_and_twins(records, min_probability=0.5)
    assert twins is not None
    con = duckdb.connect()
    for macro in dedupe._MACROS:
        con.execute(macro)
    own = dedupe._twin_pairs(records, con)
    ends = ["id_l", "id_r"]
    assert twins.sort(ends).equals(own.sort(ends))
    assert {(a, b) for a, b in twins.select(ends).iter_rows()} >= {(1, 3), (11, 12)}
    links = _links(LINKS)
    found = dedupe.split_twins(links, records, twins=twins)
    itself = dedupe.split_twins(links, records)
    for a, b in zip(found, itself, strict=True):
        assert a.sort(a.columns).equals(b.sort(b.columns))
    assert scored.columns[:4] == ["id_l", "id_r", "match_weight", "match_probability"]
