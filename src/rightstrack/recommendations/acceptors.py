"""Turning an accepted ingest suggestion into a recommendation (registered with ingest.acceptors)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.core import visibility
from rightstrack.core.errors import InvalidInput
from rightstrack.ingest.acceptors import Choice, Target

from . import actions
from .models import Recommendation, Review


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


REVIEW_TARGET = Target(
    field="review_id",
    label=gettext_lazy("Add the accepted recommendations to the review"),
    missing=gettext_lazy("Choose the review these recommendations belong to; nothing was created."),
    empty=gettext_lazy(
        "No review these recommendations could go into is open to you: add or import the review "
        "under Recommendations first."
    ),
    choices=review_choices,
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
    # "article" may be "14", 14 or "Article 14": keep the number.
    articles = re.findall(r"\d+", str(data.get("article") or ""))[:1]
    rec = actions.create_recommendation(
        user,
        review,
        text=text,
        organisation=org_id,
        confidentiality=level,
        paragraph=str(data.get("section") or "")[:40],
        upr_id=str(data.get("upr_id") or ""),
        articles=articles,
    )
    passage = getattr(suggestion, "passage", None)
    if passage is not None:
        from rightstrack.evidence.actions import cite

        cite(user, rec, passage, quote=text[:2000], note=_("from document ingestion"))
    return rec


accept_recommendation.target = REVIEW_TARGET  # type: ignore[attr-defined]
