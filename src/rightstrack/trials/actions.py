"""Every write of the trials app: one transaction, a permission check, an audit event.

Roles: admins, coordinators and analysts keep the register (courts, cases, defendants, hearings);
admins and coordinators assign monitors and review observations; a monitor fills the checklist only for
hearings they are assigned to.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.core import visibility
from rightstrack.core.actions import create_record, get_visible, require_write, soft_delete, stale_edit, update_record
from rightstrack.core.audit import record_event, snapshot
from rightstrack.core.errors import DomainError, Forbidden, InvalidInput, TooLarge
from rightstrack.core.models import Membership, Organisation, Person, Role

from . import alerts, checklists, completeness, conditions
from .models import (
    MISSING,
    Answer,
    AnswerType,
    Assignment,
    Case,
    CaseCharge,
    Checklist,
    Court,
    Custody,
    Defendant,
    Hearing,
    HearingKind,
    HearingStatus,
    Indicator,
    Observation,
    ObservationStatus,
    Scope,
    split_charges,
)

REGISTER_ROLES = visibility.ANALYSE_ROLES
MAX_NOTE = 2000
MAX_TEXT = 5000
MAX_NUMBER = 100_000
MAX_DEFENDANTS = 200


class WrongState(DomainError):
    """The record is not in a state that allows this step (submitted twice, editing a reviewed observation)."""

    status = 409


class Incomplete(InvalidInput):
    """Required questions are unanswered and the monitor has not confirmed submitting anyway."""

    def __init__(self, message: str, *, state: completeness.Completeness):
        super().__init__(message)
        self.state = state


# --- Register: courts, cases, defendants, hearings -------------------------------------------------


def create_court(user, organisation: Organisation | int, **fields: Any) -> Court:
    if not str(fields.get("name", "")).strip() or not str(fields.get("city", "")).strip():
        raise InvalidInput(_("A court needs a name and a city."), field="name")
    return create_record(user, Court, organisation=organisation, roles=REGISTER_ROLES, **fields)


def update_court(user, court: Court, *, expected_version: int, changes: dict[str, Any]) -> Court:
    return update_record(user, court, expected_version=expected_version, changes=changes, roles=REGISTER_ROLES)


@transaction.atomic
def delete_court(user, court: Court) -> None:
    """Move a court to the trash; one that cases are still filed under stays (they would lose their court)."""
    require_write(user, court.organisation_id, visibility.REVIEW_ROLES, court.confidentiality)
    if Case.objects.filter(court=court, deleted_at__isnull=True).exists():
        raise InvalidInput(
            _("Cases are still filed under this court: move them to another court or delete them first.")
        )
    soft_delete(user, court)


def _sync_charges(case: Case) -> None:
    wanted = split_charges(case.charges)
    CaseCharge.objects.filter(case=case).exclude(article__in=wanted).delete()
    have = set(CaseCharge.objects.filter(case=case).values_list("article", flat=True))
    CaseCharge.objects.bulk_create(CaseCharge(case=case, article=a) for a in wanted if a not in have)


def _visible_court(user, court: Court | int) -> Court:
    pk = court.pk if isinstance(court, Court) else court
    return get_visible(user, Court, pk)


@transaction.atomic
def create_case(user, organisation: Organisation | int, *, court: Court | int, **fields: Any) -> Case:
    if not str(fields.get("number", "")).strip():
        raise InvalidInput(_("A case needs a number."), field="number")
    fields["court"] = _visible_court(user, court)
    _check_dates(fields.get("opened_on"), fields.get("closed_on"))
    case = create_record(user, Case, organisation=organisation, roles=REGISTER_ROLES, **fields)
    _sync_charges(case)
    return case


def _check_dates(start, end) -> None:
    if start and end and end < start:
        raise InvalidInput(_("The end date is before the start date."), field="closed_on")


@transaction.atomic
def update_case(user, case: Case, *, expected_version: int, changes: dict[str, Any]) -> Case:
    if "court" in changes and changes["court"] is not None:
        changes["court"] = _visible_court(user, changes["court"])
    _check_dates(changes.get("opened_on", case.opened_on), changes.get("closed_on", case.closed_on))
    case = update_record(user, case, expected_version=expected_version, changes=changes, roles=REGISTER_ROLES)
    _sync_charges(case)
    # Answers carry the court for fast breakdowns; keep the copy in step.
    Answer.objects.filter(case=case).exclude(court_id=case.court_id).update(court_id=case.court_id)
    return case


def delete_case(user, case: Case) -> None:
    soft_delete(user, case)


@transaction.atomic
def add_defendant(
    user, case: Case, *, person: Person | int, charges: str = "", custody: str = Custody.UNKNOWN, counsel: str = ""
) -> Defendant:
    """Put a person (of the case's organisation, visible to the user) in the dock of a case."""
    case = get_visible(user, Case, case.pk)
    require_write(user, case.organisation_id, REGISTER_ROLES, case.confidentiality)
    person = get_visible(user, Person, person.pk if isinstance(person, Person) else person)
    if person.organisation_id != case.organisation_id:
        raise InvalidInput(_("The person must belong to the organisation that owns the case."), field="person")
    if custody not in Custody.values:
        raise InvalidInput(_("Unknown custody status."), field="custody")
    if len(charges) > 500 or len(counsel) > 300:
        raise TooLarge(_("Charges or counsel are too long."))
    if Defendant.objects.filter(case=case, person=person).exists():
        raise InvalidInput(_("This person is already a defendant in the case."), field="person")
    if Defendant.objects.filter(case=case).count() >= MAX_DEFENDANTS:
        raise InvalidInput(_("A case can have at most %d defendants.") % MAX_DEFENDANTS)
    position = (
        Defendant.objects.filter(case=case).order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    defendant = Defendant.objects.create(
        case=case, person=person, charges=charges.strip(), custody=custody, counsel=counsel.strip(), position=position
    )
    record_event(user, "defendant.add", defendant, after={**snapshot(defendant), "person": person.pk})
    return defendant


@transaction.atomic
def update_defendant(user, defendant: Defendant, *, expected_version: int, changes: dict[str, Any]) -> Defendant:
    """Change charges, custody or counsel if nobody saved since `expected_version` was read; else Conflict."""
    get_visible(user, Defendant, defendant.pk)
    defendant = Defendant.objects.select_for_update().select_related("case").get(pk=defendant.pk)
    case = defendant.case
    require_write(user, case.organisation_id, REGISTER_ROLES, case.confidentiality)
    unknown = set(changes) - set(Defendant.EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if changes.get("custody", defendant.custody) not in Custody.values:
        raise InvalidInput(_("Unknown custody status."), field="custody")
    if len(changes.get("charges", "")) > 500 or len(changes.get("counsel", "")) > 300:
        raise TooLarge(_("Charges or counsel are too long."))
    before = snapshot(defendant)
    if defendant.version != expected_version:
        raise stale_edit(user, defendant, changes)
    for name, value in changes.items():
        setattr(defendant, name, value.strip() if isinstance(value, str) else value)
    if snapshot(defendant) == before:
        return defendant  # saved unchanged: no new version, no audit event
    defendant.version += 1
    defendant.save()
    record_event(user, "defendant.update", defendant, before=before, after=snapshot(defendant))
    return defendant


@transaction.atomic
def remove_defendant(user, defendant: Defendant) -> None:
    """Take a defendant added by mistake off a case (its "present" marks go too); one with answers stays."""
    get_visible(user, Defendant, defendant.pk)
    defendant = Defendant.objects.select_for_update().select_related("case").get(pk=defendant.pk)
    require_write(user, defendant.case.organisation_id, REGISTER_ROLES, defendant.case.confidentiality)
    if Answer.objects.filter(defendant=defendant).exists():  # answers are evidence: never deleted with it
        raise InvalidInput(
            _("Observations record answers about this defendant, so it cannot be removed. Edit it instead.")
        )
    record_event(user, "defendant.remove", defendant, before={**snapshot(defendant), "person": defendant.person_id})
    defendant.delete()


def _clean_hearing(fields: dict[str, Any]) -> None:
    if not isinstance(fields.get("date"), datetime.date):
        raise InvalidInput(_("A hearing needs a date."), field="date")
    if fields.get("kind", HearingKind.TRIAL) not in HearingKind.values:
        raise InvalidInput(_("Unknown kind of hearing."), field="kind")
    if fields.get("status", HearingStatus.SCHEDULED) not in HearingStatus.values:
        raise InvalidInput(_("Unknown hearing status."), field="status")
    start, end = fields.get("start_time"), fields.get("end_time")
    if start and end and end < start:
        raise InvalidInput(_("The hearing ends before it starts."), field="end_time")
    if len(str(fields.get("courtroom") or "")) > 100:
        raise TooLarge(_("The courtroom is too long."))


@transaction.atomic
def add_hearing(user, case: Case, **fields: Any) -> Hearing:
    case = get_visible(user, Case, case.pk)
    require_write(user, case.organisation_id, REGISTER_ROLES, case.confidentiality)
    unknown = set(fields) - set(Hearing.EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
    _clean_hearing(fields)
    hearing = Hearing.objects.create(case=case, **fields)
    record_event(user, "hearing.create", hearing, after=snapshot(hearing))
    return hearing


@transaction.atomic
def update_hearing(user, hearing: Hearing, *, expected_version: int, changes: dict[str, Any]) -> Hearing:
    current = Hearing.objects.select_for_update().get(pk=get_visible(user, Hearing, hearing.pk).pk)
    case = current.case
    require_write(user, case.organisation_id, REGISTER_ROLES, case.confidentiality)
    unknown = set(changes) - set(Hearing.EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snapshot(current)
    if current.version != expected_version:
        raise stale_edit(user, current, changes)
    merged = {name: getattr(current, name) for name in Hearing.EDITABLE_FIELDS}
    merged.update(changes)
    _clean_hearing(merged)
    for name, value in changes.items():
        setattr(current, name, value)
    if snapshot(current) == before:
        return current  # saved unchanged: no new version, no audit event
    current.version += 1
    current.save()
    if "date" in changes:
        # Answers carry the hearing date for fast period breakdowns; keep the copy in step.
        Answer.objects.filter(hearing=current).update(hearing_date=current.date, month=current.date.isoformat()[:7])
    after = snapshot(current)
    changed = {k for k in after if after[k] != before.get(k)}
    record_event(
        user, "hearing.update", current, before={k: before[k] for k in changed}, after={k: after[k] for k in changed}
    )
    return current


# --- Assignments -----------------------------------------------------------------------------------


@transaction.atomic
def assign_monitor(user, hearing: Hearing, monitor) -> Assignment:
    """Send a member of the case's organisation to a hearing (admins and coordinators)."""
    hearing = get_visible(user, Hearing, hearing.pk)
    case = hearing.case
    require_write(user, case.organisation_id, visibility.REVIEW_ROLES, case.confidentiality)
    if isinstance(monitor, int):
        monitor = get_user_model().objects.filter(pk=monitor).first()
    membership = (
        Membership.objects.filter(user=monitor, organisation_id=case.organisation_id).first()
        if monitor is not None
        else None
    )
    if membership is None or membership.role not in visibility.WRITE_ROLES:
        raise InvalidInput(
            _("Only members of the organisation who may record observations can be assigned."), field="monitor"
        )
    if case.confidentiality == "restricted" and not membership.restricted_access:
        raise InvalidInput(_("This case is restricted: the monitor needs restricted access."), field="monitor")
    if Assignment.objects.filter(hearing=hearing, monitor=monitor).exists():
        raise InvalidInput(_("This monitor is already assigned to the hearing."), field="monitor")
    assignment = Assignment.objects.create(case=case, hearing=hearing, monitor=monitor, assigned_by=user)
    record_event(user, "assignment.add", assignment, after={"hearing": hearing.pk, "monitor": monitor.username})
    alerts.hearing_assigned(assignment)
    return assignment


@transaction.atomic
def remove_assignment(user, assignment: Assignment) -> None:
    assignment = get_visible(user, Assignment, assignment.pk)
    case = assignment.case
    require_write(user, case.organisation_id, visibility.REVIEW_ROLES, case.confidentiality)
    record_event(
        user,
        "assignment.remove",
        assignment,
        before={"hearing": assignment.hearing_id, "monitor": assignment.monitor.username},
    )
    assignment.delete()


# --- Observations ----------------------------------------------------------------------------------


@transaction.atomic
def start_observation(user, hearing: Hearing) -> Observation:
    """The user's observation of a hearing they are assigned to (created as a draft the first time)."""
    hearing = get_visible(user, Hearing, hearing.pk)
    case = hearing.case
    require_write(user, case.organisation_id, visibility.WRITE_ROLES, case.confidentiality)
    if not Assignment.objects.filter(hearing=hearing, monitor=user).exists():
        raise Forbidden(_("You are not assigned to this hearing; ask a coordinator to assign you."))
    existing = Observation.objects.filter(hearing=hearing, monitor=user).first()
    if existing is not None:
        return existing
    observation = Observation.objects.create(
        case=case, hearing=hearing, monitor=user, checklist=checklists.current_checklist()
    )
    observation.defendants_present.set(Defendant.objects.filter(case=case))
    record_event(
        user, "observation.start", observation, after={"hearing": hearing.pk, "checklist": str(observation.checklist)}
    )
    return observation


def _require_editable(user, observation: Observation) -> Observation:
    """Lock and return the observation if `user` is its monitor and it is still a draft (or returned)."""
    observation = get_visible(user, Observation, observation.pk)
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    case = observation.case
    require_write(user, case.organisation_id, visibility.WRITE_ROLES, case.confidentiality)
    if observation.monitor_id != user.pk:
        raise Forbidden(_("Only the monitor who recorded this observation can change it."))
    if observation.status == ObservationStatus.SUBMITTED:
        raise WrongState(_("This observation was submitted and waits for review; it cannot be changed now."))
    if observation.status == ObservationStatus.REVIEWED:
        raise WrongState(_("This observation was reviewed and can no longer be changed."))
    return observation


@transaction.atomic
def set_defendants_present(user, observation: Observation, defendant_ids: list[Any]) -> Observation:
    observation = _require_editable(user, observation)
    try:
        ids = {int(i) for i in defendant_ids}
    except (TypeError, ValueError):
        raise InvalidInput(_("Unknown defendant."), field="defendants")
    in_case = set(Defendant.objects.filter(case_id=observation.case_id, pk__in=ids).values_list("pk", flat=True))
    if ids - in_case:
        raise InvalidInput(_("A defendant you chose is not in this case."), field="defendants")
    before = sorted(observation.defendants_present.values_list("pk", flat=True))
    observation.defendants_present.set(in_case)
    removed = Answer.objects.filter(observation=observation, defendant__isnull=False).exclude(defendant_id__in=in_case)
    dropped = removed.count()
    removed.delete()
    record_event(
        user,
        "observation.present",
        observation,
        before={"defendants": before},
        after={"defendants": sorted(in_case), "answers_dropped": dropped},
    )
    return observation


def clean_value(indicator: Indicator, raw: Any) -> tuple[str, int | None, str]:
    """(value, number, text) for a raw form/API value, or InvalidInput naming what this question accepts."""
    text_value = "" if raw is None else str(raw).strip()
    if indicator.type == AnswerType.TEXT:
        if len(text_value) > MAX_TEXT:
            raise TooLarge(_("The answer is longer than %d characters.") % MAX_TEXT)
        if text_value in MISSING:
            return text_value, None, ""
        return "", None, text_value
    if text_value in MISSING:
        return text_value, None, ""
    if indicator.type == AnswerType.YES_NO:
        if text_value not in ("yes", "no"):
            raise InvalidInput(_("%s accepts yes, no, not observed or not applicable.") % indicator.code, field="value")
        return text_value, None, ""
    if indicator.type == AnswerType.CHOICE:
        codes = [o["code"] for o in indicator.options]
        if text_value not in codes:
            raise InvalidInput(
                _("%(code)s accepts one of: %(options)s.")
                % {"code": indicator.code, "options": ", ".join([*codes, *MISSING])},
                field="value",
            )
        return text_value, None, ""
    # count and duration_minutes: whole numbers from 0
    if isinstance(raw, bool) or not text_value.isdigit():
        raise InvalidInput(_("%s accepts a whole number from 0.") % indicator.code, field="value")
    number = int(text_value)
    if number > MAX_NUMBER:
        raise InvalidInput(
            _("%(code)s accepts at most %(max)d.") % {"code": indicator.code, "max": MAX_NUMBER}, field="value"
        )
    return str(number), number, ""


def _answer_map(observation: Observation, defendant_id: int | None) -> dict[str, str]:
    """Code → value for one subject: the observation's hearing/case answers plus one defendant's."""
    rows = (
        Answer.objects.filter(observation=observation)
        .filter(Q(defendant__isnull=True) | Q(defendant_id=defendant_id))
        .values_list("indicator__code", "value", "text")
    )
    return {code: value or ("text" if text else "") for code, value, text in rows}


def _subjects(observation: Observation, indicator: Indicator, defendant_id: int | None) -> list[int | None]:
    if indicator.scope != Scope.DEFENDANT:
        return [None]
    if defendant_id is not None:
        return [defendant_id]
    return list(observation.defendants_present.values_list("pk", flat=True))


@transaction.atomic
def save_answer(
    user,
    observation: Observation,
    *,
    indicator: str,
    value: Any,
    defendant: Any = None,
    note: str = "",
) -> list[Answer]:
    """Record (or clear, with an empty value) one answer; returns every answer it changed, including the
    not_applicable answers stored automatically for questions whose `applies_if` became false."""
    observation = _require_editable(user, observation)
    item = Indicator.objects.filter(checklist_id=observation.checklist_id, code=str(indicator)).first()
    if item is None:
        raise InvalidInput(
            _("%(code)s is not a question of checklist %(checklist)s.")
            % {"code": str(indicator)[:20], "checklist": observation.checklist},
            field="indicator",
        )
    defendant_id = _defendant_for(observation, item, defendant)
    note = "" if note is None else str(note).strip()
    if len(note) > MAX_NOTE:
        raise TooLarge(_("The note is longer than %d characters.") % MAX_NOTE)
    raw = "" if value is None else value
    existing = Answer.objects.filter(observation=observation, indicator=item, defendant_id=defendant_id).first()
    if str(raw).strip() == "" and not note:
        changed = []
        if existing is not None:
            record_event(user, "answer.clear", existing, before={"indicator": item.code, "value": existing.value})
            existing.delete()
    else:
        stored, number, text = clean_value(item, raw) if str(raw).strip() != "" else ("", None, "")
        if item.applies_if and stored not in ("", "not_applicable"):
            answers = _answer_map(observation, defendant_id)
            if conditions.evaluate(conditions.parse(item.applies_if), answers) is False:
                raise InvalidInput(
                    _("%(code)s does not apply here (it applies only if %(cond)s); it is recorded as not applicable.")
                    % {"code": item.code, "cond": item.applies_if},
                    field="value",
                )
        _check_constraints(observation, item, defendant_id, number)
        changed = [_upsert(user, observation, item, defendant_id, existing, stored, number, text, note)]
    changed += _apply_conditions(user, observation, item, defendant_id)
    return changed


def _defendant_for(observation: Observation, item: Indicator, defendant: Any) -> int | None:
    if item.scope != Scope.DEFENDANT:
        if defendant not in (None, ""):
            raise InvalidInput(
                _("%s is answered once for the hearing or case, not per defendant.") % item.code, field="defendant"
            )
        return None
    if defendant in (None, ""):
        raise InvalidInput(_("%s is answered for each defendant: say which one.") % item.code, field="defendant")
    try:
        defendant_id = int(defendant.pk if isinstance(defendant, Defendant) else defendant)
    except (TypeError, ValueError):
        raise InvalidInput(_("Unknown defendant."), field="defendant")
    if not Defendant.objects.filter(pk=defendant_id, case_id=observation.case_id).exists():
        raise InvalidInput(_("This defendant is not in the case of this hearing."), field="defendant")
    if not observation.defendants_present.filter(pk=defendant_id).exists():
        raise InvalidInput(_("Mark the defendant as present before answering for them."), field="defendant")
    return defendant_id


def _check_constraints(observation: Observation, item: Indicator, defendant_id: int | None, number: int | None):
    if number is None:
        return
    related = Indicator.objects.filter(checklist_id=observation.checklist_id).exclude(constraint="")
    for other in related:
        left, op, right = conditions.parse_constraint(other.constraint)
        if item.code not in (left, right):
            continue
        partner = right if item.code == left else left
        partner_number = (
            Answer.objects.filter(observation=observation, indicator__code=partner, defendant_id=defendant_id)
            .values_list("number", flat=True)
            .first()
        )
        if partner_number is None:
            continue
        values = (number, partner_number) if item.code == left else (partner_number, number)
        if not conditions.constraint_holds(op, *values):
            raise InvalidInput(_("The answers must satisfy %s.") % other.constraint, field="value")


def _upsert(user, observation, item, defendant_id, existing, stored, number, text, note, auto=False) -> Answer:
    before = None
    if existing is None:
        existing = Answer(
            observation=observation,
            indicator=item,
            defendant_id=defendant_id,
            case_id=observation.case_id,
            court_id=observation.case.court_id,
            hearing_id=observation.hearing_id,
            hearing_date=observation.hearing.date,
            month=observation.hearing.date.isoformat()[:7],
        )
    else:
        before = {"value": existing.value, "text": existing.text, "note": existing.note}
    existing.value, existing.number, existing.text, existing.note, existing.auto = stored, number, text, note, auto
    existing.save()
    after = {"indicator": item.code, "defendant": defendant_id, "value": stored, "text": text, "note": note}
    record_event(user, "answer.auto" if auto else "answer.save", existing, before=before, after=after)
    return existing


def _apply_conditions(user, observation: Observation, item: Indicator, defendant_id: int | None) -> list[Answer]:
    """Store not_applicable where an `applies_if` turned false; drop such automatic answers when it no longer is."""
    changed = []
    dependents = [
        d
        for d in Indicator.objects.filter(checklist_id=observation.checklist_id).exclude(applies_if="")
        if item.code in conditions.codes(conditions.parse(d.applies_if))
    ]
    for dependent in dependents:
        condition = conditions.parse(dependent.applies_if)
        for subject in _subjects(observation, dependent, defendant_id if item.scope == Scope.DEFENDANT else None):
            truth = conditions.evaluate(condition, _answer_map(observation, subject))
            current = Answer.objects.filter(observation=observation, indicator=dependent, defendant_id=subject).first()
            if truth is False and (current is None or current.value != "not_applicable"):
                changed.append(
                    _upsert(
                        user,
                        observation,
                        dependent,
                        subject,
                        current,
                        "not_applicable",
                        None,
                        "",
                        current.note if current else "",
                        auto=True,
                    )
                )
            elif truth is not False and current is not None and current.auto:
                record_event(
                    user, "answer.clear", current, before={"indicator": dependent.code, "value": current.value}
                )
                current.delete()
                current.pk = None
                changed.append(current)
    return changed


@transaction.atomic
def submit_observation(user, observation: Observation, *, confirm_incomplete: bool = True) -> Observation:
    """Send an observation for review. A hearing dated in the future is refused; with `confirm_incomplete` False,
    missing required answers raise `Incomplete` (the page shows them and asks the monitor to confirm)."""
    observation = _require_editable(user, observation)
    hearing_date = observation.hearing.date
    if hearing_date > timezone.localdate():
        raise InvalidInput(
            _(
                "This hearing is dated %(date)s, which is in the future: a hearing can be reported only once it has "
                "taken place. If the date is wrong, correct it on the hearing's page first."
            )
            % {"date": formats.date_format(hearing_date, "DATE_FORMAT")},
            field="hearing",
        )
    if not Answer.objects.filter(observation=observation).exists():
        raise InvalidInput(_("Answer at least one question before submitting."))
    state = completeness.observation_completeness(observation)
    if not confirm_incomplete and not state.complete:
        raise Incomplete(
            ngettext(
                "%(count)d required question is not answered yet.",
                "%(count)d required questions are not answered yet.",
                len(state.missing),
            )
            % {"count": len(state.missing)},
            state=state,
        )
    before = observation.status
    observation.status = ObservationStatus.SUBMITTED
    observation.submitted_at = timezone.now()
    observation.save(update_fields=["status", "submitted_at", "updated_at"])
    record_event(
        user,
        "observation.submit",
        observation,
        before={"status": before},
        after={"status": "submitted", "answered": state.answered, "required": state.required},
    )
    return observation


def _require_reviewable(user, observation: Observation) -> Observation:
    observation = get_visible(user, Observation, observation.pk)
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    case = observation.case
    require_write(user, case.organisation_id, visibility.REVIEW_ROLES, case.confidentiality)
    if observation.status != ObservationStatus.SUBMITTED:
        raise WrongState(
            _("Only submitted observations can be reviewed; this one is %s.") % observation.get_status_display()
        )
    return observation


@transaction.atomic
def return_observation(user, observation: Observation, *, comment: str) -> Observation:
    """Send an observation back to its monitor with a comment saying what to fix."""
    observation = _require_reviewable(user, observation)
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput(_("Say what the monitor should change."), field="comment")
    if len(comment) > MAX_NOTE:
        raise TooLarge(_("The comment is longer than %d characters.") % MAX_NOTE)
    observation.status = ObservationStatus.RETURNED
    observation.review_comment = comment
    observation.reviewed_by = user
    observation.save(update_fields=["status", "review_comment", "reviewed_by", "updated_at"])
    record_event(
        user,
        "observation.return",
        observation,
        before={"status": "submitted"},
        after={"status": "returned", "comment": comment},
    )
    alerts.observation_reviewed(observation)
    return observation


@transaction.atomic
def accept_observation(user, observation: Observation, *, comment: str = "") -> Observation:
    """Accept a submitted observation: its answers now count in findings (taking over earlier answers for the
    same hearing, case or defendant)."""
    observation = _require_reviewable(user, observation)
    comment = (comment or "").strip()
    if len(comment) > MAX_NOTE:
        raise TooLarge(_("The comment is longer than %d characters.") % MAX_NOTE)
    mine = list(
        Answer.objects.filter(observation=observation).values_list(
            "indicator__series", "indicator__repeat", "defendant_id"
        )
    )
    keys = {_unit_key(series, repeat, defendant, observation.hearing_id) for series, repeat, defendant in mine}
    others = Answer.objects.filter(counted=True, case_id=observation.case_id).exclude(observation=observation)
    others = others.filter(Q(hearing_id=observation.hearing_id) | Q(indicator__repeat="once"))
    superseded = [
        pk
        for pk, series, repeat, defendant, hearing in others.values_list(
            "pk", "indicator__series", "indicator__repeat", "defendant_id", "hearing_id"
        )
        if _unit_key(series, repeat, defendant, hearing) in keys
    ]
    Answer.objects.filter(pk__in=superseded).update(counted=False)
    Answer.objects.filter(observation=observation).update(counted=True)
    observation.status = ObservationStatus.REVIEWED
    observation.review_comment = comment
    observation.reviewed_by = user
    observation.reviewed_at = timezone.now()
    observation.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    record_event(
        user,
        "observation.accept",
        observation,
        before={"status": "submitted"},
        after={"status": "reviewed", "comment": comment, "superseded_answers": len(superseded)},
    )
    alerts.observation_reviewed(observation)
    return observation


def _unit_key(series: str, repeat: str, defendant: int | None, hearing: int) -> tuple:
    # per_hearing questions count once per hearing (and defendant); `once` questions once per case/defendant.
    return (series, defendant) if repeat == "once" else (series, defendant, hearing)


# --- Checklists ------------------------------------------------------------------------------------


@transaction.atomic
def import_checklist(user, text: str | bytes) -> Checklist:
    """Admins import a checklist version from YAML (validated; an existing version only if unused)."""
    if not visibility.org_ids(user, roles={Role.ADMIN}):
        raise Forbidden(_("Only administrators can import checklists."))
    data = checklists.read_yaml(text)
    source = text.decode("utf-8") if isinstance(text, bytes) else text
    checklist = checklists.install(data, source, user=user)
    record_event(
        user,
        "checklist.import",
        checklist,
        after={
            "key": checklist.key,
            "version": checklist.version,
            "status": checklist.status,
            "indicators": checklist.indicators.count(),
        },
    )
    return checklist


def visible_observation(user, pk: Any) -> Observation:
    return get_visible(user, Observation, pk)
