"""Attachments: a file's record, its bytes (audited), and its deletion. Adding a file is the
owning domain's operation (award evidence, a change request, a field registration)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jaring.attachments import actions, queries
from jaring.attachments.rules import KINDS, Attachment
from jaring.web.api.common import Id, problems
from jaring.web.security import Principal, require

router = APIRouter(prefix="/attachments", tags=["attachments"])
Signed = Annotated[Principal, Depends(require())]
FILE = {"type": "string", "format": "binary"}


class DeleteIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="why the file is deleted")


@router.get("/{attachment_id}", response_model=Attachment, responses=problems(404))
def info(request: Request, p: Signed, attachment_id: Id) -> Attachment:
    """What a file is: type, size, name, purpose, who added it and whether it was deleted."""
    return queries.get(request.app.state.engine, p, attachment_id)


@router.get(
    "/{attachment_id}/file",
    response_class=Response,
    responses={
        **problems(404, 503),
        200: {"content": {media: {"schema": FILE} for media in KINDS.values()}},
    },
)
def download(request: Request, p: Signed, attachment_id: Id) -> Response:
    """The file's bytes, as it was added (decrypted when kept encrypted); audited as
    ``attachment.read``."""
    found, data = queries.read(request.app.state.engine, p, attachment_id)
    return Response(
        data,
        media_type=found.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/{attachment_id}/delete", response_model=Attachment, responses=problems(404))
def delete(request: Request, p: Signed, attachment_id: Id, body: DeleteIn) -> Attachment:
    """Erase the file's bytes; its record stays with who deleted it and when (audited)."""
    return actions.delete(request.app.state.engine, p, attachment_id, body.reason)
