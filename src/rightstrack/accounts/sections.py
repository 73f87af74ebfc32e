"""The account page's sections, in order. Another app adds its own (e.g. "Devices") from its AppConfig.ready():

    from rightstrack.accounts import sections
    sections.register("offline/_account_devices.html", order=45)

A section template receives the account page's context (`user`, `request`, `current_key`, …) and should start
with `<section class="card" id="…" aria-labelledby="…">` like the built-in ones.
"""

from __future__ import annotations

_SECTIONS: dict[str, int] = {
    "accounts/_preferences.html": 10,
    "accounts/_password.html": 20,
    "accounts/_two_factor.html": 30,
    "accounts/_sessions.html": 40,
    "accounts/_history.html": 50,
    "accounts/_tokens.html": 60,
}


def register(template: str, order: int = 50) -> None:
    """Show `template` on the account page; sections are sorted by `order` (built-ins: 10, 20, … 60)."""
    _SECTIONS[template] = order


def templates() -> list[str]:
    return sorted(_SECTIONS, key=lambda name: (_SECTIONS[name], name))
