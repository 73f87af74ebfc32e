"""Organisations, roles, persons, the audit log, vocabularies and the mixins every domain model uses."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Where a value has no Kazakh text yet, Russian (which Kazakh readers also read) comes before English.
FALLBACKS = {"kk": ("kk", "ru", "en"), "ru": ("ru", "en")}


def localized(obj: models.Model, field: str) -> str:
    """The `<field>_<language>` value for the active language, falling back (Kazakh to Russian) to English."""
    lang = (get_language() or "en")[:2]
    for code in FALLBACKS.get(lang, (lang, "en")):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return getattr(obj, f"{field}_en")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    MONITOR = "monitor", _("Monitor")
    VIEWER = "viewer", _("Viewer")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation; `restricted_access` is the right to see restricted data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    restricted_access = models.BooleanField(_("may see restricted data"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Confidential(models.Model):
    """Owned by an organisation, with a confidentiality level. Listed only through `core.visibility`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )

    class Meta:
        abstract = True


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """An edit states the version it read; `core.actions.update_record` refuses stale ones."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Record(Confidential, SoftDeletable, Versioned):
    """The usual combination for a sensitive, editable domain record."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    #: Fields shown only to members with restricted access to the owning organisation.
    SENSITIVE_FIELDS: tuple[str, ...] = ()
    #: Fields an edit form may change (and the audit log records).
    EDITABLE_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True


def name_key(value: str | None) -> str:
    """A name as compared for matching: Unicode-normalised, case-folded, single-spaced.

    Computed in Python because SQLite's LIKE/lower() fold only ASCII ("АЙГУЛЬ" ≠ "айгуль") and PostgreSQL's
    folding depends on the database locale; a stored key compares the same on every database.
    """
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


class NameKeyField(models.CharField):
    """A read-only `name_key` copy of another field, filled on every save and bulk insert."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = name_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Person(Record):
    """A victim, witness, defendant or defender. Everyone but restricted-access members sees the pseudonym."""

    pseudonym = models.CharField(_("pseudonym"), max_length=120)
    real_name = models.CharField(_("real name"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    address = models.TextField(_("exact address"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    is_hrd = models.BooleanField(_("human-rights defender"), default=False)
    is_lawyer = models.BooleanField(_("lawyer"), default=False)
    is_journalist = models.BooleanField(_("journalist"), default=False)
    is_activist = models.BooleanField(_("activist"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False, editable=False)
    # Matching keys for duplicate checks and searches; the real-name key is as sensitive as the real name and
    # is only queried where the user has restricted access.
    pseudonym_key = NameKeyField(max_length=120, source="pseudonym")
    real_name_key = NameKeyField(max_length=200, source="real_name")

    SENSITIVE_FIELDS = ("real_name", "birth_date", "contacts", "address")
    EDITABLE_FIELDS = (
        "pseudonym",
        "real_name",
        "birth_date",
        "contacts",
        "address",
        "sex",
        "occupation",
        "is_hrd",
        "is_lawyer",
        "is_journalist",
        "is_activist",
        "notes",
        "confidentiality",
    )

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["organisation", "pseudonym_key"], name="person_pseudonym_key"),
            models.Index(fields=["organisation", "real_name_key"], name="person_real_name_key"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            # A partial save of a name must refresh its key too.
            keys = {
                f.attname
                for f in self._meta.concrete_fields
                if isinstance(f, NameKeyField) and f.source in update_fields
            }
            kwargs["update_fields"] = {*update_fields, *keys}
        super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """Who did what to which record, with the values before and after. Written by actions only."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=60, db_index=True)
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    confidentiality = models.CharField(max_length=12, choices=Confidentiality.choices, blank=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    sensitive_fields = models.JSONField(default=list)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}#{self.object_id}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        key = "rt_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.hash(key)), key


# --- Vocabularies (loaded by migrations, editable by admins) -------------------------------------


class IccprArticle(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    title_en = models.CharField(max_length=200)
    title_ru = models.CharField(max_length=200)
    title_kk = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("ICCPR article")

    def __str__(self) -> str:
        return f"{self.number}. {localized(self, 'title')}"


class Sdg(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    title_en = models.CharField(max_length=200)
    title_ru = models.CharField(max_length=200)
    title_kk = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")

    def __str__(self) -> str:
        return f"{self.number}. {localized(self, 'title')}"


class Theme(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    name_kk = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("theme")

    def __str__(self) -> str:
        return localized(self, "name")


class Place(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        CITY = "city", _("City of republican significance")

    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    name_kk = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("place")

    def __str__(self) -> str:
        return localized(self, "name")


class Notification(models.Model):
    """An alert for one user (see `core.notifications.notify`); `about` is the record it concerns, if any.

    The record is remembered so the bell and the list can hide an alert whose record the user may no longer
    see (it became restricted or was deleted after the alert was sent).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=500, blank=True)
    about_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: Set for alerts that must come once (a deadline reminder): a second notify with the same key is skipped.
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from .notifications import KINDS

        return str(KINDS.get(self.kind, self.kind))


class NotificationSettings(models.Model):
    """Which alerts a user wants: kinds switched off, and whether to send email too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    muted_kinds = models.JSONField(default=list, blank=True)
    email = models.BooleanField(_("also by email"), default=True)

    def __str__(self) -> str:
        return f"alerts of {self.user}"
