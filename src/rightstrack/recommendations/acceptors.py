"""Turning an accepted ingest suggestion into a recommendation (registered with ingest.acceptors)."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.core import visibility
from rightstrack.core.errors import InvalidInput
from rightstrack.evidence.text import tidy_heading as _tidy_name
from rightstrack.ingest.acceptors import Choice, Target

from . import actions
from .forms import DocumentSourceForm
from .models import Recommendation, Review, SourceKind


def _owner(suggestion: Any) -> tuple[int, str]:
    """Organisation and confidentiality to inherit: the suggestion's, else its source document's."""
    org_id = getattr(suggestion, "organisation_id", None)
    level = getattr(suggestion, "confidentiality", None)
    if org_id is None or not level:
        document = getattr(getattr(suggestion, "run", None), "document", None) or getattr(
            getattr(suggestion, "passage", None), "document", None
        )
        if document is None:
            raise InvalidInput(_("The suggestion has no organisation."))
        org_id, level = document.organisation_id, document.confidentiality
    return org_id, level


def _reviews_for(user, org_id: int, level: str) -> QuerySet[Review]:
    """Visible reviews a recommendation of this organisation and confidentiality may belong to.

    The same rule as ``actions.check_not_wider``: any public review, or one of the organisation's own
    that is not more confidential than the recommendation.
    """
    levels = [lvl for lvl, rank in actions.LEVEL.items() if rank <= actions.LEVEL.get(level, -1)]
    return visibility.visible(user, Review).filter(
        Q(confidentiality="public") | Q(organisation_id=org_id, confidentiality__in=levels)
    )


def _review_for(user, org_id: int, level: str, data: dict) -> Review:
    """The review the reviewer chose (``review_id``); never a guess."""
    raw = data.get("review_id")
    if raw in (None, ""):
        raise InvalidInput(str(REVIEW_TARGET.missing), field="review_id")
    try:
        review_id = int(raw)
    except (TypeError, ValueError):
        review_id = 0
    review = _reviews_for(user, org_id, level).filter(pk=review_id).first() if review_id > 0 else None
    if review is None:
        # Same answer for a missing, hidden or unsuitable review, so ids cannot be probed.
        raise InvalidInput(_("Choose one of the reviews offered for this document."), field="review_id")
    return review


_STATES_TTL = 60.0
_states_seen: dict[tuple[int, str], tuple[float, list]] = {}


def _named_states(document: Any) -> list:
    """States the document names (see ``actions.document_states``), remembered for a minute: "Accept all"
    asks once per suggestion, and a document's passages do not change once read."""
    now = time.monotonic()
    key = (document.pk, document.sha256)  # the same file is the same text, whatever its id
    cached = _states_seen.get(key)
    if cached and now - cached[0] < _STATES_TTL:
        return cached[1]
    if len(_states_seen) > 256:
        _states_seen.clear()
    states = actions.document_states(document)
    _states_seen[key] = (now, states)
    return states


def _check_state(review: Review, document: Any) -> None:
    """A document's recommendations go to a review or source of a State it names (when it names any)."""
    if document is None:
        return
    named = _named_states(document)
    if named and review.state not in named:
        raise InvalidInput(
            _(
                "This review or source is about %(state)s, but the document is about %(doc)s: choose one "
                "about %(doc)s, or create the source below."
            )
            % {"state": review.state, "doc": named[0]},
            field="review_id",
        )


def _symbol_key(symbol: str) -> str:
    return re.sub(r"\s+", "", symbol).upper()


def review_choices(user, document: Any, symbols: Sequence[str]) -> list[Choice]:
    """Reviews the document's recommendations may go into; those whose outcome document the document cites first.

    A cited symbol matches a review's symbol exactly or as one of its parts (``…/Add.1``, ``…/Corr.1``).
    """
    reviews = list(
        _reviews_for(user, document.organisation_id, document.confidentiality)
        .select_related("mechanism", "state")
        .order_by("-date", "-pk")
    )
    named = _named_states(document)
    if named:  # only reviews of a State the document is about
        reviews = [r for r in reviews if r.state in named]
    cited = [_symbol_key(s) for s in [getattr(document, "symbol", ""), *symbols] if s]

    def rank(review: Review) -> int | None:
        own = _symbol_key(review.symbol) if review.symbol else ""
        if not own:
            return None
        return next((i for i, c in enumerate(cited) if c == own or c.startswith(own + "/")), None)

    ranked = [(rank(r), r) for r in reviews]
    matched = sorted((pair for pair in ranked if pair[0] is not None), key=lambda pair: pair[0])
    others = [r for position, r in ranked if position is None]
    return [Choice(r.pk, str(r), matches=True) for _pos, r in matched] + [Choice(r.pk, str(r)) for r in others]


# "Statement by the Coalition of NGOs … regarding …", "Report prepared by …", "Submitted by …".
_BY = re.compile(
    r"\b(?:statement|report|submission|prepared|submitted|published|compiled)\s+by\s+(?:the\s+)?"
    r"(?P<who>[^\n,.;:()]{5,160}?)"
    r"(?=\s+(?:regarding|concerning|on\s+the|about|for\s+the|to\s+the|in\s+(?:connection|response))\b|[\n,.;:()]|$)",
    re.IGNORECASE,
)
# Organisations that publish recommendations on their own account, by a name their documents use.
_KNOWN = (
    (re.compile(r"\bODIHR\b"), "OSCE/ODIHR", SourceKind.ODIHR_REPORT),
    (re.compile(r"\b(?:Ombudsman|Ombudsperson|Commissioner for Human Rights)\b"), "", SourceKind.OMBUDSMAN_REPORT),
)


def document_author(document: Any) -> tuple[str, str]:
    """(author, kind of source) as the document states them: its publisher, else "… by X" in its title or
    first passages, else a known organisation it names; ("", "") when it says nothing."""
    from rightstrack.evidence.models import Passage

    texts = [
        document.title,
        *Passage.objects.filter(document=document).order_by("number").values_list("text", flat=True)[:15],
    ]
    head = "\n".join(texts)
    kind = next((k for pattern, _name, k in _KNOWN if pattern.search(head)), SourceKind.NGO_REPORT)
    if document.publisher:
        return document.publisher, kind
    match = _BY.search(head)
    if match:
        who = _tidy_name(match.group("who"))
        if "statement" in match.group(0).lower()[:12]:
            kind = SourceKind.NGO_STATEMENT if kind == SourceKind.NGO_REPORT else kind
        return who, kind
    for pattern, name, found_kind in _KNOWN:
        if name and pattern.search(head):
            return name, found_kind
    return "", kind


def _document_title(document: Any) -> str:
    """The document's title; when it has none but its file name, its first heading."""
    from rightstrack.evidence.models import Passage

    if document.title and document.title != document.original_filename:
        return _tidy_name(document.title)[:500]  # an all-capitals heading reads better in lists and footnotes
    passages = Passage.objects.filter(document=document).order_by("number")
    first = passages.filter(is_heading=True).first() or passages.first()
    return _tidy_name(first.text)[:500] if first is not None else document.title


def _document_date(document: Any):
    """The date the user gave the document, else the one its reading found in the text."""
    if document.document_date:
        return document.document_date
    runs = getattr(document, "ingestion_runs", None)
    found = runs.exclude(found_date=None).order_by("-pk").values_list("found_date", flat=True) if runs else []
    return next(iter(found), None)


def source_form(user, document: Any, data: Any = None) -> DocumentSourceForm:
    """The "new source" form of the ingestion screen, pre-filled from the document (or as posted)."""
    if data is not None:
        return DocumentSourceForm(data, prefix="source")
    author, kind = document_author(document)
    states = actions.document_states(document)
    initial = {
        "source_kind": kind,
        "author": author,
        "title": _document_title(document),
        "date": _document_date(document),
        "symbol": document.symbol,
        "state": states[0].pk if states else None,
    }
    return DocumentSourceForm(initial=initial, prefix="source")


def create_source(user, document: Any, data: dict) -> Review:
    """A source owned by the document's organisation and as confidential, so its recommendations may go in."""
    return actions.create_review(
        user,
        organisation=document.organisation_id,
        confidentiality=document.confidentiality,
        source_kind=data["source_kind"],
        author=data["author"],
        title=data["title"],
        state=data["state"],
        date=data["date"],
        symbol=data["symbol"],
        document=document.pk,
        languages=getattr(document, "language", "") or "",
    )


REVIEW_TARGET = Target(
    field="review_id",
    label=gettext_lazy("Add the accepted recommendations to the review or source"),
    missing=gettext_lazy("Choose the review these recommendations belong to; nothing was created."),
    empty=gettext_lazy(
        "No review or source these recommendations could go into is open to you: create the source below "
        "(a report by an organisation), or add or import the UN review under Recommendations first."
    ),
    choices=review_choices,
    create_form=source_form,
    create=create_source,
    create_label=gettext_lazy("Or create the source: a report or statement by an organisation"),
)


def accept_recommendation(user, suggestion: Any) -> Recommendation:
    """Create a recommendation from an accepted suggestion, cite its passage, and let the classifier suggest themes.

    It goes into the review the reviewer chose (``data["review_id"]``, see ``REVIEW_TARGET``); without
    one nothing is created.
    """
    data = dict(getattr(suggestion, "data", None) or {})
    text = str(data.get("text", "")).strip()
    if not text:
        raise InvalidInput(_("The suggestion has no text."))
    org_id, level = _owner(suggestion)
    review = _review_for(user, org_id, level, data)
    _check_state(
        review, getattr(suggestion, "document", None) or getattr(getattr(suggestion, "run", None), "document", None)
    )
    # "article" may be "14", 14 or "Article 14": keep the number.
    articles = re.findall(r"\d+", str(data.get("article") or ""))[:1]
    passage = getattr(suggestion, "passage", None)
    # The paragraph is the passage's own label (¶27), never the section title it sits under.
    label = "" if passage is None or passage.is_heading else passage.label
    rec = actions.create_recommendation(
        user,
        review,
        text=text,
        organisation=org_id,
        confidentiality=level,
        paragraph=label[:40],
        upr_id=str(data.get("upr_id") or ""),
        articles=articles,
    )
    if passage is not None:
        from rightstrack.evidence.actions import cite

        cite(user, rec, passage, quote=text[:2000], note=_("from document ingestion"))
    return rec


accept_recommendation.target = REVIEW_TARGET  # type: ignore[attr-defined]
