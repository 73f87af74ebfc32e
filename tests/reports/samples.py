"""Sample documents for renderer tests and the bench."""

from __future__ import annotations

from rightstrack.core.charts import bar_chart
from rightstrack.reports.document import Document, Figure, Footnote, Paragraph, Section, Table


def sample_document(*, language: str = "en", synthetic: bool = True, charts: bool = True) -> Document:
    """Two article sections, Cyrillic and Kazakh text, footnotes, a table and a chart."""
    chart = bar_chart(["Алматы", "Астана", "Шымкент"], [12, 5, 3], title="Hearings observed / Наблюдения")
    first = Section(
        title="Article 14 — Fair trial / Справедливое судебное разбирательство",
        key="art-14",
        blocks=[
            Paragraph(
                "Monitors observed 20 hearings in 2022; defendants were held in glass cages.",
                key="art-14-p1",
                footnotes=[Footnote("Monitoring database, hearing records 2022, para. 3", url="https://example.org/a")],
            ),
            Paragraph(
                "Наблюдатели зафиксировали нарушения в Алматы. Қазақстан: ә ғ қ ң ө ұ ү һ і.",
                key="art-14-p2",
                footnotes=[Footnote("CCPR/C/KAZ/CO/2, para. 34"), Footnote("Отчёт коалиции, с. 12")],
            ),
            Table(headers=["City", "Hearings"], rows=[["Алматы", "12"], ["Астана", "5"]], caption="Hearings by city"),
        ]
        + ([Figure(chart, caption="Hearings observed by city")] if charts else []),
    )
    second = Section(
        title="Article 19 — Freedom of expression",
        key="art-19",
        blocks=[
            Paragraph("Journalists were detained while covering protests.", key="art-19-p1"),
            Paragraph("A note without a number.", numbered=False, style="note"),
            Paragraph(
                "Release all persons detained for peaceful expression.",
                key="art-19-rec1",
                style="recommendation",
                footnotes=[Footnote("A/HRC/44/10, rec. 139.61")],
            ),
        ],
    )
    return Document(
        title="Alternative report / Альтернативный доклад",
        subtitle="Kazakhstan, 2022",
        authors=["Coalition"],
        date="2024-05-01",
        language=language,
        sections=[first, second],
        synthetic=synthetic,
    )
