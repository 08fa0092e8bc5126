"""Refresh the catalogues from the code: ``PYTHONPATH=src python src/jaring/web/locales/update.py``.

Extracts every ``_()``/``N_()``/``ngettext`` string from ``jaring/web`` (Python and templates),
merges it into ``id`` and ``en`` ``messages.po`` keeping existing translations, and lists the
Indonesian ones still missing (``tests/web/test_i18n.py`` fails while any is).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
WEB = HERE.parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {
    "**/templates/**.html": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "True",
        "lstrip_blocks": "True",
    }
}


def extract() -> Catalog:
    cat = Catalog(project="jaring", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(WEB), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        cat.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return cat


def update(lang: str, template: Catalog) -> list[str]:
    path = HERE / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open("rb") as f:
            cat = read_po(f, locale=lang)
    else:
        cat = Catalog(locale=lang, project="jaring", charset="utf-8")
    cat.update(template, no_fuzzy_matching=True)
    cat.obsolete.clear()
    cat.fuzzy = False
    cat.project, cat.version = "jaring", "1"
    with path.open("wb") as f:
        write_po(f, cat, width=100, omit_header=False, no_location=True, sort_output=True)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id and not m.string]


if __name__ == "__main__":
    tmpl = extract()
    missing = update("id", tmpl)
    update("en", tmpl)
    for m in missing:
        print("missing id:", m)
