"""Build PDF and DOCX versions of plain-text documents for tests and benchmarks (never committed).

The text follows the corpus conventions: one paragraph per line, Markdown '#' headings and
'**bold**', and a blank line left mid-sentence where the original had a page break. The PDF gets a
real page break there, so the pipeline has to join the sentence back across pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# A synthetic alternative report, for tests that must not depend on ../shared/corpus. Its parts are
# combined deterministically, so the expected recommendations, symbols and UPR IDs are known exactly.
_ARTICLES = [
    ("9", "Liberty and security of person"),
    ("14", "Fair trial"),
    ("19", "Freedom of expression"),
    ("21", "Peaceful assembly"),
    ("22", "Freedom of association"),
    ("25", "Participation in public affairs"),
]
# The first finding of each section cites a document symbol, the second does not.
_CITING = [
    "In {year} the coalition's monitors attended {n} hearings in {city}; see {symbol}.",
    "The State's follow-up report to {symbol} does not say how many of the {n} complaints were examined.",
]
_PLAIN = [
    "Lawyers reported that {n} requests for a confidential meeting with a client were refused in {year}.",
    "Between January and June {year} at least {n} people were detained in {city} for less than 48 hours.",
]
_CITIES = ["Almaty", "Astana", "Shymkent", "Aktobe", "Karaganda", "Oral"]
_SYMBOLS = ["CCPR/C/KAZ/CO/2", "CAT/C/KAZ/CO/4", "A/HRC/43/10"]
_RECOMMENDATIONS = [
    "ensure that the rules on {topic} meet article {article} of the Covenant",
    "set up independent oversight of {topic}, with a public annual report",
    "examine every complaint about {topic} within {n} days and publish the outcome",
    "publish statistics on {topic}, broken down by region and by sex",
    "train judges, prosecutors and police officers in the standards on {topic}",
]


@dataclass(frozen=True)
class SyntheticReport:
    text: str
    recommendations: list[str]
    articles: list[str]
    symbols: list[str]
    upr_ids: list[str]
    numbered_passages: int


def synthetic_report(recommendations: int = 12) -> SyntheticReport:
    """An alternative report in the corpus conventions with ``recommendations`` recommendations.

    They are spread over sections of ICCPR articles (three each, one article per section, so at most
    18), and the second one of the first section is cut by a page break, which the reader has to join back.
    """
    if not 3 <= recommendations <= 3 * len(_ARTICLES):
        raise ValueError(f"from three to {3 * len(_ARTICLES)} recommendations")
    lines = [
        "# Alternative report to the Human Rights Committee (synthetic test document)",
        "",
        "*March 2025*",
        "",
        "1. This report follows up recommendations 139.61-139.63 and 139.80 of the third UPR cycle.",
        "",
    ]
    recs: list[str] = []
    articles: list[str] = []
    symbols: list[str] = []
    number = 1
    per_section = 3
    for section in range((recommendations + per_section - 1) // per_section):
        article, topic = _ARTICLES[section]
        articles.append(article)
        symbol = _SYMBOLS[section % len(_SYMBOLS)]
        if symbol not in symbols:
            symbols.append(symbol)
        lines += [f"# {topic} (Article {article} of the ICCPR)", ""]
        for templates in (_CITING, _PLAIN):
            number += 1
            finding = templates[section % 2].format(
                year=2021 + section % 4, n=12 + 7 * number, city=_CITIES[section % len(_CITIES)], symbol=symbol
            )
            lines += [f"{number}. {finding}", ""]
        lines += [f"### Recommendations (Article {article} of the ICCPR):", ""]
        for k in range(min(per_section, recommendations - len(recs))):
            i = len(recs)
            rec = _RECOMMENDATIONS[i % len(_RECOMMENDATIONS)].format(topic=topic.lower(), article=article, n=10 + i)
            rec += "." if k == per_section - 1 else ";"
            recs.append(rec)
            if i == 1:
                words = rec.split(" ")
                # A page break in mid-sentence: a blank line, then the rest in lower case.
                lines += [f"- {' '.join(words[:4])}", "", " ".join(words[4:]), ""]
            else:
                lines += [f"- {rec}", ""]
    return SyntheticReport(
        text="\n".join(lines),
        recommendations=recs,
        articles=articles,
        symbols=symbols,
        upr_ids=["139.61", "139.62", "139.63", "139.80"],
        numbered_passages=number,
    )
