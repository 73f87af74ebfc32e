"""A generated treaty-body meeting summary (English or Russian) whose figures and dates are known.

Synthetic: the numbers, symbols and wording are made up for tests; nothing is taken from a real record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_RU_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class MeetingSummary:
    text: str
    meeting: datetime.date  # the meeting's date: every claim is dated with it
    issued: datetime.date  # the date the record was issued (later): never the claims' date
    # value -> expected period label of each State figure, as claims.periods writes it
    state_periods: dict[int, str]


def meeting_summary(meeting: datetime.date = datetime.date(2024, 3, 12), language: str = "en") -> MeetingSummary:
    """A summary record of one meeting: header block with the symbol and issue date, then the dialogue."""
    issued = meeting + datetime.timedelta(days=8)
    y = meeting.year
    partial_this_year = f"{y}-01..{y}-{meeting.month:02d}"
    if language == "ru":
        day = f"{meeting.day} {_RU_MONTHS[meeting.month - 1]} {y} года"
        text = f"""CCPR/C/SR.9{y % 100:02d}7

Комитет по правам человека

Краткий отчет о 9{y % 100:02d}7-м заседании, состоявшемся во Дворце Вильсона в Женеве во вторник, {day}, в 10 ч. 00 м.

{issued:%d.%m.%Y}

1. Делегация сообщила, что в {y - 1} году суды рассмотрели 1 240 дел о бытовом насилии.

2. Делегация сообщила, что в этом году открыто 35 кризисных центров.

3. Делегация сообщила, что в прошлом году зарегистрировано 420 жалоб на пытки.

4. Делегация сообщила, что 87 судей прошли обучение.

5. Эксперт Комитета заявил, что в {y - 2} году полиция допросила 300 журналистов.
"""
        periods = {1240: str(y - 1), 35: partial_this_year, 420: str(y - 1), 87: str(y)}
        return MeetingSummary(text, meeting, issued, periods)
    day = f"{_EN_DAYS[meeting.weekday()]}, {meeting.day} {_EN_MONTHS[meeting.month - 1]} {y}"
    text = f"""CCPR/C/SR.9{y % 100:02d}7

Human Rights Committee

Summary record of the 9{y % 100:02d}7th meeting

Held at the Palais Wilson, Geneva, on {day}, at 10 a.m.

Distr.: General

{issued.day} {_EN_MONTHS[issued.month - 1]} {issued.year}

Consideration of reports submitted by States parties (continued)

1. The delegation said that in {y - 1} the courts had heard 1,240 cases of domestic violence.

2. The delegation said that this year 35 crisis centres had been opened.

3. The delegation said that last year 420 complaints of torture had been registered.

4. The delegation said that for the first nine months of {y - 1} some 2,100 persons had received free legal aid.

5. The delegation said that as of 1 January {y} there were 12,500 prisoners.

6. The delegation said that 87 judges had been trained.

7. A Committee Expert said that 300 journalists had been questioned by the police in {y - 2}.
"""
    periods = {
        1240: str(y - 1),
        35: partial_this_year,
        420: str(y - 1),
        2100: f"{y - 1}-01..{y - 1}-09",
        12500: f"{y}-01-01",
        87: str(y),
    }
    return MeetingSummary(text, meeting, issued, periods)
