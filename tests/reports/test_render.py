"""Renderers: each format opened with its own reader and checked for headings, numbering, footnotes, Cyrillic."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

from rightstrack.core.errors import InvalidInput
from rightstrack.reports.document import Document, Footnote, Paragraph, Section
from rightstrack.reports.render import FORMATS, render
from rightstrack.reports.render.layout import NumberedParagraph, walk

from .samples import sample_document


def test_numbering_is_continuous_across_sections_and_skips_unnumbered():
    items = [i for i in walk(sample_document()) if isinstance(i, NumberedParagraph)]
    assert [i.number for i in items] == [1, 2, 3, None, 4]
    assert [n for i in items for n, _note in i.footnotes] == [1, 2, 3, 4]


def test_unknown_format_is_refused():
    with pytest.raises(InvalidInput, match="Unknown format"):
        render(sample_document(), "rtf")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_returns_bytes_type_and_extension(fmt):
    content, content_type, extension = render(sample_document(), fmt)
    assert content and isinstance(content, bytes)
    assert content_type == FORMATS[fmt][0]
    assert extension == fmt


def test_html_is_self_contained_with_print_css_and_endnotes():
    html = render(sample_document(), "html")[0].decode()
    assert "@media print" in html
    assert "<h1>Alternative report / Альтернативный доклад</h1>" in html
    assert '<h2 id="art-14">' in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "http://" not in html.replace("https://example.org/a", "")  # nothing fetched from outside
    assert '<li id="fn-3">Отчёт коалиции, с. 12' in html
    assert '<p class="synthetic"' in html
    assert '<span class="num">4.</span>' in html


def test_html_escapes_record_text():
    doc = Document(title="<script>x</script>", sections=[Section("S", [Paragraph("<b>bold</b> & co")])])
    html = render(doc, "html")[0].decode()
    assert "<script>x" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html


def test_real_document_has_no_synthetic_label():
    for fmt in ("html", "md"):
        assert b"Synthetic" not in render(sample_document(synthetic=False), fmt)[0]


def test_markdown_footnotes_numbers_and_escaping():
    md = render(sample_document(), "md")[0].decode()
    assert "## Article 14 — Fair trial / Справедливое судебное разбирательство" in md
    assert "3. Journalists were detained while covering protests." in md
    assert "[^2][^3]" in md
    assert "[^3]: Отчёт коалиции, с. 12" in md
    assert "| Алматы | 12 |" in md
    doc = Document(title="T", sections=[Section("S", [Paragraph("# not a heading [^9] *x*")])])
    assert "1. \\# not a heading \\[^9\\] \\*x\\*" in render(doc, "md")[0].decode()


def _docx(document: Document) -> tuple[WordDocument, zipfile.ZipFile]:
    content = render(document, "docx")[0]
    return WordDocument(io.BytesIO(content)), zipfile.ZipFile(io.BytesIO(content))


def test_docx_headings_numbered_paragraphs_and_real_footnotes():
    word, package = _docx(sample_document())
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        ("Title", "Alternative report / Альтернативный доклад"),
        ("Heading 1", "Article 14 — Fair trial / Справедливое судебное разбирательство"),
        ("Heading 1", "Article 19 — Freedom of expression"),
    ]
    numbered = [p for p in word.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.text for p in numbered][2] == "Journalists were detained while covering protests."
    assert len(numbered) == 4
    assert len({p._p.pPr.numPr.numId.val for p in numbered}) == 1  # one list: numbering runs on across sections
    # Footnote references in the body and the footnotes part they point to.
    refs = [int(r.get(qn("w:id"))) for p in word.paragraphs for r in p._p.iter(qn("w:footnoteReference"))]
    assert refs == [1, 2, 3, 4]
    footnotes = package.read("word/footnotes.xml").decode()
    assert 'w:id="3"' in footnotes and "Отчёт коалиции, с. 12" in footnotes
    assert "footnotes" in package.read("word/_rels/document.xml.rels").decode()
    assert "wordprocessingml.footnotes+xml" in package.read("[Content_Types].xml").decode()
    assert len(word.inline_shapes) == 1  # the chart as a picture
    assert word.tables[0].rows[1].cells[0].text == "Алматы"
    assert "Synthetic demo data" in word.sections[0].header.paragraphs[0].text


def test_docx_survives_control_characters_and_has_no_footnotes_part_without_notes():
    doc = Document(title="T\x07", sections=[Section("S", [Paragraph("bell\x07 text")])])
    word, package = _docx(doc)
    assert any(p.text == "bell text" for p in word.paragraphs)
    assert "word/footnotes.xml" not in package.namelist()


def test_pdf_has_pages_cyrillic_kazakh_footnotes_and_embedded_fonts():
    reader = PdfReader(io.BytesIO(render(sample_document(), "pdf")[0]))
    assert len(reader.pages) > 0
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Альтернативный доклад" in text
    assert "Қазақстан" in text
    assert "Отчёт коалиции, с. 12" in text  # the footnote is printed
    assert "Synthetic demo data" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVu" in name for name in fonts)


def test_pdf_does_not_fetch_remote_images():
    doc = Document(title="T", sections=[Section("S", [Paragraph("x", footnotes=[Footnote("n")])])])
    from rightstrack.reports.render.pdf import _fetcher

    with pytest.raises(ValueError):
        _fetcher().fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        _fetcher().fetch("http://127.0.0.1:9/x.png")
    assert render(doc, "pdf")[0].startswith(b"%PDF")
