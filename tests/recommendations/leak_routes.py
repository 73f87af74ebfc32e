"""Leak-harness descriptions for the recommendations app."""

import datetime
import hashlib

from rightstrack.core.models import Confidentiality, Person
from rightstrack.evidence.models import SourceDocument
from rightstrack.recommendations import search
from rightstrack.recommendations.models import (
    Assessment,
    ComplaintView,
    ImportJob,
    Mechanism,
    NapItem,
    Recommendation,
    RecurrenceGroup,
    Review,
    State,
)


def _review(world, level, **fields):
    return Review.objects.create(
        organisation=world.org_a,
        confidentiality=level,
        mechanism=Mechanism.objects.get(code="upr"),
        state=State.objects.get(name="Kazakhstan"),
        cycle=3,
        **fields,
    )


def add_semi(world) -> None:
    # A public review of org A: other people see it, but not the restricted records hung on it.
    world.semi["review"] = _review(world, Confidentiality.PUBLIC, session="34", symbol="A/HRC/43/10")
    rec = Recommendation.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.PUBLIC,
        review=world.semi["review"],
        upr_id="139.1",
        text="Public recommendation about assemblies",
    )
    search.index([(rec.pk, rec.text, {})])
    world.semi["recommendation"] = rec
    # A public civil-society source; add_hidden makes it come from a restricted document.
    world.semi["cso_source"] = Review.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.PUBLIC,
        source_kind="ngo_report",
        author="Public coalition (test)",
        state=State.objects.get(name="Kazakhstan"),
    )


def add_hidden(world) -> None:
    review = _review(
        world,
        Confidentiality.RESTRICTED,
        session=world.text("session"),
        symbol=world.text("symbol"),
        languages=world.text("languages"),
    )
    world.hidden["review"] = review
    # A restricted civil-society source, and a restricted document behind the public one: neither its
    # author, title and symbol nor the document's title may show.
    world.hidden["cso_source"] = Review.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        source_kind="ngo_statement",
        author=world.text("source-author"),
        title=world.text("source-title"),
        symbol=world.text("source-symbol"),
        state=State.objects.get(name="Kazakhstan"),
        date=datetime.date(2025, 5, 1),
    )
    document = SourceDocument.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title=world.text("source-document"),
        sha256=hashlib.sha256(b"cso-source-document").hexdigest(),
        size=10,
        kind="txt",
        original_filename=world.text("source-file"),
    )
    Review.objects.filter(pk=world.semi["cso_source"].pk).update(document=document)
    rec = Recommendation.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        review=review,
        source_id=world.text("source"),
        paragraph=world.text("paragraph"),
        upr_id="139.61",
        text=world.text("text"),
        translations={"ru": world.text("translation")},
        affected_groups=world.text("groups"),
        suggested_themes=[world.text("suggested")],
    )
    search.index([(rec.pk, rec.text, rec.translations)])
    world.hidden["recommendation"] = rec
    # A restricted recommendation inside the *public* review: the public review page must not list it.
    inner = Recommendation.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        review=world.semi["review"],
        upr_id="139.62",
        text=world.text("inner"),
        paragraph=world.text("inner-paragraph"),
    )
    search.index([(inner.pk, inner.text, {})])
    world.hidden["inner"] = inner
    # A restricted assessment of the public recommendation: its timeline and filters must not show it.
    world.hidden["assessment"] = Assessment.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        recommendation=world.semi["recommendation"],
        assessor_kind="coalition",
        assessor_name=world.text("assessor"),
        date=datetime.date(2024, 1, 1),
        status="not",
        rationale=world.text("rationale"),
    )
    author = Person.objects.create(
        organisation=world.org_a, confidentiality=Confidentiality.RESTRICTED, pseudonym=world.text("author")
    )
    view = ComplaintView.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        mechanism=Mechanism.objects.get(code="ccpr"),
        state=State.objects.get(name="Kazakhstan"),
        communication_number=world.text("communication"),
        author=author,
        remedies=world.text("remedies"),
        notes=world.text("view-notes"),
    )
    world.hidden["view"] = view
    item = NapItem.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        plan=world.text("plan"),
        action=world.text("action"),
        responsible_body=world.text("body"),
        indicator=world.text("indicator"),
    )
    item.recommendations.add(world.semi["recommendation"])
    world.hidden["nap"] = item
    group = RecurrenceGroup.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        state=State.objects.get(name="Kazakhstan"),
        label=world.text("label"),
        representative=world.text("representative"),
    )
    group.recommendations.add(rec, world.semi["recommendation"])
    world.hidden["group"] = group
    world.hidden["job"] = ImportJob.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        created_by=world.author,
        filename=world.text("file"),
        fmt="csv",
        sha256="0" * 64,
        rows=[{"text": world.text("row")}],
        error=world.text("error"),
        total=1,
    )


def _recs(w):
    return [
        {"pk": w.hidden["recommendation"].pk},
        {"pk": w.hidden["inner"].pk},
        {"pk": w.semi["recommendation"].pk},
        {"pk": 987654},
    ]


def _reviews(w):
    return [
        {"pk": w.hidden["review"].pk},
        {"pk": w.semi["review"].pk},
        {"pk": w.hidden["cso_source"].pk},
        {"pk": w.semi["cso_source"].pk},
        {"pk": 987654},
    ]


def _views(w):
    return [{"pk": w.hidden["view"].pk}, {"pk": 987654}]


def _naps(w):
    return [{"pk": w.hidden["nap"].pk}, {"pk": 987654}]


def _groups(w):
    return [{"pk": w.hidden["group"].pk}, {"pk": 987654}]


def _jobs(w):
    return [{"pk": w.hidden["job"].pk}, {"pk": 987654}]


ROUTES = {
    "recommendations/<int:pk>/": _recs,
    "recommendations/<int:pk>/assess/": _recs,
    "recommendations/<int:pk>/classify/": _recs,
    "recommendations/<int:pk>/edit/": _recs,
    "recommendations/<int:pk>/delete/": _recs,
    "recommendations/reviews/<int:pk>/": _reviews,
    "recommendations/reviews/<int:pk>/add/": _reviews,
    "recommendations/reviews/<int:pk>/assess/": _reviews,
    "recommendations/reviews/<int:pk>/edit/": _reviews,
    "recommendations/reviews/<int:pk>/delete/": _reviews,
    "recommendations/views/<int:pk>/edit/": _views,
    "recommendations/views/<int:pk>/delete/": _views,
    "recommendations/action-plan/<int:pk>/edit/": _naps,
    "recommendations/action-plan/<int:pk>/delete/": _naps,
    "recommendations/import/<int:pk>/": _jobs,
    "recommendations/import/<int:pk>/confirm/": _jobs,
    "recommendations/import/<int:pk>/progress/": _jobs,
    "recommendations/groups/<int:pk>/": _groups,
    "recommendations/groups/<int:pk>/confirm/": _groups,
    "recommendations/groups/<int:pk>/split/": _groups,
    "recommendations/groups/<int:pk>/merge/": _groups,
    "api/recommendations/reviews/<review_id>": lambda w: [
        {"review_id": w.hidden["review"].pk},
        {"review_id": w.hidden["cso_source"].pk},
        {"review_id": w.semi["cso_source"].pk},
        {"review_id": "x"},
    ],
    "api/recommendations/reviews/<review_id>/assessments": lambda w: [{"review_id": w.hidden["review"].pk}],
    "api/recommendations/recommendations/<rec_id>": lambda w: [
        {"rec_id": w.hidden["recommendation"].pk},
        {"rec_id": w.hidden["inner"].pk},
        {"rec_id": "x"},
    ],
    "api/recommendations/recommendations/<rec_id>/classification": lambda w: [
        {"rec_id": w.hidden["recommendation"].pk}
    ],
    "api/recommendations/recommendations/<rec_id>/assessments": lambda w: [
        {"rec_id": w.hidden["recommendation"].pk},
        {"rec_id": w.semi["recommendation"].pk},
    ],
    "api/recommendations/groups/<group_id>": lambda w: [{"group_id": w.hidden["group"].pk}],
    "api/recommendations/groups/<group_id>/confirm": lambda w: [{"group_id": w.hidden["group"].pk}],
    "api/recommendations/groups/<group_id>/split": lambda w: [{"group_id": w.hidden["group"].pk}],
    "api/recommendations/groups/<group_id>/merge": lambda w: [{"group_id": w.hidden["group"].pk}],
    "api/recommendations/imports/<job_id>": lambda w: [{"job_id": w.hidden["job"].pk}],
    "api/recommendations/imports/<job_id>/confirm": lambda w: [{"job_id": w.hidden["job"].pk}],
    "api/recommendations/views/<view_id>": lambda w: [{"view_id": w.hidden["view"].pk}, {"view_id": "x"}],
    "api/recommendations/action-plan/<item_id>": lambda w: [{"item_id": w.hidden["nap"].pk}, {"item_id": "x"}],
}
