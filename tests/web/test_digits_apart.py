"""Where two NIKs part, as pages mark it (``render.digits_apart``): the text is kept whole and
escaped, and the marks fall on the typo's digits."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from jaring.web.render import digits_apart

DIGITS = st.text(alphabet="0123456789<&", min_size=0, max_size=20)


def _plain(marked: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", marked))


def _marked(marked: str) -> str:
    return "".join(html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", marked))


@given(DIGITS, st.one_of(st.none(), DIGITS))
def test_the_text_is_kept_whole_and_escaped(text: str, other: str | None) -> None:
    out = str(digits_apart(text, other))
    assert _plain(out) == text
    assert "<" not in re.sub(r"</?mark>", "", out)  # every < of the text is escaped
    if not other or other == text:  # no NIK to compare with: nothing marked
        assert "<mark>" not in out
    elif text:
        assert "<mark>" in out  # two texts that differ show where


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.data())
def test_same_length_marks_exactly_the_positions_that_differ(nik: str, data) -> None:  # type: ignore[no-untyped-def]
    other = data.draw(st.text(alphabet="0123456789", min_size=16, max_size=16))
    out = str(digits_apart(nik, other))
    assert len(_marked(out)) == sum(a != b for a, b in zip(nik, other, strict=True))


def test_the_typos_of_a_nik() -> None:
    nik = "9671025012685285"
    assert str(digits_apart(nik, "9671025012685385")) == "9671025012685<mark>2</mark>85"
    # two adjacent digits swapped
    assert str(digits_apart(nik, "9671025012865285")) == "9671025012<mark>68</mark>5285"
    # the old Papua code
    assert str(digits_apart("9271025012685285", nik)) == "9<mark>2</mark>71025012685285"
    # a digit doubled, and the other way round a digit dropped: the place of the gap
    assert _marked(str(digits_apart("96710250126885285", nik))) == "8"
    assert _marked(str(digits_apart("967102501268528", nik))) == "8"
    assert str(digits_apart(nik, nik)) == nik and str(digits_apart(nik, None)) == nik
