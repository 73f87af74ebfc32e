"""Layout-aware reading, paragraph numbering and symbols, measured on synthetic documents (layoutgen).

The goals of issue 17 for every layout, language and format: numbered-paragraph recall >= 0.95 and
document-symbol F1 >= 0.98. Figures, sides and recommendations are printed by bench/ingest_gold.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import layoutgen
import pytest

from rightstrack.ingest import readers
from rightstrack.ingest.detect.symbols import find_symbols
from rightstrack.ingest.errors import UnreadableText
from rightstrack.ingest.normalise import paragraphs
from rightstrack.ingest.pipeline import extract, extract_text
from rightstrack.ingest.readers import Page
from rightstrack.ingest.segment import segment


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import docgen

    if not docgen.have_fonts():
        pytest.skip("DejaVu fonts are not installed")
    return tmp_path_factory.mktemp("layouts")


@pytest.mark.parametrize(("layout", "language", "fmt"), layoutgen.cases())
def test_layout_goals(folder: Path, layout: str, language: str, fmt: str) -> None:
    path, answers = layoutgen.build(layout, language, fmt, folder)
    scores = layoutgen.score(extract(path), answers)
    assert scores["paragraphs"]["r"] >= 0.95, scores["paragraphs"]
    assert scores["paragraphs"]["p"] >= 0.95, scores["paragraphs"]
    assert scores["symbols"]["f1"] >= 0.98, scores["symbols"]
    # Lettered sub-items carry their paragraph: "9 (a)", never a bare "a".
    assert scores["subitems"]["r"] >= 0.6, scores["subitems"]


def _blocks(text: str) -> list:
    return segment(paragraphs([Page(None, text)]))


def _numbered(text: str) -> list[tuple[str, str]]:
    return [(b.number, b.label_source) for b in _blocks(text) if b.number]


def test_run_on_paragraphs_split_at_the_expected_number_only() -> None:
    text = (
        "1. The Committee met in 2023. 2. It notes article 4. The law applies. 3. The delegation said that "
        "12. Percentages are low. 4.The Committee welcomes the report."
    )
    # "article 4. The" and "that 12. Percentages" are not paragraph numbers: 4 comes after 3, 12 never.
    assert _numbered(text) == [("1", "own_line"), ("2", "inline"), ("3", "inline"), ("4", "inline")]
    texts = [b.text for b in _blocks(text)]
    assert texts[1] == "It notes article 4. The law applies."
    assert texts[3] == "The Committee welcomes the report."  # the glued "4.The" got its space


def test_number_after_a_sub_heading_on_the_same_line() -> None:
    blocks = _blocks(
        "I. Introduction 1. The Committee considered the report.\nA. Torture 2. The Committee is concerned."
    )
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "I. Introduction"),
        ("item", "The Committee considered the report."),
        ("heading", "A. Torture"),
        ("item", "The Committee is concerned."),
    ]
    assert [b.number for b in blocks if b.number] == ["1", "2"]


def test_roman_heading_is_not_a_sub_item_and_keeps_its_numeral() -> None:
    blocks = _blocks(
        "8. The State party should:\n(a) Ratify the Protocol;\n(b) Publish data.\nI. Follow-up\n9. Next text."
    )
    assert [b.number for b in blocks if b.kind != "heading"] == ["8", "8 (a)", "8 (b)", "9"]
    heading = next(b for b in blocks if b.kind == "heading")
    assert heading.text == "I. Follow-up"  # the numeral as printed
    assert heading.number is None  # a heading never takes the sub-item label "i"


def test_inline_sub_items_become_parts_of_their_paragraph() -> None:
    blocks = _blocks("12. The State party should: (a) Ensure access to a lawyer; (b) Publish statistics.")
    assert [(b.number, b.label_source) for b in blocks] == [
        ("12", "own_line"),
        ("12 (a)", "inline"),
        ("12 (b)", "inline"),
    ]
    assert blocks[1].text == "Ensure access to a lawyer;"


def test_number_alone_on_its_line_and_job_number_glued_to_heading() -> None:
    text = "3. The first paragraph.\n\n4.\nThe Committee notes the report.\n\nGE.16-12345(E) II. Concerns\n\n5. More."
    blocks = _blocks(text)
    assert [b.number for b in blocks if b.number] == ["3", "4", "5"]
    assert [b.text for b in blocks if b.kind == "heading"] == ["II. Concerns"]
    assert not any("GE.16" in b.text for b in blocks)


def test_upr_report_numbering_inline() -> None:
    text = "Recommendations supported 139.61 Ratify the Protocol (Mongolia); 139.62 Adopt a law (Iceland)."
    assert [b.number for b in _blocks(text) if b.number] == ["139.61", "139.62"]


def test_latin_look_alikes_in_cyrillic_passages_are_made_cyrillic() -> None:
    # "Kомитет" and "рекомендуeт" typed with a Latin K and e; the symbol stays Latin.
    blocks = _blocks("1. Kомитет рекомендуeт (CCPR/C/KAZ/CO/2) принять закон.")
    assert blocks[0].text == "Комитет рекомендует (CCPR/C/KAZ/CO/2) принять закон."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CERD/C/KAZ/CO/8-10.", ["CERD/C/KAZ/CO/8-10"]),
        ("meetings (CCPR/C/SR.3271 and 3272)", ["CCPR/C/SR.3271", "CCPR/C/SR.3272"]),
        ("заседаниях (CCPR/C/SR.3271 и 3272)", ["CCPR/C/SR.3271", "CCPR/C/SR.3272"]),
        ("отырыстарында (CCPR/C/SR.3271 және 3272)", ["CCPR/C/SR.3271", "CCPR/C/SR.3272"]),
        ("A/HRC/43/10/Add. 1 and A/HRC/WG.6/48/L.10", ["A/HRC/43/10/Add.1", "A/HRC/WG.6/48/L.10"]),
        ("CCPR/C/KAZ/CO/2/Corr.1; E/C.12/KAZ/CO/2/Rev.1", ["CCPR/C/KAZ/CO/2/Corr.1", "E/C.12/KAZ/CO/2/Rev.1"]),
        ("(CCPR/C/KAZ/ CO/2) split at a line end", ["CCPR/C/KAZ/CO/2"]),
        ("CCPR/C/SR. 3271 broken after the dot", ["CCPR/C/SR.3271"]),
        ("CERD/C/KAZ/CO/8-10-да көрсетілген", ["CERD/C/KAZ/CO/8-10"]),
        # An implied number must look like the symbol's own: not "2 and 15 other reports".
        ("CCPR/C/KAZ/CO/2 and 15 other reports", ["CCPR/C/KAZ/CO/2"]),
        ("and/ or A/ B", []),
    ],
)
def test_symbol_forms(text: str, expected: list[str]) -> None:
    assert find_symbols(text) == expected


def test_two_column_pdf_reads_column_by_column_with_footnotes_apart(folder: Path) -> None:
    path, answers = layoutgen.build("two_columns", "en", "pdf", folder)
    result = extract(path)
    numbers = [p["number"] for p in result["passages"] if p["number"] and "(" not in p["number"]]
    assert numbers == answers.paragraphs  # in order: the left column before the right one
    assert {p["label_source"] for p in result["passages"] if p["number"]} <= {"layout", "own_line"}
    assert any(p["label_source"] == "layout" for p in result["passages"])


def test_pdf_footnotes_follow_the_text_linked_to_their_call(folder: Path) -> None:
    path, _ = layoutgen.build("footnotes", "en", "pdf", folder)
    passages = extract(path)["passages"]
    welcome = next(p for p in passages if p["number"] == "2")
    assert welcome["text"].endswith("(CCPR/C/KAZ/Q/3/Add.1).[1]")
    notes = [p for p in passages if p["text"].startswith("[")]
    assert [n["text"][:3] for n in notes] == ["[1]", "[2]"]
    assert notes[0]["number"] is None  # a footnote is never a numbered paragraph
    assert not any("GE.24" in p["text"] for p in passages)


def _garbage_pdf(pages: int) -> bytes:
    """A PDF whose font has no Unicode mapping: its text layer reads as (cid:N) garbage."""
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(pages))}] /Count {pages} >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /Broken /Encoding /Identity-H /DescendantFonts [<< /Type /Font "
        "/Subtype /CIDFontType2 /BaseFont /Broken /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
        "/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /Broken /Flags 4 /FontBBox "
        "[0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >> /DW 500 >>] >>",
    ]
    for i in range(pages):
        codes = "".join(f"{0x0100 + k * 7 % 900:04X}" for k in range(60))
        stream = "BT /F1 10 Tf 50 700 Td " + " ".join(f"<{codes}> Tj 0 -14 Td" for _ in range(30)) + " ET"
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>"
        )
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def test_broken_font_pdf_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)  # no OCR on this machine
    with pytest.raises(UnreadableText, match="unreadable on 2 of 2 pages"):
        extract_text(_garbage_pdf(2), "broken.pdf")


def test_one_broken_page_among_text_pages_leaves_a_note(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    good, _ = layoutgen.build("headers_footers", "en", "pdf", folder)
    writer = PdfWriter()
    for page in PdfReader(good).pages:
        writer.add_page(page)
    writer.add_page(PdfReader(io.BytesIO(_garbage_pdf(1))).pages[0])
    data = io.BytesIO()
    writer.write(data)
    result = extract_text(data.getvalue(), "mixed.pdf")
    pages = len(PdfReader(good).pages) + 1
    assert result["notes"] == [
        f"The text layer of page(s) {pages} is unreadable (broken fonts) and OCR could not read them: "
        "their text is missing from the passages."
    ]
    assert [p["number"] for p in result["passages"] if p["number"] == "1"] == ["1"]
    assert not any("(cid:" in p["text"] for p in result["passages"])


def test_many_footnotes_and_mixed_scripts_end_cleanly(folder: Path) -> None:
    """500 footnotes, right-to-left and mixed scripts: the reading ends, every footnote kept apart."""
    from weasyprint import HTML

    body = "".join(
        f"<p>{n}.\u2003Paragraph {n} of a synthetic report, in English, русский, қазақша and "
        f"\u0627\u0644\u0639\u0631\u0628\u064a\u0629 text.<span class='fn'>Synthetic note {n}.</span></p>"
        for n in range(1, 501)
    )
    css = (
        "@page { size: A4 } body { font-family: 'DejaVu Sans'; font-size: 10pt } "
        ".fn { float: footnote; font-size: 7.5pt } ::footnote-call { font-size: 6.5pt; vertical-align: super }"
    )
    path = folder / "notes500.pdf"
    HTML(string=f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>").write_pdf(
        str(path)
    )
    passages = extract(path)["passages"]
    numbered = [p["number"] for p in passages if p["number"]]
    assert numbered == [str(n) for n in range(1, 501)]
    assert passages[0]["text"].endswith("қазақша and العربية text.[1]")  # right-to-left words read in order
    notes = [p["text"] for p in passages if p["text"].startswith("[")]
    assert notes[:2] == ["[1] Synthetic note 1.", "[2] Synthetic note 2."]
    assert len(notes) == 500
