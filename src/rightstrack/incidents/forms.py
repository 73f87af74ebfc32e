"""Forms: they parse and offer only what the user may choose; the rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.forms import DateInput, OrganisationChoiceMixin, limit_confidentiality
from rightstrack.core.models import Confidentiality, Person, Place, Sex
from rightstrack.evidence.forms import CitationsField

from .models import (
    Act,
    ActType,
    AgeGroup,
    Consent,
    DatePrecision,
    Degree,
    Event,
    Group,
    Intervention,
    InterventionType,
    Involvement,
    LinkType,
    Outcome,
    PerpetratorUnit,
)


def _places():
    return Place.objects.order_by("kind", "name_en")


class EventForm(OrganisationChoiceMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    start_precision = forms.ChoiceField(label=_("Start date precision"), choices=DatePrecision.choices)
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), help_text=_("Leave empty if ongoing.")
    )
    end_precision = forms.ChoiceField(label=_("End date precision"), choices=DatePrecision.choices)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False)
    context = forms.CharField(
        label=_("Context"), max_length=200, required=False, help_text=_('e.g. "January 2022 events"')
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), initial=Confidentiality.INTERNAL)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places()
        limit_confidentiality(self, user)
        if creating:
            self.add_organisation_field(user)
            self.order_fields(["organisation"])
            self.fields.pop("version")


class ActForm(forms.Form):
    act_type = forms.ChoiceField(label=_("Act type"), choices=[("", "—"), *ActType.choices])
    victim = forms.ModelChoiceField(label=_("Victim"), queryset=Person.objects.none(), required=False)
    victim_group = forms.ModelChoiceField(label=_("Victim group"), queryset=Group.objects.none(), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    date_precision = forms.ChoiceField(label=_("Date precision"), choices=DatePrecision.choices)
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, help_text=_("Empty: the event's place.")
    )
    method = forms.CharField(label=_("Method"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # A victim not recorded yet can be added from here (new acts only): pseudonym and consent for use.
    new_victim_pseudonym = forms.CharField(
        label=_("Or a new victim: pseudonym"),
        max_length=120,
        required=False,
        help_text=_("Records a new person with this pseudonym as the act's victim."),
    )
    new_victim_consent = forms.ChoiceField(
        label=_("New victim's consent for use"), choices=Consent.choices, required=False
    )
    new_victim_consent_date = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    NEW_VICTIM_FIELDS = ("new_victim_pseudonym", "new_victim_consent", "new_victim_consent_date")

    def __init__(self, *args, user, event: Event, current: Act | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only persons and groups the user may see can be chosen; pseudonyms only.
        self.fields["victim"].queryset = visibility.visible(user, Person).order_by("pseudonym")
        self.fields["victim_group"].queryset = visibility.visible(user, Group).order_by("name")
        self.fields["place"].queryset = _places()
        if current is not None:
            for name in self.NEW_VICTIM_FIELDS:
                self.fields.pop(name)
        _keep_unseen(self, current, ("victim", "victim_group"))

    def clean(self):
        data = super().clean()
        if data.get("new_victim_pseudonym") and data.get("victim"):
            self.add_error("new_victim_pseudonym", _("Choose a recorded victim or name a new one, not both."))
        return data

    def new_victim(self) -> dict | None:
        """The new victim's fields for `actions.add_act_for_new_victim`, or None; removes them from cleaned_data."""
        data = {name: self.cleaned_data.pop(name, None) for name in self.NEW_VICTIM_FIELDS}
        if not data["new_victim_pseudonym"]:
            return None
        return {
            "pseudonym": data["new_victim_pseudonym"],
            "consent": data["new_victim_consent"] or Consent.NONE,
            "consent_date": data["new_victim_consent_date"],
        }


def _keep_unseen(form: forms.Form, current, names: tuple[str, ...]) -> None:
    """On an edit, a reference to a record the user cannot see is left out of the form, so saving keeps it
    unchanged without showing it; `form.kept` lists the labels for the page."""
    form.kept = []
    for name in names:
        pk = getattr(current, f"{name}_id", None) if current is not None else None
        if pk and not form.fields[name].queryset.filter(pk=pk).exists():
            form.kept.append(form.fields.pop(name).label)


class InvolvementForm(forms.Form):
    unit = forms.ChoiceField(label=_("Perpetrator unit"), choices=PerpetratorUnit.choices)
    degree = forms.ChoiceField(label=_("Degree of involvement"), choices=Degree.choices)
    perpetrator = forms.ModelChoiceField(
        label=_("Perpetrator (person)"), queryset=Person.objects.none(), required=False
    )
    perpetrator_group = forms.ModelChoiceField(
        label=_("Perpetrator (group)"), queryset=Group.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, current: Involvement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perpetrator"].queryset = visibility.visible(user, Person).order_by("pseudonym")
        self.fields["perpetrator_group"].queryset = visibility.visible(user, Group).order_by("name")
        _keep_unseen(self, current, ("perpetrator", "perpetrator_group"))
        if current is None:
            self.fields.pop("version")


class InterventionForm(forms.Form):
    intervention_type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *InterventionType.choices])
    date = forms.DateField(label=_("Date"), widget=DateInput())
    date_precision = forms.ChoiceField(label=_("Date precision"), choices=DatePrecision.choices)
    by = forms.CharField(label=_("Who acted"), max_length=200, help_text=_("e.g. the victim's lawyer, the coalition"))
    addressee = forms.CharField(label=_("Addressed to"), max_length=200, required=False)
    act = forms.ChoiceField(label=_("About the act"), required=False)
    victim = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Empty: the victim of the act, if any."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_date = forms.DateField(label=_("Outcome date"), required=False, widget=DateInput())
    outcome_note = forms.CharField(label=_("Outcome details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, acts, user, current: Intervention | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["act"].choices = [("", _("The event as a whole"))] + [(str(a.pk), str(a)) for a in acts]
        self.fields["victim"].queryset = visibility.visible(user, Person).order_by("pseudonym")
        _keep_unseen(self, current, ("victim",))
        if current is None:
            self.fields.pop("version")


class LinkForm(forms.Form):
    link_type = forms.ChoiceField(label=_("Relation"), choices=LinkType.choices)
    to_event = forms.ModelChoiceField(label=_("Other event"), queryset=Event.objects.none())

    def __init__(self, *args, user, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_event"].queryset = visibility.visible(user, Event).exclude(pk=event.pk).order_by("-start_date")


class PersonFields(forms.Form):
    """A victim's identity, roles and consent: shared by the victim form and the one-screen incident entry."""

    real_name = forms.CharField(label=_("Real name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    is_hrd = forms.BooleanField(label=_("Human-rights defender"), required=False)
    is_lawyer = forms.BooleanField(label=_("Lawyer"), required=False)
    is_journalist = forms.BooleanField(label=_("Journalist"), required=False)
    is_activist = forms.BooleanField(label=_("Activist"), required=False)
    consent = forms.ChoiceField(label=_("Consent for use"), choices=Consent.choices)
    consent_date = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    consent_note = forms.CharField(label=_("How consent was given"), max_length=300, required=False)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), initial=Confidentiality.RESTRICTED)
    confirm_new = forms.BooleanField(
        label=_("I checked the possible matches: this is a different person"), required=False
    )

    def limit_to(self, user) -> None:
        """Offer only the levels the user may set; identities only to members with restricted access."""
        limit_confidentiality(self, user)
        if not visibility.org_ids(user, restricted=True):
            for name in Person.SENSITIVE_FIELDS:
                self.fields.pop(name, None)
            self.fields["confidentiality"].initial = Confidentiality.INTERNAL


class VictimForm(OrganisationChoiceMixin, PersonFields):
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=120)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    contacts = forms.CharField(label=_("Contacts"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    address = forms.CharField(label=_("Exact address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    occupation = forms.CharField(label=_("Occupation"), max_length=200, required=False)

    field_order = [
        "organisation",
        "pseudonym",
        "real_name",
        "birth_date",
        "contacts",
        "address",
        "sex",
        "age_group",
        "occupation",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_field(user)
        self.order_fields(self.field_order)
        self.limit_to(user)


class ProfileForm(forms.Form):
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    consent = forms.ChoiceField(label=_("Consent for use"), choices=Consent.choices)
    consent_date = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    consent_note = forms.CharField(label=_("How consent was given"), max_length=300, required=False)


class GroupForm(OrganisationChoiceMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.CharField(label=_("Kind"), max_length=120, required=False, help_text=_("e.g. newsroom, police unit"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), initial=Confidentiality.INTERNAL)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_field(user)
        self.order_fields(["organisation"])
        limit_confidentiality(self, user)


class StatFilterForm(forms.Form):
    act_type = forms.ChoiceField(label=_("Act type"), choices=[("", _("All")), *ActType.choices], required=False)
    region = forms.CharField(required=False, widget=forms.HiddenInput)
    unit = forms.ChoiceField(
        label=_("Perpetrator unit"),
        choices=[("", _("All")), *PerpetratorUnit.choices, ("none", _("Not recorded"))],
        required=False,
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    month = forms.IntegerField(required=False, min_value=1, max_value=12, widget=forms.HiddenInput)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(
        label=_("Documented until"),
        required=False,
        widget=DateInput(),
        help_text=_("End of the documentation period (default: today)."),
    )
    defenders = forms.BooleanField(label=_("Only acts against defenders"), required=False)
    event = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_region(self):
        value = self.cleaned_data["region"].strip()
        if value and value != "none" and not value.isdigit():
            raise forms.ValidationError(_("Unknown region."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class ImportForm(OrganisationChoiceMixin, forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))
    confidentiality = forms.ChoiceField(label=_("Confidentiality of new records"), initial=Confidentiality.INTERNAL)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_field(user)
        limit_confidentiality(self, user)


class CiteForm(forms.Form):
    passages = CitationsField(label=_("Passages"), required=True)
    quote = forms.CharField(label=_("Quote"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passages"].bind(user)


class VictimFilterForm(forms.Form):
    """Filters of the victim list; every value is optional and unknown values are refused (400).
    Ticked roles select persons with any of them."""

    q = forms.CharField(label=_("Pseudonym"), required=False, max_length=120)
    hrd = forms.BooleanField(label=_("Human-rights defenders"), required=False)
    lawyer = forms.BooleanField(label=_("Lawyers"), required=False)
    journalist = forms.BooleanField(label=_("Journalists"), required=False)
    activist = forms.BooleanField(label=_("Activists"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("All")), *Sex.choices], required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=[("", _("All")), *AgeGroup.choices], required=False)
    consent = forms.ChoiceField(label=_("Consent for use"), choices=[("", _("All")), *Consent.choices], required=False)
    region = forms.ModelChoiceField(
        label=_("Region of their acts"), queryset=Place.objects.none(), required=False, empty_label=_("All")
    )

    ROLES = ("hrd", "lawyer", "journalist", "activist")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _places()

    def filters(self) -> dict:
        """The cleaned values as keyword arguments of `queries.victims_for`."""
        data = self.cleaned_data
        return {
            "query": data["q"],
            "roles": [r for r in self.ROLES if data[r]],
            "sex": data["sex"],
            "age_group": data["age_group"],
            "consent": data["consent"],
            "region": data["region"],
        }


# --- One-screen incident entry ------------------------------------------------------------------------------
# Rows are plain forms in formsets; a row left empty is skipped, so "add another" can offer spare rows.

MAX_ROWS = 30


class IncidentVictimForm(PersonFields):
    """A victim row: an existing person, or a new one described here with their consent for use."""

    existing = forms.ModelChoiceField(
        label=_("Existing person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Choose someone already recorded, or describe a new person below."),
    )
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=120, required=False)

    field_order = ["existing", "pseudonym", "real_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: list[Person] = []
        self.fields["existing"].queryset = visibility.visible(user, Person).order_by("pseudonym")
        self.limit_to(user)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("existing") and not data.get("pseudonym") and not data.get("real_name")

    def clean(self):
        data = super().clean()
        if data.get("existing") and (data.get("pseudonym") or data.get("real_name")):
            raise forms.ValidationError(_("Choose an existing person or describe a new one, not both."))
        if not data.get("existing") and data.get("real_name") and not data.get("pseudonym"):
            self.add_error("pseudonym", _("Give a pseudonym: it is what pages and reports show."))
        return data

    def label(self, number: int) -> str:
        """How act rows name this victim ("Victim 2 · A.K."), from what was typed or chosen."""
        name = ""
        if self.is_bound:
            name = self.data.get(self.add_prefix("pseudonym"), "").strip()
            chosen = self.data.get(self.add_prefix("existing"), "")
            if chosen and not name:
                person = self.fields["existing"].queryset.filter(pk=chosen).first() if chosen.isdigit() else None
                name = person.pseudonym if person else ""
        return _("Victim %(n)d") % {"n": number} + (f" · {name}" if name else "")

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("existing"):
            return {"existing": data["existing"]}
        data.pop("existing", None)
        return data


class IncidentActForm(forms.Form):
    """An act row: what was done, to which victim above, when, and by whom (a unit or a group)."""

    act_type = forms.ChoiceField(label=_("Act type"), choices=[("", "—"), *ActType.choices], required=False)
    victim_row = forms.ChoiceField(label=_("Victim"), required=False)
    victim_group = forms.ModelChoiceField(label=_("Victim group"), queryset=Group.objects.none(), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput(), help_text=_("Empty: the event's date."))
    date_precision = forms.ChoiceField(label=_("Date precision"), choices=DatePrecision.choices)
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, help_text=_("Empty: the event's place.")
    )
    method = forms.CharField(label=_("Method"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ChoiceField(label=_("Perpetrator unit"), choices=[("", "—"), *PerpetratorUnit.choices], required=False)
    perpetrator_group = forms.ModelChoiceField(
        label=_("Perpetrator (group)"), queryset=Group.objects.none(), required=False
    )
    degree = forms.ChoiceField(label=_("Degree of involvement"), choices=Degree.choices)

    def __init__(self, *args, user, victim_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim_row"].choices = [("", "—"), *victim_choices]
        self.fields["victim_group"].queryset = visibility.visible(user, Group).order_by("name")
        self.fields["perpetrator_group"].queryset = visibility.visible(user, Group).order_by("name")
        self.fields["place"].queryset = _places()

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(name) for name in ("act_type", "method", "description", "victim_row"))

    def clean(self):
        data = super().clean()
        if not self.is_blank() and not data.get("act_type"):
            self.add_error("act_type", _("Choose what was done (the act type)."))
        return data

    def action_fields(self, victim_rows: dict[int, int]) -> dict:
        """The fields for `actions.record_incident`, the victim row renumbered to the victims actually saved."""
        data = dict(self.cleaned_data)
        row = data.pop("victim_row", "")
        data["victim_row"] = victim_rows.get(int(row), -1) if row not in ("", None) else None
        unit, group, degree = data.pop("unit", ""), data.pop("perpetrator_group", None), data.pop("degree")
        if unit or group:
            data["perpetrator"] = {
                "unit": unit or PerpetratorUnit.UNKNOWN,
                "perpetrator_group": group,
                "degree": degree,
            }
        return data


IncidentVictimFormSet = forms.formset_factory(
    IncidentVictimForm, extra=0, min_num=1, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
)
IncidentActFormSet = forms.formset_factory(
    IncidentActForm, extra=0, min_num=1, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
)
