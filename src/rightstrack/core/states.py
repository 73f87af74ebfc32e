"""State names in the reader's or report's language: the vocabulary stores the UN's English short names only."""

from __future__ import annotations

from functools import lru_cache

# UN short names in the States vocabulary → ISO codes, where CLDR names the country differently.
_ALIASES = {
    "cote d'ivoire": "CI",
    "democratic republic of congo": "CD",
    "guinea bissau": "GW",
    "republic of congo": "CG",
    "sao tome & principe": "ST",
    "swaziland": "SZ",
    "brunei darussalam": "BN",
    "dpr korea": "KP",
    "myanmar": "MM",
    "republic of korea": "KR",
    "viet nam": "VN",
    "czech republic": "CZ",
    "macedonia fyr": "MK",
    "russian federation": "RU",
    "st kitts & nevis": "KN",
    "st lucia": "LC",
    "st vincent & the grenadines": "VC",
    "turkey": "TR",
    "holy see": "VA",
    "palestine": "PS",
}


@lru_cache(maxsize=4)
def _territories(language: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language).territories)


def state_name(name: str, language: str) -> str:
    """A State's name in `language` (CLDR's names; the vocabulary's English name when unknown)."""
    language = (language or "en").split("-")[0].lower()
    if language == "en" or not name:
        return name
    english = {v.lower(): k for k, v in _territories("en").items() if len(k) == 2}
    code = _ALIASES.get(name.lower()) or english.get(name.lower())
    try:
        return _territories(language).get(code or "", name)
    except (ValueError, LookupError):  # a language CLDR does not know
        return name
