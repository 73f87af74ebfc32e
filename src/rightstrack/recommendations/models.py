"""Mechanisms, reviews, recommendations, assessments, Views, national action plan items, recurring groups, imports."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import IccprArticle, Person, Record, Sdg, Theme, localized
from rightstrack.core.states import state_name

# --- Vocabularies (not confidential: loaded by a migration, the same for everyone) -------------------


class Mechanism(models.Model):
    class Kind(models.TextChoices):
        UPR = "upr", _("Universal Periodic Review")
        TREATY_BODY = "treaty_body", _("Treaty body")
        SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
        ODIHR = "odihr", _("OSCE/ODIHR")
        VIEWS = "views", _("Individual-complaint Views")
        NAP = "nap", _("National action plan")

    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    name_kk = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mechanism")

    def __str__(self) -> str:
        return localized(self, "name")


class State(models.Model):
    """A State (reviewed or recommending) and its UN regional group."""

    name = models.CharField(max_length=120, unique=True)
    regional_group = models.CharField(_("regional group"), max_length=20, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("State")

    def __str__(self) -> str:
        # Shown in the reader's language; filters, exports and imports keep using `name`.
        return state_name(self.name, get_language())


# --- Choices ----------------------------------------------------------------------------------------


class Response(models.TextChoices):
    SUPPORTED = "supported", _("supported")
    NOTED = "noted", _("noted")
    PARTLY = "partly", _("partly supported")
    NONE = "none", _("no response")


class Status(models.TextChoices):
    FULLY = "fully", _("fully implemented")
    PARTIALLY = "partially", _("partially implemented")
    NOT = "not", _("not implemented")
    NO_INFO = "no_info", _("no information")


class AssessorKind(models.TextChoices):
    STATE = "state", _("the State")
    NGO = "ngo", _("an NGO")
    COALITION = "coalition", _("a coalition")
    MECHANISM = "mechanism", _("the mechanism")


CIVIL_SOCIETY = (AssessorKind.NGO, AssessorKind.COALITION)

ACTION_CATEGORY_CHOICES = [
    (1, _("1 · minimal action")),
    (2, _("2 · continue an effort")),
    (3, _("3 · consider a change")),
    (4, _("4 · general action")),
    (5, _("5 · specific action")),
]


# --- Records ----------------------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    """Who made a recommendation: a UN (or other intergovernmental) review, or an organisation's document."""

    UN = "un", _("UN review or outcome")
    NGO_REPORT = "ngo_report", _("NGO report")
    NGO_STATEMENT = "ngo_statement", _("NGO statement")
    ODIHR_REPORT = "odihr_report", _("ODIHR report")
    OMBUDSMAN_REPORT = "ombudsman_report", _("Ombudsman report")
    OTHER = "other", _("other document")


class Review(Record):
    """The source of recommendations: a review of a State by a mechanism (a UPR cycle, a treaty body's
    concluding observations, a visit), or a document by an organisation (an NGO alternative report, an
    Ombudsman's report) whose recommendations must never be attributed to a UN body."""

    source_kind = models.CharField(
        _("kind of source"), max_length=20, choices=SourceKind.choices, default=SourceKind.UN, db_index=True
    )
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="reviews", null=True, blank=True)
    # The organisation that wrote a non-UN source (not the RightsTrack organisation owning the record).
    author = models.CharField(_("author organisation"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    document = models.ForeignKey(
        "evidence.SourceDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="reviews")
    cycle = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    session = models.CharField(_("session"), max_length=60, blank=True)
    symbol = models.CharField(_("outcome document symbol"), max_length=120, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=60, blank=True, help_text=_("e.g. en, ru"))
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("author", "title", "cycle", "session", "symbol", "date", "languages", "confidentiality")
    # Deleting a review hides its recommendations; restoring it brings back those deleted with it.
    SOFT_DELETE_CHILDREN = ("recommendations",)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(fields=["organisation", "mechanism", "state", "session"]),
            # The list page's review sorts: reviews in order, then their recommendations by id, without sorting.
            models.Index(fields=["date", "id"]),
            models.Index(fields=["state", "date", "id"]),
        ]
        constraints = [
            # A UN source names its mechanism; any other names its author: nothing is left unattributed.
            models.CheckConstraint(
                condition=(models.Q(source_kind="un") & models.Q(mechanism__isnull=False))
                | (~models.Q(source_kind="un") & ~models.Q(author="")),
                name="review_source_attributed",
            )
        ]

    def __str__(self) -> str:
        if not self.is_un:
            return " · ".join(p for p in (self.author, self.title or self.symbol, self.date_label) if p)
        parts = [str(self.mechanism), str(self.state)]
        if self.cycle:
            parts.append(str(_("cycle %(n)s") % {"n": self.cycle}))
        if self.symbol:
            parts.append(self.symbol)
        elif self.session:
            parts.append(str(_("session %(s)s") % {"s": self.session}))
        return " · ".join(parts)

    @property
    def is_un(self) -> bool:
        return self.source_kind == SourceKind.UN

    @property
    def date_label(self) -> str:
        return self.date.isoformat() if self.date else ""

    @property
    def made_by(self) -> str:
        """Who made the recommendations: the mechanism's name, or the author organisation (never a UN body)."""
        return str(self.mechanism) if self.is_un else self.author

    @property
    def badge(self) -> str:
        """A short label for lists in the reader's language: "UPR" · "УПО" · "ӘМШ", a mechanism's full name where
        the language has no established short form, or the kind of document."""
        from .vocabularies import MECHANISM_SHORT

        if not self.is_un:
            return str(self.get_source_kind_display())
        language = (get_language() or "en")[:2]
        if language == "en":
            return self.mechanism.code.upper()
        return MECHANISM_SHORT.get(language, {}).get(self.mechanism.code) or str(self.mechanism)


class Recommendation(Record):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    source_id = models.CharField(_("source id"), max_length=80, blank=True, help_text=_("id in the imported file"))
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True)
    upr_id = models.CharField(_("UPR ID"), max_length=40, blank=True, db_index=True)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="en")
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    recommending_states = models.ManyToManyField(State, blank=True, related_name="recommendations_made")
    response = models.CharField(_("response"), max_length=12, choices=Response.choices, default=Response.NONE)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    articles = models.ManyToManyField(IccprArticle, blank=True, related_name="+")
    sdgs = models.ManyToManyField(Sdg, blank=True, related_name="+")
    affected_groups = models.CharField(_("affected groups"), max_length=300, blank=True)
    action_category = models.PositiveSmallIntegerField(
        _("action category"),
        null=True,
        blank=True,
        choices=ACTION_CATEGORY_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    # Classifier output waits here until an analyst confirms it (then it becomes themes/action_category).
    suggested_themes = models.JSONField(default=list, blank=True, editable=False)
    suggested_action_category = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    classification_confirmed = models.BooleanField(default=False, editable=False)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = (
        "paragraph",
        "upr_id",
        "text",
        "language",
        "translations",
        "response",
        "affected_groups",
        "action_category",
        "confidentiality",
    )

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["organisation", "source_id"]),
            models.Index(fields=["review", "upr_id"]),
            # Covers the visibility filter, so counting visible rows reads the index, not the table.
            models.Index(fields=["confidentiality", "organisation", "deleted_at"]),
            # The list page's "response" sort.
            models.Index(fields=["response", "-id"]),
        ]

    def __str__(self) -> str:
        label = self.upr_id or self.paragraph or f"#{self.pk}"
        return f"{label}: {self.text[:80]}"


class Assessment(Record):
    """A dated judgement by an assessor of how far a recommendation is implemented, with citations."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="assessments")
    assessor_kind = models.CharField(_("assessor"), max_length=12, choices=AssessorKind.choices)
    assessor_name = models.CharField(_("assessor name"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("assessor_kind", "assessor_name", "date", "status", "rationale", "confidentiality")

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.get_assessor_kind_display()}, {self.date})"

    @property
    def is_civil_society(self) -> bool:
        return self.assessor_kind in CIVIL_SOCIETY


class ComplaintView(Record):
    """Views adopted by a treaty body on an individual communication, and whether the State implemented them."""

    class Implementation(models.TextChoices):
        IMPLEMENTED = "implemented", _("implemented")
        PARTIALLY = "partially", _("partially implemented")
        NOT = "not", _("not implemented")
        NO_INFO = "no_info", _("no information")

    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="views")
    communication_number = models.CharField(_("communication number"), max_length=60)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField(_("date adopted"), null=True, blank=True)
    articles = models.ManyToManyField(IccprArticle, blank=True, related_name="+")
    remedies = models.TextField(_("remedies"), blank=True)
    implementation = models.CharField(
        _("implementation"), max_length=12, choices=Implementation.choices, default=Implementation.NO_INFO
    )
    notes = models.TextField(_("notes"), blank=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("communication_number", "adopted_on", "remedies", "implementation", "notes", "confidentiality")

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        verbose_name = _("View")
        verbose_name_plural = _("Views")

    def __str__(self) -> str:
        return self.communication_number


class NapItem(Record):
    """An action in a national action plan, linked to the recommendations it answers."""

    plan = models.CharField(_("plan"), max_length=200)
    action = models.TextField(_("action"))
    responsible_body = models.CharField(_("responsible body"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    indicator = models.TextField(_("indicator"), blank=True)
    completion = models.PositiveSmallIntegerField(
        _("reported completion (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="nap_items")
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("plan", "action", "responsible_body", "deadline", "indicator", "completion", "confidentiality")

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")

    def __str__(self) -> str:
        return self.action[:80]


class RecurrenceGroup(Record):
    """Recommendations to one State that ask for the same thing across reviews (computed; analysts confirm)."""

    class GroupStatus(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONFIRMED = "confirmed", _("confirmed")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("label"), max_length=200)
    representative = models.TextField(_("representative text"))
    status = models.CharField(max_length=10, choices=GroupStatus.choices, default=GroupStatus.SUGGESTED)
    recommendations = models.ManyToManyField(Recommendation, related_name="recurrence_groups")

    EDITABLE_FIELDS = ("label", "status", "confidentiality")

    class Meta:
        ordering = ["state", "label", "pk"]
        verbose_name = _("recurring group")
        verbose_name_plural = _("recurring groups")

    def __str__(self) -> str:
        return self.label


class ImportJob(Record):
    """An upload waiting for confirmation, then a background import with progress."""

    class JobStatus(models.TextChoices):
        PREVIEW = "preview", _("waiting for confirmation")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    filename = models.CharField(max_length=255)
    fmt = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list, editable=False)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("import")

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else (100 if self.status == "done" else 0)
