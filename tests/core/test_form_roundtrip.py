"""Every create/edit form gives back what it showed, in English, Russian and Kazakh (see tests/form_harness.py).

An edit page is opened and posted back untouched: the record, its version, its many-to-many links and the
audit log stay as they were, and no error is shown. A creation page renders values its own form parses
(ISO dates for date pickers, numbers with a dot). The demo is the world: it holds every kind of record.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from rightstrack.core.demo import load_demo
from rightstrack.core.models import AuditEvent

from ..form_harness import (
    LANGUAGE_CODES,
    World,
    descriptions,
    fill_path,
    form_routes,
    malformed_values,
    page_errors,
    payload,
    pick_form,
    state,
)


def test_every_form_route_is_described():
    described = descriptions()
    missing = [route.pattern for route in form_routes() if route.pattern not in described]
    assert not missing, f"Describe these form routes in a tests/<app>/form_routes.py: {missing}"
    patterns = {route.pattern for route in form_routes()}
    stale = sorted(set(described) - patterns)
    assert not stale, f"form_routes.py describes routes that no longer exist: {stale}"


def client_in(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_forms_round_trip_in_every_language():
    ctx = load_demo()
    world = World(user=ctx.users["admin"], organisation=ctx.organisations["coalition"])
    available = {code for code, _name in settings.LANGUAGES}
    languages = [code for code in LANGUAGE_CODES if code in available]
    described = descriptions()
    failures: list[str] = []
    checked = 0
    for route in form_routes():
        spec = described.get(route.pattern)
        if spec is None or spec.kind == "none":  # undescribed: the test above fails
            continue
        record = spec.record(world) if spec.record else None
        kwargs = spec.kwargs(world, record)
        path = fill_path(route.pattern, kwargs)
        target = spec.posts_to(kwargs) if spec.posts_to else path
        for language in languages:
            where = f"[{language}] {path}"
            client = client_in(world.user, language)
            page = spec.page(record if record is not None else world) if spec.page else path
            response = client.get(page)
            if response.status_code != 200:
                failures.append(f"{where}: GET {page} answered {response.status_code}")
                continue
            html = response.content.decode()
            controls = pick_form(html, target, spec.form_field, own_page=page == target)
            if controls is None:
                failures.append(f"{where}: no form posting to the page")
                continue
            failures.extend(f"{where}: {bad}" for bad in malformed_values(controls))
            checked += 1
            if spec.kind != "edit":
                continue
            watched = [record, *spec.related(record)]
            before = [state(obj) for obj in watched]
            events = AuditEvent.objects.count()
            data = payload(controls)
            for name, value in spec.extra.items():
                data[name] = [value]
            posted = client.post(path, data)
            if posted.status_code not in (200, 302, 303):
                shown = page_errors(posted.content.decode(errors="replace"))
                failures.append(f"{where}: POST answered {posted.status_code} {shown}")
            elif posted.status_code == 200:
                errors = page_errors(posted.content.decode())
                if errors:
                    failures.append(f"{where}: saving unchanged showed errors: {errors}")
            after = [state(obj) for obj in watched]
            for obj, old, new in zip(watched, before, after, strict=True):
                changed = {k: (old[k], new[k]) for k in old if old[k] != new[k]}
                if changed:
                    failures.append(f"{where}: saving unchanged changed {type(obj).__name__} {obj.pk}: {changed}")
            if AuditEvent.objects.count() != events:
                verbs = list(
                    AuditEvent.objects.order_by("-pk").values_list("verb", flat=True)[
                        : AuditEvent.objects.count() - events
                    ]
                )
                failures.append(f"{where}: saving unchanged wrote audit events {verbs}")
    assert not failures, "\n".join(failures)
    assert checked >= len(languages) * 30  # the walk really visited the forms
