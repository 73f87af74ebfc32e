"""Synthetic demo data. Every record it creates is marked synthetic and says so in its text.

Domain apps add theirs with a `demo.py` that defines `load(ctx: DemoContext) -> None`; `load_demo`
calls them in DOMAIN_APPS order.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from rightstrack.domains import DOMAIN_APPS

from . import actions
from .models import Confidentiality, Organisation, Person, Role

SYNTHETIC = "SYNTHETIC DEMO DATA"

DEMO_USERS = [
    # username, organisation key, role, restricted access, superuser
    ("admin", "coalition", Role.ADMIN, True, True),
    ("coordinator", "coalition", Role.COORDINATOR, True, False),
    ("analyst", "coalition", Role.ANALYST, True, False),
    ("monitor", "coalition", Role.MONITOR, False, False),
    ("viewer", "partner", Role.VIEWER, False, False),
]


@dataclass
class DemoContext:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    persons: list[Person] = field(default_factory=list)


def demo_password(username: str) -> str:
    """RIGHTSTRACK_DEMO_PASSWORD when set, else a fresh random one (letters and digits, easy to type)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return os.environ.get("RIGHTSTRACK_DEMO_PASSWORD") or "".join(secrets.choice(alphabet) for _ in range(12))


def ensure_users(ctx: DemoContext) -> None:
    """Create (or reset the passwords of) the demo organisations and users."""
    User = get_user_model()
    ctx.organisations["coalition"], _ = Organisation.objects.get_or_create(
        slug="demo-coalition", defaults={"name": "Demo Coalition for Fair Trials (synthetic)"}
    )
    ctx.organisations["partner"], _ = Organisation.objects.get_or_create(
        slug="partner-group", defaults={"name": "Partner Monitoring Group (synthetic)"}
    )
    for username, org_key, role, restricted, superuser in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        password = demo_password(username)
        user.set_password(password)
        user.is_staff = user.is_superuser = superuser
        user.save()
        actions.add_member(None, ctx.organisations[org_key], user, role, restricted_access=restricted)
        ctx.users[username] = user
        ctx.passwords[username] = password


PERSONS = [
    # pseudonym, real name, confidentiality, flags
    ("Defender A", "Synthetic Person One", Confidentiality.RESTRICTED, {"is_hrd": True}),
    ("Journalist B", "Synthetic Person Two", Confidentiality.RESTRICTED, {"is_journalist": True}),
    ("Lawyer C", "Synthetic Person Three", Confidentiality.INTERNAL, {"is_lawyer": True}),
    ("Witness D", "Synthetic Person Four", Confidentiality.RESTRICTED, {}),
    ("Activist E", "Synthetic Person Five", Confidentiality.PUBLIC, {"is_activist": True}),
]

DOCUMENT = """Synthetic monitoring note (demo)

This document is SYNTHETIC DEMO DATA made up for trying RightsTrack. It describes no real person or event.

1. Monitors of the demo coalition attended ten hearings in two cities during the demo period.

2. In four of the ten hearings the defendants were held in a glass cage in the courtroom.

3. Defence lawyers reported that confidential meetings with their clients were refused twice.

4. The demo coalition recommends that the authorities ensure access to counsel from the first moment of detention.
"""


def load_core(ctx: DemoContext) -> None:
    admin = ctx.users["admin"]
    coalition = ctx.organisations["coalition"]
    for pseudonym, real_name, level, flags in PERSONS:
        person = Person.objects.filter(organisation=coalition, pseudonym=pseudonym).first()
        if person is None:
            person = actions.create_person(
                admin,
                coalition,
                pseudonym=pseudonym,
                real_name=real_name,
                confidentiality=level,
                notes=f"{SYNTHETIC}: invented for the demo.",
                **flags,
            )
            Person.objects.filter(pk=person.pk).update(is_synthetic=True)
        ctx.persons.append(person)
    from rightstrack.evidence.actions import upload_document

    upload_document(
        admin,
        organisation_id=coalition.pk,
        upload=SimpleUploadedFile("demo-note.txt", DOCUMENT.encode()),
        title="Synthetic monitoring note (demo)",
        confidentiality=Confidentiality.INTERNAL,
        language="en",
        publisher="Demo Coalition for Fair Trials (synthetic)",
        is_synthetic=True,
    )


@transaction.atomic
def load_demo() -> DemoContext:
    """Load every app's demo data (idempotent) and return the context with the logins."""
    from django.apps import apps

    from . import vocabularies

    vocabularies.load(apps)  # idempotent; the demo's records refer to themes, articles and places
    ctx = DemoContext()
    ensure_users(ctx)
    load_core(ctx)
    for app in DOMAIN_APPS:
        module = f"rightstrack.{app}.demo"
        if find_spec(module) is not None:
            import_module(module).load(ctx)
    return ctx
