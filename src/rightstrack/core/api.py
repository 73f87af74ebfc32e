"""API: the caller, persons, vocabularies."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from . import actions, visibility
from .models import IccprArticle, Person, Place, Sdg, Theme
from .paging import Paging

router = Router()


class MembershipOut(Schema):
    organisation: str
    organisation_id: int
    role: str
    restricted_access: bool


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, tags=["account"])
def me(request: HttpRequest):
    return {
        "username": request.user.username,
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_id": m.organisation_id,
                "role": m.role,
                "restricted_access": m.restricted_access,
            }
            for m in visibility.memberships(request.user)
        ],
    }


class PersonOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    pseudonym: str
    sex: str
    occupation: str
    is_hrd: bool
    is_lawyer: bool
    is_journalist: bool
    is_activist: bool
    real_name: str | None = None
    birth_date: datetime.date | None = None
    contacts: str | None = None
    address: str | None = None

    @staticmethod
    def _sensitive(obj: Person, context, name: str):
        # Sensitive fields are null unless the caller has restricted access to the owning organisation.
        user = context["request"].user
        return getattr(obj, name) if visibility.can_see_sensitive(user, obj) else None

    @staticmethod
    def resolve_real_name(obj, context):
        return PersonOut._sensitive(obj, context, "real_name")

    @staticmethod
    def resolve_birth_date(obj, context):
        return PersonOut._sensitive(obj, context, "birth_date")

    @staticmethod
    def resolve_contacts(obj, context):
        return PersonOut._sensitive(obj, context, "contacts")

    @staticmethod
    def resolve_address(obj, context):
        return PersonOut._sensitive(obj, context, "address")


class PersonIn(Schema):
    organisation_id: int
    pseudonym: str
    confidentiality: str = "internal"
    sex: str = "unknown"
    occupation: str = ""
    is_hrd: bool = False
    is_lawyer: bool = False
    is_journalist: bool = False
    is_activist: bool = False
    real_name: str = ""
    birth_date: datetime.date | None = None
    contacts: str = ""
    address: str = ""


class PersonPatch(Schema):
    version: int
    pseudonym: str | None = None
    confidentiality: str | None = None
    sex: str | None = None
    occupation: str | None = None
    is_hrd: bool | None = None
    is_lawyer: bool | None = None
    is_journalist: bool | None = None
    is_activist: bool | None = None
    real_name: str | None = None
    birth_date: datetime.date | None = None
    contacts: str | None = None
    address: str | None = None


@router.get("/persons", response=list[PersonOut], tags=["persons"])
@paginate(Paging)
def list_persons(request: HttpRequest, q: str = ""):
    people = visibility.visible(request.user, Person).order_by("pseudonym")
    return visibility.person_search(request.user, people, q)


@router.get("/persons/{person_id}", response=PersonOut, tags=["persons"])
def get_person(request: HttpRequest, person_id: int):
    return actions.get_visible(request.user, Person, person_id)


@router.post("/persons", response={201: PersonOut}, tags=["persons"])
def create_person(request: HttpRequest, payload: PersonIn):
    data = payload.dict()
    org = data.pop("organisation_id")
    if not visibility.org_ids(request.user, restricted=True):
        for name in Person.SENSITIVE_FIELDS:
            data.pop(name, None)
    return Status(201, actions.create_person(request.user, org, **data))


@router.patch("/persons/{person_id}", response=PersonOut, tags=["persons"])
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch):
    person = actions.get_visible(request.user, Person, person_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return actions.update_person(request.user, person, expected_version=version, changes=changes)


class VocabularyItem(Schema):
    code: str
    label_en: str
    label_ru: str
    label_kk: str = ""


@router.get("/vocabularies/{name}", response=list[VocabularyItem], tags=["vocabularies"], auth=None)
def vocabulary(request: HttpRequest, name: str):
    """Public controlled vocabularies: iccpr-articles, sdgs, themes, places."""
    from .errors import NotFound

    if name == "iccpr-articles":
        return [
            {"code": str(a.number), "label_en": a.title_en, "label_ru": a.title_ru, "label_kk": a.title_kk}
            for a in IccprArticle.objects.all()
        ]
    if name == "sdgs":
        return [
            {"code": str(s.number), "label_en": s.title_en, "label_ru": s.title_ru, "label_kk": s.title_kk}
            for s in Sdg.objects.all()
        ]
    if name == "themes":
        return [
            {"code": t.code, "label_en": t.name_en, "label_ru": t.name_ru, "label_kk": t.name_kk}
            for t in Theme.objects.all()
        ]
    if name == "places":
        return [
            {"code": p.code, "label_en": p.name_en, "label_ru": p.name_ru, "label_kk": p.name_kk}
            for p in Place.objects.all()
        ]
    raise NotFound("Unknown vocabulary.")
