"""The form round-trip harness: every create/edit page, in every language, gives back what it showed.

Each app describes its form routes in `tests/<app>/form_routes.py`:

    ROUTES = {
        "people/<int:pk>/edit/": edit(lambda w: w.first(Person)),      # GET, POST back unchanged: nothing changes
        "people/new/": create(),                                         # GET: renders, dates ISO, numbers parse
        "trials/cases/<int:pk>/defendants/new/": create(lambda w: {"pk": w.first(Case).pk}),
        "incidents/<int:pk>/publish/": not_a_form("a button: publishing is its whole point"),
    }

The world is the synthetic demo (it fills every kind of record with dates, numbers, choices and lists),
seen by its administrator. A route that looks like a form (see `looks_like_form`) and is described in no
form_routes.py fails the suite, so a new form cannot escape the round-trip.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import tinyhtml5
from django.db import models

from .leak_harness import APPS, Route, walk

LANGUAGE_CODES = ("en", "ru", "kk")
# Segments and URL names of pages that show a form to fill in (creation or edit).
FORM_SEGMENTS = {"new", "edit", "add", "assess", "upload", "consent", "date", "verdict", "review", "observe", "import"}
FORM_NAME = re.compile(r"(^|_)(create|edit|add|new|assess|upload|profile)$")
IGNORED_PREFIXES = ("admin/", "api/", "accounts/", "i18n/")


def looks_like_form(route: Route) -> bool:
    if route.pattern.startswith(IGNORED_PREFIXES):
        return False
    last = route.pattern.rstrip("/").rsplit("/", 1)[-1]
    return last in FORM_SEGMENTS or bool(FORM_NAME.search(route.methods_hint))


@dataclass
class World:
    """The demo, and the user who may edit all of it."""

    user: Any
    organisation: Any

    def first(self, model: type[models.Model], **filters: Any) -> Any:
        """The first live record of `model` in the demo organisation (or anywhere, for unowned models)."""
        qs = model._default_manager.filter(**filters)
        names = {f.name for f in model._meta.get_fields()}
        if "deleted_at" in names:
            qs = qs.filter(deleted_at=None)
        if "organisation" in names:
            qs = qs.filter(organisation=self.organisation)
        obj = qs.order_by("pk").first()
        assert obj is not None, f"the demo has no {model.__name__} matching {filters}"
        return obj


@dataclass
class FormRoute:
    kind: str  # "edit", "create" or "none"
    record: Callable[[World], Any] | None = None
    kwargs: Callable[[World], dict[str, Any]] | None = None
    # Which <form> on the page: a CSS-like marker, the name of a field it must contain.
    form_field: str | None = None
    # More records the page saves alongside its record (children, blocks): they must not change either.
    related: Callable[[Any], list[Any]] = lambda obj: []
    reason: str = ""
    # The page that shows the form, when the route only takes the POST (a form inside a detail page).
    page: Callable[[Any], str] | None = None
    # Where the form posts, when not to the route itself (a suggestion's edit form posts to "accept").
    posts_to: Callable[[dict[str, Any]], str] | None = None
    extra: dict[str, str] = dataclasses.field(default_factory=dict)


def edit(
    record: Callable[[World], Any],
    *,
    kwargs: Callable[[Any], dict[str, Any]] | None = None,
    field: str | None = None,
    related: Callable[[Any], list[Any]] | None = None,
    extra: dict[str, str] | None = None,
    page: Callable[[Any], str] | None = None,
) -> FormRoute:
    """An edit page: GET it, POST the form back as it came, nothing may change (record, version, audit log).

    `extra` adds values a browser would send that the page does not hold (the button pressed)."""
    return FormRoute(
        "edit",
        record=record,
        kwargs=(lambda w, obj: kwargs(obj)) if kwargs else (lambda w, obj: {"pk": obj.pk}),
        form_field=field,
        related=related or (lambda obj: []),
        extra=extra or {},
        page=page,
    )


def create(
    kwargs: Callable[[World], dict[str, Any]] | None = None,
    *,
    field: str | None = None,
    page: Callable[[Any], str] | None = None,
    posts_to: Callable[[dict[str, Any]], str] | None = None,
) -> FormRoute:
    """A creation page: GET it; its form must render with values the same form parses back (ISO dates, numbers).

    `page(kwargs)` names the page that shows the form when the route itself only takes the POST."""
    return FormRoute(
        "create",
        kwargs=(lambda w, obj: kwargs(w)) if kwargs else (lambda w, obj: {}),
        form_field=field,
        page=page,
        posts_to=posts_to,
    )


def not_a_form(reason: str) -> FormRoute:
    """A route that looks like a form page but is not one to round-trip (say why)."""
    return FormRoute("none", reason=reason)


def form_modules() -> list:
    modules = []
    for app in APPS:
        name = f"tests.{app}.form_routes"
        if find_spec(f"tests.{app}") is not None and find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


def descriptions() -> dict[str, FormRoute]:
    out: dict[str, FormRoute] = {}
    for module in form_modules():
        out.update(module.ROUTES)
    return out


def form_routes() -> list[Route]:
    return [route for route in walk() if looks_like_form(route)]


# -- reading a page's form as a browser would submit it ------------------------------------------------------


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _text(element) -> str:
    return "".join(element.itertext())


@dataclass
class Control:
    name: str
    kind: str  # input type, "select", "select-multiple", "textarea"
    values: list[str]


def page_forms(html: str) -> list[tuple[dict[str, str], list[Control]]]:
    """Each <form method=post> of the page: its attributes and the controls a browser would submit."""
    root = tinyhtml5.parse(html)
    out = []
    for form in root.iter():
        if _tag(form) != "form" or (form.get("method") or "get").lower() != "post":
            continue
        controls = []
        for el in form.iter():
            tag, name = _tag(el), el.get("name")
            if not name or el.get("disabled") is not None:
                continue
            if tag == "input":
                kind = (el.get("type") or "text").lower()
                if kind in {"submit", "button", "image", "reset", "file"}:
                    continue
                if kind in {"checkbox", "radio"}:
                    if el.get("checked") is not None:
                        controls.append(Control(name, kind, [el.get("value", "on")]))
                    continue
                controls.append(Control(name, kind, [el.get("value", "")]))
            elif tag == "textarea":
                controls.append(Control(name, "textarea", [_text(el)]))
            elif tag == "select":
                options = [o for o in el.iter() if _tag(o) == "option"]
                chosen = [o for o in options if o.get("selected") is not None]
                multiple = el.get("multiple") is not None
                if not chosen and not multiple and options:
                    chosen = options[:1]  # a browser submits the first option of a single select
                values = [o.get("value") if o.get("value") is not None else _text(o).strip() for o in chosen]
                controls.append(Control(name, "select-multiple" if multiple else "select", values))
        out.append((dict(form.attrib), controls))
    return out


def pick_form(html: str, path: str, field_name: str | None, *, own_page: bool = True) -> list[Control] | None:
    """The form that posts to `path` (or, on its own page, has no action), holding `field_name` when given;
    never the menu's log-out or language form."""
    for attrs, controls in page_forms(html):
        if field_name is not None and field_name not in {c.name for c in controls}:
            continue
        action = attrs.get("action", "").split("#", 1)[0].split("?", 1)[0]
        if action == path or (own_page and action in ("", ".")):
            return controls
    return None


def payload(controls: list[Control]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for control in controls:
        data.setdefault(control.name, []).extend(control.values)
    return data


def malformed_values(controls: list[Control]) -> list[str]:
    """Values a browser's native input would not show: a date not in ISO, a number with a decimal comma."""
    bad = []
    for c in controls:
        for value in c.values:
            if not value:
                continue
            if c.kind == "date":
                try:
                    date.fromisoformat(value)
                except ValueError:
                    bad.append(f"{c.name}={value!r} (type=date needs YYYY-MM-DD)")
            elif c.kind == "time" and not re.fullmatch(r"\d\d:\d\d(:\d\d)?", value):
                bad.append(f"{c.name}={value!r} (type=time needs HH:MM)")
            elif c.kind == "number":
                try:
                    Decimal(value)
                except InvalidOperation:
                    bad.append(f"{c.name}={value!r} (type=number needs a dot)")
    return bad


# -- what must not change --------------------------------------------------------------------------------


def state(obj: models.Model) -> dict[str, Any]:
    """Every stored value of `obj`, its many-to-many links included, read fresh from the database."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    out: dict[str, Any] = {}
    for f in fresh._meta.concrete_fields:
        out[f.attname] = getattr(fresh, f.attname)
    for f in fresh._meta.many_to_many:
        out[f.name] = sorted(getattr(fresh, f.name).values_list("pk", flat=True))
    return out


ERROR_MARKERS = re.compile(r'class="[^"]*\b(error|has-error|errorlist)\b')


def page_errors(html: str) -> list[str]:
    """The texts of error messages shown on a page."""
    root = tinyhtml5.parse(html)
    out = []
    for el in root.iter():
        classes = (el.get("class") or "").split()
        if {"error", "errorlist"} & set(classes) or el.get("role") == "alert":
            text = " ".join(_text(el).split())
            if text:
                out.append(text)
    return out


def fill_path(pattern: str, kwargs: dict[str, Any]) -> str:
    from .leak_harness import fill

    return fill(pattern, kwargs)
