"""Offline field capture: phones that keep answers, receipts that make a sync idempotent, quick incident notes.

A note is not an incident event: it waits, outside every statistic and report, until a documenter completes it
into an event (`actions.complete_note`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import Record


class Device(models.Model):
    """A browser where a user set an offline PIN. A wipe asked from the user's page is carried out (the local
    store deleted) the next time that browser talks to the server."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_devices")
    key = models.CharField(max_length=64)
    label = models.CharField(_("device"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_seen_at = models.DateTimeField(default=timezone.now)
    wipe_requested_at = models.DateTimeField(null=True, blank=True)
    wiped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_device_key_per_user")]

    def __str__(self) -> str:
        return self.label or self.key[:8]


class SyncReceipt(models.Model):
    """The server's answer to one synced item, kept so a replayed item is confirmed again, never applied twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=12)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="one_receipt_per_client_id")]

    def __str__(self) -> str:
        return self.client_id


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: to be completed")
    COMPLETED = "completed", _("Completed")


class FieldNote(Record):
    """A quick incident note taken in the field (possibly offline): what, when, where, who, consent."""

    what = models.TextField(_("what happened"))
    when = models.CharField(_("when"), max_length=200, blank=True)
    where = models.CharField(_("where"), max_length=300, blank=True)
    who = models.CharField(_("who (pseudonyms)"), max_length=500, blank=True)
    consent = models.CharField(_("consent"), max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    client_id = models.CharField(max_length=64, blank=True, editable=False)
    captured_at = models.DateTimeField(_("captured"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    event = models.ForeignKey(
        "incidents.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    EDITABLE_FIELDS = ("what", "when", "where", "who", "consent", "confidentiality")
    SENSITIVE_FIELDS = ("who",)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("field note")
        verbose_name_plural = _("field notes")

    def __str__(self) -> str:
        return self.what[:60]


class FieldAttachment(models.Model):
    """A file captured with a note. Its SHA-256 was computed on the phone and checked on arrival (chain of custody)."""

    VISIBILITY_VIA = "note"

    note = models.ForeignKey(FieldNote, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    captured_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["note", "pk"]

    def __str__(self) -> str:
        return self.filename


class ObservationPhoto(models.Model):
    """A photo of a document taken during a hearing (possibly offline), kept with the monitor's observation.
    Its SHA-256 was computed on the phone and checked on arrival, like a note's attachments."""

    VISIBILITY_VIA = "case"

    case = models.ForeignKey("trials.Case", on_delete=models.CASCADE, related_name="+", editable=False)
    observation = models.ForeignKey("trials.Observation", on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    captured_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observation", "pk"]

    def __str__(self) -> str:
        return self.filename
