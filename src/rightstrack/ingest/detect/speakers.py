"""Who is speaking in a treaty-body meeting summary: the State delegation, a Committee expert, or the Chair.

UN meeting summaries mark the speaker in three ways, and this module reads all three:
section headings ("Questions by Committee Experts", "Responses by the Delegation"), a lead-in at
the start of a paragraph or sentence ("A Committee Expert said", "The delegation said"), and a
named person introduced once with a role ("NAME, Committee Chairperson, said") and later referred
to by surname ("Mr. Surname").
"""

from __future__ import annotations

import re

VERSION = "speakers-1.0"

STATE, COMMITTEE, CHAIR = "state", "committee", "chair"

_HEADING_RULES = (
    (re.compile(r"question|expert|вопрос|эксперт", re.I), COMMITTEE),
    (re.compile(r"response|repl|answer|presentation|introduc|delegation|ответ|представлени|делегаци", re.I), STATE),
)
_CUES = (
    (re.compile(r"\b(?:Committee\s+)?Chair(?:person|man|woman)?\b|Председател\w*\s+Комитета", re.I), CHAIR),
    (
        re.compile(
            r"\b(?:Committee\s+Experts?|(?:The|An?|Another|One|Other)\s+Experts?)\b|\bExperts\s+asked\b"
            r"|\bThe\s+Committee\s+(?:welcomed|was\s+concerned|noted|called|asked|expressed|commended|urged|"
            r"recommended|requested|regretted|remained)\b|Эксперт\w*\s+Комитета|\bКомитет\s+(?:приветствовал|выразил)",
            re.I,
        ),
        COMMITTEE,
    ),
    (
        re.compile(
            r"\b(?:the|a)\s+delegation\s+(?:also\s+)?(?:said|stated|noted|explained|added|replied|responded|"
            r"indicated|assured|confirmed|highlighted|emphasi[sz]ed|underlined|pointed|informed|clarified|"
            r"reported|acknowledged|agreed)\b|head\s+of\s+(?:the\s+)?delegation|делегаци\w+\s+(?:заявил|сообщил|"
            r"отметил|пояснил|ответил)\w*",
            re.I,
        ),
        STATE,
    ),
)
_NAMED = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<name>[A-ZÀ-ÝА-ЯЁ][\w'’\-]+(?:\s+[A-ZÀ-ÝА-ЯЁ][\w'’\-]+){1,3}),\s+(?P<role>[^,]{3,160}?),\s+"
    r"(?:said|stated|noted|expressed|welcomed|thanked|asked|added|concluded|commended|заявил|сказал)"
)
_TITLE_REF = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|г-н|г-жа)\.?\s+(?P<surname>[A-ZА-ЯЁ][\w'’\-]+)")


def role_side(role: str) -> str | None:
    """Classify a role description ('Vice-Minister of Justice ...', 'Committee Chairperson')."""
    if re.search(r"Chair|Председател", role, re.I):
        return CHAIR
    if re.search(r"Expert|Rapporteur|member of the Committee|эксперт|докладчик", role, re.I):
        return COMMITTEE
    if re.search(
        r"delegation|Minister|Ambassador|Permanent\s+Representative|Deputy|Prosecutor|Commissioner|"
        r"Head\s+of|Chief|Director|министр|посол|делегаци|представител",
        role,
        re.I,
    ):
        return STATE
    return None


class SpeakerModel:
    """Learns the named speakers of one document, then labels paragraphs and sentences."""

    def __init__(self, texts: list[str]) -> None:
        self.people: dict[str, str] = {}
        state = committee = False
        for text in texts:
            for match in _NAMED.finditer(text):
                side = role_side(match.group("role"))
                if side:
                    surname = match.group("name").split()[-1].casefold()
                    self.people[surname] = side
            for pattern, side in _CUES:
                if pattern.search(text):
                    state |= side == STATE
                    committee |= side in (COMMITTEE, CHAIR)
        # Speakers only make sense in a dialogue; elsewhere "the Committee" is just a subject.
        self.dialogue = state and committee

    def cue(self, sentence: str) -> str | None:
        """The side a sentence's own lead-in names, if any (looked for in its first 160 characters)."""
        head = sentence[:160]
        named = _NAMED.search(head)
        if named and named.start() < 5:
            side = role_side(named.group("role"))
            if side:
                return side
        title = _TITLE_REF.search(head)
        if title and title.group("surname").casefold() in self.people:
            return self.people[title.group("surname").casefold()]
        best: tuple[int, str] | None = None
        for pattern, side in _CUES:
            match = pattern.search(head)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), side)
        return best[1] if best else None

    def for_heading(self, heading: str | None) -> str | None:
        """Default side for paragraphs under a section heading."""
        if not heading:
            return None
        for pattern, side in _HEADING_RULES:
            if pattern.search(heading):
                return side
        return None

    def paragraph(self, text: str, heading: str | None) -> str | None:
        """Side speaking in a paragraph: its lead-in, else its section's default."""
        if not self.dialogue:
            return None
        return self.cue(text) or self.for_heading(heading)

    def sentence(self, sentence: str, paragraph_side: str | None) -> str | None:
        """Side speaking in one sentence of a paragraph."""
        if not self.dialogue:
            return None
        return self.cue(sentence) or paragraph_side
