"""Form round-trip descriptions for core routes (see tests/form_harness.py)."""

from rightstrack.core.models import Person

from ..form_harness import create, edit

ROUTES = {
    "people/new/": create(),
    "people/<int:pk>/edit/": edit(lambda w: w.first(Person)),
}
