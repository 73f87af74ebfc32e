"""Form round-trip descriptions for evidence routes (see tests/form_harness.py)."""

from rightstrack.evidence.models import SourceDocument

from ..form_harness import create, edit

ROUTES = {
    "documents/upload/": create(),
    "documents/<int:pk>/edit/": edit(lambda w: w.first(SourceDocument)),
}
