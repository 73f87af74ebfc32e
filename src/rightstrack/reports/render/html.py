"""HTML: one self-contained file (styles inline, charts as data: URIs) that prints well.

The same markup feeds the PDF renderer with `for_pdf=True`: footnotes then sit inline and WeasyPrint
floats them to the foot of the page (`float: footnote`); charts use the PNG rather than the SVG.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.utils.html import escape

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

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

BASE_CSS = """
body { font-family: "DejaVu Serif", "Noto Serif", Georgia, serif; font-size: 11pt; line-height: 1.45;
       color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 20pt; margin: 0 0 .3em; line-height: 1.2; }
h2 { font-size: 14pt; margin: 1.6em 0 .5em; }
h3 { font-size: 12pt; margin: 1.3em 0 .4em; }
h4, h5, h6 { font-size: 11pt; margin: 1.1em 0 .3em; }
h1, h2, h3, h4 { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; break-after: avoid; }
.subtitle { font-size: 13pt; margin: 0 0 .3em; }
.meta { color: #444; margin: 0 0 1.5em; }
.synthetic { border: 2px solid #b00020; color: #b00020; font-weight: bold; padding: .3em .6em;
             margin: 0 0 1em; font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
p.para { margin: 0 0 .7em; text-align: left; }
p.numbered { padding-left: 2.4em; text-indent: -2.4em; }
.num { display: inline-block; min-width: 2.4em; text-indent: 0; }
p.recommendation { font-weight: bold; }
p.quote { margin-left: 2.4em; font-style: italic; }
p.note { font-size: 9.5pt; color: #333; }
sup.fn-ref, sup.fn-sep { font-size: 70%; line-height: 0; }
sup.fn-ref a { text-decoration: none; }
figure { margin: 1em 0; break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption, caption { font-size: 9.5pt; color: #333; text-align: left; margin: .3em 0; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 9.5pt; }
th, td { border: 1px solid #999; padding: .25em .4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.chart-data { font-size: 8.5pt; }
.endnotes { border-top: 1px solid #999; margin-top: 2em; font-size: 9.5pt; }
.endnotes li { margin: 0 0 .25em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a { color: inherit; }
  .chart-data { display: none; }
}
"""

# WeasyPrint only: real footnotes at the foot of each page, page numbers, and the synthetic label on every page.
PDF_CSS = """
@page { size: A4; margin: 2.2cm 2cm 2.4cm;
        @bottom-center { content: counter(page); font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }
        @footnote { border-top: .5pt solid #666; padding-top: 4pt; } }
.fn { float: footnote; font-size: 8.5pt; line-height: 1.3; font-weight: normal; font-style: normal;
      text-indent: 0; color: #111; }
sup.fn-sep { font-size: 75%; }
.fn::footnote-call { content: counter(footnote); vertical-align: super; font-size: 75%; line-height: 0; }
.fn::footnote-marker { content: counter(footnote) ". "; }
"""


def _font_faces() -> str:
    """@font-face rules for DejaVu, so PDFs embed a font with Cyrillic and Kazakh letters on any machine."""
    if not DEJAVU.is_dir():
        return ""  # fontconfig's defaults are used instead
    faces = []
    for family, files in {
        "DejaVu Serif": {
            ("normal", "normal"): "DejaVuSerif.ttf",
            ("bold", "normal"): "DejaVuSerif-Bold.ttf",
            ("normal", "italic"): "DejaVuSerif-Italic.ttf",
            ("bold", "italic"): "DejaVuSerif-BoldItalic.ttf",
        },
        "DejaVu Sans": {
            ("normal", "normal"): "DejaVuSans.ttf",
            ("bold", "normal"): "DejaVuSans-Bold.ttf",
            ("normal", "italic"): "DejaVuSans-Oblique.ttf",
            ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
        },
    }.items():
        for (weight, style), name in files.items():
            path = DEJAVU / name
            if path.exists():
                faces.append(
                    f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                    f"src: url({path.as_uri()}); }}"
                )
    return "\n".join(faces)


def _text(value: str) -> str:
    """Escaped text with line breaks kept, without control characters (they garble the PDF's text)."""
    return escape(clean_text(value)).replace("\n", "<br>")


def build_html(document: Document, *, for_pdf: bool = False) -> str:
    """The document as one HTML string."""
    words = labels(document)
    out: list[str] = []
    endnotes: list[tuple[int, str]] = []
    css = BASE_CSS
    if for_pdf:
        css = _font_faces() + BASE_CSS + PDF_CSS
        if document.synthetic:
            label = words["synthetic"].replace("\\", "").replace('"', "'")
            css += (
                f'@page {{ @top-center {{ content: "{label}"; font-family: "DejaVu Sans", sans-serif; '
                "font-size: 8pt; color: #b00020; } }"
            )
    out.append(f'<!doctype html>\n<html lang="{escape(document.language or "en")}">\n<head>\n<meta charset="utf-8">')
    out.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    out.append(f"<title>{escape(document.title)}</title>\n<style>{css}</style>\n</head>\n<body>")
    if document.synthetic:
        out.append(f'<p class="synthetic" role="note">{escape(words["synthetic"])}</p>')
    out.append(f"<header>\n<h1>{escape(document.title)}</h1>")
    if document.subtitle:
        out.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    meta = meta_line(document)
    if meta:
        out.append(f'<p class="meta">{escape(meta)}</p>')
    out.append("</header>")
    for item in walk(document):
        if isinstance(item, Heading):
            level = min(item.level + 1, 6)
            anchor = f' id="{escape(item.section.key)}"' if item.section.key else ""
            out.append(f"<h{level}{anchor}>{escape(item.section.title)}</h{level}>")
        elif isinstance(item, NumberedParagraph):
            para = item.paragraph
            classes = ["para"] + (["numbered"] if item.number else []) + ([para.style] if para.style else [])
            ident = f' id="p-{item.number}"' if item.number else ""
            html = f'<p class="{" ".join(classes)}"{ident}>'
            if item.number:
                html += f'<span class="num">{item.number}.</span>'
            html += _text(para.text)
            for i, (n, note) in enumerate(item.footnotes):
                if i:
                    html += '<sup class="fn-sep">,</sup>'  # so notes 2 and 3 do not read as 23
                if for_pdf:
                    html += f'<span class="fn">{_text(footnote_text(note))}</span>'
                else:
                    html += f'<sup class="fn-ref"><a href="#fn-{n}" id="fnref-{n}">{n}</a></sup>'
                    endnotes.append((n, footnote_text(note)))
            out.append(html + "</p>")
        elif isinstance(item, NumberedTable):
            table = item.table
            out.append("<table>")
            caption = f"{words['table']} {item.number}" + (f". {table.caption}" if table.caption else "")
            out.append(f"<caption>{escape(caption)}</caption>")
            out.append(
                "<thead><tr>" + "".join(f"<th scope='col'>{escape(h)}</th>" for h in table.headers) + "</tr></thead>"
            )
            out.append("<tbody>")
            for row in table.rows:
                out.append("<tr>" + "".join(f"<td>{_text(str(cell))}</td>" for cell in row) + "</tr>")
            out.append("</tbody></table>")
        elif isinstance(item, NumberedFigure):
            chart = item.figure.chart
            src = "data:image/png;base64," + base64.b64encode(chart.png).decode() if for_pdf else chart.data_uri
            caption = f"{words['figure']} {item.number}. " + (item.figure.caption or chart.title)
            out.append(f'<figure><img src="{src}" alt="{escape(chart.alt)}">')
            out.append(f"<figcaption>{escape(caption)}</figcaption></figure>")
            if chart.rows and not for_pdf:
                # The data behind the picture, for screen readers and for anyone who needs the numbers.
                out.append('<table class="chart-data">')
                for row in chart.rows:
                    out.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>")
                out.append("</table>")
    if endnotes:
        out.append(f'<section class="endnotes" aria-label="{escape(words["notes"])}">')
        out.append(f"<h2>{escape(words['notes'])}</h2><ol>")
        for n, text in endnotes:
            out.append(f'<li id="fn-{n}">{_text(text)} <a href="#fnref-{n}" aria-label="↩ {n}">↩</a></li>')
        out.append("</ol></section>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def render_html(document: Document) -> bytes:
    return build_html(document).encode("utf-8")
