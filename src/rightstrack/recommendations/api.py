"""API: reviews, recommendations (search and filters), assessments, recurring groups, imports, Views, action plan."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import InvalidInput
from rightstrack.core.paging import Paging
from rightstrack.evidence.api import CitationIn, cited_passages
from rightstrack.evidence.models import SourceDocument

from . import actions, queries, upr_ids
from .models import Assessment, ComplaintView, Mechanism, NapItem, Recommendation, RecurrenceGroup, Review, State

router = Router(tags=["recommendations"])


class MechanismOut(Schema):
    code: str
    kind: str
    name_en: str
    name_ru: str


class StateOut(Schema):
    name: str
    regional_group: str


class ReviewOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    source_kind: str
    mechanism: str
    author: str
    made_by: str
    title: str
    document_id: int | None
    state: str
    cycle: int | None
    session: str
    symbol: str
    date: datetime.date | None
    languages: str

    @staticmethod
    def resolve_mechanism(obj: Review) -> str:
        return obj.mechanism.code if obj.mechanism else ""

    @staticmethod
    def resolve_made_by(obj: Review) -> str:
        return obj.made_by

    @staticmethod
    def resolve_document_id(obj: Review, context) -> int | None:
        # Only a document the caller may see is named (a public source may come from a restricted file).
        if obj.document_id is None:
            return None
        seen = visibility.visible(context["request"].user, SourceDocument).filter(pk=obj.document_id).exists()
        return obj.document_id if seen else None

    @staticmethod
    def resolve_state(obj: Review) -> str:
        return obj.state.name


class ReviewIn(Schema):
    """A UN review (``mechanism``), or a document by an organisation (``source_kind``, ``author`` required)."""

    organisation_id: int
    source_kind: str = "un"
    mechanism: str = ""
    author: str = ""
    title: str = ""
    document_id: int | None = None
    state: str
    cycle: int | None = None
    session: str = ""
    symbol: str = ""
    date: datetime.date | None = None
    languages: str = ""
    confidentiality: str = "internal"


class ReviewPatch(Schema):
    version: int
    author: str | None = None
    title: str | None = None
    cycle: int | None = None
    session: str | None = None
    symbol: str | None = None
    date: datetime.date | None = None
    languages: str | None = None
    confidentiality: str | None = None


class RecommendationOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    review_id: int
    source_id: str
    paragraph: str
    upr_id: str
    text: str
    language: str
    translations: dict[str, str]
    response: str
    recommending_states: list[str]
    themes: list[str]
    articles: list[int]
    sdgs: list[int]
    affected_groups: str
    action_category: int | None
    suggested_themes: list[str]
    suggested_action_category: int | None
    classification_confirmed: bool

    @staticmethod
    def resolve_recommending_states(obj: Recommendation) -> list[str]:
        return [s.name for s in obj.recommending_states.all()]

    @staticmethod
    def resolve_themes(obj: Recommendation) -> list[str]:
        return [t.code for t in obj.themes.all()]

    @staticmethod
    def resolve_articles(obj: Recommendation) -> list[int]:
        return [a.number for a in obj.articles.all()]

    @staticmethod
    def resolve_sdgs(obj: Recommendation) -> list[int]:
        return [s.number for s in obj.sdgs.all()]


class RecommendationIn(Schema):
    review_id: int
    text: str
    confidentiality: str | None = None
    paragraph: str = ""
    upr_id: str = ""
    language: str = "en"
    translations: dict[str, str] = {}
    response: str = "none"
    recommending_states: list[str] = []
    themes: list[str] = []
    articles: list[int] = []
    sdgs: list[int] = []
    affected_groups: str = ""
    action_category: int | None = None


class RecommendationPatch(Schema):
    version: int
    text: str | None = None
    paragraph: str | None = None
    upr_id: str | None = None
    language: str | None = None
    translations: dict[str, str] | None = None
    response: str | None = None
    affected_groups: str | None = None
    action_category: int | None = None
    confidentiality: str | None = None
    themes: list[str] | None = None
    articles: list[int] | None = None
    sdgs: list[int] | None = None
    recommending_states: list[str] | None = None


class ClassificationIn(Schema):
    themes: list[str]
    action_category: int


class AssessmentOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    recommendation_id: int
    assessor_kind: str
    assessor_name: str
    date: datetime.date
    status: str
    rationale: str


class AssessmentIn(Schema):
    organisation_id: int
    assessor_kind: str
    date: datetime.date | None = None
    status: str
    assessor_name: str = ""
    rationale: str = ""
    confidentiality: str = "internal"
    passage_ids: list[int] = []
    citations: list[CitationIn] = []  # document + its own paragraph label, e.g. {"document_id": 3, "label": "27"}


class RangeAssessmentIn(AssessmentIn):
    upr_ids: str


class FilterParams(Schema):
    q: str = ""
    literal: str = ""  # "1": only the words of q, without the thesaurus's translations and synonyms
    state: str = ""
    source: str = ""
    author: str = ""
    mechanism: str = ""
    cycle: str = ""
    recommending: str = ""
    region: str = ""
    response: str = ""
    theme: str = ""
    article: str = ""
    sdg: str = ""
    status: str = ""
    assessor: str = ""
    upr: str = ""
    review: str = ""
    sort: str = ""


class GroupOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    state: str
    label: str
    representative: str
    status: str
    recommendation_ids: list[int]

    @staticmethod
    def resolve_state(obj: RecurrenceGroup) -> str:
        return obj.state.name

    @staticmethod
    def resolve_recommendation_ids(obj: RecurrenceGroup, context) -> list[int]:
        user = context["request"].user
        return sorted(actions.visible_group_members(user, obj).values_list("pk", flat=True))


class SplitIn(Schema):
    recommendation_ids: list[int]


class MergeIn(Schema):
    other_id: int


class ImportOut(Schema):
    id: int
    status: str
    filename: str
    total: int
    processed: int
    created_count: int
    updated_count: int
    unchanged_count: int
    error: str


class ImportStaged(Schema):
    job: ImportOut
    preview: dict[str, Any]


class ViewOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    mechanism: str
    state: str
    communication_number: str
    author_pseudonym: str | None
    adopted_on: datetime.date | None
    articles: list[int]
    remedies: str
    implementation: str
    notes: str

    @staticmethod
    def resolve_mechanism(obj: ComplaintView) -> str:
        return obj.mechanism.code

    @staticmethod
    def resolve_state(obj: ComplaintView) -> str:
        return obj.state.name

    @staticmethod
    def resolve_articles(obj: ComplaintView) -> list[int]:
        return [a.number for a in obj.articles.all()]

    @staticmethod
    def resolve_author_pseudonym(obj: ComplaintView, context) -> str | None:
        from rightstrack.core.models import Person

        # The author is named only to those who may see the person record.
        if obj.author_id is None:
            return None
        person = visibility.visible(context["request"].user, Person).filter(pk=obj.author_id).first()
        return person.pseudonym if person else None


class ViewIn(Schema):
    organisation_id: int
    state: str
    communication_number: str
    mechanism: str = "ccpr"
    author_id: int | None = None
    adopted_on: datetime.date | None = None
    articles: list[int] = []
    remedies: str = ""
    implementation: str = "no_info"
    notes: str = ""
    confidentiality: str = "internal"


class ViewPatch(Schema):
    """Only the fields sent change; `author_id: null` removes the author."""

    version: int
    communication_number: str | None = None
    author_id: int | None = None
    adopted_on: datetime.date | None = None
    articles: list[int] | None = None
    remedies: str | None = None
    implementation: str | None = None
    notes: str | None = None
    confidentiality: str | None = None


class NapOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    plan: str
    action: str
    responsible_body: str
    deadline: datetime.date | None
    indicator: str
    completion: int
    recommendation_ids: list[int]

    @staticmethod
    def resolve_recommendation_ids(obj: NapItem, context) -> list[int]:
        user = context["request"].user
        return sorted(visibility.visible(user, Recommendation).filter(nap_items=obj).values_list("pk", flat=True))


class NapIn(Schema):
    organisation_id: int
    plan: str
    action: str
    responsible_body: str = ""
    deadline: datetime.date | None = None
    indicator: str = ""
    completion: int = 0
    recommendation_ids: list[int] = []
    confidentiality: str = "internal"


class NapPatch(Schema):
    """Only the fields sent change. `recommendation_ids` replaces the links you can see; others stay."""

    version: int
    plan: str | None = None
    action: str | None = None
    responsible_body: str | None = None
    deadline: datetime.date | None = None
    indicator: str | None = None
    completion: int | None = None
    recommendation_ids: list[int] | None = None
    confidentiality: str | None = None


def _with_m2m(qs):
    return qs.prefetch_related("recommending_states", "themes", "articles", "sdgs")


# --- Vocabularies and helpers ----------------------------------------------------------------------


@router.get("/mechanisms", response=list[MechanismOut], auth=None)
def list_mechanisms(request: HttpRequest):
    return Mechanism.objects.all()


@router.get("/states", response=list[StateOut], auth=None)
def list_states(request: HttpRequest):
    return State.objects.all()


@router.get("/upr-ids", response=list[str], auth=None)
def expand_upr_ids(request: HttpRequest, spec: str):
    """Expand UPR IDs and ranges: `139.61-139.67, 139.79-139.81` → 10 IDs."""
    return upr_ids.expand(spec)


# --- Reviews ---------------------------------------------------------------------------------------


@router.get("/reviews", response=list[ReviewOut])
@paginate(Paging)
def list_reviews(request: HttpRequest):
    return visibility.visible(request.user, Review).select_related("mechanism", "state").order_by("-date", "-pk")


@router.get("/reviews/{review_id}", response=ReviewOut)
def get_review(request: HttpRequest, review_id: int):
    return get_visible(request.user, Review, review_id)


@router.post("/reviews", response={201: ReviewOut})
def create_review(request: HttpRequest, payload: ReviewIn):
    data = payload.dict()
    data["document"] = data.pop("document_id")
    return Status(201, actions.create_review(request.user, organisation=data.pop("organisation_id"), **data))


@router.patch("/reviews/{review_id}", response=ReviewOut)
def update_review(request: HttpRequest, review_id: int, payload: ReviewPatch):
    review = get_visible(request.user, Review, review_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return actions.update_review(request.user, review, expected_version=version, changes=changes)


@router.delete("/reviews/{review_id}", response={204: None})
def delete_review(request: HttpRequest, review_id: int):
    """Move the review and its recommendations to the trash (coordinators, administrators)."""
    actions.delete(request.user, get_visible(request.user, Review, review_id))
    return Status(204, None)


@router.post("/reviews/{review_id}/assessments", response={201: list[AssessmentOut]})
def assess_range(request: HttpRequest, review_id: int, payload: RangeAssessmentIn):
    """Assess every recommendation named by UPR IDs and ranges in one go (all or none)."""
    review = get_visible(request.user, Review, review_id)
    data = payload.dict()
    spec = data.pop("upr_ids")
    data["organisation"] = data.pop("organisation_id")
    data["passages"] = cited_passages(request.user, data.pop("passage_ids"), data.pop("citations"))
    return Status(201, actions.assess_upr_ids(request.user, review, spec, **data))


# --- Recommendations -------------------------------------------------------------------------------


@router.get("/recommendations", response=list[RecommendationOut])
@paginate(Paging)
def list_recommendations(request: HttpRequest, filters: Query[FilterParams]):
    """Search (`q`: stemmed English/Russian full text) and filter, as on the list page."""
    return _with_m2m(queries.filtered(request.user, queries.Filters.from_query(filters.dict())))


@router.get("/recommendations/{rec_id}", response=RecommendationOut)
def get_recommendation(request: HttpRequest, rec_id: int):
    return get_visible(request.user, Recommendation, rec_id)


@router.post("/recommendations", response={201: RecommendationOut})
def create_recommendation(request: HttpRequest, payload: RecommendationIn):
    data = payload.dict()
    review = get_visible(request.user, Review, data.pop("review_id"))
    return Status(201, actions.create_recommendation(request.user, review, **data))


@router.patch("/recommendations/{rec_id}", response=RecommendationOut)
def update_recommendation(request: HttpRequest, rec_id: int, payload: RecommendationPatch):
    rec = get_visible(request.user, Recommendation, rec_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    vocab = {k: changes.pop(k) for k in ("themes", "articles", "sdgs", "recommending_states") if k in changes}
    return actions.update_recommendation(request.user, rec, expected_version=version, changes=changes, **vocab)


@router.delete("/recommendations/{rec_id}", response={204: None})
def delete_recommendation(request: HttpRequest, rec_id: int):
    actions.delete(request.user, get_visible(request.user, Recommendation, rec_id))
    return Status(204, None)


@router.post("/recommendations/{rec_id}/classification", response=RecommendationOut)
def confirm_classification(request: HttpRequest, rec_id: int, payload: ClassificationIn):
    rec = get_visible(request.user, Recommendation, rec_id)
    return actions.confirm_classification(
        request.user, rec, themes=payload.themes, action_category=payload.action_category
    )


@router.get("/recommendations/{rec_id}/assessments", response=list[AssessmentOut])
def list_assessments(request: HttpRequest, rec_id: int):
    rec = get_visible(request.user, Recommendation, rec_id)
    return visibility.visible(request.user, Assessment).filter(recommendation=rec).order_by("date", "pk")


@router.post("/recommendations/{rec_id}/assessments", response={201: AssessmentOut})
def add_assessment(request: HttpRequest, rec_id: int, payload: AssessmentIn):
    rec = get_visible(request.user, Recommendation, rec_id)
    data = payload.dict()
    return Status(
        201,
        actions.add_assessment(
            request.user,
            rec,
            organisation=data.pop("organisation_id"),
            passages=cited_passages(request.user, data.pop("passage_ids"), data.pop("citations")),
            **data,
        ),
    )


@router.get("/dashboard", response=dict[str, Any])
def dashboard(request: HttpRequest):
    data = queries.dashboard(request.user)
    return {
        "total": data["total"],
        "by_response": data["by_response"],
        "by_status": dict(data["by_status"]),
        "by_mechanism": dict(data["by_mechanism"]),
        "by_theme_status": {k: dict(v) for k, v in data["by_theme_status"].items()},
        "unimplemented_views": dict(data["unimplemented_views"]),
    }


# --- Recurring groups ------------------------------------------------------------------------------


@router.get("/groups", response=list[GroupOut])
@paginate(Paging)
def list_groups(request: HttpRequest):
    return queries.groups(request.user).order_by("pk")


@router.get("/groups/{group_id}", response=GroupOut)
def get_group(request: HttpRequest, group_id: int):
    return get_visible(request.user, RecurrenceGroup, group_id)


@router.post("/groups/compute", response=dict[str, int])
def compute_groups(request: HttpRequest, organisation_id: int):
    if organisation_id not in actions.require_analyst(request.user):
        raise InvalidInput("You cannot analyse for this organisation.", field="organisation_id")
    return actions.compute_recurrence(request.user, organisation_id)


@router.post("/groups/{group_id}/confirm", response=GroupOut)
def confirm_group(request: HttpRequest, group_id: int, label: str = ""):
    return actions.confirm_group(request.user, get_visible(request.user, RecurrenceGroup, group_id), label=label)


@router.post("/groups/{group_id}/split", response={201: GroupOut})
def split_group(request: HttpRequest, group_id: int, payload: SplitIn):
    group = get_visible(request.user, RecurrenceGroup, group_id)
    return Status(201, actions.split_group(request.user, group, payload.recommendation_ids))


@router.post("/groups/{group_id}/merge", response=GroupOut)
def merge_groups(request: HttpRequest, group_id: int, payload: MergeIn):
    group = get_visible(request.user, RecurrenceGroup, group_id)
    other = get_visible(request.user, RecurrenceGroup, payload.other_id)
    return actions.merge_groups(request.user, group, other)


# --- Imports ---------------------------------------------------------------------------------------


@router.post("/imports", response={201: ImportStaged})
def stage_import(
    request: HttpRequest,
    organisation_id: Form[int],
    file: File[UploadedFile],
    confidentiality: Form[str] = "internal",
):
    """Check a CSV/JSON file and return a preview; nothing is imported until `/imports/{id}/confirm`."""
    job, preview = actions.stage_import(
        request.user,
        organisation=organisation_id,
        content=file.read(),
        filename=file.name or "upload.csv",
        confidentiality=confidentiality,
    )
    return Status(201, {"job": job, "preview": preview})


@router.get("/imports/{job_id}", response=ImportOut)
def get_import(request: HttpRequest, job_id: int):
    job = actions.job_for_user(request.user, job_id)
    job.processed, job.total = actions.job_progress(job)
    return job


@router.post("/imports/{job_id}/confirm", response=ImportOut)
def confirm_import(request: HttpRequest, job_id: int):
    return actions.confirm_import(request.user, actions.job_for_user(request.user, job_id))


# --- Views and action plan -------------------------------------------------------------------------


@router.get("/views", response=list[ViewOut])
@paginate(Paging)
def list_views(request: HttpRequest):
    return (
        visibility.visible(request.user, ComplaintView)
        .select_related("state", "mechanism")
        .prefetch_related("articles")
    )


@router.post("/views", response={201: ViewOut})
def create_view(request: HttpRequest, payload: ViewIn):
    from rightstrack.core.models import Person

    data = payload.dict()
    author_id = data.pop("author_id")
    author = get_visible(request.user, Person, author_id) if author_id else None
    return Status(
        201, actions.create_view(request.user, organisation=data.pop("organisation_id"), author=author, **data)
    )


@router.get("/views/{view_id}", response=ViewOut)
def get_view(request: HttpRequest, view_id: int):
    return get_visible(request.user, ComplaintView, view_id)


@router.patch("/views/{view_id}", response=ViewOut)
def update_view(request: HttpRequest, view_id: int, payload: ViewPatch):
    from rightstrack.core.models import Person

    view = get_visible(request.user, ComplaintView, view_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    extra: dict[str, Any] = {}
    if "articles" in changes:
        extra["articles"] = changes.pop("articles") or []
    if "author_id" in changes:
        author_id = changes.pop("author_id")
        extra["author"] = get_visible(request.user, Person, author_id) if author_id else None
    return actions.update_view(request.user, view, expected_version=version, changes=changes, **extra)


@router.delete("/views/{view_id}", response={204: None})
def delete_view(request: HttpRequest, view_id: int):
    actions.delete(request.user, get_visible(request.user, ComplaintView, view_id))
    return Status(204, None)


@router.get("/action-plan", response=list[NapOut])
@paginate(Paging)
def list_nap(request: HttpRequest):
    return visibility.visible(request.user, NapItem)


@router.post("/action-plan", response={201: NapOut})
def create_nap(request: HttpRequest, payload: NapIn):
    data = payload.dict()
    recs = [get_visible(request.user, Recommendation, pk) for pk in data.pop("recommendation_ids")]
    return Status(
        201,
        actions.create_nap_item(request.user, organisation=data.pop("organisation_id"), recommendations=recs, **data),
    )


@router.get("/action-plan/{item_id}", response=NapOut)
def get_nap(request: HttpRequest, item_id: int):
    return get_visible(request.user, NapItem, item_id)


@router.patch("/action-plan/{item_id}", response=NapOut)
def update_nap(request: HttpRequest, item_id: int, payload: NapPatch):
    item = get_visible(request.user, NapItem, item_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    ids = changes.pop("recommendation_ids", None)
    recs = [get_visible(request.user, Recommendation, pk) for pk in ids] if ids is not None else None
    return actions.update_nap_item(request.user, item, expected_version=version, changes=changes, recommendations=recs)


@router.delete("/action-plan/{item_id}", response={204: None})
def delete_nap(request: HttpRequest, item_id: int):
    actions.delete(request.user, get_visible(request.user, NapItem, item_id))
    return Status(204, None)
