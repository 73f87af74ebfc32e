"""Generic writes shared by every domain: create, versioned update, soft delete, restore, purge.

Each runs in one transaction, checks permission, and writes the audit event. Domain apps call these
from their own `actions.py` and add their rules around them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import limits, visibility
from .audit import json_value, record_event, snapshot
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .models import Confidentiality, Membership, Organisation, Person, Role

M = TypeVar("M", bound=models.Model)


def get_visible(user, model: type[M], pk: Any) -> M:
    """One record the user may see, else NotFound (the same error whether it exists or not)."""
    try:
        return visibility.visible(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound(_("No such record, or you do not have access to it."))


def require_write(user, org_id: int, roles: set[str], confidentiality: str) -> None:
    """Refuse unless the user has one of `roles` in the organisation and may handle this confidentiality level."""
    if confidentiality not in Confidentiality.values:
        raise InvalidInput(_("Unknown confidentiality level."), field="confidentiality")
    if not visibility.can_write(user, org_id, roles):
        raise Forbidden(_("Your role does not allow this change."))
    if confidentiality == Confidentiality.RESTRICTED and org_id not in visibility.org_ids(user, restricted=True):
        raise Forbidden(_("Only members with restricted access can handle restricted records."))


def require_level(user, org_id: int, old: str | None, new: str) -> None:
    """Refuse a confidentiality change the user may not make (`old` is None when creating).

    Lowering a level (restricted → internal, anything → public) or creating a public record is publishing:
    only reviewers (admin, coordinator) may do it; any writer may raise a level. Every write of `confidentiality`
    goes through here (`create_record`, `update_record`, imports), so forms, API and imports share the rule.
    """
    if new not in Confidentiality.values:
        raise InvalidInput(_("Unknown confidentiality level."), field="confidentiality")
    if not visibility.can_set_confidentiality(user, org_id, old, new):
        if new == Confidentiality.PUBLIC:
            message = _("Only coordinators and administrators can make a record public (publish it).")
        else:
            message = _("Only coordinators and administrators can lower a record's confidentiality.")
        raise Forbidden(message, field="confidentiality")


def _validate(obj: models.Model) -> None:
    limits.check(obj)
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(f"{field}: {' '.join(messages)}", field=field)


@transaction.atomic
def create_record(
    user,
    model: type[M],
    *,
    organisation: Organisation | int,
    roles: set[str] = visibility.WRITE_ROLES,
    verb: str | None = None,
    **fields: Any,
) -> M:
    """Create a confidential record owned by `organisation` and audit it."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    level = fields.get("confidentiality", Confidentiality.INTERNAL)
    require_write(user, org_id, roles, level)
    require_level(user, org_id, None, level)
    obj = model(organisation_id=org_id, **fields)
    if hasattr(obj, "created_by_id") and user is not None and user.is_authenticated:
        obj.created_by = user
    _validate(obj)
    obj.save()
    record_event(user, verb or f"{model._meta.model_name}.create", obj, after=snapshot(obj))
    return obj


def stale_edit(user, current: models.Model, changes: dict[str, Any]) -> Conflict:
    """The conflict for an edit made on an older version of `current`: saved and submitted values side by side,
    without the identifying fields the editor may not see."""
    model = type(current)
    before = snapshot(current)
    submitted = {**before, **{k: json_value(v) for k, v in changes.items()}}
    if not visibility.can_see_sensitive(user, current):
        for name in getattr(model, "SENSITIVE_FIELDS", ()):
            before.pop(name, None)
            submitted.pop(name, None)
    return Conflict(
        _("Someone else saved this record after you opened it."),
        current=before,
        submitted=submitted,
        version=current.version,
        labels={name: str(model._meta.get_field(name).verbose_name) for name in before},
    )


@transaction.atomic
def update_record(
    user,
    obj: M,
    *,
    expected_version: int,
    changes: dict[str, Any],
    roles: set[str] = visibility.WRITE_ROLES,
    verb: str | None = None,
) -> M:
    """Apply `changes` if nobody saved since `expected_version` was read; else raise Conflict."""
    model = type(obj)
    allowed = set(getattr(model, "EDITABLE_FIELDS", ()))
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    # Lock the row so two saves cannot both pass the version check.
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    new_level = changes.get("confidentiality", current.confidentiality)
    require_write(user, current.organisation_id, roles, current.confidentiality)
    require_write(user, current.organisation_id, roles, new_level)
    require_level(user, current.organisation_id, current.confidentiality, new_level)
    before = snapshot(current)
    if current.version != expected_version:
        raise stale_edit(user, current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    if snapshot(current) == before:
        # A form saved unchanged changes nothing: no new version, no audit event, in every language.
        return current
    _validate(current)
    current.version += 1
    current.save()
    after = snapshot(current)
    changed = {k for k in after if after[k] != before.get(k)}
    record_event(
        user,
        verb or f"{model._meta.model_name}.update",
        current,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return current


def _children(obj: models.Model) -> list[models.QuerySet]:
    """Records deleted and restored together with `obj`: the reverse relations its model names in
    SOFT_DELETE_CHILDREN (a child of a deleted parent would otherwise stay visible in lists and counts)."""
    out = []
    for name in getattr(type(obj), "SOFT_DELETE_CHILDREN", ()):
        relation = obj._meta.get_field(name)
        out.append(relation.related_model._default_manager.filter(**{relation.field.name: obj}))
    return out


def _deleted_parent(obj: models.Model) -> models.Model | None:
    """The deleted record `obj` was cascaded from, if any: a child must not come back without it."""
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.remote_field.get_accessor_name() in getattr(
            field.related_model, "SOFT_DELETE_CHILDREN", ()
        ):
            parent = getattr(obj, field.name)
            if parent is not None and parent.deleted_at is not None:
                return parent
    return None


def _mark_children(user, parent: models.Model, children: models.QuerySet, verb: str, deleted_at) -> None:
    rows = list(children)
    if not rows:
        return
    children.model._default_manager.filter(pk__in=[c.pk for c in rows]).update(deleted_at=deleted_at)
    # One event per child, in the child's own organisation, so every owner's audit log explains it.
    cause = {"deleted_with": f"{parent._meta.label_lower} {parent.pk}"}
    for child in rows:
        before, after = ({"deleted_at": None}, cause) if verb == "delete" else (cause, {"deleted_at": None})
        record_event(user, f"{child._meta.model_name}.{verb}", child, before=before, after=after)


@transaction.atomic
def soft_delete(user, obj: models.Model, *, roles: set[str] = visibility.REVIEW_ROLES) -> None:
    """Hide a record (and its SOFT_DELETE_CHILDREN) everywhere; a reviewer can restore it from the trash."""
    owner = visibility.owner_of(obj)  # a child record (VISIBILITY_VIA) is owned through its parent
    require_write(user, owner.organisation_id, roles, owner.confidentiality)
    live = [children.filter(deleted_at__isnull=True) for children in _children(obj)]
    if any(qs.exclude(organisation_id=owner.organisation_id).exists() for qs in live):
        # Never hide another organisation's records: they decide about their own.
        raise InvalidInput(
            _("Other organisations have records under this %(record)s: they must delete theirs first.")
            % {"record": obj._meta.verbose_name}
        )
    obj.deleted_at = timezone.now()
    obj.save(update_fields=["deleted_at"])
    record_event(user, f"{obj._meta.model_name}.delete", obj, before={"deleted_at": None})
    # Children get the parent's exact timestamp: restore() brings back these, not ones deleted earlier.
    for children in live:
        _mark_children(user, obj, children, "delete", obj.deleted_at)


@transaction.atomic
def restore(user, obj: models.Model) -> None:
    owner = visibility.owner_of(obj)
    require_write(user, owner.organisation_id, visibility.REVIEW_ROLES, owner.confidentiality)
    if obj.deleted_at is None:
        raise InvalidInput(_("This record is not deleted."))
    parent = _deleted_parent(obj)
    if parent is not None:
        raise InvalidInput(_("Restore the %(parent)s it belongs to first.") % {"parent": parent._meta.verbose_name})
    deleted_at = obj.deleted_at
    obj.deleted_at = None
    obj.save(update_fields=["deleted_at"])
    record_event(user, f"{obj._meta.model_name}.restore", obj, after={"deleted_at": None})
    for children in _children(obj):
        _mark_children(user, obj, children.filter(deleted_at=deleted_at), "restore", None)


@transaction.atomic
def purge(user, obj: models.Model) -> None:
    """Remove a soft-deleted record for good (administrators only); the audit event keeps what it was.

    Children deleted with it go too (each checked and audited); anything else still pointing at it
    makes the purge fail with a clear message instead of an error page.
    """
    owner = visibility.owner_of(obj)
    require_write(user, owner.organisation_id, {Role.ADMIN}, owner.confidentiality)
    if obj.deleted_at is None:
        raise InvalidInput(_("Delete the record before purging it."))
    for children in _children(obj):
        for child in children.filter(deleted_at=obj.deleted_at):
            purge(user, child)
    record_event(user, f"{obj._meta.model_name}.purge", obj, before=snapshot(obj))
    try:
        obj.delete()
    except ProtectedError:
        raise InvalidInput(_("Other records still belong to this one: delete them for good first."))


# --- Persons ---------------------------------------------------------------------------------------


def create_person(user, organisation: Organisation | int, **fields: Any) -> Person:
    if not str(fields.get("pseudonym", "")).strip():
        raise InvalidInput(_("A pseudonym is required."), field="pseudonym")
    return create_record(user, Person, organisation=organisation, **fields)


def update_person(user, person: Person, *, expected_version: int, changes: dict[str, Any]) -> Person:
    if not visibility.can_see_sensitive(user, person):
        touched = set(changes) & set(Person.SENSITIVE_FIELDS)
        if touched:
            raise Forbidden(_("Only members with restricted access can change identifying fields."))
    return update_record(user, person, expected_version=expected_version, changes=changes)


# --- Memberships -----------------------------------------------------------------------------------


@transaction.atomic
def add_member(actor, organisation: Organisation, user, role: str, *, restricted_access: bool = False) -> Membership:
    """Give a user a role in an organisation (organisation administrators, or a superuser via the CLI)."""
    if (
        actor is not None
        and not actor.is_superuser
        and organisation.pk not in visibility.org_ids(actor, roles={Role.ADMIN})
    ):
        raise Forbidden(_("Only administrators of this organisation can add members."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "restricted_access": restricted_access}
    )
    record_event(actor, "membership.set", membership, after={"role": role, "restricted_access": restricted_access})
    return membership
