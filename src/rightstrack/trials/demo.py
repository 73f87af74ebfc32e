"""Synthetic demo programme: courts in five Kazakh cities, cases, defendants, hearings, observations.

Everything is invented and labelled SYNTHETIC; the answers are drawn from a seeded random generator.
"""

from __future__ import annotations

import datetime
import random

from rightstrack.core import actions as core_actions
from rightstrack.core.demo import SYNTHETIC
from rightstrack.core.models import Confidentiality, Person, Place

from . import actions
from .models import Case, Court, Custody, HearingKind, HearingStatus, Indicator

COURTS = [
    # name, city, region code
    ("Specialised Interdistrict Criminal Court (demo)", "Almaty", "kz-almaty"),
    ("Kyzylorda City Court (demo)", "Kyzylorda", "kz-kyzylorda"),
    ("Semey City Court No. 2 (demo)", "Semey", "kz-abai"),
    ("Taldykorgan City Court (demo)", "Taldykorgan", "kz-jetisu"),
    ("Taraz City Court (demo)", "Taraz", "kz-jambyl"),
]
CHARGES = ["272(2)", "293(2)", "380(1)", "269(3)", "202(2)"]
# Questions the demo monitors answer (a realistic subset, so the demo loads quickly).
ANSWERED = [
    "PUB-1",
    "PUB-2",
    "PUB-3",
    "PUB-4",
    "IND-1",
    "IND-3",
    "INN-1",
    "CHG-1",
    "PRS-1",
    "CNS-1",
    "CNS-3",
    "EQA-1",
    "EQA-2",
    "EQA-3",
    "INT-1",
    "SLF-1",
    "TOR-1",
    "DET-1",
    "DET-2",
    "DET-3",
    "DET-4",
    "GEN-1",
    "GEN-2",
    "GEN-3",
]


def _value(rng: random.Random, indicator: Indicator, n_defendants: int, refused_max: int) -> str:
    if indicator.code == "GEN-3":
        return str(n_defendants)
    if indicator.code == "EQA-2":
        return str(rng.randint(0, refused_max))
    if indicator.type == "yes_no_not_observed_na":
        return rng.choices(["yes", "no", "not_observed"], weights=[3, 6, 1])[0]
    if indicator.type == "choice":
        return rng.choice([o["code"] for o in indicator.options])
    if indicator.type in ("count", "duration_minutes"):
        return str(rng.randint(1, 6) if indicator.type == "count" else rng.randint(20, 240))
    return ""


def _fill(rng: random.Random, monitor, hearing, defendants) -> object:
    observation = actions.start_observation(monitor, hearing)
    indicators = {i.code: i for i in Indicator.objects.filter(checklist=observation.checklist, code__in=ANSWERED)}
    eqa1 = 0
    for code in ANSWERED:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        subjects = defendants if indicator.scope == "defendant" else [None]
        for defendant in subjects:
            value = _value(rng, indicator, len(defendants), eqa1)
            if code == "EQA-1":
                eqa1 = int(value)
            try:
                actions.save_answer(
                    monitor,
                    observation,
                    indicator=code,
                    value=value,
                    defendant=defendant.pk if defendant else None,
                    note=f"{SYNTHETIC}" if code == "PUB-3" and value == "yes" else "",
                )
            except Exception:  # noqa: S112 - a conditional question already set to not applicable is skipped
                continue
    return observation


def load(ctx) -> None:
    coalition = ctx.organisations["coalition"]
    admin, coordinator = ctx.users["admin"], ctx.users["coordinator"]
    monitor, analyst = ctx.users["monitor"], ctx.users["analyst"]
    if Court.objects.filter(organisation=coalition, is_synthetic=True).exists():
        return
    rng = random.Random(20220105)
    courts = []
    for name, city, region in COURTS:
        court = actions.create_court(
            admin,
            coalition,
            name=name,
            city=city,
            region=Place.objects.filter(code=region).first(),
            confidentiality=Confidentiality.PUBLIC,
        )
        courts.append(court)
    Court.objects.filter(pk__in=[c.pk for c in courts]).update(is_synthetic=True)
    today = datetime.date.today()
    n_case = 0
    for court in courts:
        for _k in range(2):
            n_case += 1
            charges = ", ".join(rng.sample(CHARGES, 2))
            case = actions.create_case(
                admin,
                coalition,
                court=court,
                number=f"DEMO-{n_case:02d}/2022",
                charges=charges,
                context="January 2022 events",
                status="trial",
                opened_on=datetime.date(2022, 3, 1) + datetime.timedelta(days=20 * n_case),
                notes=f"{SYNTHETIC}: an invented case for trying RightsTrack.",
                confidentiality=Confidentiality.INTERNAL,
            )
            Case.objects.filter(pk=case.pk).update(is_synthetic=True)
            defendants = []
            for d in range(1 + (n_case % 3)):
                person = core_actions.create_person(
                    admin,
                    coalition,
                    pseudonym=f"Defendant {n_case}-{d + 1} (demo)",
                    real_name=f"Synthetic Defendant {n_case}-{d + 1}",
                    confidentiality=Confidentiality.INTERNAL,
                    notes=f"{SYNTHETIC}: invented for the demo.",
                )
                Person.objects.filter(pk=person.pk).update(is_synthetic=True)
                defendants.append(
                    actions.add_defendant(
                        admin,
                        case,
                        person=person,
                        charges=charges,
                        custody=rng.choice([Custody.CUSTODY, Custody.CUSTODY, Custody.HOUSE_ARREST]),
                        counsel=rng.choice(["Retained counsel (demo)", "Appointed counsel (demo)"]),
                    )
                )
            for h in range(3):
                date = datetime.date(2022, 4, 4) + datetime.timedelta(days=31 * h + 9 * n_case)
                hearing = actions.add_hearing(
                    admin,
                    case,
                    date=date,
                    start_time=datetime.time(10, 0),
                    courtroom=str(1 + h),
                    kind=HearingKind.TRIAL,
                    status=HearingStatus.HELD,
                )
                actions.assign_monitor(coordinator, hearing, monitor)
                observation = _fill(rng, monitor, hearing, defendants)
                actions.submit_observation(monitor, observation)
                if not (n_case == 1 and h == 2):
                    actions.accept_observation(coordinator, observation, comment="Checked (demo).")
                if n_case == 2 and h == 0:
                    # A second monitor at the same hearing: both kept, disagreements listed.
                    actions.assign_monitor(coordinator, hearing, analyst)
                    second = _fill(rng, analyst, hearing, defendants)
                    actions.submit_observation(analyst, second)
            upcoming = actions.add_hearing(
                admin,
                case,
                date=today + datetime.timedelta(days=3 + n_case),
                start_time=datetime.time(11, 30),
                courtroom="3",
            )
            actions.assign_monitor(coordinator, upcoming, monitor)
