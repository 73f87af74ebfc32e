from django import forms
from django.utils.translation import gettext_lazy as _

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
        kind, data = suggestion.kind, suggestion.data
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
            if kind == SuggestionKind.CLAIM:
                labels = {"state": _("State delegation"), "committee": _("Committee member"), "chair": _("Chair")}
                self.fields["speaker"] = forms.ChoiceField(
                    label=_("Said by"), choices=[(s, labels[s]) for s in SPEAKERS]
                )
        elif kind == SuggestionKind.DATE:
            self.fields["date"] = forms.CharField(label=_("Date (2022-01-05, 2022-01 or 2022)"), max_length=10)
        if not self.is_bound:
            self.initial = {"version": suggestion.version, **{k: data.get(k, "") for k in self.fields if k in data}}

    def edits(self) -> dict:
        """The submitted values (validated by the action, which owns the rules)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
