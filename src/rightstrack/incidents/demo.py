"""SYNTHETIC demo incidents: custody torture after January 2022, threats to defenders 2021–2024 (the last
year documented until 31 October, so it is partial), and an internet shutdown. Nothing here is real."""

from __future__ import annotations

import datetime

from rightstrack.core.demo import SYNTHETIC, DemoContext
from rightstrack.core.models import Confidentiality, Person, Place

from . import actions
from .models import Event, Group

D = datetime.date
#: The demo's documentation period ends here: open /incidents/statistics/?until=2024-10-31 to see 2024 partial.
DOCUMENTED_UNTIL = D(2024, 10, 31)

VICTIMS = [
    # pseudonym, real name, flags, age group, consent
    ("Detainee Almaty-01", "Synthetic Detainee One", {}, "18-29", "anonymised"),
    ("Detainee Almaty-02", "Synthetic Detainee Two", {"is_activist": True}, "30-59", "internal"),
    ("Defender West-03", "Synthetic Defender Three", {"is_hrd": True}, "30-59", "named"),
    ("Lawyer South-04", "Synthetic Lawyer Four", {"is_lawyer": True}, "30-59", "anonymised"),
    ("Journalist North-05", "Synthetic Journalist Five", {"is_journalist": True}, "18-29", "none"),
]

# Acts against defenders per year for the threat index: (date, victim index, act type, unit).
THREATS = {
    2021: [
        (D(2021, 3, 2), 2, "threat", "police"),
        (D(2021, 6, 14), 3, "surveillance", "national_security"),
        (D(2021, 9, 20), 4, "threat", "unknown"),
        (D(2021, 11, 5), 2, "prosecution", "prosecutor"),
    ],
    2022: [
        (D(2022, 1, 9), 3, "obstruction_of_lawyer", "penitentiary"),
        (D(2022, 1, 12), 4, "arbitrary_detention", "police"),
        (D(2022, 2, 3), 2, "threat", "police"),
        (D(2022, 3, 15), 3, "obstruction_of_lawyer", "national_security"),
        (D(2022, 4, 22), 4, "attack_on_journalist", "police"),
        (D(2022, 6, 1), 2, "surveillance", "national_security"),
        (D(2022, 8, 8), 4, "prosecution", "prosecutor"),
        (D(2022, 10, 10), 3, "threat", "unknown"),
        (D(2022, 12, 2), 2, "prosecution", "prosecutor"),
    ],
    2023: [
        (D(2023, 2, 14), 2, "threat", "police"),
        (D(2023, 4, 1), 3, "obstruction_of_lawyer", "court"),
        (D(2023, 5, 30), 4, "threat", "non_state"),
        (D(2023, 7, 7), 2, "surveillance", "national_security"),
        (D(2023, 9, 19), 4, "prosecution", "prosecutor"),
        (D(2023, 12, 11), 3, "threat", "police"),
    ],
    2024: [
        (D(2024, 1, 25), 2, "threat", "police"),
        (D(2024, 3, 3), 4, "arbitrary_detention", "police"),
        (D(2024, 5, 17), 3, "obstruction_of_lawyer", "penitentiary"),
        (D(2024, 7, 9), 2, "surveillance", "national_security"),
        (D(2024, 10, 2), 4, "threat", "unknown"),
    ],
}


def _place(code: str) -> Place | None:
    return Place.objects.filter(code=code).first()


def _mark(event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(is_synthetic=True)
    return event


def load(ctx: DemoContext) -> None:
    coalition = ctx.organisations["coalition"]
    admin = ctx.users["admin"]
    if Event.objects.filter(organisation=coalition, is_synthetic=True).exists():
        return  # already loaded: the demo is idempotent
    victims = []
    for pseudonym, real_name, flags, age, consent in VICTIMS:
        person = Person.objects.filter(organisation=coalition, pseudonym=pseudonym).first()
        if person is None:
            person = actions.create_victim(
                admin,
                coalition,
                confirm_new=True,
                pseudonym=pseudonym,
                real_name=real_name,
                confidentiality=Confidentiality.RESTRICTED,
                notes=f"{SYNTHETIC}: invented for the demo.",
                age_group=age,
                consent=consent,
                consent_date=D(2024, 1, 15) if consent != "none" else None,
                consent_note="SYNTHETIC" if consent != "none" else "",
                **flags,
            )
            Person.objects.filter(pk=person.pk).update(is_synthetic=True)
        victims.append(person)

    telecom = actions.create_group(
        admin,
        coalition,
        name="Demo telecom regulator (synthetic)",
        kind="state regulator",
        description=f"{SYNTHETIC}.",
        confidentiality=Confidentiality.INTERNAL,
    )
    population = actions.create_group(
        admin,
        coalition,
        name="Internet users in the demo region (synthetic)",
        kind="population",
        description=f"{SYNTHETIC}.",
        confidentiality=Confidentiality.INTERNAL,
    )
    Group.objects.filter(pk__in=[telecom.pk, population.pk]).update(is_synthetic=True)

    shutdown = _mark(
        actions.create_event(
            admin,
            coalition,
            title="Internet shutdown during the January 2022 events (synthetic)",
            start_date=D(2022, 1, 5),
            end_date=D(2022, 1, 10),
            place=_place("kz"),
            context="January 2022 events",
            description=f"{SYNTHETIC}. Mobile and fixed internet cut nationwide for several days.",
            confidentiality=Confidentiality.PUBLIC,
        )
    )
    act = actions.add_act(
        admin,
        shutdown,
        act_type="internet_shutdown",
        victim_group=population,
        date=D(2022, 1, 5),
        method="nationwide disconnection (synthetic)",
    )
    actions.add_involvement(admin, act, unit="telecom", perpetrator_group=telecom, degree="direct")
    actions.add_involvement(admin, act, unit="national_security", degree="command")
    actions.add_intervention(
        admin,
        shutdown,
        intervention_type="statement",
        date=D(2022, 1, 7),
        by="Demo coalition (synthetic)",
        outcome="no_response",
    )

    custody = _mark(
        actions.create_event(
            admin,
            coalition,
            title="Torture in police custody after the January 2022 events (synthetic)",
            start_date=D(2022, 1, 6),
            end_date=D(2022, 1, 25),
            place=_place("kz-almaty"),
            context="January 2022 events",
            description=f"{SYNTHETIC}. Detainees report beatings during interrogation in temporary detention.",
            confidentiality=Confidentiality.INTERNAL,
        )
    )
    d1, d2 = victims[0], victims[1]
    a1 = actions.add_act(admin, custody, act_type="arbitrary_detention", victim=d1, date=D(2022, 1, 6))
    a2 = actions.add_act(
        admin, custody, act_type="torture", victim=d1, date=D(2022, 1, 8), method="beating, electric shock (synthetic)"
    )
    a3 = actions.add_act(
        admin,
        custody,
        act_type="ill_treatment",
        victim=d2,
        date=D(2022, 1, 1),
        date_precision="month",
        method="denial of medical care (synthetic)",
    )
    for act, unit, degree in (
        (a1, "police", "direct"),
        (a2, "police", "direct"),
        (a2, "national_security", "command"),
        (a3, "penitentiary", "complicity"),
    ):
        actions.add_involvement(admin, act, unit=unit, degree=degree)
    actions.add_intervention(
        admin,
        custody,
        act=a2,
        intervention_type="medical_examination",
        date=D(2022, 1, 28),
        by="Forensic doctor (synthetic)",
        outcome="successful",
        outcome_note="Injuries documented (synthetic).",
    )
    actions.add_intervention(
        admin,
        custody,
        act=a2,
        intervention_type="complaint",
        date=D(2022, 2, 1),
        by="Victim's lawyer (synthetic)",
        addressee="Prosecutor's office",
        outcome="rejected",
        outcome_date=D(2022, 3, 15),
    )
    actions.add_intervention(
        admin,
        custody,
        act=a2,
        intervention_type="case_refused",
        date=D(2022, 3, 15),
        by="Prosecutor's office",
        outcome="rejected",
    )
    actions.add_intervention(
        admin,
        custody,
        act=a2,
        intervention_type="un_communication",
        date=D(2023, 5, 10),
        by="Demo coalition (synthetic)",
        addressee="UN Human Rights Committee",
        outcome="pending",
    )
    actions.link_events(admin, custody, shutdown, "related")

    for year, rows in THREATS.items():
        event = _mark(
            actions.create_event(
                admin,
                coalition,
                title=f"Pressure on defenders in {year} (synthetic)",
                start_date=D(year, 1, 1),
                start_precision="year",
                place=_place("kz-mangystau" if year % 2 else "kz-astana"),
                end_date=min(D(year, 12, 31), DOCUMENTED_UNTIL),
                context="Threats to defenders",
                description=f"{SYNTHETIC}. Threats, surveillance and prosecution of defenders, lawyers, journalists.",
                confidentiality=Confidentiality.INTERNAL,
            )
        )
        for day, who, kind, unit in rows:
            act = actions.add_act(admin, event, act_type=kind, victim=victims[who], date=day)
            if unit != "unknown":  # an unknown perpetrator is left unrecorded, as documenters would
                actions.add_involvement(admin, act, unit=unit)
        if year == 2022:
            actions.add_intervention(
                admin,
                event,
                intervention_type="urgent_appeal",
                date=D(2022, 3, 20),
                by="Demo coalition (synthetic)",
                addressee="UN Special Rapporteur on HRDs",
                victim=victims[3],
                outcome="pending",
            )
            actions.link_events(admin, event, custody, "reprisal")

    from rightstrack.evidence.models import Passage

    passage = Passage.objects.filter(document__organisation=coalition, document__is_synthetic=True, number=3).first()
    if passage is not None:
        actions.cite(admin, custody, passage.pk, quote=passage.text[:200])
