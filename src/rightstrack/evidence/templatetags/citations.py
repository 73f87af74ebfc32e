"""`{% citation passage %}`: a passage as "symbol or title, para. 27", linked to the passage page;
`{{ passage|citation_text }}` for the same words without the link."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from rightstrack.evidence import citing
from rightstrack.evidence.models import Passage

register = template.Library()


@register.simple_tag
def citation(passage: Passage) -> str:
    return format_html(
        '<a class="citation" href="{}">{}</a>',
        reverse("passage_detail", args=[passage.pk]),
        citing.citation_text(passage),
    )


@register.filter
def citation_text(passage: Passage) -> str:
    return citing.citation_text(passage)


@register.filter
def passage_reference(passage: Passage) -> str:
    return citing.reference_of(passage)


@register.filter
def record_url(record) -> str | None:
    return citing.record_url(record)
