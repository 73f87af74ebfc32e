"""A Kazakh report is Kazakh throughout: the four kinds (shadow report, UPR submission, trial report, statement)
write their sentences, headings, dates ("2025 жылғы 1 наурыз") and State names in Kazakh, in every format, and the
PDF embeds a font with the Kazakh letters."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from docx import Document as WordDocument
from pypdf import PdfReader

from rightstrack.core.models import Theme
from rightstrack.reports import actions, queries, sourcecheck
from rightstrack.reports.render import render

from .factories import recommendation, trial
from .test_report_prose import _assess, _generator_words

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = set("әғқңөұүһі")


def _build(user, org, **options):
    options.setdefault("title", "Баяндама")
    options.setdefault("kind", "shadow-iccpr")
    report = actions.create_report(user, organisation=org, language="kk", **options)
    actions.build_now(user, report)
    report.refresh_from_db()
    return report


def _markdown(report) -> str:
    content, _type, _ext = render(queries.assemble(report), "md")
    return content.decode() if isinstance(content, bytes) else content


def _english_phrases(text: str) -> set[str]:
    """Words of our English sentences left in the text (quotations and document symbols keep their language)."""
    prose = re.sub(r"«[^»]*»|“[^”]*”", " ", text)
    prose = re.sub(r"\b[A-Z][A-Za-z.]*(?:/[\w.\-]+)+", " ", prose)
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", prose)} & _generator_words()


@pytest.fixture
def assessed(org_a):
    rec = recommendation(org_a, text="(b) guarantee access to a lawyer from the first hour;", article=9, status=None)
    _assess(rec, "state", "partially", datetime.date(2024, 11, 1))
    _assess(rec, "coalition", "not", datetime.date(2025, 3, 1), name="KIBHR")
    return rec


def test_kazakh_shadow_report_is_kazakh_with_kazakh_dates(coordinator_a, org_a, assessed):
    trial(org_a)
    report = _build(coordinator_a, org_a, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2025, 6, 30))
    text = _markdown(report)
    assert _english_phrases(_untranslated_vocabulary(text)) == set()
    # The mechanism's name is vocabulary data; the sentence around it and the quotation marks are ours.
    assert re.search(r"Ұсыным \([^)]+\): «Guarantee access to a lawyer from the first hour»\. Мемлекет ішінара", text)
    assert "2024 жылғы 1 қараша" in text and "2025 жылғы 1 наурыз" in text
    assert "2024 жылғы 1 қаңтар" in text and "2025 жылғы 30 маусым" in text
    assert "Қазақстан" in text
    assert "CCPR/C/KAZ/CO/2, 34-тарм." in text
    assert queries.unsourced_figures(report) == []  # Kazakh dates and references are not figures


def _untranslated_vocabulary(text: str) -> str:
    """Vocabulary names (articles, mechanisms, themes) that have no Kazakh name yet are data, not our phrases."""
    from django.utils import translation

    from rightstrack.core.models import IccprArticle
    from rightstrack.recommendations.models import Mechanism

    with translation.override("kk"):
        names = [str(m) for m in Mechanism.objects.all()] + [str(t) for t in Theme.objects.all()]
        names += [str(a).split(". ", 1)[1] for a in IccprArticle.objects.all()]
    for name in sorted(names, key=len, reverse=True):
        if re.search(r"[A-Za-z]{3}", name):
            text = text.replace(name, " ")
    return text


def _without_checklist_texts(text: str) -> str:
    """The checklist's own wording (group titles, method notes) is checklist data with its own languages."""
    import yaml

    from rightstrack.trials import checklists

    spec = yaml.safe_load(checklists.DEFAULT_YAML.read_text(encoding="utf-8"))
    texts: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            texts.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(spec)
    text = " ".join(text.split())
    for piece in sorted(texts, key=len, reverse=True):
        if len(piece) > 3:
            text = text.replace(piece, " ")
    return text


def test_kazakh_upr_submission_names_states_in_kazakh(coordinator_a, org_a):
    from rightstrack.recommendations.models import State

    theme = Theme.objects.first()
    rec = recommendation(
        org_a, text="ratify OP-CAT;", mechanism="upr", symbol="A/HRC/41/10", upr_id="139.61", theme=theme.code
    )
    _assess(rec, "state", "fully", datetime.date(2024, 6, 1))
    rec.recommending_states.add(State.objects.get(name="Russian Federation"), State.objects.get(name="Norway"))
    report = _build(coordinator_a, org_a, kind="upr-submission")
    table = report.blocks.get(key=f"theme-{theme.code}-table")
    assert table.data["rows"][0][2] == "Норвегия, Ресей"  # CLDR's Kazakh names
    assert table.data["headers"][4:] == ["Коалицияның бағалауы", "Мемлекеттің бағалауы"]
    assert table.data["rows"][0][4:] == ["орындалмады (2023 жылғы 1 қаңтар)", "толық орындалды (2024 жылғы 1 маусым)"]
    assert report.blocks.get(key=f"theme-{theme.code}-rec-{rec.pk}").text.startswith(
        "Ұсыным (Норвегия, Ресей): «Ratify OP-CAT»."
    )
    text = _markdown(report)
    assert "ӘМШ-ға мүдделі тараптардың материалдары" in text or report.title in text
    assert "Әмбебап мерзімдік шолуға (мемлекет: Қазақстан)" in text
    assert _english_phrases(_untranslated_vocabulary(text)) == set()


def test_kazakh_trial_report_and_statement(coordinator_a, org_a):
    case = trial(org_a, city="Almaty", hearings=3)
    report = _build(
        coordinator_a,
        org_a,
        kind="trial",
        title="Сот процестері",
        filters={"case": case.pk},
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    text = _markdown(report)
    assert "Сот процестері" in text and "(мемлекет: Қазақстан)" in text
    assert "2022 жылғы 1 қаңтар күнінен бастап 2022 жылғы 31 желтоқсан күніне дейін" in text
    assert "Әдістеме" in text and "Қысқаша мазмұны" in text
    court = case.court.name  # test data, not our phrase
    assert _english_phrases(_without_checklist_texts(text.replace(court, " "))) == set()

    statement = _build(
        coordinator_a,
        org_a,
        kind="statement",
        title="Мәлімдеме",
        filters={"facts": "Бірінші факт.", "demands": "- Босату\n- Тергеу", "place": "Алматы"},
    )
    document = queries.assemble(statement)
    assert [s.title for s in document.sections] == ["Не болды", "Біздің талаптарымыз"]
    assert [p.text for p in document.sections[1].blocks] == ["Босату", "Тергеу"]
    assert document.sections[0].blocks[0].text.startswith("Алматы, 20")
    assert " жылғы " in document.sections[0].blocks[0].text  # the dateline in Kazakh style
    assert _english_phrases(_markdown(statement)) == set()


def test_kazakh_files_read_back_in_kazakh(coordinator_a, org_a, assessed, tmp_path):
    report = _build(coordinator_a, org_a, period_end=datetime.date(2025, 6, 30))
    client = Client()
    client.force_login(coordinator_a)
    word = client.get(f"/reports/{report.pk}/download/docx/")
    assert word["Content-Disposition"] == 'attachment; filename="shadow-report-kk-2025-06-30.docx"'
    docx_text = "\n".join(p.text for p in WordDocument(io.BytesIO(word.content)).paragraphs)
    assert "коалиция оны орындалмады деп санайды" in docx_text
    html = client.get(f"/reports/{report.pk}/download/html/").content.decode()
    assert '<html lang="kk">' in html and "Кіріспе" in html
    pdf = client.get(f"/reports/{report.pk}/download/pdf/")
    assert pdf["Content-Disposition"] == 'attachment; filename="shadow-report-kk-2025-06-30.pdf"'
    reader = PdfReader(io.BytesIO(pdf.content))
    pdf_text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "коалиция оны орындалмады деп санайды" in pdf_text
    assert KAZAKH_LETTERS & set(pdf_text) >= set("әқңұі")
    # Every font the PDF uses is embedded (no fallback boxes on a machine without DejaVu).
    fonts = [font.get_object() for page in reader.pages for font in (page["/Resources"].get("/Font") or {}).values()]
    assert fonts and all(
        "/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        or "/FontFile3" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        for f in fonts
        if "/DescendantFonts" in f
    )
    (tmp_path / "kk.pdf").write_bytes(pdf.content)


@pytest.mark.parametrize(
    "text",
    [
        "9-бапқа сәйкес, 27-тармақ және 4-б.; CCPR/C/KAZ/CO/2, 34-тарм.",
        "12 және 14-баптар, 12–14-тармақтар, 3-ші сессия, 2-цикл, 1-тоқсан 2024.",
        "139.61 ұсынымы 2025 жылғы 1 наурыз бен 2024 жылғы 30 маусым аралығында.",
    ],
)
def test_source_check_ignores_kazakh_dates_and_references(text):
    assert sourcecheck.figures(text) == []


def test_source_check_still_flags_kazakh_figures():
    text = "9-бап бойынша 2024 жылы 1 234 адам ұсталды, олардың саны 12-ден 40-қа өсті; 14-бап бойынша 5 ұсыным."
    assert sourcecheck.figures(text) == ["1 234", "12", "40", "5"]


def test_demo_has_a_kazakh_report_built_in_kazakh():
    from django.core.management import call_command

    from rightstrack.reports.models import ReportDefinition

    call_command("demo", verbosity=0)
    report = ReportDefinition.objects.get(language="kk")
    assert report.is_synthetic and report.blocks.exists()
    text = _markdown(report)
    assert "Синтетикалық демо-деректер" in text or "синтетикалық" in text.lower()
    assert "ӘМШ" in text or "Әмбебап мерзімдік шолу" in text


def test_report_form_offers_kazakh_and_the_api_refuses_an_unknown_language(coordinator_a, org_a):
    import json

    from rightstrack.core.models import AuditEvent
    from rightstrack.reports.models import ReportDefinition

    client = Client()
    client.force_login(coordinator_a)
    form = client.get("/reports/new/").content.decode()
    assert '<option value="kk">Қазақша</option>' in form
    created = client.post(
        "/reports/new/",
        {
            "title": "Балама баяндама",
            "kind": "shadow-iccpr",
            "organisation": org_a.pk,
            "state": "KZ",
            "language": "kk",
            "confidentiality": "internal",
        },
    )
    assert created.status_code == 302
    assert ReportDefinition.objects.get().language == "kk"
    events = AuditEvent.objects.count()
    refused = client.post(
        "/api/reports/reports",
        json.dumps({"organisation": org_a.pk, "title": "B", "kind": "shadow-iccpr", "language": "de"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Reports are written in English, Russian or Kazakh."
    assert ReportDefinition.objects.count() == 1 and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("language", "figure", "table", "date"),
    [
        ("kk", "Сурет", "Кесте", "2026 жылғы 4 желтоқсан"),
        ("ru", "Рисунок", "Таблица", "4 декабря 2026 г."),
        ("en", "Figure", "Table", "4 December 2026"),
    ],
)
def test_captions_and_the_date_line_in_the_report_language(language, figure, table, date):
    from rightstrack.reports.document import Document
    from rightstrack.reports.render.layout import labels, meta_line

    document = Document(title="T", language=language, authors=["Org"], date="2026-12-04")
    words = labels(document)
    # A chart is a "Сурет", never the statistical "сан" of the claims pages.
    assert (words["figure"], words["table"]) == (figure, table)
    assert meta_line(document) == f"Org · {date}"
    assert meta_line(Document(title="T", language=language, date="")) == ""
