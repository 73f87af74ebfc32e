"""Form round-trip descriptions for recommendation routes (see tests/form_harness.py)."""

from rightstrack.recommendations.models import ComplaintView, NapItem, Recommendation, Review

from ..form_harness import create, edit

ROUTES = {
    # Assessing adds a dated assessment: its form, on the recommendation's page, must offer a date the form reads.
    "recommendations/<int:pk>/assess/": create(
        lambda w: {"pk": w.first(Recommendation).pk}, page=lambda w: f"/recommendations/{w.first(Recommendation).pk}/"
    ),
    "recommendations/<int:pk>/edit/": edit(lambda w: w.first(Recommendation)),
    "recommendations/reviews/<int:pk>/add/": create(
        lambda w: {"pk": w.first(Review).pk}, page=lambda w: f"/recommendations/reviews/{w.first(Review).pk}/"
    ),
    "recommendations/reviews/<int:pk>/edit/": edit(lambda w: w.first(Review)),
    "recommendations/reviews/<int:pk>/assess/": create(
        lambda w: {"pk": w.first(Review).pk}, page=lambda w: f"/recommendations/reviews/{w.first(Review).pk}/"
    ),
    "recommendations/import/": create(),
    "recommendations/views/<int:pk>/edit/": edit(lambda w: w.first(ComplaintView)),
    "recommendations/action-plan/<int:pk>/edit/": edit(lambda w: w.first(NapItem)),
}
