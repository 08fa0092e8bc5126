"""The law page: contribution calculator and JKM benefit, each with its explanation."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jaring.errors import JaringError
from jaring.web import i18n
from jaring.web.api.law import contribution_amount
from jaring.web.render import page
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter()


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
    f["jht"] = f.get("jht") == "true"
    ctx: dict[str, object] = {"f": f}
    try:
        if f.get("calc") == "contribution":
            on = _date(f.get("on")) or dt.date.today()
            seg = "pu" if f.get("segment") == "pu" else "bpu"
            ctx["result"] = contribution_amount(
                seg,
                on,
                _int(f.get("income")),
                _int(f.get("wage")),
                f.get("risk"),
                bool(f["jht"]),
                "self" if f.get("paid_by") == "self" else "apbd",
                False,
            )
            ctx["result_title"] = i18n._("Contribution per month on %(day)s", day=i18n.date(on))
        elif f.get("calc") == "jkm":
            from jaring.law import benefits

            day = _date(f.get("event_date"))
            if day is None:
                raise JaringError(
                    "bad_date", "Tanggal tidak sah.", "Not a valid date.", field="event_date"
                )
            seg = "pu" if f.get("jkm_segment") == "pu" else "bpu"
            ctx["result"] = benefits.jkm(
                day, segment=seg, member_since=_date(f.get("member_since"))
            ).to_dict(i18n.current.get())
            ctx["result_title"] = i18n._("JKM benefit for a death on %(day)s", day=i18n.date(day))
    except JaringError as e:
        ctx["error"] = e.message(i18n.current.get())
    return page(request, "law.html", **ctx)
