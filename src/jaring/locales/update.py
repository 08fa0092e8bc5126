"""Refresh the catalogues and ``docs/errors.md`` from the code: ``python -m jaring.locales.update``.

Extracts every ``_()``/``N_()``/``ngettext``/``pgettext`` string of the package (Python and
templates) and every refusal of the error catalogues (:mod:`jaring.errors`, keyed by code),
sorts each into its domain (:func:`domain_of`), and merges it into
``<lang>/LC_MESSAGES/<domain>.po`` for every language but English (the msgids are English),
keeping the translations already made anywhere (a string that moved to another domain keeps
its translation). Prints the translations still missing; ``tests/test_i18n.py`` fails while
any is, and while ``docs/errors.md`` differs from what :func:`errors_doc` writes.

``--check`` changes nothing and exits 1 when a catalogue or ``docs/errors.md`` is stale.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from jaring import errors, i18n

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
REPO = PACKAGE.parent.parent
ERRORS_DOC = REPO / "docs" / "errors.md"

KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [
    ("locales/**", "ignore"),
    ("store/migrations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
]
OPTIONS = {
    "**/templates/**.html": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "True",
        "lstrip_blocks": "True",
    }
}

# The domains: packages with a catalogue of their own. Everything else is "common".
DOMAINS = errors.domain_packages()
# Front-end modules (cli/<name>.py, web/api/<name>.py, web/pages/<name>.py) and templates
# (web/templates/<name>.html) whose name is not their domain's.
ALIASES = {
    "synth": "registry",
    "program": "programs",
    "bpjs": "programs",
    "billing": "programs",
    "people": "registry",
    "person": "registry",
    "review": "registry",
    "candidate": "award",
    "batch": "registry",
    "batch_row": "registry",
    "people_results": "registry",
    "claim": "claims",
    "amount": "law",
    "report": "coverage",
    "stats": "coverage",
    "admin": "accounts",
    "auth": "accounts",
    "audit": "accounts",
    "users": "accounts",
    "tokens": "accounts",
    "login": "accounts",
    "password": "accounts",
}


def domain_of(path: str) -> str:
    """The domain whose catalogue holds the strings of ``path`` (relative to the package)."""
    parts = Path(path).parts
    if parts and parts[0] in DOMAINS:
        return parts[0]
    if parts[:2] == ("web", "templates") and len(parts) > 3 and parts[2] in DOMAINS:
        return parts[2]  # web/templates/<domain>/...
    front = (
        parts[:1] in (("cli",), ("demo",))
        or parts[:2] in (("web", "api"), ("web", "pages"))
        or parts[:2] == ("web", "templates")
    )
    if front:
        name = Path(parts[-1]).stem
        name = ALIASES.get(name, name)
        if name in DOMAINS:
            return name
    return "common"


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def extract() -> dict[str, Catalog]:
    """Every domain's template catalogue: its strings and its refusals."""
    out: dict[str, Catalog] = {}

    def cat(domain: str) -> Catalog:
        return out.setdefault(domain, Catalog(project="jaring", charset="utf-8"))

    found = extract_from_dir(str(PACKAGE), METHODS, keywords=KEYWORDS, options_map=OPTIONS)
    for filename, lineno, message, comments, context in found:
        cat(domain_of(filename)).add(
            message, None, [(filename, lineno)], auto_comments=comments, context=context
        )
    for refusal in errors.all_refusals():
        cat(refusal.domain).add(refusal.en, None, [], context=refusal.code)
    return out


def _known(lang: str) -> dict[tuple[str, str | None], Message]:
    """Every translation already made in ``lang``, in any domain's catalogue."""
    known: dict[tuple[str, str | None], Message] = {}
    folder = HERE / lang / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        with path.open("rb") as f:
            for m in read_po(f, locale=lang):
                if m.id and m.string:
                    known[(_key(m), m.context)] = m
    return known


def _render(template: Catalog, lang: str, known: dict[tuple[str, str | None], Message]) -> bytes:
    cat = Catalog(locale=lang, project="jaring", version="1", charset="utf-8")
    for m in template:
        if not m.id:
            continue
        old = known.get((_key(m), m.context))
        cat.add(
            m.id,
            old.string if old else ("", "") if isinstance(m.id, tuple) else "",
            auto_comments=m.auto_comments,
            context=m.context,
            flags=m.flags,
        )
    buf = io.BytesIO()
    write_po(buf, cat, width=100, omit_header=False, no_location=True, sort_output=True)
    # the creation date changes at every run; keep the files stable
    return b"\n".join(
        line for line in buf.getvalue().split(b"\n") if not line.startswith(b'"POT-Creation-Date')
    )


def missing(template: Catalog, rendered: bytes, lang: str) -> list[str]:
    cat = read_po(io.BytesIO(rendered), locale=lang)
    return [
        (f"[{m.context}] " if m.context else "") + _key(m)
        for m in cat
        if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]


def errors_doc() -> str:
    """``docs/errors.md``: every refusal by domain, with its code, HTTP status and wording in
    Indonesian and English."""
    lines = [
        "# Refusals",
        "",
        "Every refusal Jaring gives, by domain: the stable code (the CLI prints it in brackets",
        "and exits 2; the API answers problem+json with it), the HTTP status, and the wording",
        "in Bahasa Indonesia and English. `{slots}` are filled from the refusal's facts.",
        "Generated by `python -m jaring.locales.update` from the error catalogues; do not edit.",
    ]
    domain = None
    for r in errors.all_refusals():
        if r.domain != domain:
            domain = r.domain
            lines += ["", f"## {domain}", "", "| code | HTTP | Indonesian | English |"]
            lines += ["|---|---|---|---|"]
        id_text = i18n.pgettext(r.code, r.en, "id").replace("|", "\\|")
        lines.append(
            f"| `{r.code}` | {r.status} | {id_text} | {r.en.replace('|', chr(92) + '|')} |"
        )
    return "\n".join(lines) + "\n"


def run(check: bool = False) -> list[str]:
    """Write (or, with ``check``, compare) every catalogue and ``docs/errors.md``; returns the
    problems found (missing translations, stale files)."""
    templates = extract()
    problems: list[str] = []
    for lang in [lang for lang in i18n.languages() if lang != i18n.SOURCE]:
        known = _known(lang)
        folder = HERE / lang / "LC_MESSAGES"
        wanted = {f"{d}.po" for d in templates}
        for domain, template in sorted(templates.items()):
            path = folder / f"{domain}.po"
            body = _render(template, lang, known)
            problems += [f"{lang}/{domain}: missing {m}" for m in missing(template, body, lang)]
            if not path.exists() or path.read_bytes() != body:
                if check:
                    problems.append(f"{lang}/{domain}.po is stale")
                else:
                    folder.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(body)
        for extra in folder.glob("*.po"):
            if extra.name not in wanted:
                problems.append(f"{lang}/{extra.name} belongs to no domain")
                if not check:
                    extra.unlink()
    i18n.translations.cache_clear()
    doc = errors_doc()
    if not ERRORS_DOC.exists() or ERRORS_DOC.read_text(encoding="utf-8") != doc:
        if check:
            problems.append("docs/errors.md is stale")
        else:
            ERRORS_DOC.write_text(doc, encoding="utf-8")
    return problems


def translate(lang: str, entries: dict[str, str]) -> list[str]:
    """Write translations into ``lang``'s catalogues: ``entries`` maps a refusal's code, or an
    English msgid, to its translation. Returns the keys found nowhere (run :func:`run` first so
    that new strings have their entries)."""
    left = dict(entries)
    for path in sorted((HERE / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            cat = read_po(f, locale=lang)
        changed = False
        for m in cat:
            if not m.id:
                continue
            key = m.context if m.context in left else _key(m)
            if key in left:
                m.string = left.pop(key)
                changed = True
        if changed:
            buf = io.BytesIO()
            write_po(buf, cat, width=100, omit_header=False, no_location=True, sort_output=True)
            path.write_bytes(
                b"\n".join(
                    line
                    for line in buf.getvalue().split(b"\n")
                    if not line.startswith(b'"POT-Creation-Date')
                )
            )
    i18n.translations.cache_clear()
    return sorted(left)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(list(argv) if argv is not None else None)
    problems = run(check=args.check)
    for p in problems:
        print(p)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
