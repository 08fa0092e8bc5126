"""The examples in the law's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import jaring.law

MODULES = sorted(m.name for m in pkgutil.iter_modules(jaring.law.__path__, "jaring.law."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, name


def test_the_law_has_examples() -> None:
    tried = sum(
        doctest.testmod(importlib.import_module(name), report=False).attempted for name in MODULES
    )
    assert tried >= 8
