import datetime

import pytest

from rightstrack.claims import periods
from rightstrack.claims.periods import DAY, MONTH, YEAR, PeriodError

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "label"),
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31), YEAR, "2024"),
        (" 2021–2024 ", D(2021, 1, 1), D(2024, 12, 31), YEAR, "2021..2024"),
        ("2021-2024", D(2021, 1, 1), D(2024, 12, 31), YEAR, "2021..2024"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), MONTH, "2024-02"),
        ("2024-01..2024-10", D(2024, 1, 1), D(2024, 10, 31), MONTH, "2024-01..2024-10"),
        ("Jan–Oct 2024", D(2024, 1, 1), D(2024, 10, 31), MONTH, "2024-01..2024-10"),
        ("January - October 2024", D(2024, 1, 1), D(2024, 10, 31), MONTH, "2024-01..2024-10"),
        ("Nov 2023 to Feb 2024", D(2023, 11, 1), D(2024, 2, 29), MONTH, "2023-11..2024-02"),
        ("январь–октябрь 2024", D(2024, 1, 1), D(2024, 10, 31), MONTH, "2024-01..2024-10"),
        ("October 2024", D(2024, 10, 1), D(2024, 10, 31), MONTH, "2024-10"),
        ("Q2 2024", D(2024, 4, 1), D(2024, 6, 30), MONTH, "2024-04..2024-06"),
        ("H1 2023", D(2023, 1, 1), D(2023, 6, 30), MONTH, "2023-01..2023-06"),
        ("2024-03-01..2024-06-30", D(2024, 3, 1), D(2024, 6, 30), DAY, "2024-03-01..2024-06-30"),
        ("01.03.2024 – 30.06.2024", D(2024, 3, 1), D(2024, 6, 30), DAY, "2024-03-01..2024-06-30"),
        ("2022-01-05", D(2022, 1, 5), D(2022, 1, 5), DAY, "2022-01-05"),
    ],
)
def test_parse(text, start, end, precision, label):
    period = periods.parse(text)
    assert (period.start, period.end, period.precision, period.label) == (start, end, precision, label)
    assert periods.parse(period.label) == period  # the canonical label reads back the same


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "required"),
        ("   ", "required"),
        ("last year", "not a period"),
        ("2024-13", "not a month"),
        ("Foo–Oct 2024", "not a period"),
        ("2024-02-30", "not a date"),
        ("2025..2021", "ends before it starts"),
        ("Oct–Jan 2024", "ends before it starts"),
        ("1850", "outside"),
        ("2024" * 20, "at most"),
        ("since 2021", "not a period"),
    ],
)
def test_parse_refuses_with_a_clear_message(text, message):
    with pytest.raises(PeriodError, match=message):
        periods.parse(text)


def test_parse_refuses_non_text():
    with pytest.raises(PeriodError):
        periods.parse(2024)  # type: ignore[arg-type]


def test_overlap_chart_key_and_whole_years():
    year = periods.parse("2024")
    months = periods.parse("Jan–Oct 2024")
    assert year.overlaps(months) and not periods.parse("2023").overlaps(months)
    assert months.chart_key == "2024" and periods.parse("2021–2022").chart_key == "2021..2022"
    assert year.whole_years and not months.whole_years


def test_from_suggestion():
    period, partial = periods.from_suggestion({"start": "2024-01", "end": "2024-10", "partial": True, "text": "x"})
    assert period.label == "2024-01..2024-10" and partial
    assert periods.from_suggestion({"start": "2023", "end": "2023"})[0].label == "2023"
    with pytest.raises(PeriodError, match="no end"):
        periods.from_suggestion({"start": "2021", "end": None, "text": "since 2021"})
    with pytest.raises(PeriodError, match="no period"):
        periods.from_suggestion(None)
