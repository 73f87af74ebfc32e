"""Indicators and their data points (official vs NGO figures), State claims with their figures, and verdicts.

Visibility: indicators, data points and claims carry their own organisation and confidentiality; a data
point is listed only when its indicator is visible too (see queries.py). Claim figures, verdicts and
verdict evidence are children of a claim (`VISIBILITY_VIA`). Evidence a verdict cites is shown only where
the reader may see it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import IccprArticle, Record, Theme

from . import periods

MAX_TEXT = 5000


class Precision(models.TextChoices):
    YEAR = periods.YEAR, _("year")
    MONTH = periods.MONTH, _("months")
    DAY = periods.DAY, _("dates")


class PeriodFields(models.Model):
    """First day, last day and precision of the period a figure covers, with its canonical label."""

    period_label = models.CharField(_("period"), max_length=40)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    precision = models.CharField(_("precision"), max_length=8, choices=Precision.choices)

    class Meta:
        abstract = True

    @property
    def period(self) -> periods.Period:
        return periods.from_stored(self.period_start, self.period_end, self.precision)


class Indicator(Record):
    """Something counted over time: name, unit, how it is defined and how it may be broken down."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    definition = models.TextField(_("definition"), blank=True, max_length=MAX_TEXT)
    disaggregations = models.CharField(
        _("disaggregations"), max_length=300, blank=True, help_text=_("comma-separated, e.g. sex, region, age")
    )
    article = models.ForeignKey(
        IccprArticle, verbose_name=_("ICCPR article"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("topics"), blank=True, related_name="+")
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False, editable=False)

    EDITABLE_FIELDS = ("name", "unit", "definition", "disaggregations", "article", "confidentiality")

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def disaggregation_list(self) -> list[str]:
        return [d.strip() for d in self.disaggregations.split(",") if d.strip()]


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    NGO = "ngo", _("NGO")
    INTERNATIONAL = "international", _("International")
    MEDIA = "media", _("Media")


class DataPoint(PeriodFields, Record):
    """One figure of an indicator for a period, from one source. Never overwritten silently (see actions)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="points")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source_kind = models.CharField(_("source kind"), max_length=16, choices=SourceKind.choices)
    source_name = models.CharField(_("source"), max_length=300, blank=True, help_text=_("who published the figure"))
    disaggregation = models.CharField(
        _("breakdown"), max_length=120, blank=True, help_text=_("empty for the total, e.g. “women” or “Almaty”")
    )
    partial = models.BooleanField(_("partial period"), default=False, help_text=_("the data do not cover all of it"))
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_TEXT)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False, editable=False)

    EDITABLE_FIELDS = (
        "value",
        "source_kind",
        "source_name",
        "disaggregation",
        "partial",
        "notes",
        "period_label",
        "period_start",
        "period_end",
        "precision",
        "confidentiality",
    )
    #: Also searched when a verdict looks for evidence (see evidence_kinds.search).
    EVIDENCE_SEARCH = ("indicator__name",)

    class Meta:
        ordering = ["indicator", "period_start", "source_kind"]
        verbose_name = _("data point")
        verbose_name_plural = _("data points")
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value:g} ({self.period_label}, {self.get_source_kind_display()})"


class SpeakerKind(models.TextChoices):
    STATE = "state", _("State delegation")
    MINISTRY = "ministry", _("Ministry or State body")
    EXPERT = "expert", _("Committee expert")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class ForumKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue with a UN body")
    REPORT = "report", _("State report")
    PRESS = "press", _("Press or media")
    OTHER = "other", _("Other")


class Claim(Record):
    """What someone (usually the State) asserted, in the analyst's words, with the figures it contains."""

    speaker_kind = models.CharField(_("speaker"), max_length=10, choices=SpeakerKind.choices, default=SpeakerKind.STATE)
    speaker = models.CharField(_("speaker name or role"), max_length=300, blank=True)
    forum_kind = models.CharField(_("forum"), max_length=10, choices=ForumKind.choices, default=ForumKind.DIALOGUE)
    forum = models.CharField(_("forum details"), max_length=300, blank=True, help_text=_("e.g. CCPR, 140th session"))
    date = models.DateField(_("date"))
    text = models.TextField(_("claim"), max_length=MAX_TEXT)
    article = models.ForeignKey(
        IccprArticle, verbose_name=_("ICCPR article"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("topics"), blank=True, related_name="+")
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False, editable=False)

    EDITABLE_FIELDS = ("speaker_kind", "speaker", "forum_kind", "forum", "date", "text", "article", "confidentiality")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return self.text[:80]

    # Lists loaded by queries.claims() with Prefetch(to_attr=…): no per-claim queryset, which matters
    # for thousands of claims; without the prefetch they fall back to a query.
    def _loaded(self, attr: str, manager) -> list:
        cached = getattr(self, attr, None)
        return cached if cached is not None else list(manager.all())

    @property
    def topics(self) -> list[Theme]:
        return self._loaded("prefetched_themes", self.themes)

    @property
    def figure_list(self) -> list[ClaimFigure]:
        return self._loaded("prefetched_figures", self.figures)

    @property
    def verdict_list(self) -> list[Verdict]:
        return self._loaded("prefetched_verdicts", self.verdicts)


class ClaimFigure(PeriodFields):
    """A figure a claim contains: value, unit and period; linked to an indicator to compare with the evidence."""

    VISIBILITY_VIA = "claim"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="figures")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=60)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking of edits

    class Meta:
        ordering = ["claim", "period_start", "pk"]
        verbose_name = _("figure")

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit} ({self.period_label})"


class Rating(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    PARTLY = "partly", _("Partly supported")
    CONTRADICTED = "contradicted", _("Contradicted")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")


class Verdict(models.Model):
    """An analyst's judgement of a claim. Never edited: a new judgement is a new verdict, so history stays."""

    VISIBILITY_VIA = "claim"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.CharField(_("verdict"), max_length=14, choices=Rating.choices)
    rationale = models.TextField(_("rationale"), max_length=MAX_TEXT)
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.claim}"[:200]


class VerdictEvidence(models.Model):
    """A record a verdict rests on: a data point, a document, an incident, a trial record (see evidence_kinds).

    Read only through its verdict, and each target only where the reader may see it.
    """

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="evidence")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["verdict", "content_type", "object_id"], name="one_evidence_row_per_record")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id}"
