"""The one place that decides who sees what.

Every list, detail, count, search, export, report and API path reads records through `visible()`.
Rules: public records are visible to everyone; internal records to members of the owning organisation;
restricted records to members with restricted access. Soft-deleted records are visible to nobody here
(the trash page uses `deleted()`). Sensitive person fields need restricted access too.

Derived outputs (report paragraphs, tables and charts, their downloads and API paragraphs; exports, statistics,
feeds and search snippets) follow one rule: something built from records may be read only by someone who may
read every one of those records. Live lists, exports and statistics get it by reading through `visible()` per
request; stored derived content (report blocks) records the access its sources need (`access_of`) and is
checked with `can_read` when shown, so a reader without it sees a "withheld" note instead.

Changing a record's level is a permission of its own (`can_set_confidentiality`): only reviewers lower it or
create public records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet

from .models import Confidentiality, Membership, Role, name_key

M = TypeVar("M", bound=models.Model)

WRITE_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.MONITOR}
REVIEW_ROLES = {Role.ADMIN, Role.COORDINATOR}
ANALYSE_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.ANALYST}


def memberships(user) -> list[Membership]:
    """The user's memberships, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_rt_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._rt_memberships = cached
    return cached


def org_ids(user, *, roles: set[str] | None = None, restricted: bool = False) -> list[int]:
    """Organisations where the user has one of `roles` (any role if None), optionally restricted access."""
    return [
        m.organisation_id
        for m in memberships(user)
        if (roles is None or m.role in roles) and (not restricted or m.restricted_access)
    ]


def _owner_path(model: type[models.Model]) -> str:
    """Where the organisation/confidentiality live: on the model, or on a parent named by VISIBILITY_VIA."""
    via = getattr(model, "VISIBILITY_VIA", "")
    return f"{via}__" if via else ""


def visibility_q(user, model: type[models.Model], prefix: str = "") -> Q:
    """A Q object selecting the rows of `model` that `user` may see."""
    path = prefix + _owner_path(model)
    public = Q(**{f"{path}confidentiality": Confidentiality.PUBLIC})
    q = public
    members = org_ids(user)
    if members:
        q |= Q(**{f"{path}confidentiality": Confidentiality.INTERNAL, f"{path}organisation_id__in": members})
    restricted = org_ids(user, restricted=True)
    if restricted:
        q |= Q(**{f"{path}confidentiality": Confidentiality.RESTRICTED, f"{path}organisation_id__in": restricted})
    return q & _not_deleted_q(model, prefix)


def _not_deleted_q(model: type[models.Model], prefix: str) -> Q:
    q = Q()
    if hasattr(model, "deleted_at"):
        q &= Q(**{f"{prefix}deleted_at__isnull": True})
    via = getattr(model, "VISIBILITY_VIA", "")
    if via:
        parent = model._meta.get_field(via).related_model
        q &= _not_deleted_q(parent, f"{prefix}{via}__")
    return q


def visible(user, model_or_qs: type[M] | QuerySet[M]) -> QuerySet[M]:
    """All rows the user may see (the only way to list records)."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    return qs.filter(visibility_q(user, qs.model))


def deleted(user, model: type[M]) -> QuerySet[M]:
    """Soft-deleted rows the user could restore: reviewers of the owning organisation.

    A child record (`VISIBILITY_VIA`) is listed while its parent is not deleted itself. The base manager is
    used because a model's default manager may hide deleted rows.
    """
    path = _owner_path(model)
    owners = org_ids(user, roles=REVIEW_ROLES)
    qs = model._base_manager.filter(deleted_at__isnull=False, **{f"{path}organisation_id__in": owners})
    via = getattr(model, "VISIBILITY_VIA", "")
    if via:
        qs = qs.filter(_not_deleted_q(model._meta.get_field(via).related_model, f"{via}__"))
    return qs.filter(
        Q(**{f"{path}confidentiality__in": [Confidentiality.PUBLIC, Confidentiality.INTERNAL]})
        | Q(**{f"{path}organisation_id__in": org_ids(user, restricted=True)})
    )


def owner_of(obj: models.Model) -> models.Model:
    """The record that carries organisation and confidentiality for `obj`."""
    via = getattr(type(obj), "VISIBILITY_VIA", "")
    return getattr(obj, via) if via else obj


def can_see_sensitive(user, obj: models.Model) -> bool:
    """Whether sensitive fields (real name, contacts, address) of `obj` may be shown to `user`."""
    owner = owner_of(obj)
    return owner.organisation_id in org_ids(user, restricted=True)


def can_write(user, obj_or_org_id, roles: set[str] = WRITE_ROLES) -> bool:
    """Whether the user has one of `roles` in the organisation owning the record (or the given org id)."""
    org_id = obj_or_org_id if isinstance(obj_or_org_id, int) else owner_of(obj_or_org_id).organisation_id
    return org_id in org_ids(user, roles=roles)


#: Confidentiality levels from the most open to the most closed.
LEVELS = (Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED)

Access = dict  # {"level": highest level, "internal": [org ids], "restricted": [org ids]}


def public_access() -> Access:
    return {"level": Confidentiality.PUBLIC, "internal": [], "restricted": []}


def merge_access(*accesses: Access | None) -> Access:
    """What reading all of `accesses` together requires (the union of their organisations, the highest level)."""
    internal: set[int] = set()
    restricted: set[int] = set()
    level = 0
    for access in accesses:
        if not access:
            continue
        internal.update(int(o) for o in access.get("internal", ()))
        restricted.update(int(o) for o in access.get("restricted", ()))
        if access.get("level") in LEVELS:
            level = max(level, LEVELS.index(access["level"]))
    internal -= restricted  # restricted access to an organisation covers its internal records
    if restricted:
        level = max(level, 2)
    elif internal:
        level = max(level, 1)
    return {"level": LEVELS[level], "internal": sorted(internal), "restricted": sorted(restricted)}


def record_accesses(sources: Iterable[tuple[str, int] | list]) -> dict[tuple[str, int], Access]:
    """The access each source record ("app.Model", pk) needs: its organisation at its confidentiality level.

    Deleted records still count (what was quoted stays as confidential as it was); records that no longer exist
    and models that are gone are left out, so callers keep what they stored at build time. One query per model.
    """
    wanted: dict[str, set[int]] = {}
    for label, pk in sources:
        try:
            wanted.setdefault(str(label), set()).add(int(pk))
        except (TypeError, ValueError):
            continue
    out: dict[tuple[str, int], Access] = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        path = _owner_path(model)
        rows = model._base_manager.filter(pk__in=pks).values_list(
            "pk", f"{path}confidentiality", f"{path}organisation_id"
        )
        for pk, level, org_id in rows:
            if level == Confidentiality.RESTRICTED:
                out[(label, pk)] = {"level": level, "internal": [], "restricted": [org_id]}
            elif level == Confidentiality.INTERNAL:
                out[(label, pk)] = {"level": level, "internal": [org_id], "restricted": []}
            else:
                out[(label, pk)] = public_access()
    return out


def access_of(sources: Iterable[tuple[str, int] | list]) -> Access:
    """The access needed to read something built from all of `sources` (see `record_accesses`)."""
    return merge_access(public_access(), *record_accesses(sources).values())


def can_read(user, access: Access | None) -> bool:
    """Whether `user` may read content that needs `access` (see `access_of`)."""
    if not access:
        return True
    restricted = set(org_ids(user, restricted=True))
    members = set(org_ids(user))
    return set(access.get("restricted", ())) <= restricted and set(access.get("internal", ())) <= members


def can_set_confidentiality(user, org_id: int, old: str | None, new: str) -> bool:
    """Whether `user` may give a record of `org_id` the level `new` (`old`: its level now, None when creating).

    Lowering a level exposes the record to more people, which is publishing: only roles that review (admin,
    coordinator) may lower it (restricted → internal, anything → public) or create a record as public. Any writer
    may keep or raise it. Handling restricted records at all still needs restricted access (`require_write`).
    """
    if new not in LEVELS:
        return False
    reviewer = org_id in org_ids(user, roles=REVIEW_ROLES)
    if old is None:
        return new != Confidentiality.PUBLIC or reviewer
    if old not in LEVELS or LEVELS.index(new) >= LEVELS.index(old):
        return True
    return reviewer


def inherited_level(user, org_id: int, parent_level: str) -> str:
    """The level a new child record takes from its parent: the parent's, or internal where the user may not
    create a public record (an analyst adding to a public review keeps the new record in the organisation)."""
    if can_set_confidentiality(user, org_id, None, parent_level):
        return parent_level
    return Confidentiality.INTERNAL


def settable_levels(user, org_id: int | None, old: str | None = None) -> list[str]:
    """The levels `user` may choose for a record of `org_id` (all of them when the organisation is not chosen yet
    and the user reviews somewhere), for forms that limit their choices."""
    if org_id is None:
        return [level for level in LEVELS if any(can_set_confidentiality(user, o, old, level) for o in org_ids(user))]
    return [level for level in LEVELS if can_set_confidentiality(user, org_id, old, level)]


def anonymous() -> AnonymousUser:
    return AnonymousUser()


def person_search(user, people: QuerySet, query: str) -> QuerySet:
    """Persons matching `query` by pseudonym, or by real name where the user has restricted access.

    Compared through the stored name keys, so case does not matter in Cyrillic either (SQLite folds only ASCII).
    """
    key = name_key(query)
    if not key:
        return people
    search = Q(pseudonym_key__contains=key)
    restricted = org_ids(user, restricted=True)
    if restricted:
        search |= Q(real_name_key__contains=key, organisation_id__in=restricted)
    return people.filter(search)
