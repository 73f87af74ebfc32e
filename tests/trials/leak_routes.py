"""Leak-harness descriptions for trial-monitoring routes.

Hidden: a restricted court, case, defendant (restricted person), hearing, assignment and a reviewed
observation whose answers count. Semi: an internal case visible to members of A, whose defendants are a
restricted person (pseudonym hidden) and an internal person with identifying fields marked.
"""

from django.utils import timezone

from rightstrack.core import actions as core_actions
from rightstrack.core.models import Confidentiality
from rightstrack.trials import actions
from rightstrack.trials.models import Checklist


def _trial(world, *, level: str, text, prefix: str) -> dict:
    author = world.author
    court = actions.create_court(
        author, world.org_a, name=text(f"{prefix}court"), city=text(f"{prefix}city"), confidentiality=level
    )
    case = actions.create_case(
        author,
        world.org_a,
        court=court,
        number=text(f"{prefix}number"),
        charges=text(f"{prefix}charge"),
        context=text(f"{prefix}context"),
        notes=text(f"{prefix}notes"),
        confidentiality=level,
    )
    hearing = actions.add_hearing(
        author,
        case,
        date=timezone.localdate(),  # today: still upcoming for "my hearings", and may be submitted
        courtroom=text(f"{prefix}room"),
        notes=text(f"{prefix}hearing-notes"),
    )
    assignment = actions.assign_monitor(author, hearing, author)
    return {"court": court, "case": case, "hearing": hearing, "assignment": assignment}


def _observe(world, hearing, defendant, text, *, accept: bool):
    author = world.author
    observation = actions.start_observation(author, hearing)
    actions.save_answer(author, observation, indicator="PUB-3", value="yes", note=text("note"))
    actions.save_answer(author, observation, indicator="GEN-5", value=text("answer-text"))
    actions.save_answer(
        author, observation, indicator="DET-1", value="yes", defendant=defendant.pk, note=text("defendant-note")
    )
    actions.submit_observation(author, observation)
    if accept:
        actions.accept_observation(author, observation, comment=text("review"))
    return observation


def add_semi(world) -> None:
    plain = lambda name: f"semi-{name}"  # noqa: E731 - visible to members: no markers in ordinary fields
    records = _trial(world, level=Confidentiality.INTERNAL, text=plain, prefix="")
    case = records["case"]
    secret_person = core_actions.create_person(
        world.author, world.org_a, pseudonym=world.text("semi-pseudonym"), confidentiality=Confidentiality.RESTRICTED
    )
    known_person = core_actions.create_person(
        world.author,
        world.org_a,
        pseudonym="Semi defendant",
        real_name=world.text("semi-real"),
        contacts=world.text("semi-contacts"),
        confidentiality=Confidentiality.INTERNAL,
    )
    records["secret_defendant"] = actions.add_defendant(world.author, case, person=secret_person)
    records["defendant"] = actions.add_defendant(world.author, case, person=known_person)
    records["observation"] = _observe(world, records["hearing"], records["secret_defendant"], plain, accept=False)
    world.semi["trials"] = records


def add_hidden(world) -> None:
    records = _trial(world, level=Confidentiality.RESTRICTED, text=world.text, prefix="")
    person = core_actions.create_person(
        world.author, world.org_a, pseudonym=world.text("defendant"), confidentiality=Confidentiality.RESTRICTED
    )
    records["defendant"] = actions.add_defendant(
        world.author,
        records["case"],
        person=person,
        charges=world.text("defendant-charges"),
        counsel=world.text("counsel"),
    )
    records["observation"] = _observe(world, records["hearing"], records["defendant"], world.text, accept=True)
    world.hidden["trials"] = records


def _ids(name: str, key: str = "pk"):
    def build(w):
        out = [{key: w.hidden["trials"][name].pk}]
        if name in w.semi.get("trials", {}):
            out.append({key: w.semi["trials"][name].pk})
        out.append({key: 987654})
        return out

    return build


ROUTES = {
    "trials/cases/<int:pk>/": _ids("case"),
    "trials/cases/<int:pk>/edit/": _ids("case"),
    "trials/cases/<int:pk>/delete/": _ids("case"),
    "trials/cases/<int:pk>/defendants/new/": _ids("case"),
    "trials/cases/<int:pk>/hearings/new/": _ids("case"),
    "trials/defendants/<int:pk>/edit/": _ids("defendant"),
    "trials/defendants/<int:pk>/remove/": _ids("defendant"),
    "trials/cases/<int:pk>/report/": _ids("case"),
    "trials/courts/<int:pk>/edit/": _ids("court"),
    "trials/courts/<int:pk>/delete/": _ids("court"),
    "trials/hearings/<int:pk>/": _ids("hearing"),
    "trials/hearings/<int:pk>/edit/": _ids("hearing"),
    "trials/hearings/<int:pk>/assign/": _ids("hearing"),
    "trials/hearings/<int:pk>/observe/": _ids("hearing"),
    "trials/assignments/<int:pk>/remove/": _ids("assignment"),
    "trials/observations/<int:pk>/": _ids("observation"),
    "trials/observations/<int:pk>/answer/": _ids("observation"),
    "trials/observations/<int:pk>/present/": _ids("observation"),
    "trials/observations/<int:pk>/submit/": _ids("observation"),
    "trials/observations/<int:pk>/review/": _ids("observation"),
    "trials/checklists/<int:pk>/": lambda w: [{"pk": Checklist.objects.order_by("pk").first().pk}, {"pk": 987654}],
    "api/trials/cases/<case_id>": _ids("case", "case_id"),
    "api/trials/cases/<case_id>/hearings": _ids("case", "case_id"),
    "api/trials/hearings/<hearing_id>": _ids("hearing", "hearing_id"),
    "api/trials/hearings/<hearing_id>/observations": _ids("hearing", "hearing_id"),
    "api/trials/observations/<observation_id>": _ids("observation", "observation_id"),
    "api/trials/observations/<observation_id>/answers": _ids("observation", "observation_id"),
    "api/trials/observations/<observation_id>/submit": _ids("observation", "observation_id"),
    "api/trials/observations/<observation_id>/review": _ids("observation", "observation_id"),
}
