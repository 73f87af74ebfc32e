"""Form round-trip descriptions for trial-monitoring routes (see tests/form_harness.py)."""

from rightstrack.trials.models import Case, Court, Defendant, Hearing

from ..form_harness import create, edit, not_a_form

ROUTES = {
    "trials/cases/new/": create(),
    "trials/cases/<int:pk>/edit/": edit(lambda w: w.first(Case)),
    "trials/cases/<int:pk>/defendants/new/": create(lambda w: {"pk": w.first(Case).pk}),
    "trials/defendants/<int:pk>/edit/": edit(lambda w: w.first(Defendant)),
    "trials/cases/<int:pk>/hearings/new/": create(lambda w: {"pk": w.first(Case).pk}),
    "trials/courts/new/": create(),
    "trials/courts/<int:pk>/edit/": edit(lambda w: w.first(Court)),
    "trials/hearings/<int:pk>/edit/": edit(lambda w: w.first(Hearing)),
    "trials/hearings/<int:pk>/observe/": not_a_form("a button that starts an observation"),
    "trials/observations/<int:pk>/review/": not_a_form("a decision (accept or return), not a record's fields"),
    "trials/review/": not_a_form("the list of observations waiting for review"),
    "trials/checklists/import/": create(),
}
