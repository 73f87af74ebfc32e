"""Forms: parse and validate input; the actions decide and write."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.forms import DateInput, OrganisationChoiceMixin, limit_confidentiality
from rightstrack.core.models import Confidentiality, IccprArticle, Person, Sdg, Theme
from rightstrack.evidence.forms import CitationsField

from .models import (
    ACTION_CATEGORY_CHOICES,
    AssessorKind,
    ComplaintView,
    Mechanism,
    Response,
    SourceKind,
    State,
    Status,
)

ROLES = visibility.ANALYSE_ROLES
DATE = DateInput()


class AnalystForm(OrganisationChoiceMixin, forms.Form):
    """A form that creates a record owned by one of the user's organisations."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_field(user, roles=ROLES)
        self.fields["confidentiality"] = forms.ChoiceField(
            label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.INTERNAL
        )
        limit_confidentiality(self, user)
        # Organisation and confidentiality last: the record's own fields come first.
        for name in ("organisation", "confidentiality"):
            self.fields[name] = self.fields.pop(name)


class SourceFields(forms.Form):
    """Who made the recommendations, shared by the review form and the ingestion screen's source form."""

    source_kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices, initial=SourceKind.UN)
    author = forms.CharField(
        label=_("Author organisation"),
        required=False,
        max_length=300,
        help_text=_("Who wrote the document, e.g. the NGO or coalition. Required unless it is a UN review."),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=500)


class ReviewForm(SourceFields, AnalystForm):
    mechanism = forms.ModelChoiceField(
        label=_("Mechanism"),
        queryset=Mechanism.objects.all(),
        required=False,
        help_text=_("For a UN review or outcome only."),
    )
    state = forms.ModelChoiceField(label=_("State under review"), queryset=State.objects.all())
    cycle = forms.IntegerField(label=_("Cycle"), required=False, min_value=1, max_value=20)
    session = forms.CharField(label=_("Session"), required=False, max_length=60)
    symbol = forms.CharField(
        label=_("Document symbol"), required=False, max_length=120, help_text=_("e.g. A/HRC/43/10")
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=60, help_text=_("e.g. en, ru"))


class ReviewEditForm(ReviewForm):
    """The source's own fields; its kind, mechanism, State and organisation are fixed once it holds recommendations."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, review=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("source_kind", "mechanism", "state", "organisation"):
            del self.fields[name]
        if review is not None and review.is_un:
            del self.fields["author"], self.fields["title"]
        elif review is not None:
            del self.fields["cycle"]


class DocumentSourceForm(SourceFields):
    """A source created from an ingested document: owned by the document's organisation, as confidential."""

    state = forms.ModelChoiceField(label=_("State the recommendations are made to"), queryset=State.objects.all())
    date = forms.DateField(label=_("Date of the document"), required=False, widget=DATE)
    symbol = forms.CharField(label=_("Document symbol"), required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A UN review is added under Recommendations; a document is an organisation's.
        self.fields["source_kind"].choices = [c for c in SourceKind.choices if c[0] != SourceKind.UN]
        self.fields["source_kind"].initial = SourceKind.NGO_REPORT
        self.fields["author"].help_text = _("Who wrote the document, e.g. the NGO or coalition.")


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    paragraph = forms.CharField(label=_("Paragraph"), required=False, max_length=40)
    upr_id = forms.CharField(label=_("UPR ID"), required=False, max_length=40, help_text=_("e.g. 139.61"))
    language = forms.CharField(label=_("Language of the text"), initial="en", max_length=8)
    translation_ru = forms.CharField(
        label=_("Russian translation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    response = forms.ChoiceField(label=_("Response"), choices=Response.choices, initial=Response.NONE)
    recommending_states = forms.ModelMultipleChoiceField(
        label=_("Recommending States"), queryset=State.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, to_field_name="code",
        help_text=_("Leave empty to get suggestions from the classifier."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    articles = forms.ModelMultipleChoiceField(
        label=_("ICCPR articles"), queryset=IccprArticle.objects.all(), required=False, to_field_name="number",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    sdgs = forms.ModelMultipleChoiceField(
        label=_("SDGs"), queryset=Sdg.objects.all(), required=False, to_field_name="number",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    affected_groups = forms.CharField(label=_("Affected groups"), required=False, max_length=300)
    action_category = forms.TypedChoiceField(
        label=_("Action category"), choices=[("", "—"), *ACTION_CATEGORY_CHOICES], coerce=int, required=False,
        empty_value=None,
    )  # fmt: skip


class RecommendationEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    paragraph = forms.CharField(label=_("Paragraph"), required=False, max_length=40)
    upr_id = forms.CharField(label=_("UPR ID"), required=False, max_length=40)
    response = forms.ChoiceField(label=_("Response"), choices=Response.choices)
    affected_groups = forms.CharField(label=_("Affected groups"), required=False, max_length=300)
    translation_ru = forms.CharField(
        label=_("Russian translation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(AnalystForm):
    # No pre-selection: a hurried save must not record "the State says: fully implemented" by default.
    assessor_kind = forms.ChoiceField(
        label=_("Assessed by"),
        choices=[("", _("— choose who assessed it —")), *AssessorKind.choices],
        error_messages={"required": _("Choose who assessed it: the coalition, an NGO, the State or the mechanism.")},
    )
    assessor_name = forms.CharField(label=_("Assessor name"), required=False, max_length=200)
    date = forms.DateField(label=_("Date of the assessment"), widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("— choose the status —")), *Status.choices],
        error_messages={"required": _("Choose how far the recommendation is implemented.")},
    )
    rationale = forms.CharField(label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    passages = CitationsField(label=_("Evidence passages"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["passages"].bind(user)

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > datetime.date.today():
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return date


class RangeAssessmentForm(AssessmentForm):
    upr_ids = forms.CharField(
        label=_("UPR IDs"), max_length=500, help_text=_("IDs and ranges, e.g. 139.61-139.67, 139.79-139.81")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"upr_ids": self.fields.pop("upr_ids"), **self.fields}


class ClassifyForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    action_category = forms.TypedChoiceField(label=_("Action category"), choices=ACTION_CATEGORY_CHOICES, coerce=int)


class ImportForm(AnalystForm):
    file = forms.FileField(label=_("CSV or JSON file"), help_text=_("UPR Info-style columns; see the help below."))


class ViewForm(AnalystForm):
    communication_number = forms.CharField(label=_("Communication number"), max_length=60)
    mechanism = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Mechanism.objects.filter(kind="treaty_body"),
        to_field_name="code",
        initial="ccpr",
    )
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.all())
    adopted_on = forms.DateField(label=_("Date adopted"), required=False, widget=DATE)
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles violated"), queryset=IccprArticle.objects.all(), required=False, to_field_name="number"
    )
    author = forms.ModelChoiceField(
        label=_("Author"), queryset=Person.objects.none(), required=False,
        help_text=_("Add the person on the People page first; only the pseudonym shows."),
    )  # fmt: skip
    remedies = forms.CharField(label=_("Remedies"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    implementation = forms.ChoiceField(label=_("Implementation"), choices=ComplaintView.Implementation.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["author"].queryset = visibility.visible(user, Person).filter(
            organisation_id__in=visibility.org_ids(user, roles=ROLES)
        )
        # Pseudonyms only, even for members who may see real names.
        self.fields["author"].label_from_instance = lambda p: p.pseudonym


class ViewEditForm(ViewForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, view: ComplaintView, author_visible: bool, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("mechanism", "state", "organisation"):
            del self.fields[name]
        if author_visible:
            self.fields["author"].queryset = visibility.visible(user, Person).filter(
                Q(organisation_id=view.organisation_id) | Q(pk=view.author_id)
            )
        else:
            # An author this editor may not see is neither shown nor changed.
            del self.fields["author"]


class NapItemForm(AnalystForm):
    plan = forms.CharField(label=_("Plan"), max_length=200)
    action = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_body = forms.CharField(label=_("Responsible body"), required=False, max_length=200)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    indicator = forms.CharField(label=_("Indicator"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    completion = forms.IntegerField(label=_("Reported completion (%)"), min_value=0, max_value=100, initial=0)
    recommendation_ids = forms.CharField(
        label=_("Linked recommendations"), required=False, help_text=_("Recommendation numbers, comma-separated.")
    )

    def clean_recommendation_ids(self) -> list[int]:
        raw = self.cleaned_data.get("recommendation_ids", "")
        pieces = [p.strip() for p in raw.split(",") if p.strip()]
        if not all(p.isdigit() for p in pieces):
            raise forms.ValidationError(_("Recommendation numbers are numbers."))
        return [int(p) for p in pieces]


class NapItemEditForm(NapItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["organisation"]
