"""Document and meeting dates found in the text, and figure periods read from the text or the document's date."""

from __future__ import annotations

import datetime

import pytest

from rightstrack.claims import periods
from rightstrack.ingest import suggest
from rightstrack.ingest.detect.docdate import DOCUMENT, MEETING, find_document_date
from rightstrack.ingest.detect.figures import find_figures, resolve_period

D = datetime.date
TODAY = D(2026, 1, 1)


@pytest.mark.parametrize(
    ("blocks", "date", "kind"),
    [
        # summary record: the meeting's date wins over the issue date in the header block
        (
            ["CCPR/C/SR.4075", "Summary record of the 4075th meeting", "Held at the Palais Wilson, Geneva, on "
             "Tuesday, 12 March 2024, at 10 a.m.", "Distr.: General", "20 March 2024"],
            D(2024, 3, 12), MEETING,
        ),
        (
            ["CCPR/C/SR.4075", "Краткий отчет о 4075-м заседании, состоявшемся во Дворце Вильсона в Женеве "
             "во вторник, 12 марта 2024 года, в 10 ч. 00 м."],
            D(2024, 3, 12), MEETING,
        ),
        (["Есеп", "2024 жылғы 5 сәуірде өткен отырыстың қысқаша есебі"], D(2024, 4, 5), MEETING),
        (["The meeting was held on 3 February 2023 in Almaty."], D(2023, 2, 3), MEETING),
        # a press summary dated at the top that says the dialogue ended "today"
        (["Dialogue", "26.06.2025", "The Committee today concluded its review."], D(2025, 6, 26), MEETING),
        # date lines in a UN header block, a dateline, a month on its own line
        (["A/HRC/55/12", "Distr.: General", "20 March 2024", "Original: English"], D(2024, 3, 20), DOCUMENT),
        (["WARSAW, 6 May 2025 – In a report published today the Office said it had monitored hearings."],
         D(2025, 5, 6), MEETING),
        (["Alternative report", "*May 2025*", "1. Introduction"], D(2025, 5, 1), DOCUMENT),
        (["Отчёт", "Алматы, 5 февраля 2025 г."], D(2025, 2, 5), DOCUMENT),
        (["Report", "2024-11-30"], D(2024, 11, 30), DOCUMENT),
    ],
)  # fmt: skip
def test_document_and_meeting_dates(blocks, date, kind):
    found = find_document_date(blocks, today=TODAY)
    assert found is not None and (found.date, found.kind) == (date, kind)


@pytest.mark.parametrize(
    "blocks",
    [
        # document symbols and paragraph numbers are not dates
        ["E/C.12/2024/1", "CCPR/C/KAZ/CO/2/Add.1"],
        ["12. The Committee notes 3 cases.", "1.2.2024 was not written as a line of its own; it is in a sentence."],
        # a date in a sentence is an event, not the document's date
        ["1. Between 2 and 7 January 2022 the Internet was shut down."],
        # a session's end ("from … to 17 July 2025") is not a meeting's day
        ["The session is being held from 23 June to 17 July 2025."],
        # a date after today cannot be the document's
        ["Report", "1 March 2027"],
        ["Held on 12 March 2030."],
    ],
)
def test_no_false_document_dates(blocks):
    assert find_document_date(blocks, today=TODAY) is None


def periods_in(text: str) -> list[dict]:
    return [f.period for f in find_figures(text)]


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("In 2023 the courts heard 1,240 cases.", {"start": "2023", "end": "2023"}),
        (
            "For the first nine months of 2024, 2,100 persons received legal aid.",
            {"start": "2024-01", "end": "2024-09"},
        ),
        ("За девять месяцев 2024 года помощь получили 2 100 человек.", {"start": "2024-01", "end": "2024-09"}),
        ("As of 1 January 2024 there were 12,500 prisoners.", {"start": "2024-01-01", "end": "2024-01-01"}),
        ("По состоянию на 1 января 2024 года было 12 500 заключенных.", {"start": "2024-01-01", "end": "2024-01-01"}),
        ("Between 2017 and 2024 there were 170 suicides.", {"start": "2017", "end": "2024"}),
    ],
)
def test_periods_written_in_the_text(sentence, period):
    found = periods_in(sentence)[0]
    assert {k: found[k] for k in ("start", "end")} == period


MEETING_DAY = D(2025, 6, 26)


@pytest.mark.parametrize(
    ("sentence", "label", "partial"),
    [
        ("This year, around 1,000 warning letters were issued.", "2025-01..2025-06", True),
        ("В этом году выдано 1 000 предупреждений.", "2025-01..2025-06", True),
        ("Last year there were only 250 cases.", "2024", False),
        ("В прошлом году зарегистрировано 250 случаев.", "2024", False),
        ("In the first quarter of this year, only 46 people had been fined.", "2025-01..2025-03", True),
        ("Over the past five years more than 3,000 payments had been made.", "2021-01..2025-06", True),
        ("Since 2020, 3,000 payments had been made.", "2020-01..2025-06", True),
        # no period beside the figure: the document's year, marked as inferred
        ("To date, 543 trade unions had been registered.", "2025", False),
    ],
)
def test_periods_relative_to_the_document_date(sentence, label, partial):
    found = periods_in(sentence)
    resolved = resolve_period(found[0], MEETING_DAY)
    assert resolved is not None and resolved["partial"] is partial
    parsed, _partial = periods.from_suggestion(resolved)  # what the claims acceptor will read
    assert parsed.label == label
    assert resolved["basis"] == ("document" if found[0] is None else "relative")


def test_without_a_document_date_relative_periods_stay_open():
    found = periods_in("This year 35 centres had been opened.")[0]
    assert resolve_period(found, None) == found
    with pytest.raises(periods.PeriodError):
        periods.from_suggestion(resolve_period(found, None))
    assert resolve_period(None, None) is None


def test_suggestions_use_the_uploader_date_before_the_one_found():
    result = {"document_date": {"date": "2024-03-12"}}
    assert suggest.document_date(result) == D(2024, 3, 12)
    assert suggest.document_date(result, D(2023, 1, 5)) == D(2023, 1, 5)
    assert suggest.document_date({"document_date": None}) is None
    assert suggest.document_date({"document_date": {"date": "12 March"}}) is None


def test_ordinals_are_not_figures():
    assert [f.value for f in find_figures("Краткий отчет о 4075-м заседании: делегация назвала 35 центров.")] == [35]
