"""Matching the files Spark reports to the manifests' files: one rule for both sides, whatever
the characters of the folder names (the Spark side itself: ``test_spark.py``)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from jaring.national.scan import file_key

# folder names as people type them: spaces, accents, percent signs, hashes, pluses, dots
_NAME = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .-_%#+&;=@()'é漢ñžö")),
    min_size=1,
    max_size=12,
).filter(lambda s: s not in {".", ".."} and "/" not in s)


def _spark_uri(path: str) -> str:
    """How Spark names a local file: ``file:`` and the path, escaping what a URI must
    (space, ``%``, ``#``, ...) and leaving other characters such as ``é`` as they are."""
    return "file:" + quote(path, safe="/+&;=@()'!$,:~*" + "".join(c for c in path if ord(c) > 127))


@given(st.lists(_NAME, min_size=1, max_size=4))
def test_a_path_and_its_uris_are_one_file(parts: list[str]) -> None:
    path = "/" + "/".join(parts) + "/part-0.parquet"
    want = file_key(path)
    assert want.path == os.path.normpath(path)
    for uri in (Path(path).as_uri(), _spark_uri(path), "file://" + quote(path)):
        got = file_key(uri)
        assert got == want or got.same_file(want), uri
        assert got.path == want.path


@given(_NAME, _NAME)
def test_different_paths_stay_different(a: str, b: str) -> None:
    ka, kb = file_key(f"/d/{a}/x.parquet"), file_key(_spark_uri(f"/d/{b}/x.parquet"))
    assert ka.same_file(kb) == (os.path.normpath(a) == os.path.normpath(b))


def test_escapes_are_decoded_once() -> None:
    # a folder really named "a%20b" is not the folder "a b"
    assert file_key("/s/a%20b/x.parquet").path == "/s/a%20b/x.parquet"
    assert file_key("file:/s/a%2520b/x.parquet").path == "/s/a%20b/x.parquet"
    assert file_key("file:/s/a%20b/x.parquet").path == "/s/a b/x.parquet"
    assert not file_key("/s/a%20b/x.parquet").same_file(file_key("file:/s/a%20b/x.parquet"))
    # a plus is a plus in a URI's path
    assert file_key("file:/s/a+b/x.parquet").path == "/s/a+b/x.parquet"


def test_schemes_and_hosts() -> None:
    local = file_key("/data/snap/people/part-0.parquet")
    # a path given without a scheme is read on the default file system, whose name Spark adds
    assert local.same_file(file_key("hdfs://namenode:8020/data/snap/people/part-0.parquet"))
    s3 = file_key("s3a://bucket/data/snap/people/part-0.parquet")
    assert s3.same_file(file_key("s3a://BUCKET/data/snap/people/part-0.parquet"))
    assert not s3.same_file(file_key("s3a://other/data/snap/people/part-0.parquet"))
    assert not s3.same_file(file_key("file:/data/snap/people/part-0.parquet"))
    assert file_key("file:///a/b").same_file(file_key("file:/a/b"))
    assert file_key("file://localhost/a/b").same_file(file_key("file:/a/b"))


def test_a_relative_path_is_taken_from_the_working_directory() -> None:
    assert file_key("snap/x.parquet").path == os.path.join(os.getcwd(), "snap/x.parquet")
