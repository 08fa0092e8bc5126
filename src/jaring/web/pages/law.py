"""The law page: contribution calculator and JKM benefit, each with its explanation."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jaring import errors as common
from jaring.errors import JaringError
from jaring.i18n import N_
from jaring.law import benefits, queries
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
# The form's labels for the fields a refusal may name: the page names its own fields.
LABELS = {
    "income": N_("Declared income, BPU (Rp)"),
    "wage": N_("Monthly wage, PU (Rp)"),
    "risk": N_("Risk group, PU"),
}


def _int(v: str | None) -> int | None:
    v = (v or "").replace(".", "").replace(",", "").replace("Rp", "").strip()
    return int(v) if v.isdigit() else None


def _date(v: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(v) if v else None
    except ValueError:
        return None


@router.get("/law")
def law_page(request: Request, p: Annotated[Principal, Depends(require("law.read"))]) -> Response:
    f = dict(request.query_params)
    jht = f.get("jht") == "true"
    lang = i18n.current.get()
    ctx: dict[str, Any] = {"f": {**f, "jht": jht}}
    try:
        if f.get("calc") == "contribution":
            on = _date(f.get("on")) or dt.date.today()
            amount = queries.contribution(
                "pu" if f.get("segment") == "pu" else "bpu",
                on,
                income=_int(f.get("income")),
                wage=_int(f.get("wage")),
                risk=f.get("risk"),
                jht=jht or None,  # unticked: the segment's default package
                paid_by="self" if f.get("paid_by") == "self" else "apbd",
            )
            ctx["result"] = amount.to_dict(lang)
            ctx["result_title"] = i18n._("Contribution per month on %(day)s", day=i18n.date(on))
        elif f.get("calc") == "jkm":
            day = _date(f.get("event_date"))
            if day is None:
                raise common.BAD_DATE(field=i18n._("Date of death"), value=f.get("event_date"))
            seg = "pu" if f.get("jkm_segment") == "pu" else "bpu"
            since = _date(f.get("member_since"))
            ctx["result"] = benefits.jkm(day, segment=seg, member_since=since).to_dict(lang)
            ctx["result_title"] = i18n._("JKM benefit for a death on %(day)s", day=i18n.date(day))
    except JaringError as e:
        field = e.context.get("field")
        if isinstance(field, str) and field in LABELS:
            e.context["field"] = e.context["fields"] = i18n._(LABELS[field])
        ctx["error"] = e.message(lang)
    return page(request, "law/law.html", **ctx)
