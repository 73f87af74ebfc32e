"""Citing a passage by its document and its own label (¶27, "para. 12", "p. 4"), and printing it back.

Users read numbers in a document as the document's own paragraph numbers, never as database ids or
as the order in which RightsTrack split the text. So a citation is typed as *document + label*,
resolved here in one place for every form and API, and rendered as "symbol or title, para. label".
What the renderer prints can be typed back and resolves to the same passage (except "p. N", which
names a page and resolves to its first passage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import InvalidInput

from .models import Citation, Passage, SourceDocument, TextStatus

MAX_CITATIONS = 50
MAX_LABEL = 40

# Longest prefixes first so "para." is not read as "p." + "ara.".
_PAGE = re.compile(r"^(?:pages?|pp?\.?|стр\.?|страница|с\.)\s*(\d{1,6})$", re.IGNORECASE)
_NUMBER = re.compile(r"^(?:passage|#|фрагмент)\s*(\d{1,9})$", re.IGNORECASE)
_PARA = re.compile(r"^(?:paragraphs?|paras?\.?|¶+|§+|п\.|пункт|параграф|абзац|абз\.?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """What the user typed, understood: a label of the document, a page, or a passage's order number."""

    kind: str  # "label" | "page" | "number"
    value: str


def parse_reference(raw: str) -> Reference:
    """Read "¶27", "para. 12", "27.", "(a)", "139.61", "p. 4", "passage 7". InvalidInput when empty."""
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidInput(_("Type the paragraph as the document numbers it, e.g. 27, ¶27 or p. 4."))
    if len(text) > MAX_LABEL:
        raise InvalidInput(_("A paragraph label is at most %(n)s characters.") % {"n": MAX_LABEL})
    page = _PAGE.match(text)
    if page:
        return Reference("page", str(int(page.group(1))))
    number = _NUMBER.match(text)
    if number:
        return Reference("number", str(int(number.group(1))))
    label = _PARA.sub("", text).strip()
    label = label.strip("()").rstrip(".):").strip()
    if not label:
        raise InvalidInput(_("Type the paragraph as the document numbers it, e.g. 27, ¶27 or p. 4."))
    return Reference("label", label)


def document_name(document: SourceDocument) -> str:
    return document.symbol or document.title


def visible_documents(user):
    """Documents the user may cite: visible, with their text read."""
    return (
        visibility.visible(user, SourceDocument)
        .filter(text_status=TextStatus.READY)
        .only("pk", "title", "symbol", "document_date")
        .order_by("symbol", "title", "pk")
    )


def resolve_passage(user, document: SourceDocument | int | str, label: str) -> Passage:
    """The passage of ``document`` the user names by ``label``.

    NotFound for a document the user may not see (as for a missing one); InvalidInput naming the
    document when it has no such paragraph or page. Headings are not citable paragraphs.
    """
    document_id = document.pk if isinstance(document, SourceDocument) else document
    if not str(document_id).strip().isdigit():
        raise InvalidInput(_("Choose a document."))
    document = get_visible(user, SourceDocument, int(document_id))
    ref = parse_reference(label)
    passages = Passage.objects.filter(document=document).order_by("number")
    if ref.kind == "page":
        found = passages.filter(page=int(ref.value), is_heading=False).first()
    elif ref.kind == "number":
        found = passages.filter(number=int(ref.value)).first()
    else:
        found = passages.filter(label=ref.value, is_heading=False).first()
        if found is None:
            found = passages.filter(label__iexact=ref.value, is_heading=False).first()
    if found is None:
        name = document_name(document)
        if ref.kind == "page":
            message = _("Document %(document)s has no page %(n)s.") % {"document": name, "n": ref.value}
        elif ref.kind == "number":
            message = _("Document %(document)s has no passage %(n)s.") % {"document": name, "n": ref.value}
        else:
            message = _("Document %(document)s has no paragraph %(label)s.") % {"document": name, "label": ref.value}
        raise InvalidInput(message)
    found.document = document
    return found


def resolve_citations(user, refs) -> list[Passage]:
    """Each (document, label) pair resolved, duplicates dropped, order kept; the first failure raises."""
    refs = list(refs)
    if len(refs) > MAX_CITATIONS:
        raise InvalidInput(_("At most %(n)s passages can be cited at once.") % {"n": MAX_CITATIONS})
    out: list[Passage] = []
    for document, label in refs:
        passage = resolve_passage(user, document, label)
        if passage.pk not in {p.pk for p in out}:
            out.append(passage)
    return out


def reference_of(passage: Passage) -> str:
    """The short reference users type and read: "para. 27", "p. 4" (no label) or "passage 7"."""
    if passage.label:
        return _("para. %(label)s") % {"label": passage.label}
    if passage.page:
        return _("p. %(page)s") % {"page": passage.page}
    return _("passage %(n)s") % {"n": passage.number}


def typed_reference(passage: Passage) -> str:
    """What to put back into the label box for a stored citation so that saving unchanged resolves to it."""
    if passage.label and not passage.is_heading:
        return passage.label
    return f"#{passage.number}"


def citation_text(passage: Passage) -> str:
    """ "CCPR/C/KAZ/CO/2, para. 27": document symbol or title, then the passage's own reference."""
    return _("%(document)s, %(reference)s") % {
        # A title that ends a sentence ("… the Death Penalty.") must not print "Penalty., para. 3".
        "document": document_name(passage.document).rstrip(" ."),
        "reference": reference_of(passage),
    }


def passages_cited_by(user, record) -> list[Passage]:
    """The passages ``record`` cites that the user may see, in document order, with their documents."""
    from django.contrib.contenttypes.models import ContentType

    ids = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).values_list("passage_id", flat=True)
    return list(
        visibility.visible(user, Passage)
        .filter(pk__in=list(ids))
        .select_related("document")
        .order_by("document_id", "number")
    )


# Where each kind of citing record is shown (models have no get_absolute_url; reverse names live here once).
_RECORD_PAGES: dict[str, str] = {
    "recommendations.recommendation": "recommendation_detail",
    "recommendations.review": "review_detail",
    "claims.claim": "claims:claim_detail",
    "claims.indicator": "claims:indicator_detail",
    "incidents.event": "incidents:event_detail",
    "evidence.sourcedocument": "document_detail",
}


def record_url(record) -> str | None:
    """The page of a record that cites evidence (or was created from a suggestion), when it has one."""
    from django.urls import NoReverseMatch, reverse

    if record is None:
        return None
    label = record._meta.label_lower
    try:
        if label == "claims.datapoint":
            return reverse("claims:indicator_detail", args=[record.indicator_id]) + f"#point-{record.pk}"
        if label == "recommendations.assessment":
            return reverse("recommendation_detail", args=[record.recommendation_id]) + "#timeline"
        if label == "claims.verdict":
            return reverse("claims:claim_detail", args=[record.claim_id])
        name = _RECORD_PAGES.get(label)
        return reverse(name, args=[record.pk]) if name else None
    except NoReverseMatch:
        return None
