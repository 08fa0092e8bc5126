"""Server-rendered pages: the Jinja2 environment, its helpers, and SVG charts.

Templates call ``_()`` (gettext, current language), ``rupiah``, ``date``, ``number`` and
``percent`` (Babel, current locale). Charts are drawn here as inline SVG: no JavaScript chart
library, a few hundred bytes per chart, readable at 360 px and printable.
"""

from __future__ import annotations

import difflib
import html
import itertools
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from jaring import formatting, labels
from jaring.access import ROLE_NAMES
from jaring.i18n import N_
from jaring.registry.regions import name_of
from jaring.settings.queries import zone_for
from jaring.web import i18n

# (key, path, permission, label): the menu; a page appears only to roles that may open it
NAV = [
    ("dashboard", "/", "dashboard.read", N_("Dashboard")),
    ("people", "/people", "person.read", N_("People")),
    ("registry", "/registry", "person.write", N_("Registry")),
    ("programs", "/programs", "program.read", N_("Programs")),
    ("claims", "/claims", "claim.read", N_("Claims")),
    ("deaths", "/deaths", "claim.read", N_("Deaths")),
    ("coverage", "/coverage", "coverage.read", N_("Coverage")),
    ("award", "/award", "award.read", "Paritrana"),
    ("field", "/field/", "field.register", N_("Field registration")),
    ("field_progress", "/field/progress", "field.supervise", N_("Field registration")),
    ("law", "/law", "law.read", N_("Rules")),
    ("audit", "/audit", "audit.read", N_("Audit trail")),
    ("users", "/admin/users", "user.manage", N_("Users")),
    ("settings", "/settings", "settings.manage", N_("Settings")),
]


def region_name(code: str | None) -> str:
    """A region's name for people (``Sorong Timur``), its code when unknown, ``-`` for none."""
    if not code:
        return "-"
    return name_of(code) or code


def _evidence_words(value: Any, unit: str | None, levels: Any = None) -> str:
    """An award evidence value in the page's language (:func:`jaring.award.rubric.value_words`);
    ``levels`` a mapping or (code, label) pairs."""
    from jaring.award.rubric import value_words

    return value_words(
        None if value is None else str(value),
        unit=unit,
        levels=dict(levels or {}),
        lang=i18n.current.get(),
    )


def digits_apart(text: str | None, other: str | None) -> Markup:
    """``text`` escaped, with the characters where it differs from ``other`` in ``<mark>``,
    so that an operator sees at a glance where two NIKs part: of the same length, every
    position that differs (a changed digit, two swapped, 9271 for 9671); of other lengths
    (a digit dropped or doubled), what an alignment of the two leaves over in ``text``, or
    where ``text`` lacks one, the character after the gap (the last one at the end).
    Without ``other``, or equal to it, ``text`` unmarked."""
    text = text or ""
    if not other or text == other:
        return Markup(html.escape(text))
    marked = [False] * len(text)
    if len(text) == len(other):
        marked = [a != b for a, b in zip(text, other, strict=True)]
    else:
        ops = difflib.SequenceMatcher(None, text, other, autojunk=False).get_opcodes()
        for tag, i1, i2, _j1, _j2 in ops:
            if tag in ("delete", "replace"):
                marked[i1:i2] = [True] * (i2 - i1)
            elif tag == "insert" and text:
                marked[min(i1, len(text) - 1)] = True
    runs = itertools.groupby(zip(text, marked, strict=True), key=lambda cm: cm[1])
    parts = [(m, "".join(c for c, _ in group)) for m, group in runs]
    return Markup(
        "".join(f"<mark>{html.escape(t)}</mark>" if m else html.escape(t) for m, t in parts)
    )


def _env() -> Environment:
    path = str(resources.files("jaring.web") / "templates")
    env = Environment(
        loader=FileSystemLoader(path),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        # newstyle: Jinja fills %(name)s itself, so these only look the message up
        gettext=lambda s: i18n.translations(i18n.current.get()).gettext(s),
        ngettext=lambda s, p, n: i18n.translations(i18n.current.get()).ngettext(s, p, n),
        newstyle=True,
    )
    env.globals.update(
        rupiah=i18n.rupiah,
        date=i18n.date,
        month=i18n.month,
        month_runs=formatting.month_runs,
        datetime=i18n.datetime,
        number=i18n.number,
        percent=i18n.percent,
        role_name=lambda r: ROLE_NAMES.get(r, {}).get(i18n.current.get(), r),
        label=labels.label,
        who=lambda name: labels.label("actor", name),
        region_name=region_name,
        digits_apart=digits_apart,
        evidence_words=_evidence_words,
        NAV=NAV,
    )
    return env


def page(request: Request, template: str, /, **context: Any) -> HTMLResponse:
    """Render ``template`` (``<domain>/<name>.html``, or a shared one: ``base.html``,
    ``error.html``) with ``context``, the request's principal, language and CSRF token.
    ``status_code`` (default 200) is the response's status, not a template variable."""
    status_code = int(context.pop("status_code", 200))
    principal = getattr(request.state, "principal", None)
    if principal is not None:  # times in the zone of the user's region
        i18n.zone.set(zone_for(request.app.state.engine, tuple(principal.regions)))
    ctx = {
        "request": request,
        "principal": principal,
        "lang": i18n.current.get(),
        "csrf_token": principal.csrf_token if principal else None,
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **context,
    }
    body = ENV.get_template(template).render(ctx)
    return HTMLResponse(body, status_code=status_code)


def bar_chart(
    rows: list[dict[str, Any]],
    label: str,
    value: str,
    total: str | None = None,
    width: int = 320,
    fmt: Any = None,
    title: str = "",
) -> Markup:
    """Horizontal bars as SVG, scaled to the viewport (``viewBox``), one bar per row.
    With ``total``, each bar shows ``value`` against ``total`` (a covered share)."""
    fmt = fmt or i18n.number
    bar_h, gap, label_w = 18, 8, 120
    h = max(1, len(rows)) * (bar_h + gap)
    maxv = max([float(r.get(total or value) or 0) for r in rows] + [1.0])
    inner = width - label_w - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {h}" role="img" '
        f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, r in enumerate(rows):
        y = i * (bar_h + gap)
        v = float(r.get(value) or 0)
        name = html.escape(str(r.get(label) or "-"))[:22]
        parts.append(f'<text x="0" y="{y + 13}" class="lbl">{name}</text>')
        if total:
            tv = float(r.get(total) or 0)
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{inner * tv / maxv:.1f}" '
                f'height="{bar_h}" class="bar-bg"/>'
            )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{inner * v / maxv:.1f}" '
            f'height="{bar_h}" class="bar"/>'
        )
        parts.append(
            f'<text x="{width - 66}" y="{y + 13}" class="val">{html.escape(fmt(r.get(value)))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


ENV = _env()
ENV.globals["bar_chart"] = bar_chart
