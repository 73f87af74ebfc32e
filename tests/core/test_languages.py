"""One date style per language, and vocabularies that speak English, Russian and Kazakh (codes second)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from rightstrack.core import dates
from rightstrack.core.models import IccprArticle, Place, Sdg, Theme, localized
from rightstrack.incidents.models import DatePrecision, show_date
from rightstrack.recommendations import vocabularies as mechanisms
from rightstrack.recommendations.models import Mechanism

D = datetime.date(2026, 12, 4)
LATIN = re.compile(r"[A-Za-z]")
KAZAKH_LETTERS = set("әғқңөұүһі")


@pytest.mark.parametrize(
    ("code", "written"),
    [("en", "4 December 2026"), ("ru", "4 декабря 2026 г."), ("kk", "2026 жылғы 4 желтоқсан")],
)
def test_one_date_style_per_language(code, written):
    assert dates.day(D, code) == written
    with translation.override(code):
        assert dates.day(D) == written
        assert dates.day("2026-12-04") == written  # a built report keeps its date as ISO text
        assert dates.day(datetime.datetime(2026, 12, 3, 20, 30, tzinfo=datetime.UTC)) == written  # Almaty: +5
        assert dates.moment(datetime.datetime(2026, 12, 4, 3, 5, tzinfo=datetime.UTC)) == f"{written}, 08:05"
        # What app.js writes beside a date picker is the same text.
        pattern, months = dates.picker_hint()
        assert pattern.format(d=4, m=months[11], y=2026) == written


def test_dates_without_a_date_or_with_text():
    assert dates.day(None) == dates.day("") == dates.moment(None) == ""
    assert dates.day("about 2020") == "about 2020"  # text that is not a date is shown as it is
    assert dates.month(D, "ru") == "декабрь 2026 г." and dates.month(D, "kk") == "2026 жылғы желтоқсан"
    assert dates.day(D, "de") == "4 December 2026"  # a language we do not write falls back to English


def test_event_dates_as_precisely_as_known_in_each_language():
    with translation.override("ru"):
        assert show_date(D, DatePrecision.DAY) == "4 декабря 2026 г."
        assert show_date(D, DatePrecision.MONTH) == "декабрь 2026 г."
        assert show_date(D, DatePrecision.YEAR) == "2026"
    with translation.override("kk"):
        assert show_date(D, DatePrecision.ABOUT).endswith("2026 жылғы 4 желтоқсан")
    assert show_date(None, DatePrecision.DAY) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "count"), [(IccprArticle, "title", 27), (Sdg, "title", 17), (Theme, "name", 54)]
)
def test_vocabularies_carry_three_languages(model, field, count):
    rows = list(model.objects.all())
    assert len(rows) == count
    for row in rows:
        kk, ru = getattr(row, f"{field}_kk"), getattr(row, f"{field}_ru")
        assert kk and ru and kk != getattr(row, f"{field}_en"), row
        assert not LATIN.search(kk.replace("ӘМШ", "")), kk  # written in Cyrillic, not left in English
    assert any(KAZAKH_LETTERS & set(getattr(row, f"{field}_kk")) for row in rows)
    with translation.override("kk"):
        assert {localized(row, field) for row in rows} == {getattr(row, f"{field}_kk") for row in rows}


@pytest.mark.django_db
def test_reloading_the_vocabularies_keeps_kazakh_names():
    from rightstrack.core import vocabularies

    vocabularies.load(apps)
    mechanisms.load(apps)
    assert IccprArticle.objects.get(number=14).title_kk == "Әділ сот талқылауына құқық"
    assert Mechanism.objects.get(code="ccpr").name_kk == "Адам құқықтары жөніндегі комитет"
    assert not Mechanism.objects.filter(name_kk="").exists()
    assert not Place.objects.filter(name_kk="").exists()


@pytest.mark.django_db
def test_kazakh_falls_back_to_russian_before_english():
    theme = Theme(name_en="Torture", name_ru="Пытки", name_kk="")
    with translation.override("kk"):
        assert localized(theme, "name") == "Пытки"
    with translation.override("ru"):
        assert localized(Theme(name_en="Torture", name_ru=""), "name") == "Torture"


@pytest.mark.django_db
def test_mechanism_labels_in_the_readers_language():
    from rightstrack.recommendations.models import Review, State

    review = Review(mechanism=Mechanism.objects.get(code="upr"), state=State.objects.get(name="Kazakhstan"))
    labels = []
    for code in ("en", "ru", "kk"):
        with translation.override(code):
            labels.append(review.badge)
    assert labels == ["UPR", "УПО", "ӘМШ"]
    review.mechanism = Mechanism.objects.get(code="cat")
    with translation.override("kk"):
        assert review.badge == str(review.mechanism) == "Азаптауға қарсы комитет"  # no Kazakh short form: not "CAT"


@pytest.mark.django_db
def test_checklist_groups_questions_options_and_findings_in_kazakh():
    from rightstrack.trials.checklists import load_default
    from rightstrack.trials.findings import _derived_finding

    checklist = load_default()
    assert checklist.groups.count() == checklist.groups.exclude(title_kk="").count() > 10
    assert checklist.indicators.count() == checklist.indicators.exclude(question_kk="").count() > 50
    counsel = checklist.indicators.get(code="CNS-1")
    spec = next(s for s in checklist.derived if s["id"] == "F-CAGE")
    with translation.override("kk"):
        assert checklist.groups.get(code="PUB").title == "Сот талқылауының жариялылығы"
        assert counsel.option_label("appointed_counsel") == "Тағайындау бойынша қорғаушы"
        assert _derived_finding(spec, "derived").label.startswith("Шыны кабинада")
    with translation.override("ru"):
        assert counsel.option_label("appointed_counsel") == "Защитник по назначению"


@pytest.mark.django_db
def test_checklist_page_shows_names_first_codes_second(admin_a):
    from rightstrack.trials.checklists import load_default

    checklist = load_default()
    client = Client()
    client.force_login(admin_a)
    client.cookies["django_language"] = "kk"
    page = client.get(f"/trials/checklists/{checklist.pk}/").content.decode()
    assert re.search(r"<h2>Сот талқылауының жариялылығы <small[^>]*>PUB</small></h2>", page)


@pytest.mark.django_db
def test_vocabulary_api_offers_kazakh_labels():
    items = Client().get("/api/vocabularies/themes").json()
    assert all(item["label_kk"] for item in items)
