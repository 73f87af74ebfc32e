"""Forms parse and render; every rule lives in actions.py (forms only catch what a browser can send wrong)."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.forms import DateInput, OrganisationChoiceMixin, limit_confidentiality
from rightstrack.core.models import Confidentiality, IccprArticle, Theme
from rightstrack.evidence.forms import CitationsField

from .models import ForumKind, Rating, SourceKind, SpeakerKind

PERIOD_HELP = _("e.g. 2024 · Jan–Oct 2024 · 2021–2024 · Q1 2024")


def _period_widget(target: str) -> forms.TextInput:
    # The server reads the period as it is typed and says how it understood it (no script of our own).
    return forms.TextInput(
        attrs={
            "hx-get": reverse_lazy("claims:period_check"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{target}",
            "autocomplete": "off",
            "aria-describedby": target,
        }
    )


class ArticleThemeFields(forms.Form):
    article = forms.ModelChoiceField(
        label=_("ICCPR article"), queryset=IccprArticle.objects.all(), required=False, empty_label="—"
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )


class ClaimForm(OrganisationChoiceMixin, ArticleThemeFields):
    text = forms.CharField(label=_("Claim, in your words"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    speaker_kind = forms.ChoiceField(label=_("Who made it"), choices=SpeakerKind.choices, initial=SpeakerKind.STATE)
    speaker = forms.CharField(label=_("Speaker name or role"), max_length=300, required=False)
    forum_kind = forms.ChoiceField(label=_("Forum"), choices=ForumKind.choices, initial=ForumKind.DIALOGUE)
    forum = forms.CharField(
        label=_("Forum details"), max_length=300, required=False, help_text=_("e.g. CCPR, 140th session")
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.INTERNAL
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "organisation",
        "text",
        "speaker_kind",
        "speaker",
        "forum_kind",
        "forum",
        "date",
        "article",
        "themes",
    ]

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        limit_confidentiality(self, user)
        if creating:
            self.add_organisation_field(user)
            self.fields.pop("version")
            self.order_fields(self.field_order)


class FigureForm(forms.Form):
    """One figure of a claim. A blank row is skipped; a half-filled one is refused by the action."""

    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False, help_text=_("cases, persons, %, KZT…"))
    period = forms.CharField(label=_("Period"), max_length=60, required=False, help_text=PERIOD_HELP)
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from . import queries

        self.fields["indicator"].queryset = queries.indicators(user)
        self.fields["period"].widget = _period_widget(f"{self.prefix or 'figure'}-period-reading")

    def figure(self) -> dict | None:
        data = self.cleaned_data
        if not any(data.get(k) for k in ("value", "unit", "period", "indicator")):
            return None
        return {
            "value": data.get("value"),
            "unit": data.get("unit"),
            "period": data.get("period"),
            "indicator": data.get("indicator"),
        }


class FigureEditForm(FigureForm):
    """A figure corrected in place: every part required, with the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("value", "unit", "period"):
            self.fields[name].required = True


class IndicatorForm(OrganisationChoiceMixin, ArticleThemeFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("what is counted: cases, persons, %, KZT…"))
    definition = forms.CharField(label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    disaggregations = forms.CharField(
        label=_("Disaggregations"),
        max_length=300,
        required=False,
        help_text=_("comma-separated, e.g. sex, region, age"),
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.INTERNAL
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        limit_confidentiality(self, user)
        if creating:
            self.add_organisation_field(user, roles=visibility.ANALYSE_ROLES)
            self.fields.pop("version")
            self.order_fields(["organisation", "name", "unit"])


class DataPointForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=60, help_text=PERIOD_HELP)
    value = forms.CharField(label=_("Value"), max_length=40)
    source_kind = forms.ChoiceField(label=_("Source kind"), choices=SourceKind.choices)
    source_name = forms.CharField(
        label=_("Source"), max_length=300, required=False, help_text=_("who published the figure")
    )
    disaggregation = forms.CharField(
        label=_("Breakdown"),
        max_length=120,
        required=False,
        help_text=_("empty for the total, e.g. “women” or “Almaty”"),
    )
    partial = forms.BooleanField(label=_("Partial period: the data do not cover all of it"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    quote = forms.CharField(label=_("Quoted words"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=[("", _("Same as the indicator")), *Confidentiality.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget = _period_widget("point-period-reading")
        if creating:
            self.fields.pop("version")
        else:
            self.fields.pop("quote")


class VerdictForm(forms.Form):
    rating = forms.ChoiceField(label=_("Verdict"), choices=Rating.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(label=_("Rationale"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    cited = CitationsField(label=_("Passages by document and paragraph"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cited"].bind(user)


class DiscrepancyFilter(forms.Form):
    group = forms.ChoiceField(
        label=_("Group by"), choices=[("article", _("ICCPR article")), ("topic", _("Topic"))], required=False
    )
    speaker_kind = forms.ChoiceField(
        label=_("Claims made by"), choices=[("", _("Anyone")), *SpeakerKind.choices], required=False
    )
    article = forms.ModelChoiceField(
        label=_("ICCPR article"),
        queryset=IccprArticle.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("All"),
    )
    theme = forms.ModelChoiceField(
        label=_("Topic"), queryset=Theme.objects.all(), to_field_name="code", required=False, empty_label=_("All")
    )


class ClaimFilter(forms.Form):
    q = forms.CharField(label=_("Search claims"), required=False)
    speaker_kind = forms.ChoiceField(label=_("Who"), choices=[("", _("Anyone")), *SpeakerKind.choices], required=False)
    article = forms.ModelChoiceField(
        label=_("ICCPR article"),
        queryset=IccprArticle.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("All"),
    )
    theme = forms.ModelChoiceField(
        label=_("Topic"), queryset=Theme.objects.all(), to_field_name="code", required=False, empty_label=_("All")
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[
            ("", _("Any")),
            ("none", _("No reviewed verdict")),
            ("pending", _("Awaiting review")),
            *Rating.choices,
        ],
        required=False,
    )
