"""Server-rendered pages (Jinja2 + HTMX): one module per domain, thin over the domain's
actions and queries, with templates in ``templates/<domain>/``. Forms post back with the
session's CSRF token; refusals re-render the form with the message in the user's language."""

from fastapi import APIRouter

from jaring.web.pages import (
    admin,
    auth,
    award,
    claims,
    coverage,
    field,
    home,
    law,
    people,
    programs,
    registry,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(home.router)
router.include_router(people.router)
router.include_router(registry.router)
router.include_router(admin.router)
router.include_router(law.router)
router.include_router(programs.router)
router.include_router(claims.router)
router.include_router(coverage.router)
router.include_router(award.router)
router.include_router(field.router)
