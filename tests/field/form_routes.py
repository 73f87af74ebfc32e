"""Form round-trip descriptions for field-capture routes (see tests/form_harness.py)."""

from ..form_harness import create

ROUTES = {
    # The quick incident note: a new draft each time, so only its rendering is checked.
    "field/note/": create(),
}
