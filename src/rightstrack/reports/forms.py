"""Forms: parse what people type; rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.forms import DateInput, limit_confidentiality
from rightstrack.core.models import Confidentiality

from .models import STATES, ReportDefinition, ReportKind, ReportLanguage


def _org_choices(user, roles=None) -> list[tuple[int, str]]:
    return [
        (m.organisation_id, m.organisation.name)
        for m in visibility.memberships(user)
        if roles is None or m.role in roles
    ]


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=ReportKind.choices)
    organisation = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    organisations = forms.TypedMultipleChoiceField(
        label=_("Records of"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Besides public records. None ticked: the owner's records."),
    )
    state = forms.ChoiceField(label=_("State"), choices=[(k, v[0]) for k, v in STATES.items()], initial="KZ")
    language = forms.ChoiceField(label=_("Language of the report"), choices=ReportLanguage.choices)
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput())
    articles = forms.CharField(
        label=_("ICCPR articles"),
        required=False,
        help_text=_("Numbers separated by commas, e.g. 7, 9, 14. Empty: all."),
    )
    themes = forms.CharField(label=_("Theme codes"), required=False, help_text=_("Separated by commas. Empty: all."))
    place = forms.CharField(label=_("Place (statement)"), required=False, max_length=200)
    facts = forms.CharField(label=_("Facts (statement)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    demands = forms.CharField(
        label=_("Demands (statement)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    public_only = forms.BooleanField(
        label=_("Public edition: use public records only"),
        required=False,
        help_text=_("For reports meant for the public portal."),
    )
    word_limit = forms.IntegerField(label=_("Word limit"), required=False, min_value=100, max_value=100000)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices, initial="internal")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _org_choices(user, visibility.ANALYSE_ROLES)
        self.fields["organisations"].choices = _org_choices(user)
        limit_confidentiality(self, user)

    def clean_articles(self) -> list[int]:
        raw = self.cleaned_data["articles"]
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write article numbers separated by commas."))

    def clean_themes(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["themes"].split(",") if part.strip()]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("articles", "themes", "place", "facts", "demands", "public_only")
            if data.get(name)
        }


class ParagraphForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, strip=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublishForm(forms.Form):
    accept_unsourced = forms.BooleanField(label=_("Publish even though some figures have no source"), required=False)


class ReportEditForm(ReportForm):
    """The definition after creation: type, owner and State stay; the rest can change before a rebuild."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, report: ReportDefinition, **kwargs):
        filters = report.filters or {}
        initial = {
            "version": report.version,
            "title": report.title,
            "organisations": list(report.organisations.values_list("pk", flat=True)),
            "language": report.language,
            "period_start": report.period_start,
            "period_end": report.period_end,
            "articles": ", ".join(str(a) for a in filters.get("articles", [])),
            "themes": ", ".join(filters.get("themes", [])),
            **{name: filters.get(name, "") for name in ("place", "facts", "demands")},
            "public_only": bool(filters.get("public_only")),
            "word_limit": report.word_limit,
            "confidentiality": report.confidentiality,
        }
        super().__init__(*args, initial=initial, **kwargs)
        statement = ("place", "facts", "demands")
        fixed = ("kind", "organisation", "state")
        unused = ("articles", "themes") if report.kind == ReportKind.STATEMENT else statement
        for name in (*fixed, *unused):
            del self.fields[name]
        limit_confidentiality(self, kwargs.get("user"), org_id=report.organisation_id, current=report.confidentiality)
