"""Every write of the recommendations app: checks, permission, one transaction, audit event.

Writes need an analysing role (admin, coordinator, analyst) in the owning organisation. A child
record (recommendation of a review, assessment of a recommendation) may never be more visible than
its parent: when the parent is not public, the child belongs to the same organisation and is at
least as confidential.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import create_record, get_visible, require_write, soft_delete, update_record
from rightstrack.core.audit import record_event, snapshot
from rightstrack.core.errors import Forbidden, InvalidInput, NotFound, no_page
from rightstrack.core.models import Confidentiality, IccprArticle, Organisation, Person, Sdg, Theme
from rightstrack.evidence.actions import cite
from rightstrack.evidence.models import Passage, SourceDocument

from . import search, upr_ids
from .models import (
    Assessment,
    AssessorKind,
    ComplaintView,
    ImportJob,
    Mechanism,
    NapItem,
    Recommendation,
    RecurrenceGroup,
    Response,
    Review,
    SourceKind,
    State,
    Status,
)

ROLES = visibility.ANALYSE_ROLES
LEVEL = {Confidentiality.PUBLIC: 0, Confidentiality.INTERNAL: 1, Confidentiality.RESTRICTED: 2}
MAX_TEXT = 20_000


def _org_id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def check_not_wider(parent, org_id: int, level: str, what: str) -> None:
    """Refuse a child record that would be visible to people who cannot see its parent."""
    if level not in LEVEL:
        raise InvalidInput(_("Unknown confidentiality level."), field="confidentiality")
    if parent.confidentiality == Confidentiality.PUBLIC:
        return
    if parent.organisation_id != org_id:
        raise InvalidInput(
            _("A %(what)s of a non-public record must belong to the same organisation.") % {"what": what},
            field="organisation",
        )
    if LEVEL[level] < LEVEL[parent.confidentiality]:
        raise InvalidInput(
            _("A %(what)s cannot be less confidential than the record it belongs to.") % {"what": what},
            field="confidentiality",
        )


# --- Vocabulary look-ups (unknown values are refused with a clear message) ------------------------


def mechanism_by_code(code: str) -> Mechanism:
    mechanism = Mechanism.objects.filter(code=str(code).strip().lower()).first()
    if mechanism is None:
        raise InvalidInput(_("Unknown mechanism “%(v)s”.") % {"v": str(code)[:60]}, field="mechanism")
    return mechanism


def state_by_name(name: str) -> State:
    state = State.objects.filter(name__iexact=str(name).strip()).first()
    if state is None:
        raise InvalidInput(_("Unknown State “%(v)s”.") % {"v": str(name)[:60]}, field="state")
    return state


def themes_by_label(labels: Iterable[str]) -> list[Theme]:
    """Themes by code or English name (UPR Info's issue labels)."""
    wanted = [str(x).strip() for x in labels if str(x).strip()]
    if not wanted:
        return []
    found = {t.code: t for t in Theme.objects.all()}
    by_name = {t.name_en.lower(): t for t in found.values()}
    out = []
    for label in wanted:
        theme = found.get(label) or by_name.get(label.lower())
        if theme is None:
            raise InvalidInput(_("Unknown theme “%(v)s”.") % {"v": label[:60]}, field="themes")
        out.append(theme)
    return out


def _numbers(model, values: Iterable[Any], field: str, label: str) -> list:
    numbers = []
    for value in values:
        try:
            numbers.append(int(str(value).strip()))
        except ValueError:
            raise InvalidInput(_("Unknown %(what)s “%(v)s”.") % {"what": label, "v": str(value)[:20]}, field=field)
    objects = {o.number: o for o in model.objects.filter(number__in=numbers)}
    missing = [n for n in numbers if n not in objects]
    if missing:
        raise InvalidInput(_("Unknown %(what)s “%(v)s”.") % {"what": label, "v": missing[0]}, field=field)
    return [objects[n] for n in numbers]


def articles_by_number(values: Iterable[Any]) -> list[IccprArticle]:
    return _numbers(IccprArticle, values, "articles", _("ICCPR article"))


def sdgs_by_number(values: Iterable[Any]) -> list[Sdg]:
    return _numbers(Sdg, values, "sdgs", _("SDG"))


def states_by_name(names: Iterable[str]) -> list[State]:
    return [state_by_name(n) for n in names if str(n).strip()]


# --- Reviews ---------------------------------------------------------------------------------------


def _check_source_fields(kind: str, mechanism: Mechanism | None, author: str, date: datetime.date | None) -> None:
    """A UN source names its mechanism, any other its author; no source is dated in the future."""
    if kind not in SourceKind.values:
        raise InvalidInput(_("Unknown kind of source."), field="source_kind")
    if kind == SourceKind.UN and mechanism is None:
        raise InvalidInput(_("Choose the UN mechanism that made these recommendations."), field="mechanism")
    if kind != SourceKind.UN and not author:
        raise InvalidInput(
            _("Name the organisation that wrote this document (for example the NGO or coalition)."),
            field="author",
        )
    if date is not None and date > datetime.date.today():
        raise InvalidInput(_("The date is in the future: give the date the document was published."), field="date")


def document_states(document: SourceDocument) -> list[State]:
    """States a document names (in its title or passages), most named first; empty when it names none."""
    states = {s.name.lower(): s for s in State.objects.all()}
    if not states:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(states, key=len, reverse=True)) + r")\b")
    counts: Counter[str] = Counter(m.group(1) for m in pattern.finditer(document.title.lower()))
    # The first few hundred passages say whom a report is about; reading more only costs time.
    for text in Passage.objects.filter(document=document).order_by("number").values_list("text", flat=True)[:400]:
        counts.update(m.group(1) for m in pattern.finditer(text.lower()))
    return [states[name] for name, _n in counts.most_common()]


def _check_document(user, document: SourceDocument | int | None, state: State) -> SourceDocument | None:
    """The document must be one the user may see and be about the source's State (when it names any)."""
    if document is None or document == "":
        return None
    doc_id = document.pk if isinstance(document, SourceDocument) else document
    document = visibility.visible(user, SourceDocument).filter(pk=doc_id).first()
    if document is None:
        raise InvalidInput(_("No such document, or you do not have access to it."), field="document")
    named = document_states(document)
    if named and state not in named:
        raise InvalidInput(
            _("The document is about %(doc)s, not %(state)s: choose the State it makes recommendations to.")
            % {"doc": named[0], "state": state},
            field="state",
        )
    return document


def create_review(
    user,
    *,
    organisation: Organisation | int,
    state: State | str,
    mechanism: Mechanism | str | None = None,
    source_kind: str = SourceKind.UN,
    author: str = "",
    title: str = "",
    document: SourceDocument | int | None = None,
    cycle: int | None = None,
    session: str = "",
    symbol: str = "",
    date: datetime.date | None = None,
    languages: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> Review:
    """Create a source of recommendations: a UN review (``mechanism``), or an organisation's document
    (``source_kind`` other than "un", ``author`` required, optionally the ``document`` it is)."""
    source_kind = source_kind or SourceKind.UN
    if mechanism not in (None, ""):
        mechanism = mechanism if isinstance(mechanism, Mechanism) else mechanism_by_code(mechanism)
    else:
        mechanism = None
    author = (author or "").strip()
    _check_source_fields(source_kind, mechanism, author, date)
    if source_kind != SourceKind.UN:
        # A civil-society document is not a UN review: it has neither mechanism nor cycle.
        mechanism, cycle = None, None
    state = state if isinstance(state, State) else state_by_name(state)
    document = _check_document(user, document, state)
    return create_record(
        user,
        Review,
        organisation=_org_id(organisation),
        roles=ROLES,
        source_kind=source_kind,
        mechanism=mechanism,
        author=author,
        title=(title or "").strip(),
        document=document,
        state=state,
        cycle=cycle,
        session=session.strip(),
        symbol=symbol.strip(),
        date=date,
        languages=languages.strip(),
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def update_review(user, review: Review, *, expected_version: int, changes: dict[str, Any]) -> Review:
    """Edit a review (versioned). It may not become less visible than the recommendations it holds."""
    review = get_visible(user, Review, review.pk)
    for name in ("author", "title", "session", "symbol", "languages"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    _check_source_fields(
        review.source_kind, review.mechanism, changes.get("author", review.author), changes.get("date", review.date)
    )
    level = changes.get("confidentiality", review.confidentiality)
    if level not in LEVEL:
        raise InvalidInput(_("Unknown confidentiality level."), field="confidentiality")
    if level != review.confidentiality and level != Confidentiality.PUBLIC:
        children = Recommendation.objects.filter(review=review, deleted_at__isnull=True)
        wider = [c for c, n in LEVEL.items() if n < LEVEL[level]]
        if (
            children.exclude(organisation_id=review.organisation_id).exists()
            or children.filter(confidentiality__in=wider).exists()
        ):
            raise InvalidInput(
                _("Some recommendations of this review would be more visible than the review: change them first."),
                field="confidentiality",
            )
    return update_record(user, review, expected_version=expected_version, changes=changes, roles=ROLES)


def delete(user, obj: Review | Recommendation | ComplaintView | NapItem) -> None:
    """Move a record to the trash (coordinators, administrators). A review takes its recommendations along
    (Review.SOFT_DELETE_CHILDREN); restoring it from the trash brings back exactly those."""
    soft_delete(user, get_visible(user, type(obj), obj.pk))


# --- Recommendations -------------------------------------------------------------------------------


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("The recommendation text is required."), field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("The text is longer than %(n)s characters.") % {"n": MAX_TEXT}, field="text")
    return text


def _check_response(response: str) -> str:
    if response not in Response.values:
        raise InvalidInput(_("Unknown response “%(v)s”.") % {"v": str(response)[:30]}, field="response")
    return response


def _check_category(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in range(1, 6):
        raise InvalidInput(_("The action category is a number from 1 to 5."), field="action_category")
    return number


@transaction.atomic
def create_recommendation(
    user,
    review: Review,
    *,
    text: str,
    organisation: Organisation | int | None = None,
    confidentiality: str | None = None,
    paragraph: str = "",
    upr_id: str = "",
    language: str = "en",
    translations: dict[str, str] | None = None,
    response: str = Response.NONE,
    recommending_states: Sequence[State | str] = (),
    themes: Sequence[Theme | str] = (),
    articles: Sequence[Any] = (),
    sdgs: Sequence[Any] = (),
    affected_groups: str = "",
    action_category: Any = None,
    suggest: bool = True,
    source_id: str = "",
    is_synthetic: bool = False,
) -> Recommendation:
    """Create a recommendation of a review; without themes, the classifier's suggestion waits for an analyst."""
    review = get_visible(user, Review, review.pk)
    org_id = _org_id(organisation) if organisation is not None else review.organisation_id
    level = confidentiality or visibility.inherited_level(user, org_id, review.confidentiality)
    require_write(user, org_id, ROLES, level)
    check_not_wider(review, org_id, level, _("recommendation"))
    if upr_id:
        expanded = upr_ids.expand(upr_id)
        if len(expanded) != 1:
            raise InvalidInput(_("Enter one UPR ID for one recommendation."), field="upr_id")
        upr_id = expanded[0]
    state_objs = [s if isinstance(s, State) else state_by_name(s) for s in recommending_states]
    theme_objs = [t for t in themes if isinstance(t, Theme)] + themes_by_label(
        [t for t in themes if not isinstance(t, Theme)]
    )
    rec = create_record(
        user,
        Recommendation,
        organisation=org_id,
        roles=ROLES,
        verb="recommendation.create",
        review=review,
        text=_check_text(text),
        confidentiality=level,
        paragraph=paragraph.strip(),
        upr_id=upr_id,
        language=language or "en",
        translations={k: v for k, v in (translations or {}).items() if v},
        response=_check_response(response),
        affected_groups=affected_groups.strip(),
        action_category=_check_category(action_category),
        source_id=source_id,
        is_synthetic=is_synthetic,
        classification_confirmed=bool(theme_objs),
    )
    rec.recommending_states.set(state_objs)
    rec.themes.set(theme_objs)
    rec.articles.set(articles_by_number(articles))
    rec.sdgs.set(sdgs_by_number(sdgs))
    if suggest and not theme_objs:
        apply_suggestions([rec])
    search.index([(rec.pk, rec.text, rec.translations)])
    return rec


def apply_suggestions(recs: Sequence[Recommendation]) -> None:
    """Store the classifier's themes and action category as suggestions (no audit: nothing is decided)."""
    from . import classify

    texts = [r.text for r in recs]
    if not texts:
        return
    try:
        predictions = classify.predict(texts)
    except (ValueError, FileNotFoundError):
        return  # a text without words, or no model: simply no suggestion
    codes = {t.name_en: t.code for t in Theme.objects.all()}
    for rec, prediction in zip(recs, predictions, strict=True):
        rec.suggested_themes = [codes[t] for t in prediction.themes if t in codes]
        rec.suggested_action_category = prediction.action_category
        Recommendation.objects.filter(pk=rec.pk).update(
            suggested_themes=rec.suggested_themes, suggested_action_category=rec.suggested_action_category
        )


@transaction.atomic
def update_recommendation(
    user,
    rec: Recommendation,
    *,
    expected_version: int,
    changes: dict[str, Any],
    themes: Sequence[str] | None = None,
    articles: Sequence[Any] | None = None,
    sdgs: Sequence[Any] | None = None,
    recommending_states: Sequence[str] | None = None,
) -> Recommendation:
    """Edit fields (versioned) and, when given, the vocabularies."""
    if "text" in changes:
        changes["text"] = _check_text(changes["text"])
    if "response" in changes:
        _check_response(changes["response"])
    if "action_category" in changes:
        changes["action_category"] = _check_category(changes["action_category"])
    if "confidentiality" in changes:
        check_not_wider(rec.review, rec.organisation_id, changes["confidentiality"], _("recommendation"))
    before = {
        "themes": sorted(rec.themes.values_list("code", flat=True)),
        "articles": sorted(rec.articles.values_list("number", flat=True)),
        "sdgs": sorted(rec.sdgs.values_list("number", flat=True)),
    }
    rec = update_record(user, rec, expected_version=expected_version, changes=changes, roles=ROLES)
    after = {}
    if themes is not None:
        rec.themes.set(themes_by_label(themes))
        after["themes"] = sorted(rec.themes.values_list("code", flat=True))
    if articles is not None:
        rec.articles.set(articles_by_number(articles))
        after["articles"] = sorted(rec.articles.values_list("number", flat=True))
    if sdgs is not None:
        rec.sdgs.set(sdgs_by_number(sdgs))
        after["sdgs"] = sorted(rec.sdgs.values_list("number", flat=True))
    if recommending_states is not None:
        rec.recommending_states.set(states_by_name(recommending_states))
    changed = {k: v for k, v in after.items() if v != before.get(k)}
    if changed:
        record_event(user, "recommendation.vocabularies", rec, before={k: before[k] for k in changed}, after=changed)
    if "text" in changes or "translations" in changes:
        search.index([(rec.pk, rec.text, rec.translations)])
    return rec


@transaction.atomic
def confirm_classification(user, rec: Recommendation, *, themes: Sequence[str], action_category: Any) -> Recommendation:
    """An analyst accepts (or corrects) the suggested themes and action category."""
    rec = get_visible(user, Recommendation, rec.pk)
    require_write(user, rec.organisation_id, ROLES, rec.confidentiality)
    theme_objs = themes_by_label(themes)
    if not theme_objs:
        raise InvalidInput(_("Choose at least one theme."), field="themes")
    category = _check_category(action_category)
    if category is None:
        raise InvalidInput(_("Choose an action category."), field="action_category")
    before = {
        "themes": sorted(rec.themes.values_list("code", flat=True)),
        "action_category": rec.action_category,
    }
    rec.themes.set(theme_objs)
    Recommendation.objects.filter(pk=rec.pk).update(
        action_category=category, classification_confirmed=True, version=rec.version + 1
    )
    rec.refresh_from_db()
    record_event(
        user,
        "recommendation.classify",
        rec,
        before=before,
        after={"themes": sorted(t.code for t in theme_objs), "action_category": category},
    )
    return rec


# --- Assessments -----------------------------------------------------------------------------------


def _check_assessment(assessor_kind: str, status: str, date: Any) -> datetime.date:
    if assessor_kind not in AssessorKind.values:
        raise InvalidInput(_("Unknown assessor “%(v)s”.") % {"v": str(assessor_kind)[:30]}, field="assessor_kind")
    if status not in Status.values:
        raise InvalidInput(_("Unknown status “%(v)s”.") % {"v": str(status)[:30]}, field="status")
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            raise InvalidInput(_("The date must look like 2024-05-31."), field="date")
    if not isinstance(date, datetime.date):
        raise InvalidInput(_("An assessment needs a date."), field="date")
    if date > datetime.date.today() + datetime.timedelta(days=1):
        raise InvalidInput(_("An assessment cannot be dated in the future."), field="date")
    return date


@transaction.atomic
def add_assessment(
    user,
    rec: Recommendation,
    *,
    organisation: Organisation | int,
    assessor_kind: str,
    date: Any,
    status: str,
    assessor_name: str = "",
    rationale: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    passages: Sequence[Passage | int] = (),
    is_synthetic: bool = False,
) -> Assessment:
    """Record a dated assessment and cite the evidence passages it rests on."""
    rec = get_visible(user, Recommendation, rec.pk)
    org_id = _org_id(organisation)
    date = _check_assessment(assessor_kind, status, date)
    require_write(user, org_id, ROLES, confidentiality)
    check_not_wider(rec, org_id, confidentiality, _("assessment"))
    passage_objs = [get_visible(user, Passage, p.pk if isinstance(p, Passage) else p) for p in passages]
    assessment = create_record(
        user,
        Assessment,
        organisation=org_id,
        roles=ROLES,
        recommendation=rec,
        assessor_kind=assessor_kind,
        assessor_name=assessor_name.strip()[:200],
        date=date,
        status=status,
        rationale=rationale.strip(),
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
    )
    for passage in passage_objs:
        cite(user, assessment, passage)
    return assessment


@transaction.atomic
def assess_upr_ids(user, review: Review, spec: str, **fields: Any) -> list[Assessment]:
    """One assessment for each recommendation of `review` named by UPR IDs/ranges ("139.61-139.67, …").

    Every ID must exist in the review (as the user sees it); otherwise nothing is written.
    """
    review = get_visible(user, Review, review.pk)
    wanted = upr_ids.expand(spec)
    recs = {
        r.upr_id: r
        for r in visibility.visible(user, Recommendation).filter(review=review, upr_id__in=wanted).order_by("pk")
    }
    missing = [u for u in wanted if u not in recs]
    if missing:
        raise InvalidInput(
            _("No recommendation %(ids)s in this review.") % {"ids": ", ".join(missing[:10])}, field="upr_ids"
        )
    return [add_assessment(user, recs[u], **fields) for u in wanted]


# --- Individual-complaint Views and action plan items ----------------------------------------------


def create_view(
    user,
    *,
    organisation: Organisation | int,
    state: State | str,
    communication_number: str,
    mechanism: str = "ccpr",
    author: Person | None = None,
    adopted_on: datetime.date | None = None,
    articles: Sequence[Any] = (),
    remedies: str = "",
    implementation: str = ComplaintView.Implementation.NO_INFO,
    notes: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> ComplaintView:
    if not communication_number.strip():
        raise InvalidInput(_("The communication number is required."), field="communication_number")
    if implementation not in ComplaintView.Implementation.values:
        raise InvalidInput(_("Unknown implementation status."), field="implementation")
    org_id = _org_id(organisation)
    if author is not None:
        author = get_visible(user, Person, author.pk)
        # The author's identity must not become visible to people who cannot see the person record.
        check_not_wider(author, org_id, confidentiality, _("View"))
    with transaction.atomic():
        view = create_record(
            user,
            ComplaintView,
            organisation=org_id,
            roles=ROLES,
            mechanism=mechanism_by_code(mechanism),
            state=state if isinstance(state, State) else state_by_name(state),
            communication_number=communication_number.strip(),
            author=author,
            adopted_on=adopted_on,
            remedies=remedies,
            implementation=implementation,
            notes=notes,
            confidentiality=confidentiality,
            is_synthetic=is_synthetic,
        )
        view.articles.set(articles_by_number(articles))
    return view


def create_nap_item(
    user,
    *,
    organisation: Organisation | int,
    plan: str,
    action: str,
    responsible_body: str = "",
    deadline: datetime.date | None = None,
    indicator: str = "",
    completion: int = 0,
    recommendations: Sequence[Recommendation] = (),
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> NapItem:
    if not plan.strip() or not action.strip():
        raise InvalidInput(_("The plan and the action are required."), field="action")
    if not isinstance(completion, int) or not 0 <= completion <= 100:
        raise InvalidInput(_("Completion is a percentage from 0 to 100."), field="completion")
    org_id = _org_id(organisation)
    linked = [get_visible(user, Recommendation, r.pk) for r in recommendations]
    for rec in linked:
        check_not_wider(rec, org_id, confidentiality, _("action plan item"))
    with transaction.atomic():
        item = create_record(
            user,
            NapItem,
            organisation=org_id,
            roles=ROLES,
            plan=plan.strip(),
            action=action.strip(),
            responsible_body=responsible_body.strip(),
            deadline=deadline,
            indicator=indicator.strip(),
            completion=completion,
            confidentiality=confidentiality,
            is_synthetic=is_synthetic,
        )
        item.recommendations.set(linked)
    return item


#: Marks an argument that was not given (None means "no author").
KEEP: Any = object()


def _check_view_fields(changes: dict[str, Any]) -> None:
    if "communication_number" in changes:
        changes["communication_number"] = str(changes["communication_number"] or "").strip()
        if not changes["communication_number"]:
            raise InvalidInput(_("The communication number is required."), field="communication_number")
    if "implementation" in changes and changes["implementation"] not in ComplaintView.Implementation.values:
        raise InvalidInput(_("Unknown implementation status."), field="implementation")


@transaction.atomic
def update_view(
    user,
    view: ComplaintView,
    *,
    expected_version: int,
    changes: dict[str, Any],
    author: Person | None = KEEP,
    articles: Sequence[Any] | None = None,
) -> ComplaintView:
    """Edit a View (versioned) and, when given, its author and articles violated.

    The author must stay at least as confidential as the View, as when it was created.
    """
    view = get_visible(user, ComplaintView, view.pk)
    _check_view_fields(changes)
    level = changes.get("confidentiality", view.confidentiality)
    if author is not KEEP and author is not None:
        author = get_visible(user, Person, author.pk)
    new_author = view.author if author is KEEP else author
    if new_author is not None and (author is not KEEP or level != view.confidentiality):
        check_not_wider(new_author, view.organisation_id, level, _("View"))
    article_objs = articles_by_number(articles) if articles is not None else None
    before = {"author": view.author_id, "articles": sorted(view.articles.values_list("number", flat=True))}
    view = update_record(user, view, expected_version=expected_version, changes=changes, roles=ROLES)
    after = dict(before)
    if author is not KEEP:
        ComplaintView.objects.filter(pk=view.pk).update(author=author)
        view.author = author
        after["author"] = author.pk if author else None
    if article_objs is not None:
        view.articles.set(article_objs)
        after["articles"] = sorted(a.number for a in article_objs)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        record_event(
            user,
            "complaintview.update",
            view,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return view


@transaction.atomic
def update_nap_item(
    user,
    item: NapItem,
    *,
    expected_version: int,
    changes: dict[str, Any],
    recommendations: Sequence[Recommendation] | None = None,
) -> NapItem:
    """Edit an action plan item (versioned) and, when given, the recommendations it answers.

    `recommendations` replaces the links the user can see; links to recommendations hidden from the
    user stay as they are (the user cannot know them, so must not drop them by accident).
    """
    item = get_visible(user, NapItem, item.pk)
    for name in ("plan", "action", "responsible_body", "indicator"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    if ("plan" in changes and not changes["plan"]) or ("action" in changes and not changes["action"]):
        raise InvalidInput(_("The plan and the action are required."), field="action")
    if "completion" in changes and (
        not isinstance(changes["completion"], int) or not 0 <= changes["completion"] <= 100
    ):
        raise InvalidInput(_("Completion is a percentage from 0 to 100."), field="completion")
    level = changes.get("confidentiality", item.confidentiality)
    before = sorted(item.recommendations.values_list("pk", flat=True))
    if recommendations is None:
        linked = list(item.recommendations.all())
    else:
        seen = visibility.visible(user, Recommendation).values("pk")
        hidden = list(item.recommendations.exclude(pk__in=seen))
        linked = hidden + [get_visible(user, Recommendation, r.pk) for r in recommendations]
    if recommendations is not None or level != item.confidentiality:
        for rec in linked:
            check_not_wider(rec, item.organisation_id, level, _("action plan item"))
    item = update_record(user, item, expected_version=expected_version, changes=changes, roles=ROLES)
    after = sorted({r.pk for r in linked})
    if after != before:
        item.recommendations.set(after)
        record_event(user, "napitem.update", item, before={"recommendations": before}, after={"recommendations": after})
    return item


# --- Recurring groups ------------------------------------------------------------------------------


@transaction.atomic
def compute_recurrence(user, organisation: Organisation | int) -> dict[str, int]:
    """Recompute suggested recurring groups over the organisation's recommendations.

    Confirmed groups are kept as they are, and their members are left out of the new suggestions.
    """
    from .recurrence import Record as RecurrenceRecord
    from .recurrence import recurring_groups

    org_id = _org_id(organisation)
    require_write(user, org_id, ROLES, Confidentiality.INTERNAL)
    confirmed_members = set(
        RecurrenceGroup.objects.filter(
            organisation_id=org_id, status=RecurrenceGroup.GroupStatus.CONFIRMED, deleted_at__isnull=True
        ).values_list("recommendations", flat=True)
    )
    rows = (
        Recommendation.objects.filter(organisation_id=org_id, deleted_at__isnull=True, review__deleted_at__isnull=True)
        .exclude(pk__in=confirmed_members)
        .values_list(
            "pk",
            "text",
            "confidentiality",
            "review__state__name",
            "review__cycle",
            "review__date",
            "review__session",
            "review__mechanism__code",
        )
    )
    records, level = [], {}
    for pk, text, conf, state, cycle, date, session, mechanism in rows.iterator(chunk_size=5000):
        # Dates where known; UPR Info rows have only session numbers (a span then counts sessions).
        period = date or (int(session) if str(session).isdigit() else cycle) or 0
        records.append(RecurrenceRecord(id=pk, state=state, period=period, text=text, mechanism=mechanism))
        level[pk] = conf
    stale = RecurrenceGroup.objects.filter(organisation_id=org_id, status=RecurrenceGroup.GroupStatus.SUGGESTED)
    removed = stale.count()
    stale.delete()
    states = {s.name: s for s in State.objects.all()}
    created = 0
    for group in recurring_groups(records):
        # A group is as confidential as its most confidential member.
        conf = max((level[i] for i in group.ids), key=LEVEL.__getitem__)
        obj = RecurrenceGroup.objects.create(
            organisation_id=org_id,
            confidentiality=conf,
            created_by=user,
            state=states[group.state],
            label=group.label[:200],
            representative=group.representative,
        )
        obj.recommendations.set(group.ids)
        created += 1
    summary = {"groups": created, "replaced": removed, "recommendations": len(records)}
    org = Organisation.objects.get(pk=org_id)
    record_event(user, "recurrence.compute", org, after=summary)
    return summary


def _group_for_write(user, group: RecurrenceGroup) -> RecurrenceGroup:
    group = get_visible(user, RecurrenceGroup, group.pk)
    require_write(user, group.organisation_id, ROLES, group.confidentiality)
    return group


@transaction.atomic
def confirm_group(user, group: RecurrenceGroup, *, label: str = "") -> RecurrenceGroup:
    group = _group_for_write(user, group)
    before = snapshot(group)
    group.status = RecurrenceGroup.GroupStatus.CONFIRMED
    if label.strip():
        group.label = label.strip()[:200]
    group.version += 1
    group.save()
    record_event(user, "recurrence.confirm", group, before=before, after=snapshot(group))
    return group


@transaction.atomic
def split_group(user, group: RecurrenceGroup, member_ids: Sequence[int]) -> RecurrenceGroup:
    """Move the given members out into a new confirmed group (both keep at least one member)."""
    group = _group_for_write(user, group)
    members = set(group.recommendations.values_list("pk", flat=True))
    chosen = {int(i) for i in member_ids}
    if not chosen or not chosen <= members:
        raise InvalidInput(_("Choose members of this group to split off."), field="members")
    if chosen == members:
        raise InvalidInput(_("Leave at least one recommendation in the group."), field="members")
    new = RecurrenceGroup.objects.create(
        organisation_id=group.organisation_id,
        confidentiality=group.confidentiality,
        created_by=user,
        state=group.state,
        label=group.label[:190] + " (2)",
        representative=Recommendation.objects.get(pk=min(chosen)).text,
        status=RecurrenceGroup.GroupStatus.CONFIRMED,
    )
    new.recommendations.set(chosen)
    group.recommendations.remove(*chosen)
    group.status = RecurrenceGroup.GroupStatus.CONFIRMED
    group.version += 1
    group.save()
    record_event(
        user,
        "recurrence.split",
        group,
        before={"members": sorted(members)},
        after={"members": sorted(members - chosen), "new_group": new.pk},
    )
    return new


@transaction.atomic
def merge_groups(user, group: RecurrenceGroup, other: RecurrenceGroup) -> RecurrenceGroup:
    """Move every member of `other` into `group` and delete `other`. Both must concern the same State."""
    group = _group_for_write(user, group)
    other = _group_for_write(user, other)
    if group.pk == other.pk:
        raise InvalidInput(_("Choose another group to merge with."), field="other")
    if group.organisation_id != other.organisation_id or group.state_id != other.state_id:
        raise InvalidInput(_("Only groups of the same organisation and State can be merged."), field="other")
    moved = list(other.recommendations.values_list("pk", flat=True))
    group.recommendations.add(*moved)
    if LEVEL[other.confidentiality] > LEVEL[group.confidentiality]:
        group.confidentiality = other.confidentiality
    group.status = RecurrenceGroup.GroupStatus.CONFIRMED
    group.version += 1
    group.save()
    record_event(user, "recurrence.merge", group, after={"merged_group": other.pk, "members_added": moved})
    other.delete()
    return group


def require_analyst(user) -> list[int]:
    """Organisations where the user may analyse; Forbidden when none."""
    orgs = visibility.org_ids(user, roles=ROLES)
    if not orgs:
        raise Forbidden(_("Your role does not allow this change."))
    return orgs


def visible_group_members(user, group: RecurrenceGroup):
    return visibility.visible(user, Recommendation).filter(recurrence_groups=group)


def recommendation_for_write(user, pk: Any) -> Recommendation:
    rec = get_visible(user, Recommendation, pk)
    if not visibility.can_write(user, rec, ROLES):
        raise no_page()
    return rec


# --- Imports (parse and check now, preview, then a background job writes in one transaction) ---------


@transaction.atomic
def stage_import(
    user, *, organisation: Organisation | int, content: bytes, filename: str, confidentiality: str
) -> tuple[ImportJob, dict[str, Any]]:
    """Check a file and keep its rows for confirmation; returns the job and the preview. Nothing else is written."""
    from . import importer

    org_id = _org_id(organisation)
    require_write(user, org_id, ROLES, confidentiality)
    rows, sha256 = importer.parse(content, filename)
    preview = importer.preview(user, org_id, rows, confidentiality)
    job = create_record(
        user,
        ImportJob,
        organisation=org_id,
        roles=ROLES,
        verb="import.stage",
        confidentiality=confidentiality,
        filename=filename[:255],
        fmt="json" if filename.lower().endswith(".json") else "csv",
        sha256=sha256,
        rows=[r.to_json() for r in rows],
        total=len(rows),
    )
    return job, preview


def job_for_user(user, pk: Any) -> ImportJob:
    """An import job, for members who may analyse in its organisation (others: NotFound)."""
    job = get_visible(user, ImportJob, pk)
    if not visibility.can_write(user, job, ROLES):
        raise NotFound(_("No such record, or you do not have access to it."))
    return job


def confirm_import(user, job: ImportJob) -> ImportJob:
    """Queue the background import of a staged file (the database queue sees it once this commits)."""
    from .tasks import run_import

    with transaction.atomic():
        job = job_for_user(user, job.pk)
        require_write(user, job.organisation_id, ROLES, job.confidentiality)
        # Only one confirmation may win: the status changes from "preview" exactly once.
        if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.JobStatus.PREVIEW).update(
            status=ImportJob.JobStatus.QUEUED
        ):
            raise InvalidInput(_("This import was already started."))
        record_event(user, "import.confirm", job, after={"rows": job.total})
        run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def progress_path(job_pk: int):
    from django.conf import settings

    return settings.FILES_DIR / "progress" / f"import-{job_pk}.json"


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(processed, total): the writing transaction is invisible until it commits, so progress goes to a file."""
    import json

    if job.status == ImportJob.JobStatus.RUNNING:
        try:
            data = json.loads(progress_path(job.pk).read_text())
            return int(data["done"]), int(data["total"])
        except (OSError, ValueError, KeyError):
            return 0, job.total
    return job.processed, job.total


def execute_import(job_pk: int) -> ImportJob:
    """Run a queued import (the background task calls this). All rows or none are written."""
    import json

    from django.utils import timezone

    from . import importer

    job = ImportJob.objects.get(pk=job_pk)
    if job.status not in (ImportJob.JobStatus.QUEUED, ImportJob.JobStatus.RUNNING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.JobStatus.RUNNING)
    job.status = ImportJob.JobStatus.RUNNING
    path = progress_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)

    def tick(done: int, total: int) -> None:
        path.write_text(json.dumps({"done": done, "total": total}))

    user = job.created_by
    try:
        rows = [importer.Row.from_json(r) for r in job.rows]
        summary = importer.apply(
            user, job.organisation_id, rows, confidentiality=job.confidentiality, filename=job.filename, progress=tick
        )
    except Exception as exc:  # noqa: BLE001 - any failure is reported on the job; the transaction rolled back
        message = exc.message if hasattr(exc, "message") else _("The import failed; nothing was written.")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.JobStatus.FAILED, error=str(message)[:2000], finished_at=timezone.now()
        )
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.JobStatus.DONE,
            processed=summary["total"],
            created_count=summary["create"],
            updated_count=summary["update"],
            unchanged_count=summary["unchanged"],
            rows=[],  # the rows are in the database now; do not keep a second copy
            finished_at=timezone.now(),
        )
    finally:
        path.unlink(missing_ok=True)
    job.refresh_from_db()
    return job
