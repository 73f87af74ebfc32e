"""Recommendations: items listed under a "Recommendations" heading, or, in documents without such
lists, sentences in which the author calls on, urges or recommends that the State act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..segment import ARTICLE, Block

VERSION = "recommendations-1.0"

_CUE = re.compile(
    r"\b(?:urges?|urged|calls?\s+(?:on|upon)|called\s+(?:on|upon|for)|recommends?|recommended\s+that|"
    r"encourages?|invites?\s+the|призывает|призвал\w*|рекомендует|рекомендовал\w*|настоятельно\s+призывает)\b",
    re.I,
)
_SHOULD = re.compile(
    r"\b(?:the\s+State(?:\s+party)?|the\s+Government|the\s+authorities|[A-Z][a-z]+stan|государств\w*[-\s]участник\w*|"
    r"правительств\w*)\s+(?:should|must|ought\s+to|следует|должн\w*)\b",
    re.I,
)
_TO_START = re.compile(r"^(?:to\s+\w|in\s+order\s+to\b)", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ\"“«])")


@dataclass(slots=True)
class Recommendation:
    """A recommendation and where it sits."""

    text: str
    section: str | None
    article: str | None
    passage: int


def article_of(text: str | None) -> str | None:
    """First treaty article number mentioned in ``text`` ('2.3' for 'Article 2.3 of the ICCPR')."""
    if not text:
        return None
    match = ARTICLE.search(text)
    return match.group(1) if match else None


def _in_text_article(text: str) -> str | None:
    match = re.search(r"\bArticles?\s+(\d{1,3}(?:\.\d)?)\s+of\s+the\s+(?:ICCPR|Covenant)", text)
    return match.group(1) if match else None


def looks_like_recommendation(text: str) -> bool:
    """An unmarked paragraph that reads as a recommendation (imperative or 'should' form)."""
    return bool(_TO_START.match(text) or _CUE.search(text) or _SHOULD.search(text))


def _sentence_recommendations(block: Block) -> list[Recommendation]:
    out = []
    for sentence in _SENTENCE.split(block.text):
        sentence = sentence.strip()
        if not sentence or sentence.endswith("?"):
            continue
        if _CUE.search(sentence) or _SHOULD.search(sentence):
            article = article_of(block.section) or _in_text_article(sentence)
            out.append(Recommendation(sentence, block.section, article, block.passage or 0))
    return out


def detect(blocks: list[Block]) -> list[Recommendation]:
    """Recommendations in document order."""
    has_lists = any(b.kind == "heading" and b.level == "rec" for b in blocks)
    found: list[Recommendation] = []
    active = False
    item_kind: str | None = None
    seen_items = 0
    article: str | None = None
    section: str | None = None
    last_main_number: int | None = None
    for block in blocks:
        if block.kind == "heading":
            if block.level == "rec":
                active, item_kind, seen_items = True, None, 0
                qualified = re.sub(r"^\W*\w+\W*", "", block.text).strip()
                section = block.text if qualified else block.section
                article = article_of(block.text) or article_of(block.section)
            elif active and (block.level == "section" or seen_items):
                active = False
            continue
        if active:
            kind = block.marker
            if (
                kind == "digit"
                and block.number
                and block.number.isdigit()
                and last_main_number is not None
                and int(block.number) == last_main_number + 1
                and item_kind != "digit"
            ):
                active = False  # the document's own paragraph numbering resumes
            elif item_kind is None:
                if kind is not None:
                    item_kind = kind
                elif looks_like_recommendation(block.text):
                    item_kind = "paragraph"
                else:
                    continue  # an introduction or a figure shown before the list
            elif (item_kind == "paragraph" and kind is None and looks_like_recommendation(block.text)) or (
                item_kind != "paragraph" and kind == item_kind
            ):
                pass
            else:
                active = False
            if active:
                seen_items += 1
                found.append(
                    Recommendation(block.text, section, article or _in_text_article(block.text), block.passage or 0)
                )
                continue
        if block.marker == "digit" and block.number and block.number.isdigit():
            last_main_number = int(block.number)
        if not has_lists:
            found.extend(_sentence_recommendations(block))
    return found
