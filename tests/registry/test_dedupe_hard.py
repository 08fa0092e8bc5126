"""Deduplication of lists typed by hand (jaring.demo.hardlists): each kind of NIK typo links
when name and birth date agree, twins and NIK ganda never link, the calibration is sane
against the generator's truth. One small generated list, scored once for the module."""

import datetime as dt
from typing import Any

import polars as pl
import pytest

from jaring.demo.hardlists import hard_list, quality
from jaring.registry import dedupe, niks


def _typed(case: str, a: str) -> str:
    """NIK ``a`` mistyped as ``case``."""
    return {
        "digit": a[:5] + "5" + a[6:],  # distrik 03 -> 05
        "swap": a[:2] + a[3] + a[2] + a[4:],  # 9671 -> 9617
        "drop": a[:3] + a[4:] + "7",  # a digit dropped, a stray one at the end
        "double": (a[:2] + a[1] + a[2:])[:16],  # a digit doubled, the last pushed out
        "papua_code": "92" + a[2:],  # the old Kota Sorong code
        "date_part": a[:10] + "7" + a[11:],  # year 88 -> 78: disagrees with the birth date
    }[case]


CASES = ("digit", "swap", "drop", "double", "papua_code", "date_part")
NAMES = ("yuliana wonatorei", "selfina kareth", "dorsila mambrasar", "rahel sapisa",
         "naomi rumbiak", "ruth kaisiepo")  # fmt: skip


def _crafted(start: int) -> tuple[pl.DataFrame, dict[str, tuple[int, int]]]:
    """Pairs of rows, one per case: (case) -> (id, id)."""
    rows = []
    pairs = {}
    i = start
    for k, case in enumerate(CASES):
        # each case its own woman born 3 August 1988 in 96.71.03, serials 0040...
        a = f"967103430888{40 + k:04d}"
        for nik in (a, _typed(case, a)):
            rows.append((i, nik, NAMES[k], dt.date(1988, 8, 3), "P", "96.71.03",
                         "96.71.03.1001", f"08127000{k:02d}99"))  # fmt: skip
            i += 1
        pairs[case] = (i - 2, i - 1)
    # twins: consecutive serials, one birth date, family name, phone; other given names
    rows.append((i, "9671031505900101", "markus yoku", dt.date(1990, 5, 15), "L", "96.71.03",
                 "96.71.03.1001", "081299990000"))  # fmt: skip
    rows.append((i + 1, "9671031505900102", "petrus yoku", dt.date(1990, 5, 15), "L",
                 "96.71.03", "96.71.03.1001", "081299990000"))  # fmt: skip
    pairs["twins"] = (i, i + 1)
    # twins whose serials carry (0109, 0110: no one-digit level sees it), and twins one of
    # whose rows has the region mistyped and the given name left out: never linked
    rows.append((i + 4, "9671032007950109", "yakobus rumbekwan", dt.date(1995, 7, 20), "L",
                 "96.71.03", "96.71.03.1001", "081288880000"))  # fmt: skip
    rows.append((i + 5, "9671032007950110", "yohanes rumbekwan", dt.date(1995, 7, 20), "L",
                 "96.71.03", "96.71.03.1001", "081288880000"))  # fmt: skip
    pairs["twins_carry"] = (i + 4, i + 5)
    rows.append((i + 6, "9671056108920201", "selina wonda", dt.date(1992, 8, 21), "P",
                 "96.71.05", "96.71.05.1001", "081277770000"))  # fmt: skip
    rows.append((i + 7, "9671076108920202", "wonda", dt.date(1992, 8, 21), "P",
                 "96.71.05", "96.71.05.1001", "081277770000"))  # fmt: skip
    pairs["twin_region_typo"] = (i + 6, i + 7)
    # a twin's row with no NIK and only the family name, or an initial for the given name:
    # nothing in it tells which twin it is
    rows.append((i + 8, "9671040302930301", "frans santoso", dt.date(1993, 2, 3), "L",
                 "96.71.04", "96.71.04.1001", "081266660000"))  # fmt: skip
    rows.append((i + 9, None, "santoso", dt.date(1993, 2, 3), "L",
                 "96.71.04", "96.71.04.1001", "081266660000"))  # fmt: skip
    rows.append((i + 10, None, "s santoso", dt.date(1993, 2, 3), "L",
                 "96.71.04", "96.71.04.1001", "081266660000"))  # fmt: skip
    pairs["family_name_only"] = (i + 8, i + 9)
    pairs["initial_only"] = (i + 8, i + 10)
    # the "santoso" row typed again word for word: the same question as its first copy
    rows.append((i + 13, None, "santoso", dt.date(1993, 2, 3), "L",
                 "96.71.04", "96.71.04.1001", "081266660000"))  # fmt: skip
    pairs["family_name_only_again"] = (i + 8, i + 13)
    # twins with common given names one letter apart, one serial mistyped so that the NIKs
    # look one dropped digit apart (0024, 0043): asked, not linked
    rows.append((i + 11, "9671072311690024", "rudi mandowen", dt.date(1969, 11, 23), "L",
                 "96.71.07", "96.71.07.1001", None))  # fmt: skip
    rows.append((i + 12, "9671072311690043", "budi mandowen", dt.date(1969, 11, 23), "L",
                 "96.71.07", "96.71.07.1001", None))  # fmt: skip
    pairs["twins_given_names"] = (i + 11, i + 12)
    # NIK ganda: one NIK, two people (other names, other birth dates)
    rows.append((i + 2, "9671021202850077", "hendrik salossa", dt.date(1985, 2, 12), "L",
                 "96.71.02", "96.71.02.1001", None))  # fmt: skip
    rows.append((i + 3, "9671021202850077", "agustina malak", dt.date(1979, 9, 30), "P",
                 "96.71.02", "96.71.02.1002", None))  # fmt: skip
    pairs["nik_ganda"] = (i + 2, i + 3)
    cols = ["id", "nik", "name_norm", "birth_date", "sex", "district_code", "village_code",
            "phone"]  # fmt: skip
    return pl.DataFrame(rows, schema=cols, orient="row"), pairs


def test_each_typo_is_the_level_it_names() -> None:
    assert all(_typed(c, "9671034308880040") != "9671034308880040" for c in CASES)
    assert len({_typed(c, "9671034308880040") for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def run() -> tuple[dedupe.Deduplicated, pl.DataFrame, dict[str, tuple[int, int]]]:
    frame = hard_list(2000, seed=3)
    records = frame.select("id", "nik", "name_norm", "birth_date", "sex", "district_code",
                           "village_code", "phone")  # fmt: skip
    crafted, pairs = _crafted(10_000)
    return dedupe.deduplicate(pl.concat([records, crafted])), frame, pairs


def _cluster(result: dedupe.Deduplicated, i: int) -> int:
    return int(result.clusters.filter(pl.col("id") == i).get_column("cluster")[0])


@pytest.mark.parametrize("case", CASES)
def test_each_nik_typo_links_with_matching_name_and_birth_date(run, case: str) -> None:  # type: ignore[no-untyped-def]
    result, _, pairs = run
    a, b = pairs[case]
    assert _cluster(result, a) == _cluster(result, b)
    # linked at the level that names the typo, each level with its own weight
    link = result.links.filter((pl.col("id_l") == a) & (pl.col("id_r") == b))
    level = {"digit": 2, "swap": 2, "drop": 1, "double": 1, "papua_code": 5, "date_part": 3}
    assert link.get_column("gamma_nik").to_list() == [level[case]]


def test_twins_and_nik_ganda_are_never_linked(run) -> None:  # type: ignore[no-untyped-def]
    result, frame, pairs = run
    for case in ("twins", "nik_ganda", "twins_carry", "twin_region_typo", "twins_given_names"):
        a, b = pairs[case]
        assert _cluster(result, a) != _cluster(result, b), case

    # twins are told by their NIKs (serials one or two apart, one birth date) whatever level
    # the NIK comparison reached: other given names are never asked, a name left out is
    def queued(case: str) -> list[str]:
        a, b = pairs[case]
        return result.queue.filter((pl.col("id_l") == a) & (pl.col("id_r") == b))["hold"].to_list()

    assert queued("twins_carry") == []
    assert queued("twin_region_typo") == ["twin"]
    assert queued("twins_given_names") == ["given_names"]
    # no NIK and the given name left out or an initial: asked, not linked
    for case in ("family_name_only", "initial_only"):
        a, b = pairs[case]
        assert _cluster(result, a) != _cluster(result, b), case
        assert queued(case) == ["name_partial"], case
    # one NIK with two names and birth dates: asked, with the conflict shown
    a, b = pairs["nik_ganda"]
    held = result.queue.filter((pl.col("id_l") == a) & (pl.col("id_r") == b))
    assert held.get_column("hold").to_list() == ["nik_conflict"]
    assert '"hold"' in dedupe.explain(held)[0]
    # no twin of the generated list is merged either
    assert quality(result.clusters, frame)["twin_pairs_merged"] == 0


def test_quality_queue_and_calibration_against_the_truth(run) -> None:  # type: ignore[no-untyped-def]
    result, frame, _ = run
    q = quality(result.clusters.filter(pl.col("id") < 10_000), frame)
    assert q["precision"] >= 0.995 and q["recall"] >= 0.95, q
    assert result.queue.height <= 0.03 * frame.height
    assert 0 < result.review_clusters <= result.queue.height
    for expected, real in (
        (result.expected_false_merges, q["false_pairs"]),
        (result.expected_missed, q["missed_pairs"]),
    ):
        assert expected >= 0
        assert abs(expected - real) <= 20 or real / 2 <= expected <= real * 2, (expected, real)


def test_two_niks_of_a_person_the_likely_one_agrees_with_the_birth_date() -> None:
    rows = pl.DataFrame(
        {
            "person_id": [1, 1, 1, 2],
            "nik": ["9671034308880012", "9671034308880012", "9671034308780012", "9671010101800001"],
            "birth_date": [dt.date(1988, 8, 3)] * 3 + [dt.date(1980, 1, 1)],
            "sex": ["P"] * 3 + ["L"],
            "district_code": ["96.71.03"] * 3 + ["96.71.01"],
        }
    )
    c = niks.candidates(rows)
    assert c.get_column("person_id").unique().to_list() == [1]  # one NIK: not flagged
    likely = c.filter("likely").row(0, named=True)
    assert likely["nik"] == "9671034308880012" and likely["agrees_birth_date"]
    other = c.filter(~pl.col("likely")).row(0, named=True)
    assert not other["agrees_birth_date"] and other["agrees_district"]
    # BPJS refusing the NIK as unknown outweighs the rest
    refused = niks.candidates(rows.with_columns(refused=pl.col("nik") == "9671034308880012"))
    assert refused.filter("likely").get_column("nik").to_list() == ["9671034308780012"]


def test_blocking_on_keys_pairs_exactly_what_the_rules_pair() -> None:
    """The blocked pairs Splink scores (joins on the columns of BLOCKING_KEYS) are the pairs
    of BLOCKING_RULES' SQL, touching a new row, each once, on a list with every kind of
    typo, nulls and rows old and new."""
    import duckdb

    frame = hard_list(4000, seed=3)
    raw = frame.select(*[c for c in dedupe.RECORD_COLUMNS if c != "is_new"]).with_columns(
        is_new=(pl.col("id") % 3 == 0).cast(pl.Int8)
    )
    recs = dedupe._records(raw)
    con = duckdb.connect()
    dedupe._blocked_id_pairs(con, dedupe._scoring_records(raw)[0], "blocked")
    got = con.sql("SELECT join_key_l, join_key_r, match_key FROM blocked").fetchall()
    assert len(got) == len({(a, b) for a, b, _ in got})
    con.register("x", recs.to_arrow())
    want = set()
    for k, rule in enumerate(dedupe.BLOCKING_RULES):
        found = con.sql(f"SELECT l.id, r.id FROM x l JOIN x r ON {rule} WHERE l.id < r.id")
        new = {p for p in found.fetchall() if p not in want}
        assert {(a, b) for a, b, m in got if m == str(k)} == new
        want |= new
    assert {(a, b) for a, b, _ in got} == want
    assert len(want) > 1000


def _gamma_sql(settings: dict[str, Any], field: str) -> str:
    """The CASE Splink makes of ``field``'s levels (null -1, then from the top down to 0)."""
    (comparison,) = [c for c in settings["comparisons"] if c["output_column_name"] == field]
    levels = comparison["comparison_levels"]
    top = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
    whens = []
    for lv in levels:
        if lv.get("is_null_level"):
            whens.append(f"WHEN {lv['sql_condition']} THEN -1")
        elif lv["sql_condition"] != "ELSE":
            whens.append(f"WHEN {lv['sql_condition']} THEN {top}")
            top -= 1
    return f"CASE {' '.join(whens)} ELSE 0 END"


def test_the_registry_models_shortcuts_leave_every_pairs_level() -> None:
    """The registry's DuckDB model (the far-apart NIK test before the NIK levels it rules
    out) gives every pair the level of the model as written: the blocked pairs of a hard
    list and every pair of NIKs with each kind of typo, of other lengths and non-digits."""
    import duckdb

    plain = dedupe._settings(1e-6).get_settings("duckdb").as_dict()
    fast = dedupe._duckdb_settings(1e-6)
    frame = hard_list(4000, seed=3)
    raw = frame.select(*[c for c in dedupe.RECORD_COLUMNS if c != "is_new"]).with_columns(
        is_new=pl.lit(1, dtype=pl.Int8)
    )
    recs = dedupe._records(raw)
    con = duckdb.connect()
    dedupe._blocked_id_pairs(con, dedupe._scoring_records(raw)[0], "blocked")
    con.register("x", recs.to_arrow())
    con.execute(
        "CREATE TABLE pairs AS SELECT l.nik AS nik_l, r.nik AS nik_r, l.nik_bd_ok AS nik_bd_ok_l, "
        "r.nik_bd_ok AS nik_bd_ok_r FROM blocked b JOIN x l ON l.id = b.join_key_l "
        "JOIN x r ON r.id = b.join_key_r"
    )
    a = "9671034308880040"
    odd = [a, a[:15], a + "1", "9671O34308880040", "9671é34308880040", "96710343088800", None]
    niks_ = odd + [_typed(c, a) for c in CASES] + ["92" + a[2:], a[:12] + "0041", a[:12] + "0400"]
    con.register("n", pl.DataFrame({"nik": niks_, "ok": [k % 2 for k in range(len(niks_))]}))
    con.execute("INSERT INTO pairs SELECT l.nik, r.nik, l.ok, r.ok FROM n l CROSS JOIN n r")
    plain_sql, fast_sql = _gamma_sql(plain, "nik"), _gamma_sql(fast, "nik")
    assert plain_sql != fast_sql
    levels = con.sql(f"SELECT {plain_sql} AS a, {fast_sql} AS b FROM pairs").pl()
    assert levels.height > 2_000
    assert levels.filter(pl.col("a").ne_missing(pl.col("b"))).height == 0
    assert set(levels.get_column("a").unique().to_list()) >= {-1, 0, 1, 2, 3, 4, 5, 6}


def test_the_registry_models_name_levels_are_the_written_ones() -> None:
    """The registry's DuckDB model (a name part of the other tested on word numbers and
    letter bits, the same words or sound on hashes) gives every pair the name level of the
    model as written: the blocked pairs
    of a hard list and every pair of names with initials, single letters, titles left out,
    a part missing, another order and letters outside a..z."""
    import duckdb

    plain = dedupe._settings(1e-6).get_settings("duckdb").as_dict()
    fast = dedupe._duckdb_settings(1e-6)
    frame = hard_list(4000, seed=3)
    names = [
        "yohanis rumbiak", "yohanis", "rumbiak", "y rumbiak", "yohanis r", "rumbiak yohanis",
        "y r", "y", "yohanis markus rumbiak", "markus rumbiak", "m rumbiak", "r yohanis",
        "abdul muis", "muhammad abdul muis", "muhammad", "a b c", "wa ode rasyid",
        "w o rasyid", "rasyid", "ode", None, "zoë rumbiak", "z rumbiak",
    ]  # fmt: skip
    extra = pl.DataFrame(
        {
            "id": range(10**6, 10**6 + len(names)),
            "nik": [None] * len(names),
            "name_norm": names,
            "birth_date": [frame.get_column("birth_date")[0]] * len(names),
        }
    )
    raw = pl.concat(
        [
            frame.select(*[c for c in dedupe.RECORD_COLUMNS if c != "is_new"]),
            extra,
        ],
        how="diagonal_relaxed",
    ).with_columns(is_new=pl.lit(1, dtype=pl.Int8))
    lean = dedupe._scoring_records(raw)[0]
    recs = dedupe._records(raw).join(
        lean.select("id", *dedupe.SCORING_NAME_COLUMNS).drop("name_parts"), on="id"
    )
    con = duckdb.connect()
    for macro in dedupe._MACROS:
        con.execute(macro)
    dedupe._blocked_id_pairs(con, lean, "blocked")
    con.register("x", recs.to_arrow())
    cols = [
        "name_norm", "name_sorted", "name_phon", "name_parts", "name_single",
        "name_initials", "name_ids", "single_bits", "initial_bits", "part_bits",
        "k_name_sorted", "k_name_phon",
    ]  # fmt: skip
    both = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    con.execute(
        f"CREATE TABLE pairs AS SELECT {both} FROM blocked b JOIN x l ON l.id = b.join_key_l "
        "JOIN x r ON r.id = b.join_key_r"
    )
    con.execute(
        f"INSERT INTO pairs SELECT {both} FROM x l CROSS JOIN x r WHERE l.id >= 1000000 "
        "AND r.id >= 1000000"
    )
    plain_sql, fast_sql = _gamma_sql(plain, "name_norm"), _gamma_sql(fast, "name_norm")
    assert plain_sql != fast_sql
    levels = con.sql(f"SELECT {plain_sql} AS a, {fast_sql} AS b FROM pairs").pl()
    assert levels.height > 2_000
    assert levels.filter(pl.col("a").ne_missing(pl.col("b"))).height == 0
    assert set(levels.get_column("a").unique().to_list()) == {-1, 0, 1, 2, 3, 4, 5}


def test_a_question_is_asked_once(run) -> None:  # type: ignore[no-untyped-def]
    """Pairs whose rows have the contents of another pair's rows (a row typed twice) are
    one question: the queue asks it by the pair of the lowest ids."""
    result, _, pairs = run
    a, b = pairs["family_name_only"]
    _, again = pairs["family_name_only_again"]
    assert _cluster(result, b) == _cluster(result, again)
    asked = set(result.queue.select("id_l", "id_r").iter_rows())
    assert (a, b) in asked and (a, again) not in asked
    q = result.queue.select(
        pl.min_horizontal("content_l", "content_r").alias("x"),
        pl.max_horizontal("content_l", "content_r").alias("y"),
        "match_weight",
        "hold",
    )
    assert q.unique().height == q.height


def test_a_rows_content_is_its_compared_fields() -> None:
    rows = pl.DataFrame(
        {
            "nik": ["9671040302930301", "9671040302930301", None, None],
            "name_norm": ["frans santoso", "frans santoso", "santoso", "santoso"],
            "birth_date": ["1993-02-03"] * 4,
            "sex": ["L", "L", "L", "P"],
            "district_code": ["96.71.04"] * 4,
            "village_code": ["96.71.04.1001"] * 4,
            "phone": [None] * 4,
        }
    )
    content = rows.select(dedupe._content()).to_series().to_list()
    assert content[0] == content[1] and len(set(content)) == 3
