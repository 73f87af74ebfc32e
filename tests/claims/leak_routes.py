"""Leak-harness descriptions for the claims app (see tests/leak_harness.py)."""

import datetime

from django.contrib.contenttypes.models import ContentType

from rightstrack.claims.models import Claim, ClaimFigure, DataPoint, Indicator, Verdict, VerdictEvidence
from rightstrack.core.models import Confidentiality
from rightstrack.evidence.models import Citation

DAY = datetime.date(2024, 10, 15)


def _period(label: str, year: int) -> dict:
    return {
        "period_label": label,
        "period_start": datetime.date(year, 1, 1),
        "period_end": datetime.date(year, 12, 31),
        "precision": "year",
    }


def add_semi(world) -> None:
    # Internal records members of A may see; hidden records are attached to them in add_hidden.
    indicator = Indicator.objects.create(
        organisation=world.org_a, confidentiality=Confidentiality.INTERNAL, name="Semi indicator", unit="cases"
    )
    world.semi["indicator"] = indicator
    world.semi["point"] = DataPoint.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.INTERNAL,
        indicator=indicator,
        value=100,
        source_kind="official",
        **_period("2023", 2023),
    )
    claim = Claim.objects.create(
        organisation=world.org_a, confidentiality=Confidentiality.INTERNAL, date=DAY, text="Semi claim"
    )
    world.semi["claim"] = claim
    world.semi["figure"] = ClaimFigure.objects.create(claim=claim, value=5, unit="cases", **_period("2023", 2023))


def add_hidden(world) -> None:
    org, level = world.org_a, Confidentiality.RESTRICTED
    indicator = Indicator.objects.create(
        organisation=org,
        confidentiality=level,
        name=world.text("indicator-name"),
        unit=world.text("unit"),
        definition=world.text("definition"),
        disaggregations=world.text("disaggregations"),
    )
    world.hidden["indicator"] = indicator
    world.hidden["point"] = DataPoint.objects.create(
        organisation=org,
        confidentiality=level,
        indicator=indicator,
        value=424242,
        source_kind="ngo",
        source_name=world.text("source"),
        disaggregation=world.text("breakdown"),
        notes=world.text("notes"),
        **_period("2023", 2023),
    )
    # A restricted NGO figure on the internal indicator: pages of that indicator and the discrepancy
    # view must not show it (nor pair it with the internal official figure).
    world.hidden["semi_indicator_point"] = DataPoint.objects.create(
        organisation=org,
        confidentiality=level,
        indicator=world.semi["indicator"],
        value=424243,
        source_kind="ngo",
        source_name=world.text("source-on-semi"),
        notes=world.text("notes-on-semi"),
        **_period("2023", 2023),
    )
    claim = Claim.objects.create(
        organisation=org,
        confidentiality=level,
        date=DAY,
        text=world.text("claim"),
        speaker=world.text("speaker"),
        forum=world.text("forum"),
    )
    world.hidden["claim"] = claim
    world.hidden["figure"] = ClaimFigure.objects.create(
        claim=claim, value=7, unit=world.text("figure-unit"), indicator=indicator, **_period("2023", 2023)
    )
    verdict = Verdict.objects.create(claim=claim, rating="contradicted", rationale=world.text("rationale"))
    world.hidden["verdict"] = verdict
    VerdictEvidence.objects.create(
        verdict=verdict,
        content_type=ContentType.objects.get_for_model(DataPoint),
        object_id=world.hidden["point"].pk,
        note=world.text("evidence-note"),
    )
    # The internal claim's figure now points at the restricted indicator: its name must not show.
    ClaimFigure.objects.filter(pk=world.semi["figure"].pk).update(indicator=indicator)
    if "passage" in world.hidden:  # from tests/evidence/leak_routes.py: a restricted document's passage
        Citation.objects.create(
            passage=world.hidden["passage"],
            content_type=ContentType.objects.get_for_model(Claim),
            object_id=world.semi["claim"].pk,
            quote=world.text("quote"),
            note=world.text("citation-note"),
        )


def _claims(w):
    return [{"pk": w.hidden["claim"].pk}, {"pk": w.semi["claim"].pk}, {"pk": 987654}]


def _indicators(w):
    return [{"pk": w.hidden["indicator"].pk}, {"pk": w.semi["indicator"].pk}, {"pk": 987654}]


def _points(w):
    return [
        {"pk": w.hidden["point"].pk},
        {"pk": w.hidden["semi_indicator_point"].pk},
        {"pk": w.semi["point"].pk},
        {"pk": 987654},
    ]


ROUTES = {
    "claims/<int:pk>/": _claims,
    "claims/<int:pk>/edit/": _claims,
    "claims/<int:pk>/delete/": _claims,
    "claims/<int:pk>/figures/add/": _claims,
    "claims/<int:pk>/verdict/": _claims,
    # Not the internal claim's figure: a monitor of A may legitimately remove it.
    "claims/figures/<int:pk>/edit/": lambda w: [{"pk": w.hidden["figure"].pk}, {"pk": 987654}],
    "claims/figures/<int:pk>/remove/": lambda w: [{"pk": w.hidden["figure"].pk}, {"pk": 987654}],
    "claims/verdicts/<int:pk>/review/": lambda w: [{"pk": w.hidden["verdict"].pk}, {"pk": 987654}],
    "claims/indicators/<int:pk>/": _indicators,
    "claims/indicators/<int:pk>/edit/": _indicators,
    "claims/indicators/<int:pk>/delete/": _indicators,
    "claims/indicators/<int:pk>/points/new/": _indicators,
    "claims/points/<int:pk>/edit/": _points,
    "claims/points/<int:pk>/delete/": _points,
    "api/claims/indicators/<indicator_id>": lambda w: [
        {"indicator_id": w.hidden["indicator"].pk},
        {"indicator_id": w.semi["indicator"].pk},
        {"indicator_id": "x"},
    ],
    "api/claims/indicators/<indicator_id>/points": lambda w: [
        {"indicator_id": w.hidden["indicator"].pk},
        {"indicator_id": w.semi["indicator"].pk},
    ],
    "api/claims/claims/<claim_id>": lambda w: [
        {"claim_id": w.hidden["claim"].pk},
        {"claim_id": w.semi["claim"].pk},
        {"claim_id": "x"},
    ],
    "api/claims/claims/<claim_id>/verdicts": lambda w: [
        {"claim_id": w.hidden["claim"].pk},
        {"claim_id": w.semi["claim"].pk},
    ],
    "api/claims/verdicts/<verdict_id>/evidence": lambda w: [{"verdict_id": w.hidden["verdict"].pk}],
    "api/claims/verdicts/<verdict_id>/review": lambda w: [{"verdict_id": w.hidden["verdict"].pk}],
}
