"""Styled 403/404/500 pages in the user's language, each with a way back and a search box.

The 500 page is rendered without the request's context processors: it must work when the database is down.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

#: Where the error pages' search box can look: (key, URL name, needs sign-in).
SEARCH_TARGETS = (
    ("recommendations", "recommendation_list", True),
    ("people", "person_list", True),
    ("public", "portal:search", False),
    ("help", "help", False),
)


def back_url(request: HttpRequest) -> str:
    """The page the user came from, when it is on this site; else their home."""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if referer and parts.netloc == request.get_host() and parts.path != request.path:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home") if request.user.is_authenticated else reverse("help")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"back": back_url(request)}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"back": back_url(request)}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page went stale (or from elsewhere): say how to send it again."""
    return render(request, "403_csrf.html", {"back": back_url(request)}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        html = loader.get_template("500.html").render({"LANG": get_language() or "en"})
    except Exception:  # the page itself must not fail: plain text as the last resort
        logger.exception("rendering the 500 page failed")
        html = "<!doctype html><title>Server error</title><p>Something went wrong on the server. <a href='/'>Home</a>"
    return HttpResponseServerError(html)


def search(request: HttpRequest) -> HttpResponse:
    """The error pages' search box: send the words to the chosen list's own search."""
    query = request.GET.get("q", "").strip()[:200]
    where = request.GET.get("in", "")
    targets = [t for t in SEARCH_TARGETS if request.user.is_authenticated or not t[2]]
    name = next((t[1] for t in targets if t[0] == where), targets[0][1])
    url = reverse(name)
    return HttpResponseRedirect(f"{url}?{urlencode({'q': query})}" if query else url)
