"""Records from other modules for report tests (created directly: these tests are about reports)."""

from __future__ import annotations

import datetime

from rightstrack.core.models import Confidentiality, IccprArticle, Theme


def ensure_vocabularies() -> None:
    """Live-server tests flush the tables, data migrations included: load the vocabularies again."""
    from django.apps import apps

    from rightstrack.core import vocabularies as core_vocabularies
    from rightstrack.recommendations import vocabularies
    from rightstrack.recommendations.models import Mechanism

    if not IccprArticle.objects.exists():
        core_vocabularies.load(apps)
    if not Mechanism.objects.exists():
        vocabularies.load(apps)


def recommendation(
    org,
    *,
    text: str,
    article: int = 14,
    mechanism: str = "ccpr",
    status: str | None = "not",
    level: str = Confidentiality.PUBLIC,
    symbol: str = "CCPR/C/KAZ/CO/2",
    paragraph: str = "34",
    upr_id: str = "",
    theme: str | None = None,
):
    from rightstrack.recommendations.models import Assessment, Mechanism, Recommendation, Review, State

    ensure_vocabularies()
    review, _created = Review.objects.get_or_create(
        organisation=org,
        mechanism=Mechanism.objects.get(code=mechanism),
        state=State.objects.get(name="Kazakhstan"),
        symbol=symbol,
        defaults={"confidentiality": Confidentiality.PUBLIC, "date": datetime.date(2016, 8, 9), "cycle": 2},
    )
    rec = Recommendation.objects.create(
        organisation=org, confidentiality=level, review=review, text=text, paragraph=paragraph, upr_id=upr_id
    )
    rec.articles.add(IccprArticle.objects.get(number=article))
    if theme:
        rec.themes.add(Theme.objects.get(code=theme))
    if status:
        Assessment.objects.create(
            organisation=org,
            confidentiality=level,
            recommendation=rec,
            assessor_kind="coalition",
            date=datetime.date(2023, 1, 1),
            status=status,
        )
    return rec


def trial(
    org, *, number: str = "1-22/2022", city: str = "Almaty", hearings: int = 3, level: str = Confidentiality.PUBLIC
):
    """A public court case with hearings in 2022."""
    from rightstrack.trials.models import Case, Court, Hearing

    court = Court.objects.create(organisation=org, confidentiality=level, name=f"{city} city court", city=city)
    case = Case.objects.create(organisation=org, confidentiality=level, number=number, court=court, charges="272(2)")
    for day in range(hearings):
        Hearing.objects.create(case=case, date=datetime.date(2022, 6, 1 + day))
    return case
