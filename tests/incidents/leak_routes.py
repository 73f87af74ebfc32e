"""Leak-harness descriptions for incidents routes.

semi: an INTERNAL event (visible to members of A) whose act, intervention and perpetrator name a RESTRICTED
person with a marker pseudonym: a member without restricted access sees the act but never that person.
hidden: a RESTRICTED event with acts, involvements, interventions, a chain link, a restricted group and
victim with consent notes, and a staged import of the author; every text field carries a marker. Also an
involvement and an intervention of the semi event in the trash: deleted records show nowhere, not even to
members who could see them before.
"""

import datetime

from django.utils import timezone

from rightstrack.core.models import Confidentiality, Person
from rightstrack.incidents.models import (
    Act,
    Event,
    EventLink,
    Group,
    ImportBatch,
    Intervention,
    Involvement,
    PersonProfile,
)

D = datetime.date


def add_semi(world) -> None:
    secret = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        pseudonym=world.text("semi-victim"),
        real_name=world.text("semi-real"),
        is_hrd=True,
    )
    PersonProfile.objects.create(person=secret, consent="named", consent_note=world.text("semi-consent"))
    internal = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.INTERNAL,
        pseudonym="Semi witness",
        real_name=world.text("semi-witness-real"),
        birth_date=D(1980, 1, 1),
        contacts=world.text("semi-witness-contacts"),
    )
    event = Event.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.INTERNAL,
        title="Semi event",
        start_date=D(2022, 1, 5),
        end_date=D(2022, 1, 30),
    )
    act = Act.objects.create(event=event, act_type="torture", victim=secret, date=D(2022, 1, 6))
    Act.objects.create(event=event, act_type="threat", victim=internal, date=D(2022, 1, 7))
    involvement = Involvement.objects.create(event=event, act=act, perpetrator=secret, unit="police")
    intervention = Intervention.objects.create(
        event=event, act=act, victim=secret, intervention_type="complaint", date=D(2022, 2, 1), by="Lawyer"
    )
    world.semi.update(
        event=event, act=act, victim=internal, secret_victim=secret, involvement=involvement, intervention=intervention
    )


def add_hidden(world) -> None:
    t = world.text
    group = Group.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        name=t("group"),
        kind=t("group-kind"),
        description=t("group-description"),
    )
    victim = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        pseudonym=t("victim"),
        real_name=t("victim-real"),
        contacts=t("victim-contacts"),
        address=t("victim-address"),
        occupation=t("victim-occupation"),
        notes=t("victim-notes"),
        is_journalist=True,
    )
    PersonProfile.objects.create(person=victim, consent="internal", consent_note=t("consent-note"))
    event = Event.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title=t("event-title"),
        description=t("event-description"),
        context=t("event-context"),
        external_key=t("event-key"),
        start_date=D(2023, 3, 1),
        end_date=D(2023, 3, 31),
    )
    act = Act.objects.create(
        event=event,
        act_type="enforced_disappearance",
        victim=victim,
        victim_group=group,
        date=D(2023, 3, 2),
        method=t("act-method"),
        description=t("act-description"),
        external_key=t("act-key"),
    )
    involvement = Involvement.objects.create(
        event=event, act=act, perpetrator_group=group, unit="military", notes=t("inv-notes")
    )
    intervention = Intervention.objects.create(
        event=event,
        act=act,
        victim=victim,
        intervention_type="un_communication",
        date=D(2023, 4, 1),
        by=t("intervention-by"),
        addressee=t("intervention-addressee"),
        outcome_note=t("intervention-outcome"),
    )
    # A chain from the hidden event to a visible one must not show on the visible event's case file.
    EventLink.objects.create(from_event=event, to_event=world.semi["event"], link_type="reprisal")
    batch = ImportBatch.objects.create(
        organisation=world.org_a,
        created_by=world.author,
        filename=t("import.csv"),
        content=f"event_key,event_title,event_start,act_type\n{t('row')},{t('row')},2023-01-01,threat\n".encode(),
        confidentiality="restricted",
    )
    semi_event, semi_act = world.semi["event"], world.semi["act"]
    deleted_involvement = Involvement.objects.create(
        event=semi_event, act=semi_act, unit="court", notes=t("deleted-inv-notes"), deleted_at=timezone.now()
    )
    deleted_intervention = Intervention.objects.create(
        event=semi_event,
        intervention_type="appeal",
        date=D(2022, 3, 1),
        by=t("deleted-intervention-by"),
        outcome_note=t("deleted-intervention-outcome"),
        deleted_at=timezone.now(),
    )
    world.hidden.update(
        incident_event=event,
        incident_act=act,
        incident_victim=victim,
        incident_group=group,
        import_batch=batch,
        incident_involvement=involvement,
        incident_intervention=intervention,
        deleted_involvement=deleted_involvement,
        deleted_intervention=deleted_intervention,
    )


def _events(w):
    return [{"pk": w.hidden["incident_event"].pk}, {"pk": w.semi["event"].pk}, {"pk": 987654}]


def _acts(w):
    return [{"pk": w.hidden["incident_act"].pk}, {"pk": w.semi["act"].pk}, {"pk": 987654}]


def _involvements(w):
    h = w.hidden
    return [
        {"pk": h["incident_involvement"].pk},
        {"pk": h["deleted_involvement"].pk},
        {"pk": w.semi["involvement"].pk},
        {"pk": 987654},
    ]


def _interventions(w):
    h = w.hidden
    return [
        {"pk": h["incident_intervention"].pk},
        {"pk": h["deleted_intervention"].pk},
        {"pk": w.semi["intervention"].pk},
        {"pk": 987654},
    ]


def _persons(w):
    return [
        {"pk": w.hidden["incident_victim"].pk},
        {"pk": w.semi["secret_victim"].pk},
        {"pk": w.semi["victim"].pk},
        {"pk": w.hidden["person"].pk},
        {"pk": 987654},
    ]


def _api(name, source):
    return lambda w: [{name: d["pk"]} for d in source(w)] + [{name: "not-a-number"}]


ROUTES = {
    "incidents/<int:pk>/": _events,
    "incidents/<int:pk>/edit/": _events,
    "incidents/<int:pk>/publish/": _events,
    "incidents/<int:pk>/delete/": _events,
    "incidents/<int:pk>/acts/new/": _events,
    "incidents/<int:pk>/interventions/new/": _events,
    "incidents/<int:pk>/links/new/": _events,
    "incidents/<int:pk>/cite/": _events,
    "incidents/acts/<int:pk>/edit/": _acts,
    "incidents/acts/<int:pk>/delete/": _acts,
    "incidents/acts/<int:pk>/perpetrators/new/": _acts,
    "incidents/perpetrators/<int:pk>/edit/": _involvements,
    "incidents/perpetrators/<int:pk>/delete/": _involvements,
    "incidents/interventions/<int:pk>/edit/": _interventions,
    "incidents/interventions/<int:pk>/delete/": _interventions,
    "incidents/victims/<int:pk>/": _persons,
    "incidents/victims/<int:pk>/consent/": _persons,
    "incidents/import/<int:pk>/": lambda w: [{"pk": w.hidden["import_batch"].pk}, {"pk": 987654}],
    "api/incidents/events/<event_id>": _api("event_id", _events),
    "api/incidents/events/<event_id>/acts": _api("event_id", _events),
    "api/incidents/events/<event_id>/interventions": _api("event_id", _events),
    "api/incidents/events/<event_id>/case-file": _api("event_id", _events),
    "api/incidents/acts/<act_id>/involvements": _api("act_id", _acts),
    "api/incidents/involvements/<involvement_id>": _api("involvement_id", _involvements),
    "api/incidents/interventions/<intervention_id>": _api("intervention_id", _interventions),
    "api/incidents/persons/<person_id>/consent": _api("person_id", _persons),
    "api/incidents/persons/<person_id>/case-file": _api("person_id", _persons),
}
