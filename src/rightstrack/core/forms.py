from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import dates, visibility
from .errors import DomainError
from .models import Confidentiality, Organisation, Person


class DateInput(forms.DateInput):
    """A native date picker. Its value is always ISO (YYYY-MM-DD), the only value `type=date` takes: Django would
    otherwise write the language's format (04.12.2026), which the picker shows as empty.

    The picker itself is drawn in the browser's own locale (mm/dd/yyyy in an American browser), which the page
    cannot change; so the date is also written beside it as the page's language writes dates (core/dates.py),
    kept up to date by app.js as the user picks another day."""

    input_type = "date"
    template_name = "core/widgets/date.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        pattern, months = dates.picker_hint()
        shown = context["widget"]["value"]
        context["widget"].update(
            written=dates.day(shown) if shown and shown[:4].isdigit() else "",
            written_pattern=pattern,
            written_months="|".join(months),
        )
        return context


class TimeInput(forms.TimeInput):
    """A native time picker, always HH:MM (the seconds Russian formats add would make the picker ask for them)."""

    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def form_error(form: forms.Form, exc: DomainError) -> int:
    """Show an action's error on the form (on its field when the form has it); returns the status to answer."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
    # What to fix and where (the victim whose consent is missing): shown under the error by form_fields.html.
    form.fix_links, form.fix_field = exc.links, field
    return exc.status


def limit_confidentiality(form: forms.Form, user, *, org_id: int | None = None, current: str | None = None) -> None:
    """Offer only the confidentiality levels `user` may choose (see `visibility.can_set_confidentiality`).

    Editing a record: `current` (else taken from the form's instance or initial data) stays a choice. The actions
    check again for the organisation finally chosen; this only keeps the form honest and explains why.
    """
    field = form.fields["confidentiality"]
    instance = getattr(form, "instance", None)
    if instance is not None and getattr(instance, "pk", None):
        owner = visibility.owner_of(instance)
        current = current or owner.confidentiality
        org_id = org_id or owner.organisation_id
    current = current or form.initial.get("confidentiality")
    allowed = set(visibility.settable_levels(user, org_id, current))
    restricted = visibility.org_ids(user, restricted=True)
    if not (org_id in restricted if org_id else restricted):
        allowed.discard(Confidentiality.RESTRICTED)
    if current:
        allowed.add(current)
    # A field declared without choices offers the three levels.
    choices = list(field.choices) or list(Confidentiality.choices)
    field.choices = [c for c in choices if c[0] not in Confidentiality.values or c[0] in allowed]
    if Confidentiality.PUBLIC not in allowed:
        field.help_text = _("Only coordinators and administrators can make a record public.")
    validate = field.validate

    def explain(value) -> None:
        # A known level the user may not choose gets the reason; anything else Django's "Select a valid choice".
        if value in Confidentiality.values and value not in allowed:
            raise forms.ValidationError(
                _(
                    "You cannot choose this level: only coordinators and administrators can make a record public "
                    "or lower its confidentiality, and only members with restricted access can make it restricted."
                ),
                code="invalid_choice",
            )
        validate(value)

    field.validate = explain


class OrganisationChoiceMixin:
    """Adds an `organisation` field limited to organisations where the user may write."""

    def add_organisation_field(self, user, roles=visibility.WRITE_ROLES) -> None:
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Organisation"),
            queryset=Organisation.objects.filter(pk__in=visibility.org_ids(user, roles=roles)),
            empty_label=None,
        )


class PersonForm(OrganisationChoiceMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = list(Person.EDITABLE_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "contacts": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, sensitive_allowed: bool, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive_allowed:
            for name in Person.SENSITIVE_FIELDS:
                self.fields.pop(name)
        limit_confidentiality(self, user)
        if creating:
            self.add_organisation_field(user)
            self.fields.pop("version")


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Record"), required=False)
    verb = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("User"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
