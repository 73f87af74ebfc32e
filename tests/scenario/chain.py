"""Issue 12's evidence chain, walked as a coalition would: three documents in, a shadow report out.

``walk`` uploads an NGO alternative report, a UN meeting summary and UPR pre-session slides through the
ingestion pages (the job runs at once: tests use the immediate task backend), accepts what ingestion
proposes the way a reviewer does (a new civil-society source created from the review screen, Accept
all, refusals fixed on their cards), adds a State and a civil-society assessment that disagree, each
citing a passage by document + label, and builds the shadow report in English and Russian through
the reports' job. ``check_*`` assert what issue 12 promises about the result; the corpus test and the
generated-documents test feed it different documents and the same checks.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as WordDocument

from rightstrack.claims import actions as claim_actions
from rightstrack.claims.models import Claim
from rightstrack.core.errors import InvalidInput
from rightstrack.evidence import citing
from rightstrack.evidence.models import Passage, SourceDocument
from rightstrack.ingest.models import IngestionRun, Suggestion
from rightstrack.recommendations import actions as rec_actions
from rightstrack.recommendations.acceptors import source_form
from rightstrack.recommendations.models import Assessment, Recommendation, Review, State
from rightstrack.reports import actions as report_actions
from rightstrack.reports import queries
from rightstrack.reports.models import ReportDefinition
from rightstrack.reports.render import render


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Scenario:
    """The documents and what a careful reader knows about them (the answers the chain must reproduce)."""

    alternative: Upload
    meeting: Upload
    slides: Upload
    author: str  # the NGO the alternative report names as its author
    alternative_date: datetime.date  # its date as the document gives it
    meeting_date: datetime.date  # the day of the meeting the summary reports
    slides_author: str  # the coalition that presented the slides (typed by the user: the slides do not say "by")
    slides_date: datetime.date  # when the slides were presented
    upr_symbol: str  # the UPR outcome the slides' IDs belong to
    upr_cycle: int
    upr_status: tuple[str, str]  # (the slides' ID ranges, the status they give them)
    disputed: str  # words of the recommendation the State and the coalition disagree on
    disputed_article: int
    coalition_cites: str  # a label of the alternative report, typed as the user would ("¶8")
    state_cites: str  # words of the meeting summary's passage the State's assessment cites
    claim: str  # words of a State claim the coalition gives its verdict on (under ``disputed_article``)


@dataclass
class Walked:
    """What the walk created, for the checks."""

    client: Client
    user: object
    documents: dict[str, SourceDocument]
    alternative_source: Review
    slides_source: Review
    upr_review: Review
    disputed: Recommendation
    claim: Claim
    state_assessment: Assessment
    coalition_assessment: Assessment
    reports: dict[str, ReportDefinition] = field(default_factory=dict)
    renders: dict[tuple[str, str], str] = field(default_factory=dict)  # (language, format) -> text


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, org, upload: Upload, capture) -> SourceDocument:
    data = {
        "organisation": org.pk,
        "confidentiality": "internal",
        "file": SimpleUploadedFile(upload.name, upload.content),
    }
    with capture(execute=True):
        response = client.post("/ingest/upload/", data)
    document = SourceDocument.objects.get(original_filename=upload.name)
    assert response.status_code == 302 and response["Location"] == f"/ingest/documents/{document.pk}/"
    run = IngestionRun.objects.get(document=document)
    assert run.status == "done", (upload.name, run.status, run.message)
    document.refresh_from_db()
    return document


def _create_source_on_review_screen(client: Client, user, document: SourceDocument, **typed) -> Review:
    """Post the review screen's "create the source" form as pre-filled, with what the user typed over it."""
    form = source_form(user, document)
    values = {**form.initial, **typed}
    data = {"kind": "recommendation"}
    for name, value in values.items():
        data[f"source-{name}"] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else value)
    before = set(Review.objects.values_list("pk", flat=True))
    response = client.post(f"/ingest/documents/{document.pk}/new-target/", data)
    html = response.content.decode()
    assert response.status_code == 302, [html[i : i + 600] for i in _find_all(html, 'class="field has-error"')]
    return Review.objects.exclude(pk__in=before).get()


def _find_all(html: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), html)]


def _accept_all(client: Client, document: SourceDocument, kind: str, target: Review | None = None) -> None:
    data = {"kind": kind} | ({"target": target.pk} if target else {})
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", data)
    run = IngestionRun.objects.get(document=document)
    pending = list(run.suggestions.filter(kind=kind, status="pending"))
    if kind == "claim":
        # A figure the detector found no unit for is refused at its card; the reviewer names the unit there.
        html = response.content.decode()
        for s in pending:
            assert f'id="suggestion-{s.pk}"' in html
            form = {"edit": "1", "version": s.version, "value": str(s.data["value"]), "text": s.data["text"]}
            form |= {"unit": s.data.get("unit") or "units", "speaker": s.data["speaker"], "period": s.period_text}
            fixed = client.post(f"/ingest/suggestions/{s.pk}/accept/", form, HTTP_HX_REQUEST="true")
            assert fixed.status_code == 200, fixed.content.decode()[:2000]
        pending = list(run.suggestions.filter(kind=kind, status="pending"))
    assert response.status_code in (200, 302) and not pending, [(s.pk, s.data) for s in pending]


def _passage_with(document: SourceDocument, words: str) -> Passage:
    return Passage.objects.filter(document=document, text__icontains=words, is_heading=False).order_by("number")[0]


TITLES = {"en": "Shadow report", "ru": "Альтернативный доклад"}  # the user's own title, in the report's language


def _build(client: Client, user, org, language: str, capture) -> ReportDefinition:
    report = report_actions.create_report(
        user, organisation=org, title=TITLES[language], kind="shadow-iccpr", language=language
    )
    with capture(execute=True):
        report_actions.start_build(user, report)
    report.refresh_from_db()
    assert report.build_status == "ready", (report.build_status, report.build_error)
    return report


RATIONALE = "The coalition's own findings, cited below, bear the claim out only in part."


def walk(scenario: Scenario, org, user, capture) -> Walked:
    client = client_for(user)
    docs = {
        "alternative": _upload(client, org, scenario.alternative, capture),
        "meeting": _upload(client, org, scenario.meeting, capture),
        "slides": _upload(client, org, scenario.slides, capture),
    }

    # The alternative report: its recommendations go into a new civil-society source created in place,
    # pre-filled from the document (the author it names, its date) and not changed by the user.
    alternative = docs["alternative"]
    page = client.get(f"/ingest/documents/{alternative.pk}/?kind=recommendation").content.decode()
    assert f'value="{scenario.author}"' in page, "the author named in the document is pre-filled"
    # Accept all before choosing where they go: refused on the screen, nothing created.
    refused = client.post(f"/ingest/documents/{alternative.pk}/accept-all/", {"kind": "recommendation"})
    assert (
        refused.status_code == 400 and "Choose the review these recommendations belong to" in refused.content.decode()
    )
    assert not Recommendation.objects.exists()
    alternative_source = _create_source_on_review_screen(client, user, alternative)
    _accept_all(client, alternative, "recommendation", alternative_source)

    # The slides: the UPR IDs they follow up belong to the UN review they came from; the slides' own
    # recommendations are the presenting coalition's (the user types its name: the slides do not say "by").
    slides = docs["slides"]
    _accept_all(client, slides, "upr_id")
    accepted = IngestionRun.objects.get(document=slides).suggestions.filter(kind="upr_id", status="accepted")
    ids = [s.data["upr_id"] for s in accepted.order_by("position")]  # JSON read in Python: "139.80" stays text
    upr_review = rec_actions.create_review(
        user,
        organisation=org,
        state=State.objects.get(name="Kazakhstan"),
        mechanism="upr",
        cycle=scenario.upr_cycle,
        symbol=scenario.upr_symbol,
        date=datetime.date(2020, 3, 13),
    )
    for upr_id in ids:
        # The slides give only the IDs; the UN text would come from the review's import.
        rec_actions.create_recommendation(
            user, upr_review, text=f"UPR recommendation {upr_id}.", organisation=org, upr_id=upr_id
        )
    spec, status = scenario.upr_status
    rec_actions.assess_upr_ids(
        user,
        upr_review,
        spec,
        organisation=org,
        assessor_kind="coalition",
        assessor_name=scenario.slides_author,
        date=scenario.slides_date,
        status=status,
        passages=[_passage_with(slides, spec.split(",")[0].strip())],
    )
    slides_source = _create_source_on_review_screen(
        client, user, slides, author=scenario.slides_author, source_kind="ngo_report", date=scenario.slides_date
    )
    _accept_all(client, slides, "recommendation", slides_source)

    # The meeting summary: the State's claims, with their figures, dated on the meeting day.
    meeting = docs["meeting"]
    _accept_all(client, meeting, "claim")

    # One recommendation the State and the coalition disagree on, each assessment citing document + label.
    disputed = Recommendation.objects.get(review=alternative_source, text__icontains=scenario.disputed)
    state_passage = _passage_with(meeting, scenario.state_cites)
    state_assessment = rec_actions.add_assessment(
        user,
        disputed,
        organisation=org,
        assessor_kind="state",
        date=scenario.meeting_date,
        status="partially",
        passages=citing.resolve_citations(user, [(meeting.pk, citing.typed_reference(state_passage))]),
    )
    # A label the report does not have is a clear error naming the document; nothing is saved.
    with pytest.raises(InvalidInput, match=r"has no paragraph 999\."):
        citing.resolve_citations(user, [(alternative.pk, "¶999")])
    assert disputed.assessments.count() == 1
    coalition_assessment = rec_actions.add_assessment(
        user,
        disputed,
        organisation=org,
        assessor_kind="coalition",
        assessor_name=scenario.author,
        date=scenario.alternative_date,
        status="not",
        passages=citing.resolve_citations(user, [(alternative.pk, scenario.coalition_cites)]),
    )

    # One State claim under the same article, and the coalition's verdict on it citing its own report.
    from_meeting = Suggestion.objects.filter(document=meeting, kind="claim").values_list("record_id", flat=True)
    claim = Claim.objects.get(pk__in=list(from_meeting), text__icontains=scenario.claim)
    claim = claim_actions.update_claim(
        user, claim, expected_version=claim.version, changes={"article": scenario.disputed_article}
    )
    claim_actions.give_verdict(
        user,
        claim,
        rating="partly",
        rationale=RATIONALE,
        passages=citing.resolve_citations(user, [(alternative.pk, scenario.coalition_cites)]),
    )

    walked = Walked(
        client,
        user,
        docs,
        alternative_source,
        slides_source,
        upr_review,
        disputed,
        claim,
        state_assessment,
        coalition_assessment,
    )
    for language in ("en", "ru"):
        report = _build(client, user, org, language, capture)
        walked.reports[language] = report
        for fmt in ("html", "md"):
            content, _type, _ext = render(queries.assemble(report), fmt)
            walked.renders[(language, fmt)] = content.decode() if isinstance(content, bytes) else content
        word = client.get(f"/reports/{report.pk}/download/docx/")
        assert word.status_code == 200
        walked.renders[(language, "docx")] = "\n".join(
            p.text for p in WordDocument(io.BytesIO(word.content)).paragraphs
        )
    return walked


# --- Checks ------------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", text.lower()).split())


def check_attribution(scenario: Scenario, walked: Walked) -> None:
    """Every recommendation is credited to the organisation whose document it came from, with its date."""
    source = walked.alternative_source
    assert source.made_by == scenario.author and not source.is_un and source.mechanism is None
    assert source.date == scenario.alternative_date and source.document == walked.documents["alternative"]
    recs = list(Recommendation.objects.filter(review=source))
    runs = {name: IngestionRun.objects.get(document=d) for name, d in walked.documents.items()}
    assert len(recs) == runs["alternative"].suggestions.filter(kind="recommendation").count() > 0
    # Each cites the alternative report's passage it was taken from, and nothing else.
    for rec in recs:
        cited = citing.passages_cited_by(walked.user, rec)
        assert [p.document_id for p in cited] == [source.document_id], rec.text
        assert _norm(rec.text) in _norm(cited[0].text)
    slides = walked.slides_source
    assert slides.made_by == scenario.slides_author and slides.date == scenario.slides_date and not slides.is_un
    assert (
        Recommendation.objects.filter(review=slides).count()
        == runs["slides"].suggestions.filter(kind="recommendation").count()
    )
    upr = walked.upr_review
    assert upr.is_un and upr.mechanism.code == "upr" and upr.symbol == scenario.upr_symbol
    expected_ids = {s.data["upr_id"] for s in runs["slides"].suggestions.filter(kind="upr_id")}
    assert set(upr.recommendations.values_list("upr_id", flat=True)) == expected_ids and expected_ids
    # The slides' status is the coalition's, on every ID it names, citing the slide that says it.
    for rec in upr.recommendations.all():
        (assessment,) = rec.assessments.all()
        assert (assessment.assessor_kind, assessment.status) == ("coalition", scenario.upr_status[1])
    # In the report, never a UN body for the NGO's recommendations.
    for language in ("en", "ru"):
        report = walked.reports[language]
        for block in report.blocks.filter(key__contains="-rec-"):
            ids = {pk for label, pk in block.sources if label == "recommendations.Recommendation"}
            if ids & {r.pk for r in recs}:
                assert scenario.author in block.text, block.text
                assert "Human Rights Committee" not in block.text and "Комитет по правам человека" not in block.text
    # The recommendation's page and the CSV export say who made it.
    detail = walked.client.get(f"/recommendations/{recs[0].pk}/").content.decode()
    detail = re.sub(r"(?s)<select.*?</select>", "", detail)  # the citation picker lists every document by title
    at = detail.find("Human Rights Committee")
    assert scenario.author in detail and at < 0, detail[at - 600 : at + 100]


def check_claims(scenario: Scenario, walked: Walked) -> None:
    """Every State claim of the meeting summary is a claim dated on the meeting's day, with its figures."""
    meeting = walked.documents["meeting"]
    assert meeting.document_date == scenario.meeting_date
    suggestions = Suggestion.objects.filter(document=meeting, kind="claim")
    claims = [s.record for s in suggestions]
    assert all(isinstance(c, Claim) for c in claims) and len(claims) > 0
    assert {c.date for c in claims} == {scenario.meeting_date}
    for claim, suggestion in zip(claims, suggestions, strict=True):
        figures = list(claim.figures.all())
        assert [float(f.value) for f in figures] == [float(suggestion.data["value"])], claim.text
        assert all(f.period_label for f in figures)
        assert [p.document_id for p in citing.passages_cited_by(walked.user, claim)] == [meeting.pk]


def check_footnotes(scenario: Scenario, walked: Walked) -> None:
    """Every footnote that cites a passage names its document and the label the document's text really has;
    a recommendation's footnote cites the passage whose text contains the quoted words."""
    raw = {
        walked.documents["alternative"].pk: scenario.alternative.text,
        walked.documents["meeting"].pk: scenario.meeting.text,
        walked.documents["slides"].pk: scenario.slides.text,
    }
    checked = quoted = 0
    for block in walked.reports["en"].blocks.all():
        notes = [n for n in block.footnotes if n.get("passage_id")]
        for note in notes:
            passage = Passage.objects.select_related("document").get(pk=note["passage_id"])
            assert passage.document_id in raw, note
            name = citing.document_name(passage.document).rstrip(" .")
            assert f"{name}, " in note["text"] or note["text"].endswith(f"{name}."), note
            assert "., " not in note["text"], note
            if passage.label:
                assert f"para. {passage.label}." in note["text"] or f"para. {passage.label}," in note["text"], note
                # The label is the document's own: its text numbers that paragraph so.
                pattern = rf"(?m)^[\s*#>-]*\(?{re.escape(passage.label)}[.)]\s"
                assert re.search(pattern, raw[passage.document_id]), (passage.label, note)
            else:
                # RightsTrack's own passage numbers are never printed: the document alone, the quotation finds it.
                assert "para." not in note["text"] and not re.search(r"\b(?:passage|фрагмент) \d", note["text"]), note
            assert _norm(passage.text)[:60] in _norm(raw[passage.document_id]), note
            checked += 1
        quote = re.search(r"“([^”]+)”", block.text)
        if block.key.split("-")[-2:-1] == ["rec"] and quote and notes:
            cited = [Passage.objects.get(pk=n["passage_id"]).text for n in notes]
            words = _norm(quote.group(1))
            assert any(words in _norm(t) for t in cited), (block.text, cited)
            quoted += 1
    assert checked > 0 and quoted > 0, (checked, quoted)


def disputed_block(walked: Walked, language: str):
    report = walked.reports[language]
    return next(
        b
        for b in report.blocks.filter(key__contains="-rec-")
        if ["recommendations.Recommendation", walked.disputed.pk] in b.sources
    )


def check_whose_assessment(scenario: Scenario, walked: Walked) -> None:
    """Counts use the coalition's assessment; the State's differing position is quoted, with its source."""
    block = disputed_block(walked, "en")
    assert "The State reports partial implementation" in block.text, block.text
    assert "the coalition finds it not implemented" in block.text, block.text
    notes = [n["text"] for n in block.footnotes]
    meeting, alternative = walked.documents["meeting"], walked.documents["alternative"]
    assert any(citing.document_name(meeting).rstrip(" .") in n for n in notes), (
        notes
    )  # the State's position, at its source
    assert any(citing.document_name(alternative) in n for n in notes), notes
    summary = walked.reports["en"].blocks.get(key=f"art-{scenario.disputed_article}-recommendations-summary")
    assert "not implemented" in summary.text and "The State's own assessment differs for 1 of them." in summary.text
    assert "partially" not in summary.text.split("The State's own")[0]  # the State's "partially" is not counted


def check_claim_paragraph(scenario: Scenario, walked: Walked) -> None:
    """The State's claim, dated on the meeting day, with the coalition's verdict, sourced to the meeting."""
    en = walked.reports["en"].blocks.get(key=f"art-{scenario.disputed_article}-claim-{walked.claim.pk}")
    day = scenario.meeting_date
    assert en.text.startswith(f"On {day.day} {day:%B %Y}, "), en.text
    assert "Our assessment: partly supported." in en.text, en.text
    said = Passage.objects.get(pk=en.footnotes[0]["passage_id"])
    assert _norm(scenario.claim) in _norm(said.text) and said.document == walked.documents["meeting"]
    where = citing.citation_text(said) if said.label else citing.document_name(said.document).rstrip(" .")
    assert en.footnotes[0]["text"] == f"{where}, {day.day} {day:%B %Y}.", en.footnotes
    # The verdict rests on the coalition's own report, at the label the user typed.
    rests_on = citing.resolve_passage(walked.user, walked.documents["alternative"], scenario.coalition_cites)
    assert [n["passage_id"] for n in en.footnotes[1:]] == [rests_on.pk], en.footnotes
    assert "State claims" not in walked.renders[("en", "md")].split("## ")[1]  # not "no data from State claims"


def generator_words() -> set[str]:
    from tests.reports.test_report_prose import _generator_words

    return _generator_words()


def check_russian(scenario: Scenario, walked: Walked) -> None:
    """No English phrase of ours in the Russian report: only quotations, names and symbols stay as written."""
    for fmt in ("md", "docx"):
        text = walked.renders[("ru", fmt)]
        prose = re.sub(r"«[^»]*»|“[^”]*”", " ", text)
        prose = re.sub(r"\b[A-Z][A-Za-z.]*(?:/[\w.\-]+)+", " ", prose)
        # Names of documents and their authors are quoted as written.
        names = [scenario.author, scenario.slides_author]
        names += [n for d in walked.documents.values() for n in (d.title, citing.document_name(d))]
        names += [r.title for r in (walked.alternative_source, walked.slides_source) if r.title]
        names += [n.rstrip(" .") for n in names] + [RATIONALE]  # the analyst's own words stay as written
        for name in sorted(set(names), key=len, reverse=True):
            prose = prose.replace(name, " ")
        english = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", prose)}
        found = english & generator_words()
        assert not found, (
            fmt,
            found,
            [line for line in text.splitlines() if any(w in line.lower() for w in found)][:5],
        )
    block = disputed_block(walked, "ru")
    assert "Государство сообщает о частичном выполнении" in block.text, block.text
    assert "коалиция считает её невыполненной" in block.text, block.text
    assert walked.client.get(f"/reports/{walked.reports['ru'].pk}/download/docx/")["Content-Disposition"].startswith(
        'attachment; filename="shadow-report-ru-'
    )


def check_source_check(walked: Walked) -> None:
    """Nothing the data generated is listed as a figure without a source, in either language."""
    for language, report in walked.reports.items():
        assert queries.unsourced_figures(report) == [], (language, queries.unsourced_figures(report))


def check_renders(walked: Walked) -> None:
    """HTML, Markdown and DOCX carry the same disputed paragraph and its footnotes."""
    for language in ("en", "ru"):
        block = disputed_block(walked, language)
        start = block.text[:40]
        for fmt in ("html", "md", "docx"):
            text = walked.renders[(language, fmt)]
            assert start.replace("“", "").split("“")[0][:20] in text.replace("&quot;", '"'), (language, fmt)
        for note in block.footnotes:
            assert note["text"].rstrip(".")[:40] in walked.renders[(language, "md")], (language, note)


def paragraph_text(walked: Walked, language: str) -> str:
    """The disputed paragraph with its footnotes, as plain text (for the closing note)."""
    block = disputed_block(walked, language)
    marks = "".join(f"[{i}]" for i in range(1, len(block.footnotes) + 1))
    lines = [f"{block.text} {marks}", ""]
    lines += [f"[{i}] {n['text']}" for i, n in enumerate(block.footnotes, 1)]
    return "\n".join(lines)


def check_all(scenario: Scenario, walked: Walked) -> None:
    check_attribution(scenario, walked)
    check_claims(scenario, walked)
    check_footnotes(scenario, walked)
    check_whose_assessment(scenario, walked)
    check_claim_paragraph(scenario, walked)
    check_russian(scenario, walked)
    check_source_check(walked)
    check_renders(walked)
