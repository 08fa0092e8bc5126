"""Who am I, users (administrators), API tokens, and changing one's password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from jaring.access import MATRIX, ROLES
from jaring.accounts import actions, queries
from jaring.web import dashboard
from jaring.web.api.common import Id, problems
from jaring.web.security import SESSION_COOKIE, Principal, require

router = APIRouter(tags=["accounts"])
Anyone = Annotated[Principal, Depends(require())]
Admin = Annotated[Principal, Depends(require("user.manage"))]
PasswordChanger = Annotated[Principal, Depends(require(allow_password_change=True))]


class Me(BaseModel):
    """The caller: who, their role and regions, what the role may do, whether personal data
    reaches them masked, and how they came (``session`` or ``token``)."""

    id: int | None
    username: str
    full_name: str
    role: str
    regions: list[str]
    masked: bool
    via: str
    permissions: list[str]


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    role: str = Field(description="One of: " + ", ".join(ROLES))
    password: str = Field(min_length=1, max_length=200)
    full_name: str = Field("", max_length=200)
    regions: list[str] = Field(default_factory=list, max_length=50)


class UserPatch(BaseModel):
    role: str | None = None
    regions: list[str] | None = Field(None, max_length=50)
    full_name: str | None = Field(None, max_length=200)
    active: bool | None = None


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    current: str = Field(max_length=200)
    new: str = Field(min_length=1, max_length=200)


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)


def _changed(request: Request) -> None:
    """An account changed: forget cached principals and dashboard figures at once."""
    request.app.state.auth_cache.clear()
    dashboard.invalidate()


@router.get("/me", response_model=Me, responses=problems())
def me(p: Anyone) -> Me:
    """The caller: username, role, regions, what the role may do, whether data is masked."""
    return Me(
        id=p.user_id,
        username=p.username,
        full_name=p.full_name,
        role=p.role,
        regions=list(p.regions),
        masked=p.masked,
        via=p.via,
        permissions=sorted(MATRIX[p.role]),
    )


@router.get("/users", response_model=list[queries.User], responses=problems())
def list_users(request: Request, p: Admin) -> list[queries.User]:
    """Every account, by username (never a password hash)."""
    return queries.list_users(request.app.state.engine, p)


@router.post("/users", status_code=201, response_model=queries.User, responses=problems(400))
def create_user(request: Request, body: UserIn, p: Admin) -> queries.User:
    """Create an account; the user must change the password at the first sign-in."""
    out = actions.create_user(request.app.state.engine, p, **body.model_dump())
    _changed(request)
    return out


@router.get("/users/{user_id}", response_model=queries.User, responses=problems(404))
def get_user(request: Request, user_id: Id, p: Admin) -> queries.User:
    return queries.get_user(request.app.state.engine, p, user_id)


@router.patch("/users/{user_id}", response_model=queries.User, responses=problems(400, 404))
def update_user(request: Request, user_id: Id, body: UserPatch, p: Admin) -> queries.User:
    """Change role, regions, name or active flag (their sessions end)."""
    out = actions.update_user(request.app.state.engine, p, user_id, **body.model_dump())
    _changed(request)
    return out


@router.post("/users/{user_id}/password", status_code=204, responses=problems(400, 404))
def reset_password(request: Request, user_id: Id, body: PasswordIn, p: Admin) -> Response:
    """Set a temporary password; the user must change it at the next sign-in."""
    actions.reset_password(request.app.state.engine, p, user_id, body.password)
    _changed(request)
    return Response(status_code=204)


@router.post("/me/password", status_code=204, responses=problems(400))
def change_password(request: Request, body: PasswordChange, p: PasswordChanger) -> Response:
    """Change your own password (knowing the current one)."""
    actions.change_password(
        request.app.state.engine,
        p,
        body.current,
        body.new,
        keep_session=request.cookies.get(SESSION_COOKIE),
    )
    _changed(request)
    return Response(status_code=204)


@router.get("/tokens", response_model=list[queries.Token], responses=problems())
def list_tokens(request: Request, p: Anyone) -> list[queries.Token]:
    """Your API tokens (administrators: everyone's). The secret is never shown again."""
    return queries.list_tokens(request.app.state.engine, p)


@router.post("/tokens", status_code=201, response_model=actions.NewToken, responses=problems(400))
def create_token(request: Request, body: TokenIn, p: Anyone) -> actions.NewToken:
    """A token acting as you (your role and regions), shown once in ``token``."""
    return actions.create_token(request.app.state.engine, p, body.name)


@router.delete("/tokens/{token_id}", status_code=204, responses=problems(404))
def revoke_token(request: Request, token_id: Id, p: Anyone) -> Response:
    actions.revoke_token(request.app.state.engine, p, token_id)
    _changed(request)
    return Response(status_code=204)
