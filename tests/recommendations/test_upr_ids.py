import pytest

from rightstrack.core.errors import InvalidInput, TooLarge
from rightstrack.recommendations.upr_ids import expand, sort_key


def test_the_slide_ranges_expand_to_ten_ids():
    ids = expand("139.61-139.67, 139.79-139.81")
    assert len(ids) == 10
    assert ids[0] == "139.61" and ids[6] == "139.67" and ids[7] == "139.79" and ids[-1] == "139.81"


def test_single_ids_dashes_semicolons_and_duplicates():
    assert expand("139.5; 139.5 – 139.6, 12.3") == ["139.5", "139.6", "12.3"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("139.67-139.61", "runs backwards"),
        ("139.90-140.2", "spans two paragraphs"),
        ("abc", "not a UPR ID"),
        ("139.1-139.2-139.3", "not a UPR ID range"),
        ("", "at least one"),
        (None, "at least one"),
    ],
)
def test_bad_ranges_are_refused_with_a_clear_message(spec, message):
    with pytest.raises(InvalidInput, match=message):
        expand(spec)


def test_oversize_ranges_are_refused():
    with pytest.raises(TooLarge):
        expand("1.1-1.900")


def test_numeric_sort():
    assert sorted(["139.61", "139.9", "2.1"], key=sort_key) == ["2.1", "139.9", "139.61"]
