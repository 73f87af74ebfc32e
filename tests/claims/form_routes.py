"""Form round-trip descriptions for claims routes (see tests/form_harness.py)."""

from rightstrack.claims.models import Claim, ClaimFigure, DataPoint, Indicator

from ..form_harness import create, edit, not_a_form

ROUTES = {
    "claims/new/": create(),
    "claims/<int:pk>/edit/": edit(lambda w: w.first(Claim)),
    "claims/<int:pk>/figures/add/": create(
        lambda w: {"pk": w.first(Claim).pk}, page=lambda w: f"/claims/{w.first(Claim).pk}/"
    ),
    "claims/figures/<int:pk>/edit/": edit(lambda w: w.first(ClaimFigure)),
    "claims/<int:pk>/verdict/": create(lambda w: {"pk": w.first(Claim).pk}),
    "claims/verdicts/<int:pk>/review/": not_a_form("a button: a coordinator confirms a verdict"),
    "claims/indicators/new/": create(),
    "claims/indicators/<int:pk>/edit/": edit(lambda w: w.first(Indicator)),
    "claims/indicators/<int:pk>/points/new/": create(lambda w: {"pk": w.first(Indicator).pk}),
    "claims/points/<int:pk>/edit/": edit(lambda w: w.first(DataPoint)),
}
