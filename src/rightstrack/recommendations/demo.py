"""Demo: Kazakhstan's UPR cycles and Human Rights Committee reviews with a few dozen recommendations, and a
civil-society alternative report with recommendations of its own.

Facts used: the review dates and outcome-document symbols, and the civil-society coalition's finding
that the ten recommendations 139.61-139.67 and 139.79-139.81 of the third UPR cycle were partially
implemented. Every recommendation *text* here is SYNTHETIC (made up for the demo and labelled so),
and so are the State's assessments and the other assessments.
"""

from __future__ import annotations

import datetime

from django.apps import apps as django_apps

from rightstrack.core.demo import SYNTHETIC
from rightstrack.core.models import Confidentiality

from . import actions, vocabularies
from .models import AssessorKind, Recommendation, Review, SourceKind, Status

TAG = f"[{SYNTHETIC}] "

# mechanism, cycle, session, symbol, date
REVIEWS = [
    ("upr", 1, "7", "A/HRC/14/10", datetime.date(2010, 2, 12)),
    ("upr", 2, "20", "A/HRC/28/10", datetime.date(2014, 10, 30)),
    ("upr", 3, "34", "A/HRC/43/10", datetime.date(2019, 11, 7)),
    ("ccpr", None, "102", "CCPR/C/KAZ/CO/1", datetime.date(2011, 7, 19)),
    ("ccpr", None, "117", "CCPR/C/KAZ/CO/2", datetime.date(2016, 8, 9)),
]

# Synthetic asks, repeated across reviews on purpose so recurring groups have something to find.
ASKS = [
    (
        "Ratify the Optional Protocol to the Convention against Torture and ensure the national preventive "
        "mechanism is independent.",
        ["torture-and-other-cid-treatment", "international-instruments"],
        [7],
        "supported",
    ),
    (
        "Criminalise torture in line with article 1 of the Convention against Torture and investigate every "
        "allegation promptly.",
        ["torture-and-other-cid-treatment", "impunity"],
        [7],
        "supported",
    ),
    (
        "Bring the law on peaceful assemblies into line with article 21 of the Covenant, replacing the permission "
        "system with notification.",
        ["freedom-of-association-and-peaceful-assembly"],
        [21],
        "noted",
    ),
    ("Decriminalise defamation and move it to the civil code.", ["freedom-of-opinion-and-expression"], [19], "noted"),
    (
        "Guarantee the independence of judges and lawyers and ensure access to a lawyer from the moment of arrest.",
        ["justice", "detention"],
        [14, 9],
        "supported",
    ),
    (
        "Protect human rights defenders and journalists from harassment and investigate threats against them.",
        ["human-rights-defenders", "freedom-of-the-press"],
        [19, 22],
        "supported",
    ),
    (
        "Abolish the death penalty and ratify the Second Optional Protocol to the Covenant.",
        ["death-penalty", "international-instruments"],
        [6],
        "supported",
    ),
    (
        "Simplify the registration of public and religious associations.",
        ["freedom-of-association-and-peaceful-assembly", "freedom-of-religion-and-belief"],
        [18, 22],
        "noted",
    ),
]


def load(ctx) -> None:
    """Create the demo reviews, recommendations, assessments, a View and an action plan item (idempotent)."""
    vocabularies.load(django_apps)  # `demo --reset` flushes vocabulary tables too
    coalition = ctx.organisations["coalition"]
    admin = ctx.users["admin"]
    if Review.objects.filter(organisation=coalition, is_synthetic=True).exists():
        return
    reviews = {}
    for mechanism, cycle, session, symbol, date in REVIEWS:
        reviews[symbol] = actions.create_review(
            admin,
            organisation=coalition,
            mechanism=mechanism,
            state="Kazakhstan",
            cycle=cycle,
            session=session,
            symbol=symbol,
            date=date,
            languages="en, ru",
            confidentiality=Confidentiality.PUBLIC,
            is_synthetic=True,
        )
    recommending = ["Norway", "France", "Brazil", "Japan", "Ghana", "Poland", "Canada", "Mexico"]
    n = 0
    for symbol in ("A/HRC/14/10", "A/HRC/28/10", "CCPR/C/KAZ/CO/1", "CCPR/C/KAZ/CO/2"):
        review = reviews[symbol]
        for k in range(4):
            text, themes, articles, response = ASKS[(n + k) % len(ASKS)]
            _make(admin, review, text, themes, articles, response, paragraph=str(k + 10), states=[recommending[n % 8]])
            n += 1
    # A civil-society source: recommendations the coalition makes itself, credited to it, never to a UN body.
    alternative = actions.create_review(
        admin,
        organisation=coalition,
        source_kind=SourceKind.NGO_REPORT,
        author="Demo coalition of NGOs (synthetic)",
        title=TAG + "Alternative report to the Human Rights Committee",
        state="Kazakhstan",
        date=datetime.date(2025, 5, 1),
        languages="en, ru",
        confidentiality=Confidentiality.PUBLIC,
        is_synthetic=True,
    )
    for k in (1, 4):
        text, themes, articles, _response = ASKS[k]
        _make(admin, alternative, text, themes, articles, "none", paragraph=str(k + 20))
    third = reviews["A/HRC/43/10"]
    assessed = [f"139.{i}" for i in [*range(61, 68), *range(79, 82)]]
    for i, upr_id in enumerate(["139.1", "139.2", "139.3", *assessed, "139.90", "139.91"]):
        text, themes, articles, response = ASKS[i % len(ASKS)]
        _make(admin, third, text, themes, articles, response, upr_id=upr_id, states=[recommending[i % 8]])
    # The coalition's finding (a fact from its UPR pre-session slides): partially implemented.
    actions.assess_upr_ids(
        admin,
        third,
        "139.61-139.67, 139.79-139.81",
        organisation=coalition,
        assessor_kind=AssessorKind.COALITION,
        assessor_name="Coalition of NGOs (UPR pre-session, 4th cycle)",
        date=datetime.date(2024, 12, 1),
        status=Status.PARTIALLY,
        rationale="Partially implemented, in the coalition's assessment of this group of ten recommendations.",
        confidentiality=Confidentiality.PUBLIC,
    )
    # Synthetic: what a State report might claim, an earlier coalition view, for the timeline.
    for k, upr_id in enumerate(assessed):
        rec = Recommendation.objects.get(review=third, upr_id=upr_id)
        actions.add_assessment(
            admin,
            rec,
            organisation=coalition,
            assessor_kind=AssessorKind.STATE,
            assessor_name="Government (national report)",
            date=datetime.date(2024, 6, 1),
            status=Status.FULLY if k % 3 else Status.PARTIALLY,
            rationale=TAG + "Invented State position for the demo.",
            confidentiality=Confidentiality.PUBLIC,
            is_synthetic=True,
        )
        actions.add_assessment(
            admin,
            rec,
            organisation=coalition,
            assessor_kind=AssessorKind.NGO,
            assessor_name="Demo monitoring group",
            date=datetime.date(2022, 3, 1),
            status=Status.NOT,
            rationale=TAG + "Invented mid-term assessment for the demo.",
            confidentiality=Confidentiality.INTERNAL,
            is_synthetic=True,
        )
    author = next((p for p in ctx.persons if p.confidentiality == Confidentiality.RESTRICTED), None)
    for number, implementation in (("0000/2016 (synthetic)", "not"), ("0001/2019 (synthetic)", "partially")):
        actions.create_view(
            admin,
            organisation=coalition,
            state="Kazakhstan",
            communication_number=number,
            author=author,
            articles=[9, 14],
            remedies=TAG + "Effective remedy and compensation.",
            implementation=implementation,
            confidentiality=Confidentiality.RESTRICTED if author else Confidentiality.INTERNAL,
            is_synthetic=True,
        )
    linked = list(Recommendation.objects.filter(review=third, upr_id__in=assessed[:3]))
    actions.create_nap_item(
        admin,
        organisation=coalition,
        plan=TAG + "Human rights action plan (demo)",
        action=TAG + "Draft amendments on the prevention of torture.",
        responsible_body="Ministry of Justice (demo)",
        deadline=datetime.date(2025, 12, 31),
        indicator="Amendments submitted to Parliament",
        completion=40,
        recommendations=linked,
        confidentiality=Confidentiality.INTERNAL,
        is_synthetic=True,
    )
    actions.compute_recurrence(admin, coalition)


def _make(admin, review, text, themes, articles, response, *, paragraph="", upr_id="", states=()):
    rec = actions.create_recommendation(
        admin,
        review,
        text=TAG + text,
        paragraph=paragraph,
        upr_id=upr_id,
        response=response,
        themes=themes,
        articles=articles,
        recommending_states=list(states) if review.mechanism and review.mechanism.code == "upr" else [],
        action_category=5 if text.startswith(("Ratify", "Abolish", "Criminalise", "Decriminalise")) else 4,
        is_synthetic=True,
    )
    return rec
