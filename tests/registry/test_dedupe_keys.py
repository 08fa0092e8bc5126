"""The keys deduplication computes once per name and per NIK, against their definitions
written plainly: the name keys (jaring.registry.dedupe._name_keys) and the pairs of twins'
NIKs (jaring.registry.dedupe._twin_pairs)."""

import duckdb
import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jaring.registry import dedupe

WORDS = ["yohanis", "johanes", "maria", "wa", "ode", "s", "y", "rumbiak", "kambu", "", "baru"]
NAME = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


def _sound(words: list[str]) -> dict[str, str]:
    s = pl.Series(words, dtype=pl.String)
    keys = pl.select(dedupe._phonetic(pl.lit(s))).to_series().to_list()
    return dict(zip(words, keys, strict=True))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(NAME, st.none()), min_size=1, max_size=30))
def test_name_keys_are_their_definitions(names: list[str | None]) -> None:
    out = dedupe._name_keys(pl.Series(names, dtype=pl.String))
    distinct = sorted({n for n in names if n is not None})
    assert sorted(out.get_column("name_norm").to_list()) == distinct
    sound = _sound(WORDS)
    for row in out.iter_rows(named=True):
        words = row["name_norm"].split(" ")
        keys = [sound[w] for w in words]
        assert row["name_sorted"] == " ".join(sorted(words))
        assert row["name_phon"] == " ".join(sorted(keys))
        assert (row["phon_first"], row["phon_last"]) == (keys[0], keys[-1])
        assert (row["phon_min"], row["phon_max"]) == (min(keys), max(keys))
        assert row["name_parts"] == [w for w in words if len(w) > 1]
        assert sorted(row["name_initials"]) == sorted({w[:1] for w in words})
        assert row["name_single"] == [w for w in words if len(w) == 1]


def test_name_keys_of_no_name() -> None:
    assert dedupe._name_keys(pl.Series([None, None], dtype=pl.String)).height == 0


REGION, DATE = st.sampled_from(["967103", "927101"]), st.sampled_from(["1306", "0107"])
NIK = st.builds(
    lambda region, day, female, date, serial: (
        f"{region}{day + 40 * female:02d}{date[2:]}{date[:2]}{serial:04d}"
    ),
    REGION,
    st.sampled_from([1, 13]),
    st.booleans(),
    DATE,
    st.sampled_from([1, 2, 3, 4, 9998, 9999]),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(NIK, st.none(), st.just("96710113x6880001")),
            st.sampled_from(["hasan baru", "ismail baru", "baru", "h baru", "maria kambu"]),
        ),
        min_size=2,
        max_size=25,
    )
)
@example([("9671031306880001", "hasan baru"), ("9671031306880003", "ismail baru")])
@example([("9671035306889999", "baru"), ("9671031306889998", "baru")])
def test_twin_pairs_are_every_pair_of_twins_niks(rows: list[tuple[str | None, str]]) -> None:
    """Every pair of rows whose 16-digit NIKs share region, month, year and the day (a
    woman's less 40) with serials one or two apart, and either another given name or the
    other sex; each pair once, the lower id first."""
    records = pl.DataFrame(
        {
            "id": list(range(1, len(rows) + 1)),
            "nik": [n for n, _ in rows],
            "name_norm": [m for _, m in rows],
        },
        schema={"id": pl.Int64, "nik": pl.String, "name_norm": pl.String},
    )
    con = duckdb.connect()
    for macro in dedupe._MACROS:
        con.execute(macro)
    out = dedupe._twin_pairs(records, con)
    con.close()

    def parts(nik: str) -> tuple[str, int, str, int, bool]:
        day = int(nik[6:8])
        return nik[:6], day % 40, nik[8:12], int(nik[12:]), day > 40

    expected = set()
    for i, (a, name_a) in enumerate(rows, start=1):
        for j, (b, name_b) in enumerate(rows, start=1):
            if i >= j or a is None or b is None or not (a + b).isdigit():
                continue
            pa, pb = parts(a), parts(b)
            if pa[:3] != pb[:3] or not 1 <= abs(pa[3] - pb[3]) <= 2:
                continue
            given_apart = name_a.split(" ")[0] != name_b.split(" ")[0] and all(
                len(n.split(" ")) >= 2 and len(n.split(" ")[0]) >= 2 for n in (name_a, name_b)
            )
            if given_apart or pa[4] != pb[4]:
                expected.add((i, j, a, b))
    got = set(out.select("id_l", "id_r", "nik_l", "nik_r").iter_rows())
    assert got == expected
