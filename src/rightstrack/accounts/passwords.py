"""A password validator built on zxcvbn, which estimates how many guesses a password takes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn


class ZxcvbnValidator:
    """Refuse passwords zxcvbn scores below `min_score` (0–4); the user's own names count as guessable."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        inputs = [getattr(user, name, "") for name in ("username", "email", "first_name", "last_name")]
        # zxcvbn's run time grows with the length; the first 100 characters decide anyway.
        result = zxcvbn(password[:100], user_inputs=[i for i in inputs if i] + ["rightstrack"])
        if result["score"] < self.min_score:
            raise ValidationError(
                _("This password is too easy to guess. Add more words or characters that do not follow a pattern."),
                code="password_too_weak",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be easy to guess (names, dates, keyboard patterns and common words are).")
