"""What a built report says: whose assessment it counts, how it quotes recommendations, what its footnotes cite,
that a Russian report is Russian throughout, and which figures the source check lists."""

from __future__ import annotations

import ast
import datetime
import hashlib
import io
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import translation
from docx import Document as WordDocument
from pypdf import PdfReader

from rightstrack.core.models import Confidentiality, IccprArticle
from rightstrack.evidence.models import Citation, Passage, SourceDocument
from rightstrack.recommendations.models import Assessment
from rightstrack.reports import actions, generators, queries, sourcecheck
from rightstrack.reports.prose import quotable, state_name
from rightstrack.reports.render import render

from .factories import recommendation, trial

pytestmark = pytest.mark.django_db


def _assess(rec, kind: str, status: str, day: datetime.date, name: str = "") -> Assessment:
    return Assessment.objects.create(
        organisation=rec.organisation,
        confidentiality=Confidentiality.PUBLIC,
        recommendation=rec,
        assessor_kind=kind,
        assessor_name=name,
        date=day,
        status=status,
    )


def _build(user, org, **options):
    report = actions.create_report(user, organisation=org, title="Shadow", kind="shadow-iccpr", **options)
    actions.build_now(user, report)
    report.refresh_from_db()
    return report


def _texts(report) -> list[str]:
    return [p.text for p in queries.assemble(report).paragraphs()]


@pytest.fixture
def disagreeing(org_a):
    """Article 9: the State and the coalition disagree on one, only the State assessed another, one is done."""
    disputed = recommendation(
        org_a, text="(b) guarantee access to a lawyer from the first hour;", article=9, status=None
    )
    _assess(disputed, "state", "partially", datetime.date(2024, 11, 1))
    _assess(disputed, "coalition", "not", datetime.date(2025, 3, 1), name="KIBHR")
    state_only = recommendation(org_a, text="Close the temporary detention wards.", article=9, status=None)
    _assess(state_only, "state", "fully", datetime.date(2024, 11, 1))
    done = recommendation(org_a, text="Publish detention statistics.", article=9, status=None)
    _assess(done, "ngo", "fully", datetime.date(2025, 2, 1), name="Adil Soz")
    _assess(done, "state", "fully", datetime.date(2024, 11, 1))
    return disputed, state_only, done


# --- Whose assessment --------------------------------------------------------------------------------------


def test_counts_use_the_coalition_and_quote_the_state_where_it_differs(coordinator_a, org_a, disagreeing):
    disputed, state_only, _done = disagreeing
    report = _build(coordinator_a, org_a)
    texts = _texts(report)
    summary = next(t for t in texts if "under this article" in t)
    # The State's "partially" and "fully" do not count: the coalition found one not implemented, assessed one.
    assert "1 fully implemented, 1 not implemented, 1 not assessed by the coalition" in summary
    assert "partially" not in summary and "The State's own assessment differs for 1 of them." in summary
    rec_texts = [t for t in texts if t.startswith("Recommendation (")]
    assert len(rec_texts) == 2  # the one the coalition found fully implemented is not recommended again
    assert rec_texts[0] == (
        "Recommendation (Human Rights Committee): “Guarantee access to a lawyer from the first hour”. "
        "The State reports partial implementation (1 November 2024); "
        "the coalition finds it not implemented (KIBHR, 1 March 2025)."
    )
    assert rec_texts[1].endswith(
        "Not assessed by the coalition; the State reports full implementation (1 November 2024)."
    )
    assert not any("no information" in t for t in texts)
    block = report.blocks.get(key=f"art-9-rec-{disputed.pk}")
    quoted = {tuple(s) for s in block.sources}
    assert {("recommendations.Assessment", a.pk) for a in disputed.assessments.all()} <= quoted
    assert ("recommendations.Review", disputed.review_id) in quoted


def test_agreeing_assessments_say_so_and_the_latest_civil_society_one_wins(coordinator_a, org_a):
    rec = recommendation(org_a, text="Repeal article 174 of the Criminal Code.", article=19, status=None)
    _assess(rec, "coalition", "fully", datetime.date(2023, 1, 1))
    _assess(rec, "coalition", "partially", datetime.date(2025, 5, 1), name="Coalition against torture")
    _assess(rec, "state", "partially", datetime.date(2025, 1, 10))
    text = next(t for t in _texts(_build(coordinator_a, org_a)) if t.startswith("Recommendation ("))
    assert text.endswith(
        "The coalition finds it partially implemented (Coalition against torture, 1 May 2025); "
        "the State's own assessment agrees (10 January 2025)."
    )


def test_upr_table_shows_both_assessments_side_by_side(coordinator_a, org_a):
    from rightstrack.core.models import Theme
    from rightstrack.recommendations.models import State

    theme = Theme.objects.first()
    rec = recommendation(
        org_a, text="ratify OP-CAT;", mechanism="upr", symbol="A/HRC/41/10", upr_id="139.61", theme=theme.code
    )
    _assess(rec, "state", "fully", datetime.date(2024, 6, 1))
    rec.recommending_states.add(State.objects.get(name="Russian Federation"), State.objects.get(name="St Lucia"))
    report = actions.create_report(coordinator_a, organisation=org_a, title="UPR", kind="upr-submission")
    actions.build_now(coordinator_a, report)
    # At the UPR a recommendation is made by States, named in the report's language.
    assert report.blocks.get(key=f"theme-{theme.code}-rec-{rec.pk}").text.startswith(
        "Recommendation (Russian Federation, St Lucia): “Ratify OP-CAT”. The State reports full implementation"
    )
    russian = actions.create_report(
        coordinator_a, organisation=org_a, title="УПО", kind="upr-submission", language="ru"
    )
    actions.build_now(coordinator_a, russian)
    ru_table = russian.blocks.get(key=f"theme-{theme.code}-table")
    assert ru_table.data["rows"][0][2] == "Россия, Сент-Люсия"
    assert ru_table.data["headers"][4:] == ["Оценка коалиции", "Оценка государства"]
    assert russian.blocks.get(key=f"theme-{theme.code}-rec-{rec.pk}").text.startswith(
        "Рекомендация (Россия, Сент-Люсия): «Ratify OP-CAT»."
    )
    table = report.blocks.get(key=f"theme-{theme.code}-table")
    assert table.data["headers"][4:] == ["Coalition's assessment", "State's assessment"]
    assert table.data["rows"][0][1:2] == ["Ratify OP-CAT"]
    assert table.data["rows"][0][4:] == ["not implemented (1 January 2023)", "fully implemented (1 June 2024)"]


# --- Prose -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("to develop a national preventive mechanism;", "To develop a national preventive mechanism"),
        (
            "(a) ensure that torture is defined in line with the Convention,",
            "Ensure that torture is defined in line with the Convention",
        ),
        ("  - guarantee freedom of assembly; and", "Guarantee freedom of assembly"),
        ("12. Repeal article 174.", "Repeal article 174"),
        ('Ensure "effective investigation', "Ensure effective investigation"),
        ("Adopt the law «on assemblies (as amended;", "Adopt the law on assemblies as amended"),
        ("Amend the “Law on Mass Media” (2009).", "Amend the ‘Law on Mass Media’ (2009)"),
        ('Apply the formula "harm then compensation";', "Apply the formula ‘harm then compensation’"),
        ("обеспечить доступ к адвокату;", "Обеспечить доступ к адвокату"),
    ],
)
def test_recommendation_text_is_cleaned_for_quoting(raw, clean):
    assert quotable(raw) == clean


def test_quotations_inside_a_russian_quote_use_the_inner_marks():
    with translation.override("ru"):
        assert quotable('применять формулу "вред — компенсация";') == "Применять формулу „вред — компенсация“"
        assert quotable("изменить «Закон о СМИ»") == "Изменить „Закон о СМИ“"


def test_state_names_in_russian():
    assert state_name("Russian Federation", "ru") == "Россия"
    assert state_name("St Lucia", "ru") == "Сент-Люсия"
    assert state_name("Kazakhstan", "en") == "Kazakhstan"
    assert state_name("Atlantis", "ru") == "Atlantis"  # unknown: the vocabulary's name, not an empty cell


# --- Footnotes ---------------------------------------------------------------------------------------------


def _document_with_passage(org, label: str, *, symbol="CCPR/C/KAZ/CO/2", title="Concluding observations"):
    document = SourceDocument.objects.create(
        organisation=org,
        confidentiality=Confidentiality.PUBLIC,
        title=title,
        symbol=symbol,
        sha256=hashlib.sha256(f"{symbol}{title}{label}".encode()).hexdigest(),
        size=1,
        kind="txt",
        original_filename="co.txt",
        text_status="ready",
    )
    heading = Passage.objects.create(document=document, number=1, text="Recommendations", is_heading=True)
    passage = Passage.objects.create(document=document, number=2, label=label, text="The State party should…")
    return heading, passage


def _cite(record, passage) -> None:
    Citation.objects.create(
        passage=passage, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def test_footnote_cites_the_passage_label_never_a_section_title(coordinator_a, org_a):
    section = "Recommendations (Article 4 of the ICCPR)"  # what ingestion stored as the "paragraph"
    cited = recommendation(org_a, text="Derogate only as article 4 allows.", article=4, paragraph=section)
    heading, passage = _document_with_passage(org_a, "27")
    _cite(cited, heading)  # a heading is not a paragraph: never cited as one
    _cite(cited, passage)
    plain = recommendation(org_a, text="Review the state of emergency law.", article=4, paragraph=section)
    numbered = recommendation(org_a, text="Train judges on article 4.", article=4, paragraph="¶ 12")
    report = _build(coordinator_a, org_a)
    notes = {
        key: [n["text"] for n in report.blocks.get(key=f"art-4-rec-{rec.pk}").footnotes]
        for key, rec in (("cited", cited), ("plain", plain), ("numbered", numbered))
    }
    assert notes["cited"][0] == "CCPR/C/KAZ/CO/2, para. 27."
    assert notes["plain"][0] == "CCPR/C/KAZ/CO/2."  # no real paragraph number: the document alone
    assert notes["numbered"][0] == "CCPR/C/KAZ/CO/2, para. 12."
    assert not any(section in n for texts in notes.values() for n in texts)
    block = report.blocks.get(key=f"art-4-rec-{cited.pk}")
    assert block.footnotes[0]["passage_id"] == passage.pk
    assert ["evidence.Passage", passage.pk] in block.sources  # the withholding check knows what it quotes


def test_unlabelled_passage_is_cited_by_page_and_a_civil_society_source_by_its_author(coordinator_a, org_a):
    from rightstrack.recommendations.models import Recommendation, Review, State

    review = Review.objects.create(
        organisation=org_a,
        confidentiality=Confidentiality.PUBLIC,
        source_kind="ngo_report",
        author="KIBHR",
        title="Alternative report",
        state=State.objects.get(name="Kazakhstan"),
        date=datetime.date(2025, 4, 1),
    )
    rec = Recommendation.objects.create(
        organisation=org_a, confidentiality="public", review=review, text="end torture in prisons;"
    )
    rec.articles.add(IccprArticle.objects.get(number=7))
    _heading, passage = _document_with_passage(org_a, "", symbol="", title="Alternative report")
    Passage.objects.filter(pk=passage.pk).update(page=4)
    _cite(rec, passage)
    report = _build(coordinator_a, org_a)
    block = report.blocks.get(key=f"art-7-rec-{rec.pk}")
    assert block.text.startswith("Recommendation (KIBHR): “End torture in prisons”.")
    assert block.footnotes[0]["text"] == "KIBHR, Alternative report, p. 4."


# --- Russian -----------------------------------------------------------------------------------------------


def _generator_words() -> set[str]:
    """English words of every phrase the generators write (their gettext msgids)."""
    tree = ast.parse(Path(generators.__file__).read_text())
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    text = re.sub(r"%\(\w+\)s", " ", arg.value)
                    words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
    return words - {"iccpr", "upr", "rightstrack"}  # names, not phrases


def test_russian_report_has_no_generated_english_phrase(coordinator_a, org_a, disagreeing):
    trial(org_a)  # the trials paragraph and chart too
    report = _build(
        coordinator_a,
        org_a,
        language="ru",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 6, 30),
    )
    content, _type, _ext = render(queries.assemble(report), "md")
    text = content.decode() if isinstance(content, bytes) else content
    # Quotations keep their original language; document symbols are not words of ours.
    prose = re.sub(r"«[^»]*»|“[^”]*”", " ", text)
    prose = re.sub(r"\b[A-Z][A-Za-z.]*(?:/[\w.\-]+)+", " ", prose)
    english = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", prose)}
    assert "Статья 14" in text  # the trials section is there to be scanned
    assert english & _generator_words() == set(), english
    assert "Рекомендация (Комитет по правам человека): «Guarantee access to a lawyer from the first hour»." in text
    assert "Государство сообщает о частичном выполнении (1 ноября 2024 г.)" in text
    assert "г.." not in text  # a date ending in "г." closes the sentence on its own
    assert "коалиция считает её невыполненной (KIBHR, 1 марта 2025 г.)" in text
    assert "с 1 января 2024 г. по 30 июня 2025 г." in text
    assert "CCPR/C/KAZ/CO/2, п. 34." in text
    assert queries.unsourced_figures(report) == []  # dates in Russian are not figures


def test_russian_docx_and_pdf_read_back_with_their_file_names(coordinator_a, org_a, disagreeing):
    report = _build(coordinator_a, org_a, language="ru", period_end=datetime.date(2025, 6, 30))
    client = Client()
    client.force_login(coordinator_a)
    word = client.get(f"/reports/{report.pk}/download/docx/")
    assert word["Content-Disposition"] == 'attachment; filename="shadow-report-ru-2025-06-30.docx"'
    docx_text = "\n".join(p.text for p in WordDocument(io.BytesIO(word.content)).paragraphs)
    assert "Альтернативный" in docx_text or "Введение" in docx_text
    assert "коалиция считает её невыполненной" in docx_text
    pdf = client.get(f"/reports/{report.pk}/download/pdf/")
    assert pdf["Content-Disposition"] == 'attachment; filename="shadow-report-ru-2025-06-30.pdf"'
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "коалиция считает её" in " ".join(pdf_text.split())
    assert "Recommendation (" not in pdf_text and "the coalition" not in pdf_text


# --- Source check ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The report covers the period from 1 January 2024 to 31 December 2024.",
        "Отчёт охватывает период с 1 января 2024 г. по 31 декабря 2024 г.; в 2023 году.",
        "On 2024-05-03, 03.05.2024, March 5, 2024, 5–7 March and in 2020–2024.",
        "Under article 9 and articles 14 and 21, para. 27, paras. 12–14, § 3 and ¶ 8.",
        "Согласно ст. 9 и п. 27, статье 14 и пункту 3 рекомендаций.",
        "See CCPR/C/KAZ/CO/2 and A/HRC/41/10, recommendation 139.61.",
        "The 117th session of the 3rd cycle; 2-й цикл; COVID-19.",
        "Есеп 12 наурыз 2025 және 5 сәуір аралығын қамтиды; 3 янв. и 4 сент.",
    ],
)
def test_source_check_ignores_dates_references_symbols_and_ordinals(text):
    assert sourcecheck.figures(text) == []


def test_source_check_flags_real_figures_unless_a_footnote_supports_them():
    text = "At least 1,234 people were detained on 1 March 2025 under article 9; 40% were women."
    assert sourcecheck.unsourced(text) == ["1,234", "40%"]
    assert sourcecheck.unsourced(text, ["Ministry of Interior, 1 234 detained."]) == ["40%"]
    # An analyst's edit of a generated paragraph: the generated figures stay covered, a new one is not.
    assert sourcecheck.unsourced("12 hearings, 7 cities", ["Database."], supported_text="12 hearings") == ["7"]


def test_unsourced_figure_is_listed_with_a_link_to_its_paragraph(coordinator_a, org_a, disagreeing):
    report = _build(
        coordinator_a, org_a, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31)
    )
    assert queries.unsourced_figures(report) == []  # the introduction's dates are no longer flagged
    intro = report.blocks.get(key="intro-purpose")
    free = actions.add_paragraph(
        coordinator_a,
        report,
        after=intro,
        section_key="intro",
        text="At least 1,234 people were detained on 1 March 2024 under article 9 (para. 27 of the 2nd report).",
    )
    found = queries.unsourced_figures(report)
    assert [(f["figures"], f["anchor"]) for f in found] == [("1,234", f"block-{free.pk}")]
    client = Client()
    client.force_login(coordinator_a)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'<a href="#block-{free.pk}">Paragraph 2</a>: 1,234' in page and f'id="block-{free.pk}"' in page
