"""Who gives a figure: its *side* (the State, civil society, a UN body, an individual expert) and, where
named, the speaker.

Found in three steps, the nearest winning:

1. an attribution phrase in the sentence itself ("according to NGOs", "по официальным данным",
   "ҮЕҰ деректері бойынша", "the delegation said");
2. the speaker of the paragraph: a summary record's "Mr. X (Kazakhstan)" (a State) or "Mr. Y" /
   "The Chair" (committee members), a meeting summary's "A Committee Expert said" or a named person
   introduced with a role, or the section heading ("Responses by the delegation");
3. the kind of document: concluding observations speak for the UN body, a national report for the
   State, an NGO report for civil society.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

VERSION = "speakers-2.0"

STATE, NGO, BODY, EXPERT = "state", "ngo", "body", "expert"
SIDES = (STATE, NGO, BODY, EXPERT)

# Document kinds, each with the side that speaks when nothing else is said.
SUMMARY_RECORD, MEETING_SUMMARY, CONCLUDING, NATIONAL_REPORT, NGO_REPORT = (
    "summary_record",
    "meeting_summary",
    "concluding_observations",
    "national_report",
    "ngo_report",
)
DEFAULT_SIDE = {CONCLUDING: BODY, NATIONAL_REPORT: STATE, NGO_REPORT: NGO}


@dataclass(frozen=True, slots=True)
class Attribution:
    side: str
    speaker: str | None = None  # "Mr. Ivanov (Kazakhstan)", "Ministry of Internal Affairs"


_TITLE = r"(?:Mr|Ms|Mrs|Dr|Sir|Dame|[Гг]-н|[Гг]-жа|[Гг]-на|[Гг]-жи)\.?"
_NAME = r"[A-ZÀ-ÝА-ЯЁӘҒҚҢӨҰҮҺІ][\w'’\-]+(?:\s+[A-ZÀ-ÝА-ЯЁӘҒҚҢӨҰҮҺІ][\w'’\-]+){0,2}"
# Summary records: "Mr. Ivanov (Kazakhstan) said", "Г-жа Петрова (Казахстан) говорит", "Иванов мырза (Қазақстан)",
# "Mr. Santos (Country Rapporteur) asked", "The Chair said", "Председатель говорит".
_RECORD_SPEAKER = re.compile(
    r"^(?P<who>(?:" + _TITLE + r"\s+" + _NAME + r"|" + _NAME + r"\s+(?:мырза|ханым))"
    r"(?:\s*\((?P<bracket>[^()]{2,60})\))?)(?:(?<=\))\s|\s*(?:[,:]|\s+(?:said|asked|noted|stated|added|replied|recalled|"
    r"welcomed|thanked|continued|observed|explained|pointed|expressed|wished|говорит|говорят|спрашивает|"
    r"отмечает|заявляет|говорил\w*|спросил\w*|отметил\w*|заявил\w*|добавляет|поясняет|напоминает|выражает|"
    r"благодарит|приветствует|хотел\w*|айтты|атап|сұрады|мәлімдеді|қосты|түсіндірді)\b))",
)
_CHAIR = re.compile(
    r"^(?:The\s+)?(?:Chair(?:person|man|woman)?|Acting\s+Chair|Председатель|Төраға)\b"
    r"|\b(?:Committee\s+)?Chair(?:person|man|woman)\b|Председател\w*\s+Комитета",
    re.I,
)
_EXPERT_BRACKET = re.compile(r"rapporteur|expert|member|chair|докладчик|эксперт|председател|баяндамашы|сарапшы", re.I)

_HEADINGS = (
    (re.compile(r"civil\s+society|stakeholder|NGO|non-governmental|гражданского\s+общества|НПО|неправительствен|"
                r"азаматтық\s+қоғам|ҮЕҰ|үкіметтік\s+емес", re.I), NGO),
    (re.compile(r"question|expert|вопрос|эксперт|сарапш|сұрақ", re.I), EXPERT),
    (re.compile(r"response|repl|answer|presentation|introduc|delegation|State\s+under\s+review|national\s+report|"
                r"information\s+(?:provided|submitted)\s+by\s+the\s+State|ответ|представлени|делегаци|"
                r"национальн\w+\s+доклад|государств\w*[-\s]участник|жауап|делегация|ұлттық\s+баяндама", re.I), STATE),
    (re.compile(r"concern|recommendation|positive\s+aspects|concluding|обеспокоенност|рекомендац|позитивные|"
                r"заключительн|алаңдаушылық|ұсыныс|оң\s+аспект|қорытынды", re.I), BODY),
)  # fmt: skip

# Phrases inside a sentence that say whose figure it is, tried in this order (see source_cue).
_SOURCE_CUES = (
    (
        re.compile(
            r"\baccording\s+to\s+(?:the\s+)?(?:information\s+(?:received\s+)?from\s+|reports\s+(?:by|from)\s+|data\s+"
            r"(?:of|from)\s+)?(?:the\s+)?(?:NGOs?|non-governmental|civil\s+society|human\s+rights\s+(?:defenders|groups"
            r"|organi[sz]ations)|(?:the\s+)?coalition|independent\s+monitors|local\s+monitors|lawyers)"
            r"|\b(?:reports?|information|data|figures)\s+(?:received\s+)?(?:by|from|of)\s+(?:the\s+)?(?:NGOs?|"
            r"non-governmental|civil\s+society|human\s+rights\s+(?:defenders|groups|organi[sz]ations))"
            r"|\b(?:citing|quoting)\s+(?:the\s+)?(?:NGOs?|non-governmental|civil\s+society|human\s+rights|local\s+"
            r"monitors|the\s+coalition)"
            r"|\b(?:ссылаясь\s+на|со\s+ссылкой\s+на)\s+(?:\w+\s+)?(?:НПО|неправительственн\w*|правозащитник\w*|"
            r"гражданское\s+общество)"
            r"|(?:сообщени\w+|информаци\w+|данны\w+)\s+(?:от\s+)?(?:НПО|неправительственных|правозащитник\w*|"
            r"гражданского\s+общества)"
            r"|\b(?:NGOs?|non-governmental\s+organi[sz]ations|civil\s+society(?:\s+organi[sz]ations)?|human\s+rights\s+"
            r"(?:defenders|groups))\s+(?:have\s+|had\s+)?(?:reported|documented|recorded|estimated|counted|say|said|"
            r"claim\w*|indicat\w*|registered)"
            r"|\b(?:по\s+(?:данным|сведениям|информации|оценкам)|согласно\s+(?:данным|информации)|как\s+сообщают)\s+"
            r"(?:\w+\s+)?(?:НПО|неправительственн\w*|правозащитн\w*|гражданского\s+общества|коалици\w*|независим\w*)"
            r"|\b(?:НПО|неправительственные\s+организации|правозащитники)\s+(?:сообщ|зафиксирова|зарегистрирова|"
            r"насчита|отмеча|документирова)\w*"
            r"|(?:ҮЕҰ|үкіметтік\s+емес\s+ұйым\w*|құқық\s+қорғаушы\w*|азаматтық\s+қоғам\w*)\s+(?:деректер\w*|мәлімет\w*|"
            r"хабарла\w*|тірке\w*|есептеу\w*)",
            re.I,
        ),
        NGO,
    ),
    (
        re.compile(
            r"\b(?:the\s+)?Special\s+Rapporteur|\bthe\s+Working\s+Group\s+on\s+Arbitrary|Специальн\w+\s+докладчик\w*|"
            r"Арнайы\s+баяндамашы\w*",
            re.I,
        ),
        EXPERT,
    ),
    (
        re.compile(
            r"\baccording\s+to\s+(?:the\s+)?(?:official|Government|State\s+party|authorities|national\s+statistics|"
            r"Ministry|Prosecutor|General\s+Prosecutor|Supreme\s+Court|Committee\s+on\s+Legal\s+Statistics|police|"
            r"information\s+(?:provided|submitted)\s+by\s+the\s+State|data\s+provided\s+by\s+the\s+State|"
            r"the\s+State\s+party['’]s)"
            r"|\b(?:the\s+)?State\s+party\s+(?:(?:has|had|have)\s+)?(?:report(?:ed|s)|indicat\w+|stat\w+|inform\w+|"
            r"provid\w+|explain\w+|establish\w+|register\w+|record\w+)"
            r"|\bthe\s+State\s+party['’]s\s+(?:statement|assertion|claim|reply|replies|response|own)"
            r"|\b(?:a|the|another)\s+delegate\s+(?:also\s+)?(?:said|stated|noted|explained|added|replied)"
            r"|\b(?:the\s+)?(?:delegation|Government|Ministry\s+of\s+[A-Z]\w+(?:\s+[A-Z]\w+)*)\s+(?:also\s+)?"
            r"(?:said|stated|noted|explained|added|replied|responded|indicated|assured|reported|informed|clarified|"
            r"acknowledged|highlighted)"
            r"|\bhead\s+of\s+(?:the\s+)?delegation|\bofficial\s+(?:data|statistics|figures)"
            r"|\b(?:information|data|figures|statistics)\s+(?:provided|submitted|supplied)\s+by\s+the\s+State"
            r"|\bthe\s+State\s+party['’]s\s+(?:report|data|information|figures|statistics)"
            r"|\b(?:информаци\w+|данны\w+|сведени\w+)\s+(?:представленн\w+\s+)?государств\w*[-\s]участник\w*"
            r"|\bпредставленн\w+\s+государством[-\s]участником"
            r"|\b(?:по\s+(?:официальным\s+)?(?:данным|информации|сведениям)|согласно\s+(?:официальным\s+)?(?:данным|"
            r"информации))\s+(?:\w+\s+)?(?:МВД|министерств\w*|прокуратур\w*|Генеральн\w*|правительств\w*|"
            r"государств\w*|Комитета\s+по\s+правовой|Верховного|органов|властей|делегаци\w*)"
            r"|\bпо\s+официальным\s+данным|\bофициальн\w+\s+(?:данны\w+|статистик\w*)"
            r"|\b(?:делегаци\w+|государство[-\s]участник|правительство)\s+(?:также\s+)?(?:заявил|сообщил|отметил|"
            r"пояснил|ответил|указал|информировал)\w*"
            r"|(?:ресми\s+(?:деректер|мәлімет|статистика)\w*|министрлі\w*\s+(?:деректер|мәлімет)\w*|"
            r"мемлекеттің\s+(?:деректер|мәлімет)\w*|^Делегация\b.{0,300}?(?:мәлімдеді|хабарлады|атап\s+өтті|"
            r"түсіндірді|айтты|сендірді))",
            re.I,
        ),
        STATE,
    ),
    (
        re.compile(
            r"\b(?:Committee\s+Experts?|(?:The|An?|Another|One|Other)\s+(?:Committee\s+)?Experts?|Country\s+"
            r"Rapporteur)\b|\bExperts\s+asked\b|Эксперт\w*\s+Комитета|Докладчик\w*\s+по\s+стране|Комитет\s+"
            r"сарапшы\w*",
            re.I,
        ),
        EXPERT,
    ),
    (
        re.compile(
            r"\bThe\s+Committee\s+(?:welcome[sd]|is\s+concerned|was\s+concerned|notes?|noted|calls?|called|asked|"
            r"expresse[sd]|commend\w*|urge[sd]|recommend\w*|request\w*|regrett?\w*|remain\w*)\b|"
            r"\bКомитет\s+(?:приветствовал|выразил|отмечает|обеспокоен|рекомендует|призывает|с\s+обеспокоенностью)|"
            r"\bКомитет\s+(?:атап|алаңдаушылық|ұсынады|құптайды)",
            re.I,
        ),
        BODY,
    ),
)
_DELEGATION_SPEAKS = re.compile(
    r"\b(?:the|a)\s+delegation\s+(?:also\s+)?(?:said|stated|noted|explained|added|replied|responded|indicated|"
    r"assured|confirmed|reported|informed|clarified)\b|\bhead\s+of\s+(?:the\s+)?delegation|"
    r"\b(?:a|the|another)\s+delegate\s+(?:also\s+)?(?:said|stated|noted|explained|added|replied)\b|"
    r"[Дд]елегаци\w+\s+(?:также\s+)?(?:заявил|сообщил|отметил|пояснил|ответил)\w*|^Делегация\b",
    re.I,
)
_EXPERTS_SPEAK = re.compile(
    r"\b(?:Committee\s+Experts?|(?:An?|Another|One|Other)\s+(?:Committee\s+)?Experts?|Country\s+Rapporteur)\b"
    r"|\b(?:Committee\s+)?Chair(?:person|man|woman)\b|Эксперт\w*\s+Комитета|Докладчик\w*\s+по\s+стране|"
    r"Комитет\s+сарапшы\w*",
    re.I,
)
_NAMED = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<name>[A-ZÀ-ÝА-ЯЁ][\w'’\-]+(?:\s+[A-ZÀ-ÝА-ЯЁ][\w'’\-]+){1,3}),\s+(?P<role>[^,]{3,160}?),\s+"
    r"(?:(?:introducing|presenting|responding|replying|concluding|speaking)[^,]{0,80},\s+)?(?:said|stated|noted|expressed|welcomed|thanked|asked|added|concluded|commended|заявил|сказал)"
)
_TITLE_REF = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr)|[Гг]-(?:н|жа))\.?\s+(?P<surname>[A-ZА-ЯЁ][\w'’\-]+)")

_KIND_RULES = (
    (re.compile(r"summary\s+record|кратк\w+\s+отч[её]т|қысқаша\s+есеп", re.I), SUMMARY_RECORD),
    (re.compile(r"concluding\s+observations|заключительные\s+замечания|қорытынды\s+ескертулер", re.I), CONCLUDING),
    (
        re.compile(
            r"national\s+report|(?:periodic\s+)?report\s+submitted\s+by\s+(?!NGO)[A-Z]\w+\s+under\s+article|"
            r"национальн\w+\s+доклад|доклад\w*,?\s+представленн\w+\s+(?!НПО)[А-ЯЁ]\w+\s+(?:в\s+соответствии\s+со|"
            r"согласно)\s+стать|ұлттық\s+баяндама",
            re.I,
        ),
        NATIONAL_REPORT,
    ),
    (
        re.compile(
            r"alternative\s+report|shadow\s+report|NGO\s+(?:report|briefing|submission)|briefing\s+(?:note|paper)|"
            r"coalition\s+of\s+(?:NGOs|non-governmental)|submitted\s+by\s+(?:the\s+)?(?:NGO|coalition|civil)|"
            r"альтернативн\w+\s+доклад|доклад\w*\s+НПО|коалици\w+\s+(?:НПО|неправительственных)|"
            r"баламалы\s+баяндама|ҮЕҰ\s+(?:баяндама|коалиция)\w*|үкіметтік\s+емес\s+ұйымдар\w*\s+коалиция",
            re.I,
        ),
        NGO_REPORT,
    ),
)


def document_kind(texts: list[str], dialogue: bool = False) -> str | None:
    """The kind of document, from its first paragraphs (title, cover) or, failing that, how people speak in it.

    ``dialogue``: the delegation and the experts take turns in it (a meeting summary unless its title says
    it is a summary record or concluding observations)."""
    head = "\n".join(texts[:5])[:1500]
    for pattern, kind in _KIND_RULES[:2]:
        if pattern.search(head):
            return kind
    title = "\n".join(texts[:3])[:800]  # a meeting summary may mention the national report further down
    for pattern, kind in _KIND_RULES[2:]:
        if pattern.search(title):
            return kind
    if sum(1 for t in texts if _record_speaker(t) is not None and "(" in t[:120]) >= 2:
        return SUMMARY_RECORD
    return MEETING_SUMMARY if dialogue else None


def _record_speaker(text: str) -> Attribution | None:
    match = _RECORD_SPEAKER.match(text.strip())
    if match:
        bracket = match.group("bracket")
        who = match.group("who").strip()
        if bracket and not _EXPERT_BRACKET.search(bracket):
            return Attribution(STATE, who)  # "(Kazakhstan)": a member of the delegation
        return Attribution(EXPERT, who)  # committee members are named without a country
    if _CHAIR.match(text.strip()):
        return Attribution(EXPERT, re.match(r"^(?:The\s+)?\w+", text.strip()).group(0))  # type: ignore[union-attr]
    return None


@functools.lru_cache(maxsize=512)
def _heading_side(heading: str) -> str | None:
    """The side a section heading names (cached: every paragraph under it asks)."""
    for pattern, side in _HEADINGS:
        if pattern.search(heading):
            return side
    return None


def role_side(role: str) -> str | None:
    """Classify a role description ('Vice-Minister of Justice ...', 'Committee Chairperson')."""
    if re.search(r"Chair|Председател|Expert|Rapporteur|member of the Committee|эксперт|докладчик", role, re.I):
        return EXPERT
    if re.search(
        r"delegation|Minister|Ambassador|Permanent\s+Representative|Deputy|Prosecutor|Commissioner|"
        r"Head\s+of|Chief|Director|министр|посол|делегаци|представител",
        role,
        re.I,
    ):
        return STATE
    return None


def source_cue(sentence: str) -> Attribution | None:
    """The side an attribution phrase in a sentence names ("according to NGOs", "the delegation said")."""
    # Whose figure it is beats who speaks: an expert citing NGOs gives an NGO figure. So the cues are
    # tried in order (quoted sources first, then speakers, the body as the subject last).
    for pattern, side in _SOURCE_CUES:
        if pattern.search(sentence):
            return Attribution(side, None)
    return None


class SpeakerModel:
    """Learns one document (its kind and named speakers), then labels its paragraphs and sentences in order."""

    def __init__(self, texts: list[str]) -> None:
        self.people: dict[str, Attribution] = {}
        state = committee = False
        for text in texts:
            for match in _NAMED.finditer(text):
                side = role_side(match.group("role"))
                state |= side == STATE  # "NAME, Vice-Minister of Justice, said": the State's turn
                if side:
                    surname = match.group("name").split()[-1].casefold()
                    self.people[surname] = Attribution(side, match.group("name"))
            # Turns of a dialogue: the delegation speaking, the experts asking (quoted sources do not count).
            state |= bool(_DELEGATION_SPEAKS.search(text[:200]))
            committee |= bool(_EXPERTS_SPEAK.search(text[:200]))
        self.kind = document_kind(texts, dialogue=state and committee)
        # A dialogue reported by the UN (a meeting summary): the delegation and the experts take turns.
        self.dialogue = self.kind == MEETING_SUMMARY
        self._current: Attribution | None = None  # a summary record's speaker carries over paragraphs

    def _lead_in(self, text: str) -> Attribution | None:
        head = text[:200]
        if self.kind == SUMMARY_RECORD:
            found = _record_speaker(head)
            if found is not None:
                return found
        named = _NAMED.search(head)
        if named and named.start() < 5:
            side = role_side(named.group("role"))
            if side:
                return Attribution(side, named.group("name"))
        title = _TITLE_REF.search(head[:60])
        if title and title.group("surname").casefold() in self.people:
            return self.people[title.group("surname").casefold()]
        return None

    def for_heading(self, heading: str | None) -> str | None:
        """Default side for paragraphs under a section heading."""
        return _heading_side(heading) if heading else None

    def paragraph(self, text: str, heading: str | None) -> Attribution | None:
        """Who speaks in a paragraph: its lead-in, the speaker before it (summary records), its heading, the
        document's kind."""
        lead = self._lead_in(text)
        if lead is not None:
            self._current = lead
            return lead
        if self.kind == SUMMARY_RECORD and self._current is not None:
            return self._current  # "He said ...": a summary record's speaker goes on until the next one
        if self.dialogue or self.kind == MEETING_SUMMARY:
            cue = source_cue(text[:160])
            if cue is not None:
                return cue
        side = self.for_heading(heading)
        # "Implementation of recommendations" in a national report is still the State speaking.
        if (
            side is not None
            and not (side == BODY and self.kind in (NATIONAL_REPORT, NGO_REPORT))
            and not (side == EXPERT and self.kind == CONCLUDING)
        ):
            return Attribution(side)
        default = DEFAULT_SIDE.get(self.kind or "")
        return Attribution(default) if default else None

    def sentence(self, sentence: str, paragraph: Attribution | None) -> Attribution | None:
        """Who gives the figures of one sentence: its own attribution phrase, else the paragraph's speaker."""
        cue = source_cue(sentence)
        if cue is None:
            lead = self._lead_in(sentence) if self.kind in (MEETING_SUMMARY, None) or self.dialogue else None
            return lead or paragraph
        if paragraph is not None and cue.side == paragraph.side:
            return paragraph  # keep the name
        return cue
