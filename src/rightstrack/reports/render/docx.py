"""DOCX through python-docx: Word headings, auto-numbered paragraphs, real footnotes, tables and chart images.

python-docx has no footnote API, so the footnotes part (`word/footnotes.xml`) is written here from XML
and linked to the main document part; each reference is a `w:footnoteReference` run, so Word and
LibreOffice show them as ordinary footnotes that renumber when the text is edited.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape as xml_escape

from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from ..document import Document
from .layout import (
    Heading,
    NumberedFigure,
    NumberedParagraph,
    NumberedTable,
    clean_text,
    footnote_text,
    labels,
    meta_line,
    walk,
)

PARAGRAPH_STYLE = "Numbered Paragraph"
_clean = clean_text


def _setup_styles(word: WordDocument) -> None:
    styles = word.styles
    normal = styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(11)
    numbered = styles.add_style(PARAGRAPH_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.paragraph_format.space_after = Pt(6)
    text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = normal
    text.font.size = Pt(9)
    text.paragraph_format.space_after = Pt(0)
    reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True
    note = styles.add_style("Report Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9.5)


def _add_numbering(word: WordDocument) -> int:
    """A decimal list "1." with a hanging indent, used by every numbered paragraph; returns its numId."""
    numbering = word.part.numbering_part.element
    ids = [int(el.get(qn("w:abstractNumId"))) for el in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="567"/></w:tabs>'
        '<w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl></w:abstractNum>'
    )
    # The schema wants every abstractNum before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return numbering.add_num(abstract_id).numId


def _footnote_reference(paragraph, footnote_id: int) -> None:
    run = paragraph.add_run()
    run.style = "Footnote Reference"
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{footnote_id}"/>'))


def _footnotes_part(word: WordDocument, notes: list[tuple[int, str]]) -> None:
    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for n, text in notes:
        body.append(
            f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {xml_escape(_clean(text))}</w:t></w:r></w:p></w:footnote>'
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:footnotes {nsdecls('w', 'r')}>" + "".join(body) + "</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)


def render_docx(document: Document) -> bytes:
    words = labels(document)
    word = WordDocument()
    _setup_styles(word)
    num_id = _add_numbering(word)
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    word.core_properties.title = _clean(document.title)
    word.core_properties.language = document.language or "en"
    word.core_properties.author = _clean(", ".join(document.authors))

    if document.synthetic:
        # On every page (header) and on the first page (body), so a printout can never pass as real.
        header = section.header.paragraphs[0]
        header.text = words["synthetic"]
        header.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        label = word.add_paragraph()
        run = label.add_run(words["synthetic"])
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)

    word.add_heading(_clean(document.title), level=0)
    if document.subtitle:
        word.add_paragraph(_clean(document.subtitle), style="Subtitle")
    meta = meta_line(document)
    if meta:
        word.add_paragraph(_clean(meta))

    notes: list[tuple[int, str]] = []
    for item in walk(document):
        if isinstance(item, Heading):
            word.add_heading(_clean(item.section.title), level=min(item.level, 9))
        elif isinstance(item, NumberedParagraph):
            para = item.paragraph
            style = {"quote": "Quote", "note": "Report Note"}.get(para.style, PARAGRAPH_STYLE if item.number else None)
            paragraph = word.add_paragraph(style=style)
            run = paragraph.add_run(_clean(para.text))
            if para.style == "recommendation":
                run.bold = True
            if item.number:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            for i, (n, note) in enumerate(item.footnotes):
                if i:
                    paragraph.add_run(",").font.superscript = True  # so notes 2 and 3 do not read as 23
                _footnote_reference(paragraph, n)
                notes.append((n, footnote_text(note)))
        elif isinstance(item, NumberedTable):
            table = item.table
            caption = f"{words['table']} {item.number}" + (f". {table.caption}" if table.caption else "")
            word.add_paragraph(_clean(caption), style="Caption")
            columns = max([len(table.headers)] + [len(row) for row in table.rows]) or 1
            grid = word.add_table(rows=1 + len(table.rows), cols=columns)
            grid.style = "Table Grid"
            for r, values in enumerate([table.headers, *table.rows]):
                cells = grid.rows[r].cells
                for c, value in enumerate(values[:columns]):
                    cells[c].text = _clean(value)
                    if r == 0:
                        for run in cells[c].paragraphs[0].runs:
                            run.bold = True
            # Repeat the header row on each page.
            grid.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        elif isinstance(item, NumberedFigure):
            chart = item.figure.chart
            word.add_picture(io.BytesIO(chart.png), width=Cm(16))
            picture = word.paragraphs[-1]
            doc_pr = picture._p.find(".//" + qn("wp:docPr"))
            if doc_pr is not None:
                doc_pr.set("descr", _clean(chart.alt))  # alt text for screen readers
            caption = f"{words['figure']} {item.number}. " + (item.figure.caption or chart.title)
            word.add_paragraph(_clean(caption), style="Caption")

    if notes:
        _footnotes_part(word, notes)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
