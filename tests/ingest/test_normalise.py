"""Normalisation: characters, hyphenation, page breaks, markers and the homoglyph search key."""

from __future__ import annotations

import unicodedata

from rightstrack.ingest.normalise import (
    fold_homoglyphs,
    normalise_text,
    paragraphs,
    search_key,
    separate_marker,
)
from rightstrack.ingest.readers import Page


def _texts(*pages: str) -> list[str]:
    return [ln.text for ln in paragraphs([Page(i + 1, p) for i, p in enumerate(pages)])]


def test_nfc_and_invisible_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "Қазақстан é")
    assert normalise_text(decomposed) == "Қазақстан é"
    assert normalise_text("a\u00adb\u200bc\u00a0d ﬁle") == "abc d file"


def test_line_break_hyphenation_is_joined() -> None:
    text = "The authorities failed to provide adequate compen-\nsation to the victims of torture in the region."
    assert _texts(text) == [
        "The authorities failed to provide adequate compensation to the victims of torture in the region."
    ]


def test_compound_hyphen_is_kept() -> None:
    text = "Police dispersed the peaceful demonstration and the anti-\ngovernment protesters were detained overnight."
    assert "anti-government" in _texts(text)[0]


def test_hyphen_kept_when_document_spells_it_so() -> None:
    text = (
        "Courts use pre-trial detention far too often in this country and for too long.\n\n"
        "Courts continue to order pre-\ntrial detention for minor offences, the report says."
    )
    assert "order pre-trial detention" in _texts(text)[1]


def test_sentence_split_across_pages_is_joined() -> None:
    first = "1. The committee examined the situation of persons held in\n"
    second = "pre-trial detention and found serious problems.\n\n2. A second paragraph."
    out = paragraphs([Page(4, first), Page(5, second)])
    assert [ln.text for ln in out] == [
        "1. The committee examined the situation of persons held in pre-trial detention and found serious problems.",
        "2. A second paragraph.",
    ]
    assert out[0].page == 4 and out[1].page == 5


def test_blank_line_mid_sentence_is_a_page_break() -> None:
    text = "- to ensure that all officers receive training on the\n\nuse of force and firearms;\n- to publish data."
    assert _texts(text) == [
        "- to ensure that all officers receive training on the use of force and firearms;",
        "- to publish data.",
    ]


def test_page_numbers_and_running_headers_dropped() -> None:
    pages = [
        f"Alternative report 2025\nBody text line {n} about the trial.\nMore text here.\n- {n} -" for n in range(4)
    ]
    out = _texts(*pages)
    assert not any("Alternative report" in t or t.startswith("- ") for t in out)
    assert any("Body text line 2" in t for t in out)


def test_wrapped_lines_are_unwrapped_but_list_items_are_not() -> None:
    text = (
        "The monitoring covered more than four hundred hearings in five cities across the\n"
        "country over thirteen months.\n"
        "- first item\n"
        "- second item"
    )
    assert _texts(text) == [
        "The monitoring covered more than four hundred hearings in five cities across the country"
        " over thirteen months.",
        "- first item",
        "- second item",
    ]


def test_one_paragraph_per_line_files_are_not_merged() -> None:
    long_a = "A" + " word" * 60 + "."
    long_b = "Another" + " word" * 55 + "."
    assert len(_texts(f"{long_a}\n{long_b}")) == 2


def test_markers_separated_from_text() -> None:
    cases = {
        "- 12. Text": ("digit", "12", "Text"),
        "- **2.** Text": ("digit", "2", "Text"),
        "**37.** Text": ("digit", "37", "Text"),
        "12) Text": ("digit", "12", "Text"),
        "(a) Text": ("letter", "a", "Text"),
        "b. Text": ("letter", "b", "Text"),
        "iv. Text": ("roman", "iv", "Text"),
        "•Text": ("bullet", "-", "Text"),
        "– text": ("bullet", "-", "text"),
        "139.61 Ratify the Convention": ("digit", "139.61", "Ratify the Convention"),
    }
    for line, (kind, label, rest) in cases.items():
        marker, text = separate_marker(line)
        assert marker is not None, line
        assert (marker.kind, marker.label, text) == (kind, label, rest), line
    assert separate_marker("*May 2025*") == (None, "*May 2025*")
    assert separate_marker("2.5 times more")[0] is None


def test_search_key_folds_homoglyphs() -> None:
    title = "Kazakhstan: F\u0430cing the facts"  # Cyrillic а in "Facing"
    assert "facing" in search_key(title)
    assert search_key(title) == search_key("Kazakhstan: Facing the facts")
    assert fold_homoglyphs(title) == "Kazakhstan: Facing the facts"
    # Display text is left alone; only the key is folded.
    assert "\u0430" in title


def test_search_key_folds_latin_into_cyrillic_words() -> None:
    assert fold_homoglyphs("Kaзахстан") == "Казахстан"  # Latin K and a in a Cyrillic word
    assert search_key("Казахстан") == search_key("Kaзахстан")
    assert search_key("Ёлка") == "елка"


def test_single_script_words_untouched() -> None:
    assert fold_homoglyphs("CAT and суд") == "CAT and суд"


def test_inline_enumeration_cut_by_a_page_break_is_joined() -> None:
    first = "12. Problems were noted: (a) delays in access to a lawyer; (b) long detention; (c) no records;"
    second = "(d) deleted video recordings; (e) no medical examinations.\n\n13. Next paragraph."
    out = paragraphs([Page(3, first), Page(4, second)])
    assert [ln.text[:3] for ln in out] == ["12.", "13."]
    assert out[0].text.endswith("(e) no medical examinations.")


def test_separate_lettered_items_stay_separate() -> None:
    out = _texts("(a) to ratify the protocol;\n\n(b) to repeal the law;\n\n(c) to publish data.")
    assert len(out) == 3
