"""Field registration pages: the offline form (a Progressive Web App under ``/field/``: the
page, its manifest and its service worker) and the supervisor's progress by day and place.

The form's page holds no personal data and nothing of the session: the phone keeps it in the
service worker's cache and opens it without a signal; who is signed in, the region lists and
the CSRF token come from the API (``/api/v1/field/me``, ``/lists``) when there is a network,
and are kept on the phone."""

import datetime as dt
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.field import actions, queries, rules
from jaring.i18n import N_
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Registrar = Annotated[Principal, Depends(require("field.register"))]
Supervisor = Annotated[Principal, Depends(require("field.supervise"))]

STATIC = resources.files("jaring.web") / "static" / "field"

# What the form's script says, in the page's language (the page carries them as JSON).
STRINGS = {
    "online": N_("Online"),
    "offline": N_("Offline: records are kept on this phone"),
    "queued": N_("Not sent yet"),
    "sending": N_("Sending..."),
    "accepted": N_("Accepted"),
    "needs_fix": N_("Needs a fix"),
    "duplicate_here": N_("Already registered in this region"),
    "duplicate_elsewhere": N_("Registered in another region"),
    "saved": N_("Saved on this phone."),
    "saved_with_errors": N_("Saved with errors: it will come back to be fixed."),
    "fix_or_save": N_("Fix what is marked, or save it as it is."),
    "sync_done": N_("Sent. Every record has its answer."),
    "sync_failed": N_("The connection dropped. The records are safe on this phone: send again."),
    "sign_in": N_("Sign in to send"),
    "nothing": N_("Nothing to send."),
    "edit": N_("Fix"),
    "delete": N_("Delete"),
    "confirm_delete": N_("Delete this record from the phone?"),
    "pin_set": N_("Choose a PIN (at least 6 digits) to lock KTP photos on this phone"),
    "pin_enter": N_("PIN to unlock KTP photos"),
    "pin_wrong": N_("Wrong PIN."),
    "pin_short": N_("The PIN needs at least 6 digits."),
    "photo_kept": N_("KTP photo locked on this phone (%(kb)s KB)."),
    "photo_sent": N_("KTP photo sent"),
    "photo_waiting": N_("KTP photo waiting"),
    "choose": N_("Choose..."),
    "records_of": N_("Records of %(name)s"),
    "no_user": N_("Open this page once with a signal and sign in."),
    "same_as": N_("The same NIK as your record of %(name)s."),
    "pin_forgot": N_("Forgot the PIN?"),
    "pin_reset_explain": N_(
        "The PIN cannot be recovered: KTP photos not yet sent are locked under it and nobody "
        "can open them without it, not even the server. If you reset it, every record keeps "
        "its text; the %(n)s photos not yet sent are marked to be taken again. To reset it, "
        "type your account's password or a code from your supervisor (needs a signal)."
    ),
    "pin_reset_offline": N_("Resetting the PIN needs a signal: the server checks who you are."),
    "pin_reset_refused": N_("Not reset: the password or the code is wrong."),
    "pin_reset_done": N_(
        "PIN reset. %(n)s photos must be taken again; the records are kept. Choose a new PIN."
    ),
    "photo_retake": N_("Photo must be taken again"),
    "retake": N_("Take the photo again"),
}

CONSENT_PURPOSE = N_(
    "Your data (NIK, name, birth date, address, phone, work, income and a photo of your KTP) "
    "are collected by the regional government to register you for BPJS Ketenagakerjaan "
    "protection paid by the region, and kept only for that purpose and as long as the "
    "regional rules say. You may ask to see, correct or delete them."
)

OCCUPATIONS = (
    "pedagang pasar",
    "pedagang kaki lima",
    "ojek",
    "nelayan",
    "petani",
    "buruh harian",
    "tukang",
    "pengrajin noken",
    "sopir",
    "asisten rumah tangga",
)


@router.get("/field")
def field_root() -> Response:
    return RedirectResponse("/field/", status_code=307)


@router.get("/field/")
def field_app(request: Request, p: Registrar) -> Response:
    """The offline form. Cached by its service worker; nothing in it depends on the user."""
    slots = {
        "photo_kept": {"kb": "{kb}"},
        "records_of": {"name": "{name}"},
        "same_as": {"name": "{name}"},
        "pin_reset_explain": {"n": "{n}"},
        "pin_reset_done": {"n": "{n}"},
    }
    strings = {k: i18n._(v, **slots.get(k, {})) for k, v in STRINGS.items()}
    return page(
        request,
        "field/app.html",
        strings=strings,
        purpose=i18n._(CONSENT_PURPOSE),
        consent_version=rules.CONSENT_VERSION,
        occupations=OCCUPATIONS,
    )


def _static(name: str, media_type: str, **headers: str) -> Response:
    body = (STATIC / name).read_bytes()
    return Response(body, media_type=media_type, headers={"Cache-Control": "no-cache", **headers})


@router.get("/field/sw.js")
def service_worker() -> Response:
    """The service worker, served from ``/field/`` so that its scope is the form."""
    return _static("sw.js", "text/javascript; charset=utf-8")


@router.get("/field/manifest.webmanifest")
def manifest() -> Response:
    return _static("manifest.webmanifest", "application/manifest+json")


@router.get("/field/progress")
def progress_page(request: Request, p: Supervisor) -> Response:
    """The team's progress by day, registrar, distrik and market; a PIN reset code for a
    registrar who forgot theirs."""
    return _progress(request, p)


def _progress(request: Request, p: Principal, **extra: Any) -> Response:
    f = request.query_params
    error = None
    try:
        since = parse_date(f.get("since") or None, "since")
        until = parse_date(f.get("until") or None, "until")
    except (JaringError, ValueError) as e:
        error = e.message(i18n.current.get()) if isinstance(e, JaringError) else str(e)
        since = until = None
    out = queries.progress(request.app.state.engine, p, since=since, until=until)
    by_day: dict[dt.date, list[queries.ProgressRow]] = {}
    for row in out.rows:
        by_day.setdefault(row.day, []).append(row)
    return page(request, "field/progress.html", progress=out, by_day=by_day, error=error, **extra)


@router.post("/field/progress/pin-code")
def pin_code_page(
    request: Request, p: Supervisor, registrar: Annotated[str, Form(max_length=80)] = ""
) -> Response:
    """A one-time PIN reset code for a registrar of the team, shown once on the page."""
    try:
        code = actions.issue_pin_code(request.app.state.engine, p, registrar)
    except JaringError as e:
        return _progress(request, p, pin_error=e.message(i18n.current.get()))
    return _progress(request, p, pin_code=code)
