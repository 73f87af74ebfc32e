"""Forms of the trials pages: they parse and validate input; actions decide and write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.forms import DateInput, OrganisationChoiceMixin, TimeInput, limit_confidentiality
from rightstrack.core.models import Confidentiality, Membership, Person, Place

from . import queries
from .findings import DIMENSIONS, PERIODS
from .models import Case, Court, Custody, Defendant, Hearing

DATE = DateInput()
TIME = TimeInput()


def _limit_confidentiality(form: forms.Form, user) -> None:
    limit_confidentiality(form, user)


class CourtForm(OrganisationChoiceMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Court
        fields = list(Court.EDITABLE_FIELDS)

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Place.objects.exclude(kind=Place.Kind.COUNTRY).order_by("name_en")
        _limit_confidentiality(self, user)
        if creating:
            self.add_organisation_field(user, roles=visibility.ANALYSE_ROLES)
            self.fields.pop("version")


class CaseForm(OrganisationChoiceMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = list(Case.EDITABLE_FIELDS)
        widgets = {"opened_on": DATE, "closed_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = queries.courts(user).order_by("city", "name")
        _limit_confidentiality(self, user)
        if creating:
            self.add_organisation_field(user, roles=visibility.ANALYSE_ROLES)
            self.fields.pop("version")


class DefendantForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        help_text=_("Add the person on the People page first; only the pseudonym shows."),
    )
    charges = forms.CharField(label=_("Charges"), max_length=500, required=False)
    custody = forms.ChoiceField(label=_("Custody status"), choices=Custody.choices, initial=Custody.UNKNOWN)
    counsel = forms.CharField(label=_("Counsel"), max_length=300, required=False)

    def __init__(self, *args, user, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        taken = case.defendants.values("person_id")
        self.fields["person"].queryset = (
            visibility.visible(user, Person).filter(organisation_id=case.organisation_id).exclude(pk__in=taken)
        )
        # Pseudonyms only, even for members who may see real names.
        self.fields["person"].label_from_instance = lambda p: p.pseudonym


class DefendantEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Defendant
        fields = list(Defendant.EDITABLE_FIELDS)


class HearingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Hearing
        fields = list(Hearing.EDITABLE_FIELDS)
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields.pop("version")


class AssignForm(forms.Form):
    monitor = forms.ModelChoiceField(label=_("Monitor"), queryset=get_user_model().objects.none())

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(organisation_id=case.organisation_id, role__in=visibility.WRITE_ROLES)
        if case.confidentiality == Confidentiality.RESTRICTED:
            members = members.filter(restricted_access=True)
        self.fields["monitor"].queryset = (
            get_user_model().objects.filter(pk__in=members.values("user_id")).order_by("username")
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return to the monitor"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChecklistImportForm(forms.Form):
    file = forms.FileField(label=_("Checklist YAML file"), required=False)
    text = forms.CharField(label=_("…or paste the YAML"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the YAML."))
        return data


class FindingsForm(forms.Form):
    """Breakdown and filters of the findings page (GET)."""

    breakdown = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[
            ("", _("No breakdown")),
            ("court", _("Court")),
            ("city", _("City")),
            ("case", _("Case")),
            ("period", _("Period")),
            ("charge", _("Charge")),
            ("version", _("Checklist version")),
            ("court,period", _("Court × period")),
        ],
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        initial="month",
        choices=[("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))],
    )
    court = forms.TypedChoiceField(label=_("Court"), required=False, coerce=int, empty_value=None)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    charge = forms.CharField(label=_("Charge"), required=False, max_length=60)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", _("All courts"))] + [
            (c.pk, str(c)) for c in queries.courts(user).order_by("city", "name")
        ]

    def breakdown_list(self) -> list[str]:
        value = self.cleaned_data.get("breakdown") or ""
        return [v for v in value.split(",") if v in DIMENSIONS]

    def period_value(self) -> str:
        value = self.cleaned_data.get("period") or "month"
        return value if value in PERIODS else "month"
