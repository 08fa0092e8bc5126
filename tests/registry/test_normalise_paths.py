"""The fast path for plain names against normalise_name's general path."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from jaring.registry.normalise import _MUHAMMAD, _TITLES, normalise_name, normalise_names

letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
title_words = st.sampled_from(sorted(_TITLES | _MUHAMMAD)).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.title()])
)
some_letters = st.text(alphabet=letters, min_size=1, max_size=9)
plain_words = st.one_of(some_letters, some_letters, some_letters, title_words)
odd_words = st.one_of(
    st.sampled_from(["H.", "Hj.", "S.Pd", "S. Pd.", "A.Md.Keb", "M.M", "Ir.", "Muh.", "Drs"]),
    st.text(alphabet="aAmMhHsS'.,-\u00e9\u0130\u212a\u00df0", min_size=1, max_size=5),
    st.text(alphabet=letters + "\u00e9\u0130\u212a\u00df", min_size=1, max_size=6),
)
separators = st.sampled_from(["  ", ", ", ",", "\t", ".", "\u00a0", " \u00a0"])


@st.composite
def names(draw: st.DrawFn) -> str:
    """Mostly names the fast path takes (letters, single spaces, titles among them), and
    near misses: one odd word, one odd separator, a space at either end."""
    parts = draw(st.lists(plain_words, min_size=1, max_size=5))
    seps = [" "] * (len(parts) - 1)
    flaw = draw(st.sampled_from(["none", "none", "word", "separator", "lead", "trail"]))
    if flaw == "word":
        parts[draw(st.integers(0, len(parts) - 1))] = draw(odd_words)
    elif flaw == "separator" and seps:
        seps[draw(st.integers(0, len(seps) - 1))] = draw(separators)
    out = parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=True))
    return {"lead": f" {out}", "trail": f"{out} "}.get(flaw, out)


def assert_same_as_general(values: list[str | None]) -> None:
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String}).with_row_index("i")
    general = frame.with_columns(normalise_name(pl.col("x")).alias("n"))
    assert_frame_equal(normalise_names(frame.lazy(), "x", "n").collect().sort("i"), general)


def test_every_title_and_muhammad_form_takes_the_general_path() -> None:
    forms = [
        form
        for word in sorted(_TITLES | _MUHAMMAD)
        for w in (word, word.upper(), word.title())
        for form in (w, f"{w} Ali", f"Ali {w}", f"Ali {w} Baba")
    ]
    assert_same_as_general(forms)


def test_near_misses_take_the_general_path() -> None:
    near = ["Jos\u00e9 Ali", "\u212aarel Ali", "\u0130brahim", "Stra\u00dfe", "Ali  Baba", "Ali ",
            " Ali", "Ali\tBaba", "Ali\u00a0Baba", "Ma'ruf", "Ali, S.Pd", "Ali B.", "Ali-Baba",
            "Ali 2", "", " "]  # fmt: skip
    assert_same_as_general(near)


@settings(max_examples=300, deadline=None)
@given(st.lists(names(), max_size=40), st.lists(st.text(max_size=12) | st.none(), max_size=5))
def test_plain_name_fast_path_equals_general_path(
    values: list[str], junk: list[str | None]
) -> None:
    assert_same_as_general([*values, *junk])
