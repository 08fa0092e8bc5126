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
    crossregion,
    deaths,
    field,
    home,
    law,
    people,
    programs,
    registry,
    settings,
    users,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(home.router)
router.include_router(people.router)
router.include_router(registry.router)
router.include_router(crossregion.router)
# before admin: /admin/users/new must not be read as /admin/users/{id}
router.include_router(users.router)
router.include_router(admin.router)
router.include_router(law.router)
router.include_router(programs.router)
router.include_router(claims.router)
router.include_router(coverage.router)
router.include_router(award.router)
router.include_router(deaths.router)
router.include_router(settings.router)
router.include_router(field.router)
