from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.errors import InvalidInput, NotFound
from rightstrack.core.forms import DateInput, OrganisationChoiceMixin, limit_confidentiality
from rightstrack.core.models import Confidentiality

from . import citing
from .models import SourceDocument


class UploadForm(OrganisationChoiceMixin, forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX, HTML, TXT, Markdown)"))
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    document_date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", "—"), ("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")],
    )
    symbol = forms.CharField(label=_("Document symbol"), max_length=120, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.INTERNAL
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_field(user)
        limit_confidentiality(self, user)
        self.order_fields(["file", "organisation"])


class DocumentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SourceDocument
        fields = list(SourceDocument.EDITABLE_FIELDS)
        widgets = {"document_date": DateInput()}


# --- Citing passages -------------------------------------------------------------------------------


class CitationRows(list):
    """(document id, label) pairs posted by the citation picker; ``check`` when the user asked to see them first."""

    check = False


class CitationsWidget(forms.Widget):
    """Rows of *document + paragraph label*, each with the passage's text shown under it.

    Posts ``<name>_document`` and ``<name>_label`` once per row. With JavaScript the text appears as
    the user types (HTMX, ``passage_preview``); without, the "Show the passages" button re-renders the
    form with them. A blank row is always offered for one more citation.
    """

    template_name = "evidence/widgets/citations.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.user = None
        self.max_count: int | None = None
        self.results: list[tuple[citing.Passage | None, str]] = []

    def value_from_datadict(self, data, files, name):
        documents = data.getlist(f"{name}_document") if hasattr(data, "getlist") else [data.get(f"{name}_document")]
        labels = data.getlist(f"{name}_label") if hasattr(data, "getlist") else [data.get(f"{name}_label")]
        rows = CitationRows()
        for index in range(max(len(documents), len(labels))):
            document = (documents[index] if index < len(documents) else "") or ""
            label = (labels[index] if index < len(labels) else "") or ""
            if document.strip() or label.strip():
                rows.append((document.strip(), label.strip()))
        rows.check = f"{name}_check" in data
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False

    def id_for_label(self, id_):
        return f"{id_}_label_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = []
        for index, item in enumerate(value or []):
            if isinstance(item, citing.Passage):
                rows.append({"document": str(item.document_id), "label": citing.typed_reference(item), "passage": item})
                continue
            document, label = item
            passage, error = self.results[index] if index < len(self.results) else (None, "")
            rows.append({"document": document, "label": label, "passage": passage, "error": error})
        if self.max_count is None or len(rows) < self.max_count:
            rows.append({"document": "", "label": "", "passage": None, "error": ""})
        documents = citing.visible_documents(self.user) if self.user is not None else []
        context["widget"].update(
            {
                "rows": rows,
                "documents": [(str(d.pk), _document_option(d)) for d in documents],
                "single": self.max_count == 1,
            }
        )
        return context

    def format_value(self, value):
        return value


def _document_option(document: SourceDocument) -> str:
    name = citing.document_name(document)
    if document.symbol and document.title and document.title != document.symbol:
        name = f"{document.symbol} — {document.title}"
    name = name if len(name) <= 120 else name[:119] + "…"
    return f"{name} ({document.document_date:%Y-%m-%d})" if document.document_date else name


class CitationsField(forms.Field):
    """Passages cited as *document + the document's own paragraph label*; cleans to a list of Passage.

    Call ``bind(user)`` in the form's ``__init__``: the documents offered and the resolution are the
    user's. Every row that does not resolve is an error at the field, so nothing is saved.
    """

    widget = CitationsWidget
    default_error_messages = {
        "check": _("Not saved yet: check the passages shown below, then save."),
    }

    def __init__(self, *, max_count: int | None = None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Choose a document, then type the paragraph as the document numbers it: 27, ¶27, para. 12, p. 4."),
        )
        super().__init__(**kwargs)
        self.user = None
        self.max_count = max_count
        self.widget.max_count = max_count

    def bind(self, user) -> None:
        self.user = user
        self.widget.user = user

    def clean(self, value):
        rows = value if isinstance(value, list) else []
        if self.required and not rows:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        limit = self.max_count or citing.MAX_CITATIONS
        if len(rows) > limit:
            message = (
                _("Cite one passage here.")
                if limit == 1
                else _("At most %(n)s passages can be cited at once.") % {"n": limit}
            )
            raise forms.ValidationError(message, code="too_many")
        results: list[tuple[citing.Passage | None, str]] = []
        errors, passages = [], []
        for document, label in rows:
            try:
                if not document:
                    raise InvalidInput(_("Choose the document of paragraph %(label)s.") % {"label": label})
                passage = citing.resolve_passage(self.user, document, label)
            except NotFound:
                message = str(_("Choose a document from the list."))
                results.append((None, message))
                errors.append(message)
            except InvalidInput as exc:
                results.append((None, exc.message))
                errors.append(exc.message)
            else:
                results.append((passage, ""))
                if passage.pk not in {p.pk for p in passages}:
                    passages.append(passage)
        self.widget.results = results
        if errors:
            raise forms.ValidationError(errors)
        if getattr(value, "check", False):
            raise forms.ValidationError(self.error_messages["check"], code="check")
        return passages


class CitingFormMixin:
    """Binds every CitationsField of the form to the user (call ``bind_citations(user)`` in ``__init__``)."""

    def bind_citations(self, user) -> None:
        for field in self.fields.values():
            if isinstance(field, CitationsField):
                field.bind(user)


class CitePassageForm(forms.Form):
    """One passage by document + paragraph label, for pages that quote a single passage beside their own form."""

    passage = CitationsField(label=_("Document and paragraph"), max_count=1)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "cite")
        super().__init__(*args, **kwargs)
        self.fields["passage"].bind(user)
