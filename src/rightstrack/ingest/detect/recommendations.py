"""Recommendations: items listed under a "Recommendations" heading, or, in documents without such
lists, sentences in which the author calls on, urges or recommends that the State act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..segment import ARTICLE, Block

VERSION = "recommendations-2.0"

_CUE = re.compile(
    r"\b(?:urges?|urged|calls?\s+(?:on|upon)|called\s+(?:on|upon|for)|recommends?|recommended\s+that|"
    r"encourages?|invites?\s+the|призывает|призвал\w*|рекомендует|рекомендовал\w*|настоятельно\s+призывает|"
    r"предлагает\s+государству|ұсынады|ұсыну\s+береді|шақырады|шақырды|талап\s+етеді)\b",
    re.I,
)
_SHOULD = re.compile(
    r"\b(?:the\s+State(?:\s+party)?|the\s+Government|the\s+authorities|[A-Z][a-z]+stan|государств\w*[-\s]участник\w*|"
    r"правительств\w*)\s+(?:should|must|ought\s+to|следует|должн\w*)\b"
    r"|(?:^|\s)(?:Қатысушы\s+)?мемлекет\w*\s.{0,300}?\b(?:тиіс|қажет)\b",
    re.I,
)
# What else a treaty body's sentence can be: a concern, a welcome, or the State speaking.
_CONCERN = re.compile(
    r"\b(?:is|are|was|remains?)\s+(?:also\s+|further\s+|deeply\s+|particularly\s+|seriously\s+)*concerned|"
    r"\bexpress(?:es|ed)?\s+(?:its\s+)?(?:deep\s+|serious\s+)?concern|\bnotes?\s+with\s+(?:deep\s+|serious\s+)?"
    r"concern|\bregrets?\b|\bdeplores?\b|\bis\s+alarmed|"
    r"обеспокоен\w*|выражает\s+(?:\w+\s+)?обеспокоенность|с\s+(?:\w+\s+)?обеспокоенностью|сожалеет|"
    r"алаңдаушылық\s+(?:\w+\s+)?(?:білдіреді|танытады)|алаңдатады|өкінішпен|өкінеді",
    re.I,
)
_WELCOME = re.compile(
    r"\bwelcomes?\b|\bnotes?\s+with\s+(?:appreciation|satisfaction)|\bcommends?\b|\bappreciates?\b|"
    r"приветствует|с\s+удовлетворением|высоко\s+оценивает|одобряет|"
    r"құптайды|қанағаттанушылықпен|қош\s+көреді|оң\s+бағалайды",
    re.I,
)
_STATE_SAYS = re.compile(
    r"^(?:The\s+)?(?:delegation|State\s+party|Government|[A-Z][a-z]+stan)\s+(?:\w+\s+)?(?:said|stated|noted|"
    r"indicated|informed|reported|explained|replied|accepted|supported|rejected)\b|"
    r"^(?:Делегация|Государство[-\s]участник|Правительство)\s+(?:\w+\s+)?(?:заявил|сообщил|отметил|пояснил|"
    r"поддержал|принял)\w*|^Делегация\b.{0,200}(?:мәлімдеді|хабарлады|атап\s+өтті)",
    re.I,
)
_TERMINAL = re.compile(r"[.;:!?…)»\"”]\s*$")
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


_REC_WORD = re.compile(r"\b(?:recommendations?|рекомендаци\w*|ұсыным\w*|ұсыныс\w*)(?!\w)", re.I)
_CONCERN_WORD = re.compile(r"concern|обеспокоенн|алаңдаушылық|алаңдат", re.I)


def _rec_heading(block: Block) -> bool:
    """A heading over a list of recommendations: "Recommendations", "III. Recommendations supported by the
    State", "Мемлекет қолдаған ұсынымдар" — but not "Principal subjects of concern and recommendations"."""
    if block.level == "rec":
        return True
    words = re.sub(r"^\s*(?:[IVXLC]+|[A-ZА-Я]|\d+)[.)]\s*", "", block.text, flags=re.I).split()
    if not words or _CONCERN_WORD.search(block.text):
        return False
    return bool(_REC_WORD.match(words[0]) or _REC_WORD.match(words[-1]))


def classify(sentence: str) -> str | None:
    """What a sentence is: "recommendation", "concern", "welcome", "state" (the State speaking) or None.

    The treaty body's own verb decides: "The Committee is concerned that ... should" is a concern, and a
    welcome or a concern said before a recommendation cue is what the sentence is.
    """
    if _STATE_SAYS.search(sentence.strip()):
        return "state"
    rec = _CUE.search(sentence) or _SHOULD.search(sentence)
    concern = _CONCERN.search(sentence)
    welcome = _WELCOME.search(sentence)
    others = [m for m in (concern, welcome) if m is not None]
    if rec is not None and not any(m.start() < rec.start() for m in others):
        return "recommendation"
    if others:
        first = min(others, key=lambda m: m.start())
        return "concern" if first is concern else "welcome"
    return "recommendation" if rec is not None else None


def looks_like_recommendation(text: str) -> bool:
    """An unmarked paragraph that reads as a recommendation (imperative or 'should' form)."""
    return bool(_TO_START.match(text)) or classify(text) == "recommendation"


def is_lead_in(text: str) -> bool:
    """A recommendation that introduces sub-items: "The State party should:", "The Committee recommends that
    the State party:", "Государству-участнику следует:", "Қатысушы мемлекет:"."""
    text = text.strip()
    if not text.endswith(":"):
        return False
    last = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", _SENTENCE.split(text)[-1])
    if classify(last) == "recommendation":
        return True
    # Kazakh puts the verb ("тиіс", "ұсынады") after the items: the lead-in names only the State.
    return bool(re.fullmatch(r"(?:Қатысушы\s+)?мемлекет\w*(?:\s+\w+){0,3}:", last, re.I))


_INLINE_ITEM = re.compile(r"(?:(?<=:)|(?<=;)|(?<=\.))\s+\(([a-h])\)\s+")


def _sentence_recommendations(block: Block) -> list[Recommendation]:
    out = []
    for sentence in _SENTENCE.split(block.text):
        sentence = sentence.strip()
        if not sentence or sentence.endswith("?"):
            continue
        parts = _INLINE_ITEM.split(sentence)
        if len(parts) > 2 and is_lead_in(parts[0]):
            # "The State party should: (a) ...; (b) ..." flattened into one paragraph: each item on its own.
            for item in parts[2::2]:
                article = article_of(block.section) or _in_text_article(item)
                out.append(Recommendation(item.strip(), block.section, article, block.passage or 0))
            continue
        if classify(sentence) == "recommendation" and not is_lead_in(sentence):
            article = article_of(block.section) or _in_text_article(sentence)
            out.append(Recommendation(sentence, block.section, article, block.passage or 0))
    return out


def detect(blocks: list[Block]) -> list[Recommendation]:
    """Recommendations in document order."""
    has_lists = any(b.kind == "heading" and _rec_heading(b) for b in blocks)
    found: list[Recommendation] = []
    active = False
    item_kind: str | None = None
    seen_items = 0
    article: str | None = None
    section: str | None = None
    last_main_number: int | None = None
    lead_in = False  # the paragraph before introduced sub-items ("The State party should:")
    passages = [b for b in blocks if b.kind != "heading"]
    for block in blocks:
        if block.kind == "heading":
            # "9. The State party should" taken for a heading (its colon lost): its items still follow.
            lead_in = classify(block.text) == "recommendation" or is_lead_in(block.text + ":")
            if _rec_heading(block):
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
            if active and classify(block.text) in ("concern", "welcome", "state"):
                continue  # a concern or a welcome numbered like the recommendations around it
            if active:
                seen_items += 1
                found.append(
                    Recommendation(block.text, section, article or _in_text_article(block.text), block.passage or 0)
                )
                continue
        if block.marker == "digit" and block.number and block.number.isdigit():
            last_main_number = int(block.number)
        if not has_lists:
            if lead_in and block.marker in ("letter", "roman") and block.kind == "item":
                # "(a) ..." under "The State party should:" is a recommendation whatever its own wording.
                article = article_of(block.section) or _in_text_article(block.text)
                found.append(Recommendation(block.text, block.section, article, block.passage or 0))
                continue
            lead_in = is_lead_in(block.text)
            found.extend(_sentence_recommendations(block))
    # A recommendation cut off by the end of the text (a truncated copy) is not proposed.
    if (
        found
        and passages
        and not has_lists
        and found[-1].passage == passages[-1].passage
        and not _TERMINAL.search(found[-1].text)
        and passages[-1].text.strip().endswith(found[-1].text.strip())
    ):
        found.pop()
    return found
