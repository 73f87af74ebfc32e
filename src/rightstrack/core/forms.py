from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import visibility
from .errors import DomainError
from .models import Confidentiality, Organisation, Person


def form_error(form: forms.Form, exc: DomainError) -> int:
    """Show an action's error on the form (on its field when the form has it); returns the status to answer."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc.status


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
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "contacts": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, sensitive_allowed: bool, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive_allowed:
            for name in Person.SENSITIVE_FIELDS:
                self.fields.pop(name)
            self.fields["confidentiality"].choices = [
                c for c in Confidentiality.choices if c[0] != Confidentiality.RESTRICTED
            ]
        if creating:
            self.add_organisation_field(user)
            self.fields.pop("version")


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Record"), required=False)
    verb = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("User"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
