"""Synthetic demo: a Human Rights Committee dialogue with a dozen State claims, indicator series
(official vs NGO, the HRD threat index 2021–2024 with 2024 partial) and verdicts. All invented,
all labelled SYNTHETIC; no figure here describes a real country's statistics.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.core.demo import SYNTHETIC
from rightstrack.core.models import Confidentiality
from rightstrack.evidence.actions import upload_document
from rightstrack.evidence.models import Passage, SourceDocument

from . import actions
from .models import Claim, DataPoint, Indicator, Verdict

FORUM = "Human Rights Committee, synthetic dialogue (demo)"
DIALOGUE_DATE = datetime.date(2024, 10, 15)

# Written for the demo; each numbered paragraph is one passage that a claim or a figure cites.
DIALOGUE_PARAGRAPHS = [
    "Synthetic summary of a Human Rights Committee dialogue (demo)",
    (
        f"{SYNTHETIC}. This summary is invented for trying RightsTrack. The State, the people and the figures "
        f"are made up."
    ),
    (
        "1. The head of the delegation said that registered complaints of torture had fallen from about 800 "
        "in 2019 to about 100 in 2023."
    ),
    (
        "2. The delegation stated that every complaint of torture was examined by the prosecutor within 24 "
        "hours and that 120 criminal cases for torture were opened in 2023."
    ),
    (
        "3. The delegation said that video cameras had been installed in all 40,000 rooms where detainees are"
        " questioned."
    ),
    "4. A Committee Expert asked why the number of torture cases sent to court remained low.",
    ("5. The delegation indicated that the number of persons held in pre-trial detention had fallen to 6,000 in 2023."),
    (
        "6. The delegation explained that house arrest was now used instead of custody in most cases and that"
        " pre-trial detention lasted on average 2 months."
    ),
    "7. The delegation said that no human rights defender had been detained because of their activities.",
    ("8. The delegation reported that the acquittal rate had reached 3 per cent in 2023, showing independent courts."),
    ("9. The delegation said that all hearings in cases related to the January events were open to the public."),
    (
        "10. The delegation stated that lawyers had access to their clients from the first hour of detention "
        "in all cases."
    ),
    "11. The delegation said that compensation had been paid to 250 victims of torture in 2023.",
    ("12. The delegation stated that the number of persons convicted for torture had increased to 40 in 2023."),
    (
        "13. The delegation said that interpreters were provided in every criminal trial where the defendant "
        "asked for one."
    ),
]
DIALOGUE = "\n\n".join(DIALOGUE_PARAGRAPHS) + "\n"

DIGEST_PARAGRAPHS = [
    "Synthetic NGO monitoring digest (demo)",
    f"{SYNTHETIC}. Figures invented by the demo coalition for trying RightsTrack.",
    (
        "1. The coalition recorded 1,450 complaints of torture and ill-treatment in 2019, 1,300 in 2020, "
        "1,210 in 2021, 1,020 in 2022 and 980 in 2023."
    ),
    ("2. The coalition documented 31 criminal cases for torture opened in 2023 on the complaints it followed."),
    "3. Monitors counted 9,800 persons in pre-trial detention at the end of 2023.",
    (
        "4. The threat index of the coalition counted acts against human rights defenders: 64 in 2021, 118 in"
        " 2022, 97 in 2023 and 85 from January to October 2024."
    ),
    "5. In the trials the coalition monitored, the acquittal rate was 0.4 per cent in 2023.",
    ("6. Monitors were refused entry to 11 of 52 hearings they attended in cases related to the January events."),
]
DIGEST = "\n\n".join(DIGEST_PARAGRAPHS) + "\n"

INDICATORS = [
    # key, name, unit, article, themes, definition
    (
        "torture",
        "Registered complaints of torture and ill-treatment",
        "complaints",
        7,
        ["torture-and-other-cid-treatment"],
        "Complaints registered in a calendar year (synthetic demo series).",
    ),
    (
        "cases",
        "Criminal cases opened for torture",
        "cases",
        7,
        ["torture-and-other-cid-treatment", "impunity"],
        "Criminal cases opened under the torture article in a year (synthetic).",
    ),
    (
        "detention",
        "Persons in pre-trial detention",
        "persons",
        9,
        ["detention"],
        "Persons held in pre-trial detention at the end of the year (synthetic).",
    ),
    ("acquittals", "Acquittal rate", "%", 14, ["justice"], "Acquittals as a share of verdicts (synthetic)."),
    (
        "hrd",
        "HRD threat index",
        "acts",
        19,
        ["human-rights-defenders"],
        "Acts against human rights defenders documented per year: threats, detention, searches, "
        "prosecution (synthetic). 2024 covers January to October only.",
    ),
]

POINTS = [
    # indicator key, period, value, source kind, source name, partial, digest paragraph keyword
    ("torture", "2019", 800, "official", "Prosecutor's office (synthetic)", False, None),
    ("torture", "2020", 610, "official", "Prosecutor's office (synthetic)", False, None),
    ("torture", "2021", 420, "official", "Prosecutor's office (synthetic)", False, None),
    ("torture", "2022", 230, "official", "Prosecutor's office (synthetic)", False, None),
    ("torture", "2023", 100, "official", "Prosecutor's office (synthetic)", False, None),
    ("torture", "2019", 1450, "ngo", "Demo coalition", False, "1,450 complaints"),
    ("torture", "2020", 1300, "ngo", "Demo coalition", False, "1,450 complaints"),
    ("torture", "2021", 1210, "ngo", "Demo coalition", False, "1,450 complaints"),
    ("torture", "2022", 1020, "ngo", "Demo coalition", False, "1,450 complaints"),
    ("torture", "2023", 980, "ngo", "Demo coalition", False, "1,450 complaints"),
    ("cases", "2023", 120, "official", "Prosecutor's office (synthetic)", False, None),
    ("cases", "2023", 31, "ngo", "Demo coalition", False, "31 criminal cases"),
    ("detention", "2023", 6000, "official", "Ministry (synthetic)", False, None),
    ("detention", "2023", 9800, "international", "Visiting mechanism (synthetic)", False, "9,800 persons"),
    ("acquittals", "2023", 3, "official", "Supreme Court (synthetic)", False, None),
    ("acquittals", "2023", 0.4, "ngo", "Demo coalition trial monitoring", False, "acquittal rate was 0.4"),
    ("hrd", "2021", 64, "ngo", "Demo coalition", False, "threat index"),
    ("hrd", "2022", 118, "ngo", "Demo coalition", False, "threat index"),
    ("hrd", "2023", 97, "ngo", "Demo coalition", False, "threat index"),
    ("hrd", "Jan–Oct 2024", 85, "ngo", "Demo coalition", True, "threat index"),
    ("hrd", "2022", 12, "official", "Ministry (synthetic)", False, None),
    ("hrd", "2023", 9, "official", "Ministry (synthetic)", False, None),
]

CLAIMS = [
    # dialogue keyword, claim text, article, themes, figures [(value, unit, period, indicator key)]
    (
        "fallen from about 800",
        "Complaints of torture fell from about 800 (2019) to about 100 (2023).",
        7,
        ["torture-and-other-cid-treatment"],
        [(800, "complaints", "2019", "torture"), (100, "complaints", "2023", "torture")],
    ),
    (
        "within 24 hours",
        "Every torture complaint is examined within 24 hours; 120 criminal cases for torture were opened in 2023.",
        7,
        ["torture-and-other-cid-treatment", "impunity"],
        [(120, "cases", "2023", "cases")],
    ),
    (
        "40,000 rooms",
        "Video cameras were installed in all 40,000 interrogation rooms.",
        7,
        ["torture-and-other-cid-treatment"],
        [(40000, "rooms", "2024", None)],
    ),
    (
        "fallen to 6,000",
        "Pre-trial detention fell to 6,000 persons in 2023.",
        9,
        ["detention"],
        [(6000, "persons", "2023", "detention")],
    ),
    (
        "house arrest",
        "House arrest replaced custody in most cases; pre-trial detention lasts two months on average.",
        9,
        ["detention"],
        [(2, "months", "2023", None)],
    ),
    (
        "no human rights defender",
        "No human rights defender was detained because of their activities.",
        19,
        ["human-rights-defenders"],
        [(0, "acts", "2023", "hrd")],
    ),
    (
        "acquittal rate",
        "The acquittal rate reached 3% in 2023, showing that the courts are independent.",
        14,
        ["justice"],
        [(3, "%", "2023", "acquittals")],
    ),
    (
        "open to the public",
        "All hearings in the January events cases were open to the public.",
        14,
        ["justice"],
        [],
    ),
    (
        "first hour of detention",
        "Lawyers have access to clients from the first hour of detention in all cases.",
        14,
        ["justice", "detention"],
        [],
    ),
    (
        "compensation",
        "Compensation was paid to 250 victims of torture in 2023.",
        7,
        ["torture-and-other-cid-treatment"],
        [(250, "persons", "2023", None)],
    ),
    (
        "convicted for torture",
        "Convictions for torture rose to 40 persons in 2023.",
        7,
        ["torture-and-other-cid-treatment", "impunity"],
        [(40, "persons", "2023", None)],
    ),
    (
        "interpreters",
        "An interpreter is provided in every criminal trial where the defendant asks for one.",
        14,
        ["justice"],
        [],
    ),
]

VERDICTS = [
    # claim index, rating, rationale, digest keywords cited, cite indicator points?, reviewed
    (
        0,
        "contradicted",
        "NGO complaints fell far less (1,450 to 980); the official fall reflects registration, "
        "not fewer complaints. (Synthetic verdict.)",
        ["1,450 complaints"],
        True,
        True,
    ),
    (
        1,
        "contradicted",
        "The coalition documented 31 cases opened in 2023, a quarter of the figure claimed. (Synthetic verdict.)",
        ["31 criminal cases"],
        True,
        True,
    ),
    (
        3,
        "contradicted",
        "The visiting mechanism counted 9,800 detainees at the end of 2023. (Synthetic verdict.)",
        ["9,800 persons"],
        True,
        True,
    ),
    (
        5,
        "contradicted",
        "The threat index records 97 acts against defenders in 2023, including detentions. (Synthetic verdict.)",
        ["threat index"],
        True,
        True,
    ),
    (
        6,
        "partly",
        "Official acquittal rate matches the court statistics, but in monitored trials it was 0.4%; "
        "the rate does not show independence. (Synthetic verdict.)",
        ["acquittal rate was 0.4"],
        True,
        True,
    ),
    (
        7,
        "contradicted",
        "Monitors were refused entry to 11 of 52 hearings. (Synthetic verdict.)",
        ["refused entry"],
        False,
        True,
    ),
    (
        2,
        "unverifiable",
        "No independent source on the number of rooms with cameras. (Synthetic verdict.)",
        [],
        False,
        False,
    ),
]
# A second analyst disagrees on the acquittal claim: kept in the history, awaiting review.
SECOND_OPINION = (6, "contradicted", "A 0.4% rate in monitored trials contradicts the claim. (Synthetic verdict.)")


def _document(user, org_id: int, title: str, text: str, filename: str) -> SourceDocument:
    document, _created = upload_document(
        user,
        organisation_id=org_id,
        upload=SimpleUploadedFile(filename, text.encode()),
        title=title,
        confidentiality=Confidentiality.INTERNAL,
        document_date=DIALOGUE_DATE,
        publisher="Demo Coalition for Fair Trials (synthetic)",
        language="en",
        symbol="CCPR/C/SR.DEMO" if "dialogue" in filename else "",
        is_synthetic=True,
    )
    return document


def _passage(document: SourceDocument, keyword: str | None) -> Passage | None:
    if not keyword:
        return None
    return document.passages.filter(text__icontains=keyword).order_by("number").first()


def load(ctx) -> None:
    """Create the demo claims data once (idempotent)."""
    coalition = ctx.organisations["coalition"]
    if Indicator.objects.filter(organisation=coalition, is_synthetic=True).exists():
        return
    admin, analyst = ctx.users["admin"], ctx.users.get("analyst", ctx.users["admin"])
    reviewer = ctx.users.get("coordinator", admin)
    dialogue = _document(admin, coalition.pk, "Synthetic HRC dialogue summary (demo)", DIALOGUE, "demo-dialogue.txt")
    digest = _document(admin, coalition.pk, "Synthetic NGO monitoring digest (demo)", DIGEST, "demo-digest.txt")

    indicators = {}
    for key, name, unit, article, themes, definition in INDICATORS:
        indicator = actions.create_indicator(
            admin,
            organisation=coalition,
            name=f"{name} (synthetic)",
            unit=unit,
            definition=f"{definition} {SYNTHETIC}.",
            disaggregations="region" if key == "detention" else "",
            article=article,
            themes=themes,
            confidentiality=Confidentiality.INTERNAL,
        )
        Indicator.objects.filter(pk=indicator.pk).update(is_synthetic=True)
        indicators[key] = indicator

    points = {}
    for key, period, value, kind, source, partial, keyword in POINTS:
        passage = _passage(digest, keyword)
        point = actions.add_data_point(
            admin,
            indicators[key],
            period=period,
            value=value,
            source_kind=kind,
            source_name=source,
            partial=partial,
            notes=f"{SYNTHETIC}." + (" January–October only." if partial else ""),
            passage=passage,
        )
        points.setdefault(key, []).append(point)
    DataPoint.objects.filter(indicator__in=indicators.values()).update(is_synthetic=True)

    claims = []
    for keyword, text, article, themes, figures in CLAIMS:
        passage = _passage(dialogue, keyword)
        claim = actions.create_claim(
            analyst,
            organisation=coalition,
            text=text,
            date=DIALOGUE_DATE,
            speaker_kind="state",
            speaker="Head of the delegation (synthetic)",
            forum_kind="dialogue",
            forum=FORUM,
            article=article,
            themes=themes,
            figures=[
                {"value": v, "unit": u, "period": p, "indicator": indicators[i] if i else None}
                for v, u, p, i in figures
            ],
            passage=passage,
            quote=passage.text if passage else "",
            confidentiality=Confidentiality.INTERNAL,
        )
        claims.append(claim)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(is_synthetic=True)

    for index, rating, rationale, keywords, cite_points, reviewed in VERDICTS:
        claim = claims[index]
        passages = [p for p in (_passage(digest, k) for k in keywords) if p is not None]
        evidence = []
        if cite_points:
            figure_indicators = {f.indicator_id for f in claim.figures.all() if f.indicator_id}
            evidence = [
                p
                for key, pts in points.items()
                for p in pts
                if p.indicator_id in figure_indicators and p.source_kind != "official"
            ]
        if not passages and not evidence:
            passages = [_passage(dialogue, CLAIMS[index][0])]
        verdict = actions.give_verdict(
            analyst, claim, rating=rating, rationale=rationale, passages=passages, evidence=evidence
        )
        if reviewed:
            actions.review_verdict(reviewer, verdict)
    index, rating, rationale = SECOND_OPINION
    actions.give_verdict(
        admin, claims[index], rating=rating, rationale=rationale, passages=[_passage(digest, "acquittal rate was 0.4")]
    )
    Verdict.objects.filter(claim__in=claims).update(is_synthetic=True)
