"""The JSON API under ``/api/v1``: one module per area, each a thin layer over the service
functions the CLI calls. Every operation states the permission it needs; errors are
problem+json with a stable ``code``."""

from fastapi import APIRouter

from jaring.web.api import (
    accounts,
    audit,
    award,
    claims,
    coverage,
    law,
    people,
    programs,
    registry,
    stats,
)

router = APIRouter()
router.include_router(accounts.router)
router.include_router(people.router)
router.include_router(registry.router)
router.include_router(stats.router)
router.include_router(audit.router)
router.include_router(law.router)
router.include_router(programs.router)
router.include_router(claims.router)
router.include_router(coverage.router)
router.include_router(award.router)
