"""Ingestion acceptors, called with a simple stand-in for an ingest suggestion."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any

import pytest

from rightstrack.claims import actions
from rightstrack.claims.models import Claim, DataPoint, Indicator
from rightstrack.core.errors import Forbidden, InvalidInput
from rightstrack.core.models import AuditEvent
from rightstrack.evidence.models import Citation


@dataclass
class Suggestion:
    kind: str
    data: dict[str, Any]
    passage: Any = None
    organisation_id: int | None = None
    confidentiality: str = "internal"
    pk: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def passage_id(self):
        return self.passage.pk if self.passage is not None else None


def figure(**data) -> dict:
    return {"value": 100, "unit": "complaints", "text": "about 100 a year", "speaker": "state", "period": None} | data


def test_accept_claim_from_a_state_figure(org_a, analyst_a, passage, indicator):
    import datetime

    type(passage.document).objects.filter(pk=passage.document_id).update(document_date=datetime.date(2024, 10, 15))
    passage.refresh_from_db()
    suggestion = Suggestion(
        "claim",
        figure(period={"start": "2023", "end": "2023", "partial": False, "text": "2023"}, indicator_id=indicator.pk),
        passage=passage,
        organisation_id=org_a.pk,
    )
    claim = actions.accept_claim(analyst_a, suggestion)
    assert isinstance(claim, Claim) and claim.speaker_kind == "state" and claim.text == "about 100 a year"
    figure_row = claim.figures.get()
    assert (figure_row.value, figure_row.unit, figure_row.period_label) == (100, "complaints", "2023")
    assert figure_row.indicator == indicator
    assert Citation.objects.get(object_id=claim.pk, content_type__model="claim").passage == passage
    assert claim.date == datetime.date(2024, 10, 15)  # the dialogue's date, from its document


def test_accept_claim_speaker_sides(org_a, analyst_a, passage):
    said = {"date": "2024-03-12", "passage": passage, "organisation_id": org_a.pk}
    expert = Suggestion("claim", figure(speaker="committee", period="2023", date=said.pop("date")), **said)
    assert actions.accept_claim(analyst_a, expert).speaker_kind == "expert"
    assert actions.accept_claim(analyst_a, expert).date == datetime.date(2024, 3, 12)
    unknown = Suggestion("claim", figure(speaker=None, period="2022", date="2024-03-12"), **said)
    assert actions.accept_claim(analyst_a, unknown).speaker_kind == "other"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (figure(unit=None, period="2023"), "no unit"),
        (figure(unit="", period="2023"), "no unit"),
        (figure(period=None), "no period"),
        (figure(period={"start": "2021", "end": None, "text": "since 2021"}), "no end"),
        (figure(period="some time ago"), "not a period"),
        (figure(value="many", period="2023"), "not a number"),
        (figure(text="", period="2023"), "required"),
        # no date on the claim nor on its document: refused, never dated the upload day
        (figure(period="2023"), "no date"),
    ],
)
def test_accept_claim_bad_suggestions_write_nothing(org_a, analyst_a, passage, data, message):
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=message):
        actions.accept_claim(analyst_a, Suggestion("claim", data, passage=passage, organisation_id=org_a.pk))
    assert not Claim.objects.exists() and AuditEvent.objects.count() == before


def test_accept_figure_into_the_only_indicator_with_that_unit(org_a, analyst_a, passage, indicator):
    suggestion = Suggestion(
        "figure",
        figure(value=85, period={"start": "2024-01", "end": "2024-10", "partial": True, "text": "10 months of 2024"}),
        passage=passage,
        organisation_id=org_a.pk,
    )
    point = actions.accept_figure(analyst_a, suggestion)
    assert isinstance(point, DataPoint) and point.indicator == indicator
    assert point.period_label == "2024-01..2024-10" and point.partial and point.source_kind == "official"
    assert Citation.objects.filter(object_id=point.pk, content_type__model="datapoint", passage=passage).exists()


def test_accept_figure_creates_or_reuses_an_indicator(org_a, analyst_a, passage):
    data = figure(unit="cameras", value=40000, speaker=None, period="2024")
    point = actions.accept_figure(analyst_a, Suggestion("figure", data, passage=passage, organisation_id=org_a.pk))
    assert point.indicator.unit == "cameras" and "from ingestion" in point.indicator.name and point.source_kind == "ngo"
    # The same figure again overlaps: an explicit conflict, nothing overwritten.
    with pytest.raises(actions.OverlapConflict):
        actions.accept_figure(analyst_a, Suggestion("figure", data, passage=passage, organisation_id=org_a.pk))
    named = figure(unit="cases", period="2023", indicator="Torture cases opened")
    point2 = actions.accept_figure(analyst_a, Suggestion("figure", named, passage=passage, organisation_id=org_a.pk))
    assert point2.indicator.name == "Torture cases opened"
    again = figure(unit="cases", period="2022", indicator="torture cases OPENED")
    assert (
        actions.accept_figure(analyst_a, Suggestion("figure", again, organisation_id=org_a.pk)).indicator
        == point2.indicator
    )
    assert Indicator.objects.count() == 2


def test_accept_figure_unit_mismatch_and_bad_input(org_a, analyst_a, indicator):
    data = figure(unit="cases", period="2023", indicator_id=indicator.pk)
    with pytest.raises(InvalidInput, match="indicator counts"):
        actions.accept_figure(analyst_a, Suggestion("figure", data, organisation_id=org_a.pk))
    with pytest.raises(InvalidInput, match="no period"):
        actions.accept_figure(analyst_a, Suggestion("figure", figure(), organisation_id=org_a.pk))
    assert not DataPoint.objects.exists()


def test_acceptors_check_permission_and_inherit_owner(org_a, viewer_a, analyst_a, passage):
    with pytest.raises(Forbidden):
        actions.accept_claim(
            viewer_a,
            Suggestion("claim", figure(period="2023", date="2024-03-12"), passage=passage, organisation_id=org_a.pk),
        )
    # Without organisation on the suggestion, the passage's document decides.
    stand_in = Suggestion(
        "claim", figure(period="2023", date="2024-03-12"), passage=passage, organisation_id=None, confidentiality=""
    )
    claim = actions.accept_claim(analyst_a, stand_in)
    assert claim.organisation_id == org_a.pk and claim.confidentiality == passage.document.confidentiality
    with pytest.raises(InvalidInput, match="organisation"):
        actions.accept_claim(
            analyst_a,
            Suggestion("claim", figure(period="2023", date="2024-03-12"), organisation_id=None, confidentiality=""),
        )


@pytest.mark.skipif(find_spec("rightstrack.ingest.acceptors") is None, reason="ingest acceptors not present")
def test_acceptors_registered_with_ingest():
    from rightstrack.ingest import acceptors

    assert acceptors.get("figure") is actions.accept_figure
    assert acceptors.get("claim") is actions.accept_claim
