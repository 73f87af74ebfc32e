"""Account security: preferences, two-factor sign-in, sign-ins (sessions and history), reset links, org policy."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.core.models import Organisation


def digest(secret: str) -> str:
    """SHA-256 of a random secret (recovery code, reset token): only this is stored.

    A plain hash is enough because the secrets are long random strings, not passwords people choose.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


class TwoFactorRule(models.TextChoices):
    NOBODY = "nobody", _("Not required")
    RESTRICTED = "restricted", _("Required for members with restricted access")
    EVERYONE = "everyone", _("Required for everyone")


class SecurityPolicy(models.Model):
    """What an organisation demands of its members' accounts."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="security_policy")
    two_factor = models.CharField(
        _("two-factor sign-in"), max_length=12, choices=TwoFactorRule.choices, default=TwoFactorRule.NOBODY
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.two_factor}"


class Profile(models.Model):
    """A user's own choices: the language and time zone pages are shown in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=8, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'} {self.time_zone or '-'}"


class TwoFactor(models.Model):
    """A TOTP authenticator. `confirmed_at` is set once the user proved the app shows the right codes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code (or an older one) is never accepted twice.
    last_counter = models.BigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({'on' if self.confirmed_at else 'pending'})"


class RecoveryCode(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} recovery code"


class SignIn(models.Model):
    """One sign-in: the history the user sees, and while `ended_at` is empty an active session."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("password")
        TOTP = "totp", _("password and authenticator code")
        RECOVERY = "recovery", _("password and recovery code")
        RESET = "reset", _("reset link")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PASSWORD)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    device = models.CharField(max_length=120, blank=True)  # "Firefox on Android", parsed once at sign-in
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    last_seen = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} {self.device}"


class ResetLink(models.Model):
    """A one-time password reset link. Only the token's SHA-256 is stored; the link is shown (or mailed) once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reset_links")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reset link for {self.user}"
