"""The leak harness: walks every URL pattern of the project and proves restricted data never shows.

Each domain describes its routes in `tests/<app>/leak_routes.py`:

    def add_hidden(world): ...   # create RESTRICTED records of org A, marker in every text field
    def add_semi(world): ...     # optional: INTERNAL records of org A, marker only in sensitive fields
    ROUTES = {"people/<int:pk>/": lambda w: [{"pk": w.hidden["person"].pk}], ...}

A pattern with URL parameters but no description fails the suite, so new routes cannot go unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from rightstrack.domains import DOMAIN_APPS

MARKER = "ZQXLEAK"
# Searches use the lower-case form: it matches the records (case-insensitive search) while an echo of
# the query in the page (a search box, a `next` link) is not mistaken for a leak.
SEARCH = MARKER.lower()

APPS = ["core", *DOMAIN_APPS]


@dataclass
class World:
    org_a: Any
    author: Any  # a member of A with restricted access who creates the records
    hidden: dict[str, Any] = field(default_factory=dict)
    semi: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """A marker string for a text field."""
        return f"{MARKER}-{name}"


@dataclass
class Route:
    pattern: str
    converters: list[str]
    methods_hint: str


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            yield Route(pattern, re.findall(r"<(?:\w+:)?(\w+)>", pattern), getattr(entry, "name", "") or "")


def leak_modules() -> list:
    modules = []
    for app in APPS:
        name = f"tests.{app}.leak_routes"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


def descriptions() -> dict[str, Callable[[World], list[dict[str, Any]]]]:
    out: dict[str, Callable] = {}
    for module in leak_modules():
        out.update(module.ROUTES)
    return out


def fill(pattern: str, kwargs: dict[str, Any]) -> str:
    """The concrete path for a pattern and its keyword arguments."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), pattern)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")


def build_world(world: World, part: str) -> None:
    for module in leak_modules():
        builder = getattr(module, f"add_{part}", None)
        if builder is not None:
            builder(world)
