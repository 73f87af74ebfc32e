"""Report definitions, their editable blocks, and publications on the public portal."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import Organisation, Record


class ReportKind(models.TextChoices):
    SHADOW_ICCPR = "shadow-iccpr", _("Alternative report to the Human Rights Committee (by ICCPR article)")
    UPR = "upr-submission", _("UPR stakeholder submission")
    TRIAL = "trial", _("Trial-monitoring report")
    STATEMENT = "statement", _("Public statement about a case")


class ReportLanguage(models.TextChoices):
    EN = "en", "English"
    RU = "ru", "Русский"
    KK = "kk", "Қазақша"


class BuildStatus(models.TextChoices):
    DRAFT = "draft", _("not built yet")
    QUEUED = "queued", _("waiting to be built")
    BUILDING = "building", _("being built")
    READY = "ready", _("built")
    FAILED = "failed", _("build failed")


#: States a report can be about: ISO code → (English name, Russian name). The English name matches
#: `recommendations.State.name`; other languages take CLDR's name (`state_title`).
STATES = {
    "KZ": ("Kazakhstan", "Казахстан"),
    "KG": ("Kyrgyzstan", "Кыргызстан"),
    "UZ": ("Uzbekistan", "Узбекистан"),
    "TJ": ("Tajikistan", "Таджикистан"),
    "TM": ("Turkmenistan", "Туркменистан"),
}


def state_title(code: str, language: str) -> str:
    """A report State's name in `language`: our Russian spelling (Кыргызстан, not CLDR's Киргизия), CLDR's otherwise."""
    from rightstrack.core.states import state_name

    english, russian = STATES.get(code, (code, code))
    language = language.split("-")[0].lower()
    return russian if language == "ru" else state_name(english, language)


#: Word limits of the bodies a report goes to (OHCHR guidance for civil-society submissions).
WORD_LIMITS = {
    ReportKind.SHADOW_ICCPR: 10700,
    ReportKind.UPR: 5630,  # joint submission; an individual stakeholder has 2,815
    ReportKind.STATEMENT: 1000,
}

#: Filter keys a definition may carry, and their type. Anything else is refused ("unknown field").
FILTER_FIELDS: dict[str, type] = {
    "articles": list,  # ICCPR article numbers
    "themes": list,  # theme codes
    "case": int,  # trials.Case pk (trial report, statement)
    "place": str,
    "facts": str,  # statement: what happened, in the organisations' words
    "demands": str,  # statement: what the organisations call for
    "public_only": bool,  # a public edition: read public records only, whoever builds it
}


class ReportDefinition(Record):
    """What to build: type, State, period, filters, language and whose records."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=ReportKind.choices)
    state = models.CharField(_("State"), max_length=2, choices=[(k, v[0]) for k, v in STATES.items()], default="KZ")
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices, default="en")
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("Whose records go into the report (besides public records). Empty: the owner only."),
    )
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    # The outline of the built document: [{"key", "title", "level"}], in order.
    outline = models.JSONField(default=list, editable=False)
    document_meta = models.JSONField(default=dict, editable=False)  # subtitle, authors, date of the last build
    build_status = models.CharField(max_length=10, choices=BuildStatus.choices, default=BuildStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0, editable=False)
    progress_note = models.CharField(max_length=200, blank=True, editable=False)
    build_error = models.CharField(max_length=500, blank=True, editable=False)
    built_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the last regeneration changed: [{"change": added|updated|removed|kept-edit|stale, "key", "before", "after"}]
    last_changes = models.JSONField(default=list, editable=False)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("title", "period_start", "period_end", "filters", "language", "word_limit", "confidentiality")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        """The State's name in the reader's interface language (the stored choices are English)."""
        from django.utils.translation import get_language

        return state_title(self.state, get_language() or "en")

    @property
    def effective_word_limit(self) -> int | None:
        return self.word_limit or WORD_LIMITS.get(self.kind)


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("paragraph")
    TABLE = "table", _("table")
    FIGURE = "figure", _("figure")


class ReportBlock(models.Model):
    """One paragraph, table or figure of a built report. Analysts edit paragraphs; tables and figures follow the data.

    `key` is the generator's stable id, so a regeneration finds the block again and keeps a manual edit.
    Free paragraphs written by analysts have keys starting with "free-" and no generated text.
    """

    VISIBILITY_VIA = "report"

    report = models.ForeignKey(ReportDefinition, on_delete=models.CASCADE, related_name="blocks")
    section_key = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=BlockKind.choices, default=BlockKind.PARAGRAPH)
    text = models.TextField(_("text"), blank=True)
    generated_text = models.TextField(blank=True, editable=False)
    edited = models.BooleanField(default=False, editable=False)  # text differs from what the data said
    stale = models.BooleanField(default=False, editable=False)  # its data disappeared; kept because it was edited
    numbered = models.BooleanField(default=True)
    style = models.CharField(max_length=20, blank=True)
    footnotes = models.JSONField(default=list, blank=True)  # [{"text", "url", "passage_id"}]
    data = models.JSONField(default=dict, blank=True)  # table headers/rows, or the chart (title, alt, svg, png, rows)
    sources = models.JSONField(default=list, blank=True)  # [["app.Model", pk], …] records this block states facts from
    # Who may read this block: the highest confidentiality and the organisations of its sources when it was built
    # ({"level", "internal": [org ids], "restricted": [org ids]}, see visibility.access_of). An edited block keeps
    # the access of everything it was generated from; readers without it see a "withheld" note instead.
    access = models.JSONField(default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    EDITABLE_FIELDS = ("text",)

    class Meta:
        ordering = ["report", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="one_block_per_key_per_report")]
        verbose_name = _("report paragraph")

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"

    @property
    def is_free(self) -> bool:
        return self.key.startswith("free-")


class Publication(Record):
    """The frozen, checked copy of a report shown on the public portal. Always public; withdrawing soft-deletes it."""

    report = models.OneToOneField(ReportDefinition, on_delete=models.PROTECT, related_name="publication")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    language = models.CharField(max_length=2, choices=ReportLanguage.choices)
    summary = models.TextField(blank=True)
    document = models.JSONField(default=dict)  # the serialised Document
    search_text = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(default=timezone.now)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("title", "summary", "confidentiality")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title
