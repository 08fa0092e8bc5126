"""Field registration: the phone's sync (records in, one answer per record out), the region
lists it carries offline, a registrar's own records, a team's progress, the KTP photo."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field

from jaring.field import actions, queries, rules
from jaring.field.rules import Record, RegionLists
from jaring.registry.regions import name_of
from jaring.web.api.common import problems
from jaring.web.security import Principal, require

router = APIRouter(prefix="/field", tags=["field"])
Registrar = Annotated[Principal, Depends(require("field.register"))]
Supervisor = Annotated[Principal, Depends(require("field.supervise"))]
Anyone = Annotated[Principal, Depends(require())]


class RecordIn(BaseModel):
    """One record as the phone keeps it; text as typed."""

    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9:_\-]+$")
    nik: str = Field("", max_length=40)
    name: str = Field("", max_length=200)
    birth_date: str = Field("", max_length=10, description="YYYY-MM-DD")
    sex: str = Field("", max_length=1, description="L or P")
    address: str = Field("", max_length=500)
    district_code: str = Field("", max_length=8)
    village_code: str = Field("", max_length=13)
    phone: str = Field("", max_length=30)
    occupation: str = Field("", max_length=100)
    market: str = Field("", max_length=200, description="market or base, e.g. Pasar Remu")
    income: str = Field("", max_length=30)
    consent: bool = False
    consent_name: str = Field("", max_length=200)
    consent_version: str = Field(rules.CONSENT_VERSION, max_length=20)
    registered_at: str = Field("", max_length=40, description="ISO 8601 on the phone's clock")
    device: str = Field("", max_length=200)


class SyncIn(BaseModel):
    records: list[RecordIn] = Field(max_length=rules.MAX_RECORDS)


class Me(BaseModel):
    """Who the phone is signed in as, and the session's CSRF token for its next sync."""

    username: str
    full_name: str
    role: str
    regions: list[str]
    region_names: list[str]  # the regions as people read them (Sorong Timur), in order
    can_register: bool
    can_supervise: bool
    csrf_token: str | None


@router.get("/me", responses=problems(), response_model=Me)
def me(p: Anyone) -> Me:
    """Who is signed in (the offline form keeps it, to show whose queue it is)."""
    return Me(
        username=p.username,
        full_name=p.full_name,
        role=p.role,
        regions=list(p.regions),
        region_names=[name_of(r) or r for r in p.regions],
        can_register=p.can("field.register"),
        can_supervise=p.can("field.supervise"),
        csrf_token=p.csrf_token,
    )


@router.get("/lists", responses=problems(), response_model=RegionLists)
def lists(p: Anyone) -> RegionLists:
    """The distrik and kelurahan of your regions and the NIK prefixes Jaring knows: what the
    offline form checks records against."""
    return queries.lists(p)


@router.post("/sync", responses=problems(400), response_model=actions.Synced)
def sync(request: Request, body: SyncIn, p: Registrar) -> actions.Synced:
    """Send records; each gets its answer at once (``accepted``, ``needs_fix``,
    ``duplicate_here``, ``duplicate_elsewhere``). Sending the same records again changes
    nothing and gives the same answers (``repeated``). Audited (``field.sync``)."""
    records = [Record.of(r.model_dump()) for r in body.records]
    return actions.sync(request.app.state.engine, p, records)


@router.get("/records", responses=problems(), response_model=list[queries.MyRecord])
def records(
    request: Request, p: Registrar, day: Annotated[dt.date | None, Query()] = None
) -> list[queries.MyRecord]:
    """Your own records as the server holds them, newest first (of ``day`` when given)."""
    return queries.my_records(request.app.state.engine, p, day)


@router.get("/progress", responses=problems(), response_model=queries.Progress)
def progress(
    request: Request,
    p: Supervisor,
    since: Annotated[dt.date | None, Query()] = None,
    until: Annotated[dt.date | None, Query()] = None,
) -> queries.Progress:
    """The team's records by day, registrar, distrik and market, by answer (counts only)."""
    return queries.progress(request.app.state.engine, p, since=since, until=until)


@router.post(
    "/records/{client_id}/photo",
    responses=problems(400, 404),
    response_model=actions.PhotoStored,
)
def photo(
    request: Request,
    client_id: Annotated[str, Path(min_length=8, max_length=64)],
    p: Registrar,
    file: Annotated[UploadFile, File(description="the KTP photo, JPEG, at most 500 KB")],
) -> actions.PhotoStored:
    """Keep the KTP photo of one of your confirmed records, encrypted at rest (the phone
    deletes its copy once this answers). Sending it again changes nothing. Audited
    (``field.photo``)."""
    data = file.file.read(actions.PHOTO_MAX + 1)
    return actions.store_photo(request.app.state.engine, p, client_id, data)


class PinResetIn(BaseModel):
    """Proof that the phone's user is the registrar: the account's password, or the code a
    supervisor issued; and how many queued photos the phone can no longer open."""

    password: str = Field("", max_length=200)
    code: str = Field("", max_length=20)
    photos_lost: int = Field(0, ge=0, le=100_000)


class PinCodeIn(BaseModel):
    registrar: str = Field(min_length=1, max_length=80)


@router.post("/pin-reset", responses=problems(400), response_model=actions.PinReset)
def pin_reset(request: Request, body: PinResetIn, p: Registrar) -> actions.PinReset:
    """Allow this phone to reset its forgotten PIN (the photos queued under the old one are
    lost; the records' text is not). Audited (``field.pin_reset``)."""
    return actions.reset_pin(
        request.app.state.engine,
        p,
        password=body.password or None,
        code=body.code or None,
        photos_lost=body.photos_lost,
    )


@router.post("/pin-codes", responses=problems(400), response_model=actions.PinCode)
def pin_code(request: Request, body: PinCodeIn, p: Supervisor) -> actions.PinCode:
    """A one-time code (valid 30 minutes) with which a registrar of your regions resets the
    PIN on their phone. Audited (``field.pin_code``, never the code)."""
    return actions.issue_pin_code(request.app.state.engine, p, body.registrar)
