from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.forms import DateInput
from rightstrack.evidence.forms import UploadForm

from .actions import SPEAKERS
from .models import SuggestionKind


class IngestUploadForm(UploadForm):
    """The evidence upload form; the file is read in the background afterwards."""


class SuggestionEditForm(forms.Form):
    """The fields a reviewer may change, depending on the suggestion's kind (see actions.EDITABLE)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, suggestion, **kwargs):
        kwargs.setdefault("auto_id", f"s{suggestion.pk}-%s")  # several edit forms can share a page
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        kind = suggestion.kind
        if kind == SuggestionKind.RECOMMENDATION:
            self.fields["text"] = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
            self.fields["section"] = forms.CharField(label=_("Section"), required=False, max_length=300)
            self.fields["article"] = forms.CharField(label=_("ICCPR article"), required=False, max_length=20)
        elif kind == SuggestionKind.UPR_ID:
            self.fields["upr_id"] = forms.CharField(label=_("UPR recommendation ID"), max_length=10)
        elif kind == SuggestionKind.SYMBOL:
            self.fields["symbol"] = forms.CharField(label=_("Document symbol"), max_length=120)
        elif kind in (SuggestionKind.FIGURE, SuggestionKind.CLAIM):
            self.fields["value"] = forms.CharField(label=_("Value"), max_length=40)
            self.fields["unit"] = forms.CharField(label=_("Unit"), required=False, max_length=60)
            self.fields["text"] = forms.CharField(label=_("Sentence"), widget=forms.Textarea(attrs={"rows": 3}))
            # Not required here: the action says what a period must be, at this field.
            self.fields["period"] = forms.CharField(
                label=_("Period"),
                required=False,
                max_length=60,
                help_text=_("2024, Jan–Oct 2024, 2024-01..2024-10, Q1 2024 or 2024-03-01..2024-06-30"),
            )
            if kind == SuggestionKind.CLAIM:
                self.fields["date"] = forms.DateField(
                    label=_("Said on"),
                    required=False,
                    widget=DateInput(),
                    help_text=_("The day of the meeting; empty: the document's date."),
                )
                labels = {
                    "state": _("The State (delegation, State report)"),
                    "ngo": _("Civil society (NGO)"),
                    "body": _("A UN body (committee, council)"),
                    "expert": _("An individual expert or rapporteur"),
                }
                self.fields["speaker"] = forms.ChoiceField(
                    label=_("Said by"), choices=[(s, labels[s]) for s in SPEAKERS]
                )
        elif kind == SuggestionKind.DATE:
            self.fields["date"] = forms.CharField(label=_("Date (2022-01-05, 2022-01 or 2022)"), max_length=10)
        if not self.is_bound:
            self.initial = self.shown(suggestion)

    def shown(self, suggestion) -> dict:
        """What the form shows before any edit: the suggestion's values, the period as text."""
        data = suggestion.data or {}
        shown = {"version": suggestion.version}
        for name in self.fields:
            if name == "period":
                shown[name] = suggestion.period_text
            elif name == "date" and suggestion.kind == SuggestionKind.CLAIM:
                shown[name] = data.get("date") or suggestion.document.document_date or ""
            elif name == "speaker" and data.get(name) in ("committee", "chair"):
                shown[name] = "expert"  # sides of suggestions read before NGOs and UN bodies were told apart
            elif name in data:
                shown[name] = "" if data[name] is None else data[name]
        return shown

    def edits(self) -> dict:
        """The submitted values (validated by the action, which owns the rules)."""
        out = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if "date" in out and self.suggestion.kind == SuggestionKind.CLAIM:
            # The document's date shown as the default is not an edit of the claim.
            default = self.suggestion.document.document_date
            out["date"] = "" if out["date"] in (None, default) else out["date"].isoformat()
        return out


class DocumentDateForm(forms.Form):
    """The document's (or meeting's) date, confirmed or corrected on the review screen."""

    document_date = forms.CharField(
        label=_("Date of the document or meeting"),
        required=False,
        max_length=10,
        widget=DateInput(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
