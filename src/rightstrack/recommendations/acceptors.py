"""Turning an accepted ingest suggestion into a recommendation (registered with ingest.acceptors)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.errors import InvalidInput

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


def _review_for(user, org_id: int, data: dict) -> Review:
    """The review named in the suggestion (review id), else the user's latest visible review of the organisation."""
    reviews = visibility.visible(user, Review).filter(organisation_id=org_id)
    if data.get("review_id"):
        review = reviews.filter(pk=data["review_id"]).first()
    else:
        review = reviews.order_by("-date", "-pk").first()
    if review is None:
        raise InvalidInput(_("Create the review this recommendation belongs to first."))
    return review


def accept_recommendation(user, suggestion: Any) -> Recommendation:
    """Create a recommendation from an accepted suggestion, cite its passage, and let the classifier suggest themes."""
    data = dict(getattr(suggestion, "data", None) or {})
    text = str(data.get("text", "")).strip()
    if not text:
        raise InvalidInput(_("The suggestion has no text."))
    org_id, level = _owner(suggestion)
    review = _review_for(user, org_id, data)
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
