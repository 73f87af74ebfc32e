"""The Russian and Kazakh catalogues are complete, compiled, in step with the code, and actually used by the pages.

Refresh the catalogues after adding strings (from src/rightstrack, with DJANGO_SETTINGS_MODULE=rightstrack.settings
PYTHONPATH=<repo>/src RIGHTSTRACK_DATA_DIR=/tmp/rt-i18n):
    ../../.venv/bin/python -m django makemessages -l ru -l kk --no-obsolete --ignore 'migrations/*'
    (translate the new empty / fuzzy entries in locale/{ru,kk}/LC_MESSAGES/django.po)
    ../../.venv/bin/python -m django compilemessages -l ru -l kk
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

PACKAGE_DIR = Path(settings.LOCALE_PATHS[0]).parent
LANGUAGES = ("ru", "kk")
# Python %-style and brace placeholders; a bare "%" followed by a space is not a placeholder.
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifrx]|%[#0 +-]*\d*(?:\.\d+)?[sdifrx]|\{\{?[^{}]*\}\}?")
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n!=1);",
}
# (n, plural form it selects) for the compiled-catalogue check.
PLURAL_SAMPLES = {
    "ru": ((1, 0), (3, 1), (5, 2), (11, 2), (21, 0), (22, 1)),
    "kk": ((1, 0), (2, 1), (5, 1), (11, 1), (21, 1)),
}
# Letters only Kazakh Cyrillic has: a Kazakh catalogue that never uses them is not Kazakh.
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def po_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for makemessages output (no polib in the environment)."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, current = Entry(), None
        seen = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete = True
                continue
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
                continue
            if not line or line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if match:
                keyword, index, literal = match.groups()
                current = (keyword, int(index) if index is not None else 0)
                text = ""
            else:
                literal = line
                text = _current_text(entry, current)
            text += ast.literal_eval(literal)
            _set_text(entry, current, text)
            seen = True
        if seen and not entry.obsolete:
            entries.append(entry)
    return entries


def _current_text(entry: Entry, current) -> str:
    keyword, index = current
    if keyword.startswith("msgstr"):
        return entry.msgstr.get(index, "")
    return getattr(entry, keyword) or ""


def _set_text(entry: Entry, current, text: str) -> None:
    keyword, index = current
    if keyword.startswith("msgstr"):
        entry.msgstr[index] = text
    else:
        setattr(entry, keyword, text)


def header(entries: list[Entry]) -> dict[str, str]:
    head = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return dict(line.split(": ", 1) for line in head.msgstr[0].splitlines() if ": " in line)


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def catalogue(language) -> list[Entry]:
    path = po_path(language)
    assert path.is_file(), f"{path} is missing: run makemessages -l {language}"
    return parse_po(path)


@pytest.fixture(scope="module")
def messages(catalogue) -> list[Entry]:
    return [e for e in catalogue if e.msgid]


def test_header_names_the_language_utf8_and_its_plural_forms(catalogue, language):
    head = header(catalogue)
    assert head["Language"] == language
    assert "charset=UTF-8" in head["Content-Type"]
    assert head["Plural-Forms"] == PLURAL_FORMS[language]
    assert "fuzzy" not in next(e for e in catalogue if e.msgid == "").flags


def test_every_entry_is_translated_and_not_fuzzy(messages, language):
    assert messages, "the catalogue has no messages"
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    nplurals = int(PLURAL_FORMS[language].split("nplurals=")[1].split(";")[0])
    empty = []
    for e in messages:
        expected = nplurals if e.msgid_plural is not None else 1
        forms = [e.msgstr.get(i, "") for i in range(expected)]
        if not all(f.strip() for f in forms) or len(e.msgstr) != expected:
            empty.append(e.msgid)
    assert not empty, f"untranslated entries: {empty}"


def test_placeholders_are_kept(messages):
    wrong = []
    for e in messages:
        sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural is not None else [])
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        for text in e.msgstr.values():
            # Named placeholders must all come back; a singular form may drop a count it does not need.
            got = set(PLACEHOLDER.findall(text))
            if got - wanted or (e.msgid_plural is None and got != wanted):
                wrong.append((e.msgid, text))
    assert not wrong, f"placeholders changed: {wrong}"


def test_kazakh_is_written_in_kazakh_cyrillic(language, messages):
    """The Kazakh catalogue is not Russian copied over: its sentences use the letters only Kazakh has."""
    if language != "kk":
        pytest.skip("Kazakh only")
    with_letters = [e for e in messages if KAZAKH_LETTERS & set("".join(e.msgstr.values()))]
    assert len(with_letters) > len(messages) // 2
    russian = parse_po(po_path("ru"))
    same_as_russian = {e.msgid for e in russian if e.msgid and len(e.msgid) > 40} & {
        e.msgid for e in messages if e.msgstr.get(0) and len(e.msgstr[0]) > 40
    }
    ru_text = {e.msgid: e.msgstr.get(0) for e in russian}
    copied = [e.msgid for e in messages if e.msgid in same_as_russian and e.msgstr.get(0) == ru_text[e.msgid]]
    assert not copied, f"Kazakh entries that are the Russian text: {copied[:10]}"


def test_compiled_catalogue_is_in_step_with_the_po(messages, language):
    """Django's own gettext returns what the .po says: the .mo was compiled from this .po."""
    mo_path = po_path(language).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run compilemessages -l {language}"
    stale = []
    with translation.override(language):
        for e in messages:
            if e.msgid_plural is not None:
                for n, form in PLURAL_SAMPLES[language]:
                    got = (
                        translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                        if e.msgctxt
                        else translation.ngettext(e.msgid, e.msgid_plural, n)
                    )
                    if got != e.msgstr[form]:
                        stale.append((e.msgid, n, got))
            else:
                got = translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt else translation.gettext(e.msgid)
                if got != e.msgstr[0]:
                    stale.append((e.msgid, got))
    assert not stale, f"the .mo does not match the .po (run compilemessages -l {language}): {stale[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_sample_strings_differ_in_each_language(language):
    with translation.override(language):
        for msgid in ["Dashboard", "People", "Audit log", "Trash", "Log in"]:
            assert translation.gettext(msgid) != msgid
    with translation.override("en"):
        assert translation.gettext("Dashboard") == "Dashboard"


GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge")


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msguniq, msgmerge) is not installed",
)
def test_catalogue_has_every_msgid_in_the_code(tmp_path, messages, language):
    """Extract the strings again from a copy of the code; any msgid not in the committed .po fails."""
    source_exts = (".py", ".html", ".txt")

    def ignore(directory: str, names: list[str]) -> list[str]:
        skipped = {"__pycache__", "locale", "migrations", "static", "node_modules"}
        return [
            n
            for n in names
            if n in skipped
            or n.startswith(".")
            or (not os.path.isdir(os.path.join(directory, n)) and not n.endswith(source_exts))
        ]

    copy = tmp_path / "rightstrack"
    shutil.copytree(PACKAGE_DIR, copy, ignore=ignore)
    (copy / "locale").mkdir()
    # Without settings, makemessages writes only into ./locale of the copy, never into the real catalogue.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", language, "--ignore", "migrations/*", "-v", "0"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    fresh = parse_po(copy / "locale" / language / "LC_MESSAGES" / "django.po")
    committed = {e.key: e for e in messages}
    missing = sorted((e.msgctxt or "", e.msgid) for e in fresh if e.msgid and e.key not in committed)
    assert not missing, (
        f"{len(missing)} msgid(s) in the code are not in the {language} catalogue; refresh it (see this module's "
        "docstring): "
        f"{missing[:20]}"
    )
    changed_plurals = [
        e.msgid for e in fresh if e.msgid and e.key in committed and e.msgid_plural != committed[e.key].msgid_plural
    ]
    assert not changed_plurals, f"plural forms changed in the code, refresh the catalogue: {changed_plurals}"


def _assert_russian_dashboard(body: str) -> None:
    assert '<html lang="ru">' in body
    with translation.override("ru"):
        dashboard, people = translation.gettext("Dashboard"), translation.gettext("People")
    assert dashboard == "Панель управления" and people == "Люди"
    assert f">{dashboard}</a>" in body and f">{people}</a>" in body  # the main menu
    heading = re.search(r"<h1>([^<]+)</h1>", body).group(1)
    assert re.fullmatch(r"[А-Яа-яЁё ]+", heading), heading  # the page's own heading too
    assert ">Dashboard</a>" not in body and ">People</a>" not in body


def test_language_cookie_renders_russian(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    _assert_russian_dashboard(response.content.decode())


def test_set_language_switches_to_russian_and_back(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    english = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in english and ">Dashboard</a>" in english

    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("home")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    body = client.get(response["Location"]).content.decode()
    _assert_russian_dashboard(body)

    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert ">Dashboard</a>" in client.get(reverse("home")).content.decode()


def _assert_kazakh_dashboard(body: str) -> None:
    assert '<html lang="kk">' in body
    with translation.override("kk"):
        dashboard, people = translation.gettext("Dashboard"), translation.gettext("People")
    assert dashboard == "Басқару тақтасы" and people == "Адамдар"
    assert f">{dashboard}</a>" in body and f">{people}</a>" in body  # the main menu
    heading = re.search(r"<h1>([^<]+)</h1>", body).group(1)
    assert re.fullmatch(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі ]+", heading), heading  # the page's own heading too
    assert ">Dashboard</a>" not in body and ">People</a>" not in body


def _switch(body: str) -> list[tuple[str, str]]:
    """(value, label) of the header's language buttons, in page order."""
    return re.findall(r'<button type="submit" name="language" value="(\w+)"[^>]*>([^<]+)</button>', body)


def test_switch_offers_kazakh_russian_english_in_that_order(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    body = client.get(reverse("home")).content.decode()
    assert _switch(body) == [("kk", "ҚАЗ"), ("ru", "РУС"), ("en", "ENG")]
    assert 'aria-current="true">ENG</button>' in body  # English stays the default


def test_language_cookie_renders_kazakh(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    _assert_kazakh_dashboard(body)
    assert 'aria-current="true">ҚАЗ</button>' in body


def test_set_language_switches_to_kazakh_and_back(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(reverse("set_language"), {"language": "kk", "next": reverse("home")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    _assert_kazakh_dashboard(client.get(response["Location"]).content.decode())

    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    english = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in english and ">Dashboard</a>" in english


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
        ("kk", "kk"),
        ("ru-RU,ru;q=0.9,kk;q=0.5", "ru"),
        ("de-DE,de;q=0.9", "en"),  # a language we do not have: the default, English
        ("", "en"),
    ],
)
def test_accept_language_picks_kazakh_when_the_browser_asks(client: Client, coordinator_a, header, expected):
    client.force_login(coordinator_a)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert f'<html lang="{expected}">' in body


def test_a_chosen_language_wins_over_the_browser(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    client.post(reverse("set_language"), {"language": "kk", "next": reverse("home")})
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    _assert_kazakh_dashboard(body)


def test_unknown_language_in_the_switch_changes_nothing(client: Client, coordinator_a):
    client.force_login(coordinator_a)
    client.post(reverse("set_language"), {"language": "kk", "next": reverse("home")})
    client.post(reverse("set_language"), {"language": "xx", "next": reverse("home")})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    _assert_kazakh_dashboard(client.get(reverse("home")).content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_form_errors_are_in_the_language(language):
    """Django's own messages (length, e-mail, choices) come from our catalogue where Django's Kazakh lacks them."""
    from django import forms

    class Form(forms.Form):
        name = forms.CharField(max_length=3)
        mail = forms.EmailField()
        choice = forms.ChoiceField(choices=[("a", "A")])
        count = forms.IntegerField(min_value=1)

    with translation.override(language):
        form = Form({"name": "abcdef", "mail": "x", "choice": "z", "count": "0"})
        assert not form.is_valid()
        errors = " ".join(str(e) for messages in form.errors.values() for e in messages)
    assert not re.search(r"[A-Za-z]{4,}", errors), errors  # no English sentence left
    if language == "kk":
        assert "таңба" in errors and "тандау" not in errors  # Django's own Kazakh misspells "таңдау"
