"""Build PDF and DOCX versions of plain-text documents for tests and benchmarks (never committed).

The text follows the corpus conventions: one paragraph per line, Markdown '#' headings and
'**bold**', and a blank line left mid-sentence where the original had a page break. The PDF gets a
real page break there, so the pipeline has to join the sentence back across pages.
"""

from __future__ import annotations

import re
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_TERMINAL = tuple('.;:!?")*')


def have_fonts() -> bool:
    return (FONT_DIR / "DejaVuSans.ttf").exists() and (FONT_DIR / "DejaVuSans-Bold.ttf").exists()


def _page_breaks(lines: list[str]) -> list[tuple[str, bool]]:
    """Each non-blank line with True when a page break (blank line mid-sentence) comes before it."""
    out: list[tuple[str, bool]] = []
    blank = False
    for line in lines:
        if not line.strip():
            blank = True
            continue
        prev = out[-1][0].rstrip() if out else ""
        out.append((line, bool(blank and prev and not prev.endswith(_TERMINAL) and line[:1].islower())))
        blank = False
    return out


def _segments(line: str) -> list[tuple[str, bool]]:
    """Split '**bold** text' into (text, bold) runs."""
    parts = line.split("**")
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def text_to_pdf(text: str, path: Path, *, repeat: int = 1, min_pages: int = 0) -> Path:
    """Render ``text`` (``repeat`` times, or until ``min_pages``) to a text-layer PDF."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    lines = _page_breaks(text.split("\n"))
    done = 0
    while done < repeat or pdf.page_no() < min_pages:
        for line, page_break in lines:
            if page_break:
                pdf.add_page()
            heading = re.match(r"^#{1,6}\s+(.*)$", line)
            if heading:
                pdf.set_font("DejaVu", "B", 12)
                pdf.multi_cell(0, 6, heading.group(1).replace("**", ""), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
                continue
            line = re.sub(r"^\*([^*].*[^*])\*\s*$", r"\1", line)
            for segment, bold in _segments(line):
                pdf.set_font("DejaVu", "B" if bold else "", 10)
                pdf.write(5, segment)
            pdf.ln(5)
            pdf.ln(3)
            if min_pages and done >= repeat and pdf.page_no() >= min_pages:
                break
        done += 1
    pdf.output(str(path))
    return path


def text_to_docx(text: str, path: Path, *, repeat: int = 1) -> Path:
    """Write ``text`` as a DOCX: headings as Heading styles, plain bullets as 'List Bullet'."""
    import docx

    document = docx.Document()
    for _ in range(repeat):
        for raw in text.split("\n"):
            heading = re.match(r"^(#{1,6})\s+(.*)$", raw)
            if heading:
                document.add_heading(heading.group(2).replace("**", ""), level=len(heading.group(1)))
                continue
            line = re.sub(r"^\*([^*].*[^*])\*\s*$", r"\1", raw)
            style = None
            # Plain bullets become Word list paragraphs; numbered ones keep their literal number,
            # as in most real submissions.
            if re.match(r"^- (?!\**\d+\.)", line):
                style, line = "List Bullet", line[2:]
            paragraph = document.add_paragraph(style=style)
            for segment, bold in _segments(line):
                paragraph.add_run(segment).bold = bold or None
    document.save(str(path))
    return path
