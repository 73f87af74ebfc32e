"""Detectors: document symbols, UPR IDs, dates, figures, speakers and recommendations."""

from __future__ import annotations

import pytest

from rightstrack.ingest.detect import dates, figures, recommendations, speakers, symbols, upr
from rightstrack.ingest.normalise import paragraphs
from rightstrack.ingest.readers import Page
from rightstrack.ingest.segment import segment

# --- symbols -----------------------------------------------------------------------------------


def test_un_symbols() -> None:
    text = (
        "See the concluding observations (CAT/C/KAZ/CO/4), the report E/CN.4/2005/60/Add.2, the "
        "State report CCPR/C/KAZ/3 and CCPR/C/KAZ/CO/2; the UPR report A/HRC/WG.6/34/KAZ/1 and "
        "A/HRC/43/10. Also CCPR/C/KAZ/3 again."
    )
    assert symbols.detect([text]) == [
        "CAT/C/KAZ/CO/4",
        "E/CN.4/2005/60/Add.2",
        "CCPR/C/KAZ/3",
        "CCPR/C/KAZ/CO/2",
        "A/HRC/WG.6/34/KAZ/1",
        "A/HRC/43/10",
    ]


def test_not_symbols() -> None:
    assert symbols.find_symbols("his/her rights, and/or 24/7 access, TCP/IP and 05/10/2022, A/B") == []


def test_symbol_with_cyrillic_lookalike_letters() -> None:
    assert symbols.find_symbols("доклад CCPR/С/KAZ/3 (С кириллическая)") == ["CCPR/C/KAZ/3"]


# --- UPR IDs ---------------------------------------------------------------------------------------


def test_upr_ranges_expand() -> None:
    result = upr.find_ids("Of the 10 recommendations, 139.61-139.67, 139.79-139.81 partially implemented")
    assert result.ids == [f"139.{n}" for n in [61, 62, 63, 64, 65, 66, 67, 79, 80, 81]]


def test_upr_en_dash_and_short_range() -> None:
    assert upr.find_ids("Recommendations 120.4–120.6 and 120.9–11 were supported.").ids == [
        "120.4",
        "120.5",
        "120.6",
        "120.9",
        "120.10",
        "120.11",
    ]


def test_upr_rejects_backwards_and_cross_paragraph_ranges() -> None:
    result = upr.find_ids("Recommendations 139.67-139.61 and 139.90-140.2 were noted; 139.5 accepted.")
    assert result.ids == ["139.5"]
    reasons = [reason for _, reason in result.rejected]
    assert any("backwards" in r for r in reasons) and any("spans paragraphs" in r for r in reasons)
    with pytest.raises(ValueError):
        upr.expand_range("139.1", "139.9999")


def test_decimals_are_not_upr_ids() -> None:
    assert upr.find_ids("Women make up 22.7 per cent of deputies; 53.1% of judges.").ids == []
    assert upr.find_ids("Under Article 2.3 of the Covenant recommendations were made.").ids == []


# --- dates -------------------------------------------------------------------------------------------


def test_dates_english_and_russian() -> None:
    found = dates.find_dates(
        "On 6 May 2025, between 2 and 7 January 2022, May 6, 2025, in December 2021, "
        "2 января 2022 года, в марте 2023, 26.06.2025 and 05.10.22."
    )
    assert [d.value for d in found] == [
        "2025-05-06",
        "2022-01-02",
        "2025-05-06",
        "2021-12",
        "2022-01-02",
        "2023-03",
        "2025-06-26",
        "2022-10-05",
    ]
    assert found[1].end_value == "2022-01-07"


def test_may_the_verb_is_not_a_date() -> None:
    assert dates.find_dates("The court may decide later.") == []
    assert dates.month_number("Желтоқсан") == 12


# --- figures -----------------------------------------------------------------------------------------


def _values(text: str) -> list[tuple]:
    return [
        (f.value, f.unit, f.period and f.period.get("start"), f.period and f.period.get("end"))
        for f in figures.find_figures(text)
    ]


def test_figure_with_unit_and_year() -> None:
    assert _values("Lawyers documented 1,586 cases in 2021.") == [(1586, "cases", "2021", "2021")]


def test_figure_series_and_partial_period() -> None:
    found = figures.find_figures("2021 – 1586 cases of threats, 2022 – 995, 2023 – 374, 10 months of 2024 – 447 cases")
    assert [(f.value, f.unit, f.period["start"], f.period["end"], f.period["partial"]) for f in found] == [
        (1586, "cases of threats", "2021", "2021", False),
        (995, "cases of threats", "2022", "2022", False),
        (374, "cases of threats", "2023", "2023", False),
        (447, "cases", "2024-01", "2024-10", True),
    ]


def test_figure_forms() -> None:
    assert _values("There were about 800 complaints.") == [(800, "complaints", None, None)]
    assert _values("Some 40 000 video cameras were installed.")[0][:2] == (40000, "video cameras")
    assert _values("Around 22.7 per cent of deputies are women.")[0][:2] == (22.7, "%")
    assert _values("The fund paid 1.5 million tenge.")[0][:2] == (1500000, "tenge")
    assert _values("Суд рассмотрел 1,5 тыс. дел.")[0][0] == 1500


def test_numbers_that_are_not_figures() -> None:
    text = (
        "On 6 May 2025, under Article 146 and Articles 9, 14 and 22, the 144th session at 3 p.m. "
        "discussed Covid-19, paragraph 12, CCPR/C/KAZ/3 and recommendations 139.61-139.63."
    )
    assert figures.find_figures(text) == []


def _described(text: str, language: str = "en") -> list[tuple]:
    return [(f.value, f.high, f.qualifier, f.unit) for f in figures.find_figures(text, language)]


def test_figures_in_words_ranges_and_qualifiers() -> None:
    assert _described("Between six and eight journalists and about three and a half thousand complaints.") == [
        (6, 8, None, "journalists"),
        (3500, None, "about", "complaints"),
    ]
    assert _described("Не менее двенадцати жалоб и от 6 до 8 учреждений.", "ru") == [
        (12, None, "at least", "жалоб"),
        (6, 8, None, "учреждений"),
    ]
    assert _described("Он екі шағым, 100-ден астам адам, кемінде 50 іс.", "kk") == [
        (12, None, None, "шағым"),
        (100, None, "over", "адам"),
        (50, None, "at least", "іс"),
    ]
    # Russian "он" is "he", not the Kazakh ten; a number word counts only with what it counts.
    assert _described("Он сказал, что это one of the reasons.", "ru") == []
    share = figures.find_figures("About 45 per cent of detainees were women.")[0]
    assert (share.unit, share.counts, share.qualifier) == ("%", "detainees", "about")


def test_numbers_that_are_not_statistics() -> None:
    text = (
        "At its 3271st meeting (CCPR/C/SR.3271 and 3272), held on 7 and 8 March, a 23-year-old man, aged 23, "
        "was sentenced to 7 years in case No. 2-145/2024 (GE.16-12345); two thirds of detainees were released "
        "within two weeks and held for more than 48 hours."
    )
    assert figures.find_figures(text) == []
    assert figures.find_figures("Двадцатитрехлетний, на 3271-м заседании, статьей 19, на срок до 15 суток.", "ru") == []
    assert figures.find_figures("Кодекстің 174-бабы, 3271-ші отырыс, 23 жастағы жігіт, 48 сағаттан астам.", "kk") == []


def test_confidence_puts_counted_nouns_first() -> None:
    counted, bare = figures.find_figures("Police detained 40 activists. The total was 12.")
    assert counted.confidence > bare.confidence


def test_figure_period_range() -> None:
    found = figures.find_figures("There were 170 suicides in prisons between 2017 and 2024.")
    assert found[0].period == {"start": "2017", "end": "2024", "partial": False, "text": "between 2017 and 2024"}


# --- speakers ---------------------------------------------------------------------------------------

SUMMARY = [
    "JANE DOE, Vice-Minister of Justice and head of the delegation, said reforms continued.",
    "JOHN ROE, Committee Chairperson, said the dialogue had begun.",
    "A Committee Expert asked about 12 deaths in custody.",
    "The delegation said 400 people had been released.",
    "Ms. Doe thanked the Committee.",
    "In his concluding remarks, Mr. Roe said the dialogue was useful.",
]


def _side(found: speakers.Attribution | None) -> str | None:
    return found.side if found else None


def test_speakers_from_lead_ins_and_names() -> None:
    model = speakers.SpeakerModel(SUMMARY)
    assert model.dialogue and model.kind == speakers.MEETING_SUMMARY
    found = [model.paragraph(t, None) for t in SUMMARY]
    assert [_side(f) for f in found] == ["state", "expert", "expert", "state", "state", "expert"]
    # A named speaker keeps their name, also when later called "Ms. Doe".
    assert found[0].speaker == found[4].speaker == "JANE DOE" and found[1].speaker == "JOHN ROE"


def test_speakers_from_section_headings() -> None:
    model = speakers.SpeakerModel(SUMMARY)
    assert _side(model.paragraph("There were 40 monitoring visits.", "Responses by the Delegation")) == "state"
    assert _side(model.paragraph("What measures were taken?", "Questions by Committee Experts")) == "expert"
    state = speakers.Attribution("state")
    assert _side(model.sentence("The Expert also welcomed the law.", state)) == "expert"


def test_no_speakers_outside_dialogue() -> None:
    model = speakers.SpeakerModel(["The Committee welcomed the report.", "Police detained 12 people."])
    assert not model.dialogue and model.kind is None
    assert model.paragraph("Police detained 12 people.", None) is None


# --- recommendations ---------------------------------------------------------------------------------


def _recs(text: str) -> list[recommendations.Recommendation]:
    return recommendations.detect(segment(paragraphs([Page(None, text)])))


def test_recommendations_under_heading_with_article() -> None:
    text = (
        "# Right to life (Article 6 of the ICCPR)\n\n- 5. A numbered paragraph.\n\n"
        "#### **Recommendations (Article 2.3 of the ICCPR):**\n\n"
        "- to introduce a compensation scheme;\n- to review the law.\n"
        "- **6.** The next numbered paragraph ends the list.\n"
        "- a bullet inside paragraph six, not a recommendation.\n"
    )
    found = _recs(text)
    assert [(r.text, r.article) for r in found] == [
        ("to introduce a compensation scheme;", "2.3"),
        ("to review the law.", "2.3"),
    ]
    assert found[0].section == "Recommendations (Article 2.3 of the ICCPR)"
    assert found[0].passage == 1


def test_recommendations_lettered_after_intro_lines() -> None:
    text = (
        "i. Situation of defenders\n\nRecommendations\n\nIndex of threats\n\n"
        "2021 – 1586 cases, 2022 – 995 cases, 2023 – 374 cases\n\n"
        "a. To adopt a law on defenders.\n\nb. Ensure investigations.\n\n"
        "ii. Access to justice\n\nRecommendations\n\n- a. To introduce elections of judges.\n\n"
        "Thank you for your attention!\n"
    )
    found = _recs(text)
    assert [(r.text, r.section) for r in found] == [
        ("To adopt a law on defenders.", "i. Situation of defenders"),
        ("Ensure investigations.", "i. Situation of defenders"),
        ("To introduce elections of judges.", "ii. Access to justice"),
    ]


def test_recommendation_sentences_without_lists() -> None:
    text = (
        "Observers noted 4 hearings. The groups call on the authorities of the country to uphold fair "
        "trial standards. Was the trial public?\n\n"
        "The Committee urges the State party to investigate all deaths.\n\n"
        "The State party should repeal the law on extremism.\n\n"
        "The State party welcomed the Committee's recommendations."
    )
    assert [r.text for r in _recs(text)] == [
        "The groups call on the authorities of the country to uphold fair trial standards.",
        "The Committee urges the State party to investigate all deaths.",
        "The State party should repeal the law on extremism.",
    ]


def test_recommendations_in_russian() -> None:
    text = "Рекомендации\n\n- принять закон о защите правозащитников;\n- обеспечить расследование угроз."
    assert len(_recs(text)) == 2


def test_upr_range_without_recommendation_wording() -> None:
    # "see 139.61-139.63" in a passage that never says "recommendation" is still a range of IDs ...
    assert upr.find_ids("The State has not acted (see 139.61-139.63).").ids == ["139.61", "139.62", "139.63"]
    assert upr.find_ids("See 139.61–139.63 and 139.79.").ids == ["139.61", "139.62", "139.63", "139.79"]
    # ... but decimals with a unit, a currency or different integer parts are not.
    assert upr.find_ids("Spending rose 10.1-10.4 million tenge.").ids == []
    assert upr.find_ids("Inflation was 12.5-12.8 per cent.").ids == []
    assert upr.find_ids("It cost $ 10.1-10.4 in 2020.").ids == []
    assert upr.find_ids("Between 12.5-13.5 of them.").ids == []
    assert upr.find_ids("Articles 14.1-14.3 apply.").ids == []


def test_upr_range_without_wording_is_not_a_figure() -> None:
    from rightstrack.ingest.pipeline import extract_text

    result = extract_text(b"Follow-up\n\nThe State has not acted on these (see 139.61-139.63) in 2023.", "a.txt")
    assert result["upr_ids"] == ["139.61", "139.62", "139.63"]
    assert not [f for f in result["figures"] if f["value"] in (139.61, 139.63, 61, 63)]


def test_recommendations_not_concerns_or_welcomes() -> None:
    text = (
        "The Committee welcomes the adoption of the law. The Committee is concerned that the State party should "
        "have acted sooner. The Committee recommends that the State party repeal article 174.\n\n"
        "Комитет обеспокоен применением статьи 174. Комитет рекомендует государству-участнику отменить статью 174.\n\n"
        "Комитет заңның қабылдануын құптайды. Комитет қатысушы мемлекетке 174-бапты алып тастауды ұсынады.\n\n"
        "The delegation said that the State party should not be blamed."
    )
    assert [r.text for r in _recs(text)] == [
        "The Committee recommends that the State party repeal article 174.",
        "Комитет рекомендует государству-участнику отменить статью 174.",
        "Комитет қатысушы мемлекетке 174-бапты алып тастауды ұсынады.",
    ]


def test_sub_items_inherit_their_lead_in_and_cut_off_text_is_dropped() -> None:
    text = (
        "12. The Committee is concerned about:\n\n(a) Torture in custody;\n\n(b) Reprisals.\n\n"
        "13. The State party should:\n\n(a) Investigate all allegations;\n\n(b) Prosecute the perpetrators.\n\n"
        "14. The Committee recommends that the State party strengthen the independence of the"
    )
    assert [r.text for r in _recs(text)] == ["Investigate all allegations;", "Prosecute the perpetrators."]
    inline = "5. The State party should: (a) Ratify the Protocol; (b) Abolish the death penalty."
    assert [r.text for r in _recs(inline)] == ["Ratify the Protocol;", "Abolish the death penalty."]
