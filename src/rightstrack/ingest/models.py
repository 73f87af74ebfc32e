"""Ingestion runs (a background reading of one document) and the suggestions a person reviews.

Both take their organisation and confidentiality from the document (``VISIBILITY_VIA``), so whoever
cannot see a document sees neither its runs nor its suggestions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rightstrack.evidence.models import Passage, SourceDocument

from . import acceptors


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Reading the document")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: A document has at most one run in these states: re-ingesting the same file duplicates nothing.
LIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.DONE)


class IngestionRun(models.Model):
    VISIBILITY_VIA = "document"

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="ingestion_runs")
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(max_length=40, blank=True)  # what the job is doing now, for the progress bar
    message = models.CharField(_("message"), max_length=500, blank=True)  # the pipeline's own words on failure
    error_code = models.CharField(max_length=40, blank=True)  # the IngestError class, translated on display
    stage_versions = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # suggestions per kind
    pages = models.PositiveIntegerField(null=True, blank=True)
    # The document's (or its meeting's) date as found in the text, shown on the review screen for a
    # person to confirm; the confirmed date itself is the document's ``document_date``.
    found_date = models.DateField(_("date found in the text"), null=True, blank=True)
    found_date_kind = models.CharField(max_length=10, blank=True)  # "meeting" or "document"
    found_date_text = models.CharField(max_length=300, blank=True)
    date_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ingestion run")
        verbose_name_plural = _("ingestion runs")
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="one_live_ingestion_run_per_document",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="ingestion_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    def user_message(self) -> str:
        """Why the run failed, in the reader's language."""
        from .errors import user_message

        return user_message(self.error_code, self.message) if self.error_code else self.message


class SuggestionKind(models.TextChoices):
    RECOMMENDATION = acceptors.RECOMMENDATION, _("Recommendations")
    UPR_ID = acceptors.UPR_ID, _("UPR recommendation IDs")
    SYMBOL = acceptors.SYMBOL, _("UN document symbols")
    FIGURE = acceptors.FIGURE, _("Figures")
    CLAIM = acceptors.CLAIM, _("Claims (figures with a speaker)")
    DATE = acceptors.DATE, _("Dates")


#: The detector's qualifiers of a figure (detect.figures), as shown to a reviewer.
QUALIFIERS = {
    "about": pgettext_lazy("figure qualifier", "about"),
    "over": pgettext_lazy("figure qualifier", "over"),
    "at least": pgettext_lazy("figure qualifier", "at least"),
    "up to": pgettext_lazy("figure qualifier", "up to"),
    "under": pgettext_lazy("figure qualifier", "under"),
    "nearly": pgettext_lazy("figure qualifier", "nearly"),
}


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    EDITED = "edited", _("Edited and accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """Something the pipeline proposes from one passage; a person accepts, edits or rejects it."""

    VISIBILITY_VIA = "document"

    run = models.ForeignKey(IngestionRun, on_delete=models.CASCADE, related_name="suggestions")
    # The document again (it is the run's): visibility filters need the owner one step away.
    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="+")
    # Order within its kind: as in the document; figures and claims most certain first (see ``confidence``).
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=SuggestionKind.choices)
    key = models.CharField(max_length=64)  # what makes it unique within the run (hash of kind and data)
    data = models.JSONField(default=dict)
    proposed = models.JSONField(default=dict)  # what the pipeline proposed, kept when a reviewer edits
    passage = models.ForeignKey(Passage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    stage = models.CharField(max_length=40)  # the pipeline stage that produced it
    stage_version = models.CharField(max_length=40)
    # The detector's certainty (0..1) that a figure is a real statistic; None for other kinds.
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    record_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    # Not stored: set on the cards of a review screen re-rendered after a refused accept (views._review_page).
    refusal = ""
    fix_form = None
    fix_target = False

    class Meta:
        ordering = ["run", "kind", "position", "pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="one_suggestion_per_key_per_run")]
        indexes = [models.Index(fields=["run", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary()[:80]}"

    def summary(self) -> str:
        """One line saying what is suggested."""
        d = self.data or {}
        if self.kind in (SuggestionKind.FIGURE, SuggestionKind.CLAIM):
            return " ".join(str(x) for x in (d.get("value"), d.get("unit") or "") if x not in (None, "")).strip()
        if self.kind == SuggestionKind.UPR_ID:
            return str(d.get("upr_id", ""))
        if self.kind == SuggestionKind.SYMBOL:
            return str(d.get("symbol", ""))
        if self.kind == SuggestionKind.DATE:
            return str(d.get("date", ""))
        return str(d.get("text", ""))

    @property
    def period_text(self) -> str:
        """The figure's period as a person would type it ("2024", "2024-01..2024-10"), or ""."""
        period = (self.data or {}).get("period")
        if isinstance(period, str):
            return period
        if not isinstance(period, dict) or not period.get("start"):
            return ""
        start, end = str(period["start"]), str(period.get("end") or "")
        return start if not end or end == start else f"{start}..{end}"

    @property
    def period_inferred(self) -> bool:
        """The period was not written beside the figure: it is the document's year, to be confirmed."""
        period = (self.data or {}).get("period")
        return isinstance(period, dict) and period.get("basis") == "document"

    @property
    def confidence_percent(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 100)

    @property
    def qualifier_display(self) -> str:
        """The figure's qualifier ("about", "at least" ...) in the reader's language."""
        return str(QUALIFIERS.get(str((self.data or {}).get("qualifier") or ""), ""))

    @property
    def reviewed(self) -> bool:
        return self.status != SuggestionStatus.PENDING
