"""Trial monitoring: courts, cases, defendants, hearings, checklists, observations and their answers.

Findings are never stored: `findings.py` computes them from the answers that count (see `Answer.counted`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import Person, Place, Record, localized

# --- Courts, cases, defendants, hearings -----------------------------------------------------------


class Court(Record):
    name = models.CharField(_("name"), max_length=300)
    city = models.CharField(_("city"), max_length=120)
    region = models.ForeignKey(
        Place, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("name", "city", "region", "confidentiality")

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class CaseStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    TRIAL = "trial", _("At trial")
    APPEAL = "appeal", _("On appeal")
    CASSATION = "cassation", _("Cassation")
    CLOSED = "closed", _("Closed")


class Case(Record):
    number = models.CharField(_("case number"), max_length=100)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="cases")
    charges = models.CharField(
        _("charges"),
        max_length=500,
        blank=True,
        help_text=_("Criminal Code articles, separated by commas, e.g. 272(2), 293"),
    )
    context = models.CharField(_("context"), max_length=200, blank=True, help_text=_("e.g. January 2022 events"))
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.TRIAL)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = (
        "number",
        "court",
        "charges",
        "context",
        "status",
        "opened_on",
        "closed_on",
        "notes",
        "confidentiality",
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.number

    def charge_list(self) -> list[str]:
        return split_charges(self.charges)


def split_charges(text: str) -> list[str]:
    """Articles from a free-text list ("272(2), 293; 269") in the order given, without duplicates."""
    out: list[str] = []
    for part in text.replace(";", ",").split(","):
        article = " ".join(part.split())
        if article and article not in out:
            out.append(article[:60])
    return out


class CaseCharge(models.Model):
    """One Criminal Code article of a case: lets findings be broken down by charge in SQL."""

    VISIBILITY_VIA = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charge_rows")
    article = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "article"], name="one_row_per_case_charge")]

    def __str__(self) -> str:
        return self.article


class Custody(models.TextChoices):
    # The codes match the options of checklist indicator DET-4.
    CUSTODY = "custody", _("Held in custody")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    OTHER_MEASURE = "other_measure", _("Another measure without deprivation of liberty")
    NO_MEASURE = "no_measure", _("No preventive measure")
    UNKNOWN = "unknown", _("Unknown")


class Defendant(models.Model):
    """A person tried in a case. Pages show the person's pseudonym only where the person is visible."""

    VISIBILITY_VIA = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="defendants")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    charges = models.CharField(_("charges"), max_length=500, blank=True)
    custody = models.CharField(_("custody status"), max_length=20, choices=Custody.choices, default=Custody.UNKNOWN)
    counsel = models.CharField(_("counsel"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking of edits

    EDITABLE_FIELDS = ("charges", "custody", "counsel")

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("defendant")
        verbose_name_plural = _("defendants")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="one_defendant_per_person_and_case")]

    def __str__(self) -> str:
        return f"{self.case} #{self.position}"


class HearingKind(models.TextChoices):
    # The codes match the options of checklist indicator GEN-1.
    PRELIMINARY = "preliminary", _("Preliminary hearing")
    TRIAL = "trial", _("Trial on the merits")
    VERDICT = "verdict", _("Pronouncement of the verdict")
    DETENTION_REVIEW = "detention_review", _("Decision on a preventive measure")
    APPEAL = "appeal", _("Appeal hearing")
    CASSATION = "cassation", _("Cassation hearing")
    OTHER = "other_stage", _("Other")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")


class Hearing(models.Model):
    VISIBILITY_VIA = "case"

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="hearings")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    courtroom = models.CharField(_("courtroom"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=HearingKind.choices, default=HearingKind.TRIAL)
    status = models.CharField(
        _("status"), max_length=12, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    EDITABLE_FIELDS = ("date", "start_time", "end_time", "courtroom", "kind", "status", "notes")

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.date:%Y-%m-%d}"


class Assignment(models.Model):
    """A monitor sent to a hearing; only assigned monitors may fill a checklist for it."""

    VISIBILITY_VIA = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", editable=False)
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="assignments")
    monitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trial_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hearing", "monitor"], name="one_assignment_per_monitor")]

    def __str__(self) -> str:
        return f"{self.monitor} → {self.hearing}"


# --- Checklists ------------------------------------------------------------------------------------


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Checklist(models.Model):
    """One version of a checklist, loaded from YAML. Frozen once any observation uses it."""

    key = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT)
    title_en = models.CharField(max_length=300)
    title_ru = models.CharField(max_length=300, blank=True)
    title_kk = models.CharField(max_length=300, blank=True)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mapping = models.JSONField(default=list, blank=True)
    derived = models.JSONField(default=list, blank=True)
    method = models.JSONField(default=dict, blank=True)
    source_yaml = models.TextField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("checklist")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="one_checklist_version")]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    def in_use(self) -> bool:
        return Observation.objects.filter(checklist=self).exists()


class IndicatorGroup(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=20)
    title_en = models.CharField(max_length=300)
    title_ru = models.CharField(max_length=300, blank=True)
    title_kk = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="one_group_code_per_checklist")]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return localized(self, "title")


class Scope(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    CASE = "case", _("Case")
    DEFENDANT = "defendant", _("Defendant")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no_not_observed_na", _("Yes / no")
    COUNT = "count", _("Count")
    DURATION = "duration_minutes", _("Minutes")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")


class Indicator(models.Model):
    """A question of one checklist version. `series` is shared by the same question across versions."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=20)
    series = models.CharField(max_length=40, db_index=True)
    position = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=10, choices=Scope.choices)
    repeat = models.CharField(max_length=12, default="per_hearing")
    type = models.CharField(max_length=30, choices=AnswerType.choices)
    options = models.JSONField(default=list, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    question_en = models.TextField()
    question_ru = models.TextField(blank=True)
    question_kk = models.TextField(blank=True)
    guidance_en = models.TextField(blank=True)
    applies_if = models.CharField(max_length=200, blank=True)
    constraint = models.CharField(max_length=200, blank=True)
    negative_when = models.JSONField(null=True, blank=True)
    severity = models.CharField(max_length=20, blank=True)
    refs = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="one_indicator_code_per_checklist")]

    def __str__(self) -> str:
        return self.code

    @property
    def question(self) -> str:
        return localized(self, "question")

    def option_label(self, code: str) -> str:
        for option in self.options:
            if option.get("code") == code:
                return option_text(option)
        return code

    @property
    def negative_values(self) -> list[str]:
        """The answers that signal a concern ([] for context indicators)."""
        if self.negative_when is None:
            return []
        return list(self.negative_when) if isinstance(self.negative_when, list) else [str(self.negative_when)]


def option_text(option: dict, language: str | None = None) -> str:
    """A checklist option's label in `language` (the active one by default), Kazakh falling back to Russian."""
    from rightstrack.core.models import FALLBACKS

    language = language or localized_lang()
    for code in FALLBACKS.get(language, (language, "en")):
        if option.get(code):
            return option[code]
    return option.get("en") or option["code"]


def localized_lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "en")[:2]


# --- Observations and answers ----------------------------------------------------------------------


class ObservationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    REVIEWED = "reviewed", _("Reviewed")


class Observation(models.Model):
    """One monitor's checklist for one hearing."""

    VISIBILITY_VIA = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", editable=False)
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="observations")
    monitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trial_observations")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="observations")
    status = models.CharField(max_length=10, choices=ObservationStatus.choices, default=ObservationStatus.DRAFT)
    defendants_present = models.ManyToManyField(Defendant, blank=True, related_name="+")
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [models.UniqueConstraint(fields=["hearing", "monitor"], name="one_observation_per_monitor")]

    def __str__(self) -> str:
        return f"{self.hearing} / {self.monitor}"

    @property
    def editable(self) -> bool:
        return self.status in (ObservationStatus.DRAFT, ObservationStatus.RETURNED)


MISSING = ("not_observed", "not_applicable")


class Answer(models.Model):
    """One answer of an observation. `case`, `court`, `hearing`, `hearing_date` and `month` are copied from the
    observation so findings group in one pass over an index of this table, without joins (the copies are kept
    in step by `actions.update_hearing` and `actions.update_case`)."""

    VISIBILITY_VIA = "case"

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    defendant = models.ForeignKey(Defendant, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    hearing_date = models.DateField()
    month = models.CharField(max_length=7)  # "YYYY-MM" of hearing_date: the period breakdown groups on it
    #: The code for yes/no and choice answers, the digits for numbers, "" for text; or not_observed/not_applicable.
    value = models.CharField(max_length=64)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    note = models.TextField(blank=True)
    #: Set by the tool when an `applies_if` condition is false.
    auto = models.BooleanField(default=False)
    #: The answer that counts for its unit: set when the observation is accepted; a later accepted answer for
    #: the same unit (hearing, case or defendant) takes over.
    counted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "indicator"],
                condition=models.Q(defendant__isnull=True),
                name="one_answer_per_indicator",
            ),
            models.UniqueConstraint(
                fields=["observation", "indicator", "defendant"],
                condition=models.Q(defendant__isnull=False),
                name="one_answer_per_indicator_and_defendant",
            ),
        ]
        indexes = [
            # Covers the findings GROUP BY (indicator × court × month × value, visibility by case): the database
            # walks this index in group order and never reads the table rows nor sorts.
            models.Index(
                fields=["indicator", "court", "month", "value", "case", "counted"], name="trials_answer_findings"
            ),
            models.Index(fields=["hearing", "indicator"], name="trials_answer_hearing"),
            models.Index(fields=["defendant", "indicator"], name="trials_answer_defendant"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"
