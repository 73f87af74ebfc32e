"""The REST API: token (or session) auth, OpenAPI schema at /api/openapi.json, docs at /api/docs.

Each domain app contributes a `router` in its own api.py; every endpoint reads through core.visibility.
"""

from __future__ import annotations

import datetime
import logging

from django.db import OperationalError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer, django_auth

from rightstrack.core.errors import Conflict, DomainError
from rightstrack.core.models import ApiToken
from rightstrack.core.paging import paging_problem

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer rt_…` with a personal token from the Account page."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if api_token is None or not api_token.user.is_active:
            return None
        note_use(api_token)
        request.user = api_token.user
        return api_token.user


#: The "last used" time shown on the Account page is written at most this often.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def note_use(api_token: ApiToken) -> None:
    """Record when a token was used, at most once a minute and without waiting long for a busy database.

    This is the only write a read request makes: when another writer holds the database it is skipped
    (logged), never turned into a failed read.
    """
    now = timezone.now()
    if api_token.last_used_at is not None and now - api_token.last_used_at < LAST_USED_EVERY:
        return
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 200")
            try:
                ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            finally:
                with connection.cursor() as cursor:
                    timeout = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
                    cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
                ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    except OperationalError:
        logger.warning("API token %s: its last use could not be recorded (database busy)", api_token.pk)


api = NinjaAPI(
    title="RightsTrack API",
    version="1.0.0",
    description="Read and write RightsTrack records. Every response obeys the caller's confidentiality rights.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api-1.0.0",
)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict):
    return api.create_response(
        request, {"detail": exc.message, "current": exc.current, "version": exc.version}, status=409
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    """A bad ?limit= or ?offset= is the caller's mistake with one clear answer: 400 naming the parameter.
    Other invalid input keeps ninja's 422 with the list of problems."""
    problem = paging_problem(exc.errors)
    if problem is not None:
        return api.create_response(request, {"detail": problem[1], "field": problem[0]}, status=400)
    return api.create_response(request, {"detail": exc.errors}, status=422)


def _add_routers() -> None:
    """core at /api/, every domain app with an api.py at /api/<app>/."""
    from importlib import import_module
    from importlib.util import find_spec

    from rightstrack.core.api import router as core_router
    from rightstrack.domains import DOMAIN_APPS

    api.add_router("/", core_router)
    for app in DOMAIN_APPS:
        if find_spec(f"rightstrack.{app}.api") is not None:
            api.add_router(f"/{app}", import_module(f"rightstrack.{app}.api").router)


_add_routers()
