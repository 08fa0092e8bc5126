"""The refusals shared by every interface."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaring.errors import JaringError, require_file


def test_require_file_refuses_missing_files_and_folders(tmp_path: Path) -> None:
    present = tmp_path / "daftar.csv"
    present.write_text("NIK\n")
    assert require_file(str(present)) == present
    for wrong in (tmp_path / "tidak-ada.csv", tmp_path):
        with pytest.raises(JaringError) as e:
            require_file(wrong)
        assert e.value.code == "file_not_found"
        assert e.value.context["file"] == str(wrong)
        assert str(wrong) in e.value.message("id") and str(wrong) in e.value.message("en")
