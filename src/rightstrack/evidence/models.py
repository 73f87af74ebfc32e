"""Source documents, their numbered passages, and citations from any record to a passage."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import Record


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    HTML = "html", "HTML"
    TXT = "txt", _("Plain text")
    MD = "md", "Markdown"


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for text extraction")
    READY = "ready", _("Text extracted")
    FAILED = "failed", _("Text extraction failed")


class SourceDocument(Record):
    title = models.CharField(_("title"), max_length=500)
    document_date = models.DateField(_("date"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    kind = models.CharField(max_length=8, choices=DocumentKind.choices, editable=False)
    original_filename = models.CharField(max_length=255, editable=False)
    text_status = models.CharField(max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING)
    text_error = models.CharField(max_length=500, blank=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("title", "document_date", "publisher", "language", "symbol", "confidentiality")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = [models.UniqueConstraint(fields=["organisation", "sha256"], name="one_document_per_file_per_org")]

    def __str__(self) -> str:
        return self.title


class Passage(models.Model):
    """A numbered piece of a document's text: what citations point at."""

    VISIBILITY_VIA = "document"

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveIntegerField()
    label = models.CharField(_("label"), max_length=20, blank=True, help_text=_("numbering in the source"))
    text = models.TextField()
    section = models.CharField(max_length=300, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_heading = models.BooleanField(_("heading"), default=False)
    # How the reader found ``label``: 'own_line', 'inline' (split out of run-on text) or 'layout'
    # (set apart in a PDF's margin); shown to reviewers, who check the doubtful ones.
    label_source = models.CharField(_("how the number was found"), max_length=10, blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_passage_number_per_doc")]

    def __str__(self) -> str:
        from .citing import citation_text  # the one way a passage is named ("symbol, para. 27")

        return citation_text(self)


class Citation(models.Model):
    """Any record citing a passage. Visible only where both the record and the passage are visible."""

    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    quote = models.TextField(blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["passage", "content_type", "object_id"], name="one_citation_per_passage_and_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} → {self.passage}"
