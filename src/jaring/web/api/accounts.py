"""Who am I, users (administrators), API tokens, and changing one's password."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from jaring.access import MATRIX, ROLES
from jaring.web import accounts, dashboard
from jaring.web.api.common import Id, problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["accounts"])
Anyone = Annotated[Principal, Depends(require())]
Admin = Annotated[Principal, Depends(require("user.manage"))]


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
    request.app.state.auth_cache.clear()
    dashboard.invalidate()


@router.get("/me", responses=problems())
def me(p: Anyone) -> dict[str, Any]:
    """The caller: username, role, regions, what the role may do, whether data is masked."""
    return {
        "id": p.user_id,
        "username": p.username,
        "full_name": p.full_name,
        "role": p.role,
        "regions": list(p.regions),
        "masked": p.masked,
        "via": p.via,
        "permissions": sorted(MATRIX[p.role]),
    }


@router.get("/users", responses=problems())
def list_users(request: Request, p: Admin) -> list[dict[str, Any]]:
    return accounts.list_users(request.app.state.engine)


@router.post("/users", status_code=201, responses=problems(400))
def create_user(request: Request, body: UserIn, p: Admin) -> dict[str, Any]:
    """Create an account; the user must change the password at the first sign-in."""
    out = accounts.create_user(request.app.state.engine, p, **body.model_dump())
    _changed(request)
    return out


@router.get("/users/{user_id}", responses=problems(404))
def get_user(request: Request, user_id: Id, p: Admin) -> dict[str, Any]:
    return accounts.get_user(request.app.state.engine, user_id)


@router.patch("/users/{user_id}", responses=problems(400, 404))
def update_user(request: Request, user_id: Id, body: UserPatch, p: Admin) -> dict[str, Any]:
    """Change role, regions, name or active flag (their sessions end)."""
    out = accounts.update_user(request.app.state.engine, p, user_id, **body.model_dump())
    _changed(request)
    return out


@router.post("/users/{user_id}/password", status_code=204, responses=problems(400, 404))
def reset_password(request: Request, user_id: Id, body: PasswordIn, p: Admin) -> Response:
    """Set a temporary password; the user must change it at the next sign-in."""
    accounts.reset_password(request.app.state.engine, p, user_id, body.password)
    _changed(request)
    return Response(status_code=204)


@router.post("/me/password", status_code=204, responses=problems(400))
def change_password(
    request: Request,
    body: PasswordChange,
    p: Annotated[Principal, Depends(require(allow_password_change=True))],
) -> Response:
    accounts.change_password(request.app.state.engine, p, body.current, body.new)
    _changed(request)
    return Response(status_code=204)


@router.get("/tokens", responses=problems())
def list_tokens(request: Request, p: Anyone) -> list[dict[str, Any]]:
    """Your API tokens (administrators: everyone's). The secret is never shown again."""
    return accounts.list_tokens(request.app.state.engine, p, all_users=p.can("user.manage"))


@router.post("/tokens", status_code=201, responses=problems(400))
def create_token(request: Request, body: TokenIn, p: Anyone) -> dict[str, Any]:
    """A token acting as you (your role and regions), shown once in ``token``."""
    return accounts.create_token(request.app.state.engine, p, body.name)


@router.delete("/tokens/{token_id}", status_code=204, responses=problems(404))
def revoke_token(request: Request, token_id: Id, p: Anyone) -> Response:
    accounts.revoke_token(request.app.state.engine, p, token_id)
    _changed(request)
    return Response(status_code=204)
