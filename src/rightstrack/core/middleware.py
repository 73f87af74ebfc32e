"""Security headers and the translation of domain errors into pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import Conflict, DomainError


class SecurityHeadersMiddleware:
    """Content-Security-Policy and friends that Django 5.2 does not set itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages of signed-in users may show confidential data: never keep them in shared caches.
            response.setdefault("Cache-Control", "private, no-store")
        return response


class DomainErrorMiddleware:
    """A DomainError raised by an action becomes a page with a fitting status and a clear message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Conflict):
            return render(request, "core/conflict.html", {"conflict": exception}, status=409)
        if isinstance(exception, DomainError):
            from .error_views import back_url

            context = {"message": exception.message, "links": exception.links, "back": back_url(request)}
            return render(request, "core/error.html", context, status=exception.status)
        return None
