from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import TwoFactorRule


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("After adding the account in the app, type the 6-digit code it shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice, checked by every validator in settings (common list, strength, …)."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; a few unrelated words are easy to remember and hard to guess."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password2(self) -> str:
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ. Type the same new password twice."))
        password_validation.validate_password(second, self.user)
        return second


class ChangePasswordForm(NewPasswordForm):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password1", "new_password2"]

    def clean_current_password(self) -> str:
        value = self.cleaned_data["current_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("Your current password is not right; nothing was changed."))
        return value


def time_zone_choices() -> list[tuple[str, str]]:
    # Kazakhstan's zones first: most users are there, and the full list is long.
    local = ["Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral", "Asia/Qyzylorda"]
    others = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and z not in local and not z.startswith("Etc")
    )
    return [("", _("Server's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE})] + [(z, z) for z in local + others]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As chosen in the header"))] + list(settings.LANGUAGES)
        self.fields["time_zone"].choices = time_zone_choices()


class PolicyForm(forms.Form):
    two_factor = forms.ChoiceField(label=_("Two-factor sign-in"), choices=TwoFactorRule.choices)


class EmailResetForm(forms.Form):
    identifier = forms.CharField(label=_("Username or email address"), max_length=254)
