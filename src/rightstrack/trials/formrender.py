"""HTML of one answer form of the checklist (the page's hot path: up to 500 per page).

Written in Python rather than as an included template: a template include per form cost about 2 ms, so a
full checklist (50 questions × 10 defendants) took over half a second; this renders it in a few
milliseconds. The page template and the HTMX autosave response both use it, so there is one markup.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import AnswerType, option_text

MISSING_CHOICES = ("not_observed", "not_applicable")


def escape(value: Any) -> str:
    # The standard library's escape: Django's lazy-aware one is several times slower per call here.
    return html.escape(str(value), quote=True)


@lru_cache(maxsize=8)
def _labels(language: str) -> dict[str, str]:
    # Cached per language: the same few strings are used by every form of the page.
    return {
        "yes": escape(_("Yes")),
        "no": escape(_("No")),
        "not_observed": escape(_("Not observed")),
        "not_applicable": escape(_("N/A")),
        "answer": escape(_("Answer")),
        "note": escape(_("Note")),
        "saved": escape(_("Saved")),
        "auto": escape(_("Not applicable (set automatically)")),
        "minutes": escape(_("Minutes")),
        "number": escape(_("Number")),
        "save": escape(_("Save")),
    }


def _radio(name_value: str, label: str, current: str) -> str:
    checked = " checked" if current == name_value else ""
    return f'<label><input type="radio" name="value" value="{escape(name_value)}"{checked}> {label}</label>'


def answer_form(item: dict[str, Any], *, action: str, group: str) -> SafeString:
    """One answer form: hidden keys, the controls for the answer type, a note, and the save state."""
    language = (get_language() or "en")[:2]
    labels = _labels(language)
    indicator = item["indicator"]
    defendant = item["defendant"]
    value = item["value"] or ""
    dom_id = item["dom_id"]
    error = item.get("error") or ""
    out = [
        f'<form class="answer{" has-error" if error else ""}" id="{dom_id}" method="post" action="{action}" '
        f'hx-post="{action}" hx-trigger="change, submit" hx-swap="outerHTML"'
        f"{' hx-swap-oob=' + chr(34) + 'true' + chr(34) if item.get('oob') else ''}>",
        f'<input type="hidden" name="indicator" value="{escape(indicator.code)}">'
        f'<input type="hidden" name="group" value="{escape(group)}">',
    ]
    if defendant is not None:
        out.append(f'<input type="hidden" name="defendant" value="{defendant.pk}">')
    legend = escape(defendant.label) if defendant is not None else labels["answer"]
    out.append(f"<fieldset><legend>{legend}</legend>")
    kind = indicator.type
    if kind == AnswerType.YES_NO:
        out.append('<div class="choices">')
        for code in ("yes", "no", *MISSING_CHOICES):
            out.append(_radio(code, labels[code], value))
        out.append("</div>")
    elif kind == AnswerType.CHOICE:
        out.append('<div class="choices list">')
        for option in indicator.options:
            text = option_text(option, language)
            out.append(_radio(option["code"], escape(text), value))
        for code in MISSING_CHOICES:
            out.append(_radio(code, labels[code], value))
        out.append("</div>")
    elif kind == AnswerType.TEXT:
        out.append(
            f'<label class="visually-hidden" for="{dom_id}-v">{labels["answer"]}</label>'
            f'<textarea id="{dom_id}-v" name="value" rows="3" maxlength="5000">{escape(value)}</textarea>'
        )
    else:
        unit = labels["minutes"] if kind == AnswerType.DURATION else (escape(indicator.unit) or labels["number"])
        number = "" if value in MISSING_CHOICES else escape(value)
        out.append(
            f'<div class="choices"><label class="number">{unit} <input type="number" name="value" min="0" '
            f'max="100000" inputmode="numeric" value="{number}"></label>'
        )
        for code in MISSING_CHOICES:
            out.append(_radio(code, labels[code], value))
        out.append("</div>")
    note = item.get("note") or ""
    out.append(
        f'<details class="note"{" open" if note else ""}><summary>{labels["note"]}</summary>'
        f'<label class="visually-hidden" for="{dom_id}-n">{labels["note"]}</label>'
        f'<textarea id="{dom_id}-n" name="note" rows="2" maxlength="2000">{escape(note)}</textarea></details>'
        "</fieldset>"
    )
    answer = item.get("answer")
    if error:
        state = f'<span class="error">{escape(error)}</span>'
    elif answer is not None and answer.auto:
        state = labels["auto"]
    elif item.get("saved"):
        state = f"{labels['saved']} ✓"
    else:
        state = ""
    out.append(f'<p class="state" role="status">{state}</p>')
    out.append(f'<noscript><button type="submit">{labels["save"]}</button></noscript></form>')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
