"""Segmentation: numbering, headings, sections, language of passages, title."""

from __future__ import annotations

from rightstrack.ingest.language import dominant, identify
from rightstrack.ingest.normalise import paragraphs
from rightstrack.ingest.readers import Page
from rightstrack.ingest.segment import segment, title

DOC = """# Statement on the periodic report

## Right to life (Article 6 of the ICCPR)

- 1. The first paragraph about the events of January.
- **2.** The second paragraph with more facts.

8. An eighth paragraph after a gap.

**9.** A ninth paragraph.

12) A twelfth paragraph in another style.

### **Recommendations (Article 6 of the ICCPR):**

- to review the rules on the use of force;
- to investigate every death.

Article 9

13. Detention is used too often.

ii. Access to justice

New developments

- a. To introduce a new procedure.
"""


def _blocks(text: str = DOC):
    lines = paragraphs([Page(None, text)])
    return segment(lines), lines


def test_paragraph_numbers_in_all_styles() -> None:
    blocks, _ = _blocks()
    numbers = [b.number for b in blocks if b.marker == "digit"]
    assert numbers == ["1", "2", "8", "9", "12", "13"]


def test_headings_and_sections() -> None:
    blocks, lines = _blocks()
    headings = [(b.level, b.text) for b in blocks if b.kind == "heading"]
    assert headings == [
        ("section", "Statement on the periodic report"),
        ("section", "Right to life (Article 6 of the ICCPR)"),
        ("rec", "Recommendations (Article 6 of the ICCPR)"),
        ("section", "Article 9"),
        ("section", "ii. Access to justice"),
        ("sub", "New developments"),
    ]
    by_text = {b.text: b for b in blocks}
    assert (
        by_text["The first paragraph about the events of January."].section == "Right to life (Article 6 of the ICCPR)"
    )
    assert by_text["Detention is used too often."].section == "Article 9"
    assert by_text["To introduce a new procedure."].section == "ii. Access to justice"
    assert by_text["To introduce a new procedure."].number == "a"
    assert title(blocks, lines) == "Statement on the periodic report"


def test_passage_indices_skip_headings() -> None:
    blocks, _ = _blocks()
    passages = [b for b in blocks if b.kind != "heading"]
    assert [b.passage for b in passages] == list(range(len(passages)))


def test_numbers_that_do_not_fit_the_sequence_are_text() -> None:
    blocks, _ = _blocks("1. First paragraph of text.\n\n2022. The year in which it happened.")
    assert [b.number for b in blocks] == ["1", None]


def test_title_skips_dates_and_breadcrumbs() -> None:
    text = "• Home\n• >\n\nKazakhstan\n05.10.22\nStatements\n\nKazakhstan: Facing the facts or not?\n\nBody."
    blocks, lines = _blocks(text)
    assert title(blocks, lines) == "Kazakhstan: Facing the facts or not?"


def test_language_identification() -> None:
    assert identify("The Committee examined the report of the State party on torture.") == "en"
    assert identify("Комитет рассмотрел доклад государства-участника о применении пыток.") == "ru"
    assert identify("Қазақстан Республикасы адам құқықтары жөніндегі баяндаманы ұсынды және талқылады.") == "kk"
    assert identify("Le Comité a examiné le rapport de la République du Kazakhstan et des ONG.") == "und"
    assert identify("OK") == "und"
    assert dominant([("en", 100), ("ru", 20), ("und", 500)]) == "en"
    assert dominant([]) == "und"


def test_passage_language_is_recorded() -> None:
    blocks, _ = _blocks("Суд рассмотрел дело в закрытом режиме без объяснения причин.\n\nThe court heard the case.")
    assert [b.language for b in blocks] == ["ru", "en"]
