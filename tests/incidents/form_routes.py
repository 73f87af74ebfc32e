"""Form round-trip descriptions for incident routes (see tests/form_harness.py)."""

from rightstrack.incidents.models import Act, Event, Intervention, Involvement, PersonProfile

from ..form_harness import create, edit


def _event(w):
    return {"pk": w.first(Event).pk}


ROUTES = {
    "incidents/new/": create(),
    "incidents/<int:pk>/edit/": edit(lambda w: w.first(Event)),
    "incidents/<int:pk>/acts/new/": create(_event),
    "incidents/<int:pk>/interventions/new/": create(_event),
    "incidents/<int:pk>/links/new/": create(_event),
    "incidents/acts/<int:pk>/edit/": edit(lambda w: w.first(Act)),
    "incidents/acts/<int:pk>/perpetrators/new/": create(lambda w: {"pk": w.first(Act).pk}),
    "incidents/perpetrators/<int:pk>/edit/": edit(lambda w: w.first(Involvement)),
    "incidents/interventions/<int:pk>/edit/": edit(lambda w: w.first(Intervention)),
    "incidents/victims/new/": create(),
    "incidents/victims/<int:pk>/consent/": edit(
        lambda w: w.first(PersonProfile), kwargs=lambda profile: {"pk": profile.person_id}
    ),
    "incidents/groups/new/": create(),
    "incidents/import/": create(),
}
