"""Every write of offline field capture: the sync of a phone's queue, quick notes, devices and wipes.

A sync batch is applied item by item, in the order the phone captured them, each item in its own transaction
together with its receipt: an item is applied completely or not at all, and a replayed item (same client id)
is confirmed again from its receipt instead of being applied twice. The phone deletes an item only when the
server answered "ok" or "duplicate" for it.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import create_record, get_visible, require_write
from rightstrack.core.audit import record_event
from rightstrack.core.errors import DomainError, Forbidden, InvalidInput, NotFound, TooLarge
from rightstrack.core.models import AuditEvent, Confidentiality
from rightstrack.evidence import storage
from rightstrack.incidents import actions as incident_actions
from rightstrack.incidents.models import Consent
from rightstrack.trials import actions as trial_actions
from rightstrack.trials.models import Answer, Indicator, Observation, ObservationStatus

from .models import Device, FieldAttachment, FieldNote, NoteStatus, ObservationPhoto, SyncReceipt

MAX_ITEMS = 200  # items in one batch; the phone sends its queue in chunks of at most this many
MAX_BATCH_BYTES = 40 * 1024 * 1024  # one request (attachments travel base64-encoded inside it)
MAX_ATTACHMENTS = 10
ATTACHMENT_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"%PDF": "application/pdf"}

OK, DUPLICATE, CONFLICT, ERROR = "ok", "duplicate", "conflict", "error"


class BatchTooLarge(TooLarge):
    pass


def _client_id(item: dict[str, Any]) -> str:
    value = str(item.get("client_id") or "").strip()
    if not (8 <= len(value) <= 64) or not all(c.isalnum() or c in "-_" for c in value):
        raise InvalidInput(_("Each item needs a client id of 8 to 64 letters, digits or dashes."), field="client_id")
    return value


def _when(value: Any) -> datetime.datetime | None:
    parsed = parse_datetime(str(value)) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


def sync_batch(user, items: Any, *, device_key: str = "") -> dict[str, Any]:
    """Apply a phone's queue in order; one result per item: ok, duplicate (already applied), conflict or error."""
    if not isinstance(items, list):
        raise InvalidInput(_("The sync batch must be a list of items."), field="items")
    if len(items) > MAX_ITEMS:
        raise BatchTooLarge(
            _("A sync batch holds at most %(max)d items (this one has %(n)d); nothing was applied.")
            % {"max": MAX_ITEMS, "n": len(items)}
        )
    device = touch_device(user, device_key) if device_key else None
    cache: dict[Any, Any] = {}  # observations checked and questions read once per batch, not once per item
    results = [sync_item(user, item, cache) for item in items]
    return {"results": results, "wipe": bool(device and device.wipe_requested_at and not device.wiped_at)}


def sync_item(user, item: Any, cache: dict[Any, Any] | None = None) -> dict[str, Any]:
    """Apply one item with its receipt in one transaction; a refusal leaves nothing behind."""
    if not isinstance(item, dict):
        return {"client_id": "", "status": ERROR, "message": _("An item must be an object.")}
    try:
        client_id = _client_id(item)
    except InvalidInput as exc:
        return {"client_id": str(item.get("client_id", ""))[:64], "status": ERROR, "message": exc.message}
    receipt = SyncReceipt.objects.filter(user=user, client_id=client_id).first()
    if receipt is not None:
        return {**receipt.result, "client_id": client_id, "status": DUPLICATE}
    kind = item.get("kind")
    try:
        with transaction.atomic():
            if kind == "answer":
                result = _sync_answer(user, item, {} if cache is None else cache)
            elif kind == "note":
                result = _sync_note(user, item)
            elif kind == "photo":
                result = _sync_photo(user, item)
            else:
                raise InvalidInput(_("Unknown kind of item: %s.") % str(kind)[:20], field="kind")
            if result["status"] == OK:
                SyncReceipt.objects.create(user=user, client_id=client_id, kind=kind, result=result)
    except IntegrityError:
        # The same item arrived twice at once: the other request applied it.
        return {"client_id": client_id, "status": DUPLICATE}
    except trial_actions.WrongState as exc:
        return {"client_id": client_id, "status": CONFLICT, "message": exc.message}
    except DomainError as exc:
        return {"client_id": client_id, "status": ERROR, "message": exc.message}
    return {**result, "client_id": client_id}


def _shown_value(answer: Answer | None) -> str:
    if answer is None:
        return ""
    return answer.text if not answer.value and answer.text else answer.value


def _answer(observation: Observation, indicator: Indicator | None, defendant: Any) -> Answer | None:
    if indicator is None or not (defendant is None or str(defendant).isdigit()):
        return None
    return Answer.objects.filter(observation=observation, indicator=indicator, defendant_id=defendant).first()


def _current(observation: Observation, indicator: Indicator | None, defendant: Any) -> str:
    return _shown_value(_answer(observation, indicator, defendant))


def _sync_answer(user, item: dict[str, Any], cache: dict[Any, Any]) -> dict[str, Any]:
    try:
        observation_id = int(item.get("observation"))
    except (TypeError, ValueError):
        raise InvalidInput(_("The item does not say which observation it belongs to."), field="observation")
    observation = cache.get(("observation", observation_id))
    if observation is None:
        observation = get_visible(user, Observation, observation_id)
        if observation.monitor_id != user.pk:
            raise Forbidden(_("Only the monitor who recorded this observation can change it."))
        cache[("observation", observation_id)] = observation
    checklist_id = item.get("checklist")
    questions = cache.get(("checklist", observation.checklist_id))
    if questions is None:
        questions = {i.code: i for i in Indicator.objects.filter(checklist_id=observation.checklist_id)}
        cache[("checklist", observation.checklist_id)] = questions
    if str(checklist_id) != str(observation.checklist_id) or not questions:
        raise InvalidInput(
            _(
                "This answer was given on a checklist version that no longer applies to the observation; "
                "open the checklist again online and answer once more."
            ),
            field="checklist",
        )
    code = str(item.get("indicator") or "")[:20]
    indicator = questions.get(code)
    defendant = item.get("defendant") or None
    value = "" if item.get("value") is None else str(item.get("value"))
    note = "" if item.get("note") is None else str(item.get("note"))
    if indicator is not None and "base" in item:
        # Conflict: another device (or the web page) changed this answer since the phone last saw it.
        current = _answer(observation, indicator, defendant)
        server = _shown_value(current)
        server_note = current.note if current else ""
        base = str(item.get("base") or "")
        if server != base and (server, server_note) != (value.strip(), note.strip()):
            return {
                "status": CONFLICT,
                "message": _("%(code)s was answered “%(server)s” on another device since this phone last saw it.")
                % {"code": code, "server": server or "—"},
                "server_value": server,
            }
    captured = _when(item.get("captured_at"))
    if observation.status == ObservationStatus.RETURNED and captured and not item.get("confirmed"):
        # Answered before the coordinator sent the observation back: the monitor reads the comment first.
        returned = AuditEvent.objects.filter(
            verb="observation.return", object_type="trials.observation", object_id=str(observation.pk), at__gt=captured
        ).exists()
        if returned:
            return {
                "status": CONFLICT,
                "message": _(
                    "The coordinator returned this observation after you answered %(code)s: read the comment, then "
                    "send your answer anyway or discard it."
                )
                % {"code": code},
                "server_value": _current(observation, indicator, defendant),
            }
    trial_actions.save_answer(user, observation, indicator=code, value=value, defendant=defendant, note=note)
    return {"status": OK, "observation": observation.pk, "indicator": code, "value": value.strip()}


def _note_org(user, item: dict[str, Any]) -> int:
    orgs = visibility.org_ids(user, roles=visibility.WRITE_ROLES)
    wanted = item.get("organisation")
    if wanted not in (None, ""):
        try:
            wanted = int(wanted)
        except (TypeError, ValueError):
            wanted = None
        if wanted not in orgs:
            raise Forbidden(_("You cannot record notes for this organisation."))
        return wanted
    if not orgs:
        raise Forbidden(_("Your role does not allow this change."))
    return orgs[0]


def _decode_attachments(raw: Any, captured_at: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Check every attachment before anything is stored: a wrong fingerprint refuses the whole note."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise InvalidInput(_("Attachments must be a list."), field="attachments")
    if len(raw) > MAX_ATTACHMENTS:
        raise TooLarge(_("A note can carry at most %d attachments.") % MAX_ATTACHMENTS)
    out = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise InvalidInput(_("An attachment must be an object."), field="attachments")
        name = storage.safe_filename(str(entry.get("name") or "attachment"))
        try:
            data = base64.b64decode(str(entry.get("data") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(_("Attachment %s could not be read (damaged in transit).") % name, field="attachments")
        storage.check_size(len(data))
        claimed = str(entry.get("sha256") or "").lower()
        actual = hashlib.sha256(data).hexdigest()
        if claimed != actual:
            raise InvalidInput(
                _(
                    "Attachment %s does not match the fingerprint taken on the phone: it changed or was damaged "
                    "on the way. Nothing of this note was stored; it stays on the phone."
                )
                % name,
                field="attachments",
            )
        kind = next((t for magic, t in ATTACHMENT_TYPES.items() if data.startswith(magic)), None)
        if kind is None:
            raise InvalidInput(_("Attachment %s is not a photo (JPEG, PNG) or a PDF.") % name, field="attachments")
        out.append(
            {
                "name": name,
                "data": data,
                "sha256": actual,
                "type": kind,
                "captured_at": _when(entry.get("captured_at")) or captured_at,
            }
        )
    return out


def _store_blob(data: bytes, sha256: str) -> None:
    tmp_dir = Path(settings.FILES_DIR) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    storage.keep(Path(name), sha256)


def _sync_photo(user, item: dict[str, Any]) -> dict[str, Any]:
    try:
        observation_id = int(item.get("observation"))
    except (TypeError, ValueError):
        raise InvalidInput(_("The item does not say which observation it belongs to."), field="observation")
    photos = add_photos(
        user,
        get_visible(user, Observation, observation_id),
        item.get("attachments"),
        caption=item.get("caption"),
        captured_at=_when(item.get("captured_at")),
    )
    return {"status": OK, "photos": [p.pk for p in photos]}


@transaction.atomic
def add_photos(
    user, observation: Observation, attachments: Any, *, caption: Any = "", captured_at: datetime.datetime | None = None
) -> list[ObservationPhoto]:
    """Photos of documents for the monitor's own editable observation, each checked against its phone hash."""
    observation = trial_actions._require_editable(user, observation)
    caption = ("" if caption is None else str(caption)).strip()
    if len(caption) > 300:
        raise TooLarge(_("%(field)s: at most %(max)d characters.") % {"field": _("caption"), "max": 300})
    files = _decode_attachments(attachments, captured_at)
    if not files:
        raise InvalidInput(_("Choose a photo or a PDF."), field="attachments")
    received = timezone.now()
    out = []
    for f in files:
        _store_blob(f["data"], f["sha256"])
        photo = ObservationPhoto.objects.create(
            case_id=observation.case_id,
            observation=observation,
            caption=caption,
            filename=f["name"],
            content_type=f["type"],
            size=len(f["data"]),
            sha256=f["sha256"],
            captured_at=f["captured_at"],
            received_at=received,
        )
        record_event(
            user,
            "observation.photo",
            observation,
            after={"file": photo.filename, "sha256": photo.sha256, "checked": True},
        )
        out.append(photo)
    return out


def _sync_note(user, item: dict[str, Any]) -> dict[str, Any]:
    note = create_note(
        user,
        organisation=_note_org(user, item),
        what=item.get("what"),
        when=item.get("when"),
        where=item.get("where"),
        who=item.get("who"),
        consent=item.get("consent"),
        captured_at=_when(item.get("captured_at")),
        client_id=str(item.get("client_id")),
        attachments=item.get("attachments"),
    )
    return {"status": OK, "note": note.pk}


LIMITS = {"what": 20_000, "when": 200, "where": 300, "who": 500}


@transaction.atomic
def create_note(
    user,
    *,
    organisation: int,
    what: Any,
    when: Any = "",
    where: Any = "",
    who: Any = "",
    consent: Any = "",
    captured_at: datetime.datetime | None = None,
    client_id: str = "",
    attachments: Any = None,
) -> FieldNote:
    """A draft note (restricted when the author may handle restricted records) with its checked attachments."""
    fields = {"what": what, "when": when, "where": where, "who": who}
    fields = {k: ("" if v is None else str(v)).strip() for k, v in fields.items()}
    if not fields["what"]:
        raise InvalidInput(_("Say what happened."), field="what")
    for name, limit in LIMITS.items():
        if len(fields[name]) > limit:
            raise TooLarge(_("%(field)s: at most %(max)d characters.") % {"field": name, "max": limit})
    consent = str(consent or "")
    if consent and consent not in Consent.values:
        raise InvalidInput(_("Unknown consent."), field="consent")
    files = _decode_attachments(attachments, captured_at)
    level = (
        Confidentiality.RESTRICTED
        if organisation in visibility.org_ids(user, restricted=True)
        else Confidentiality.INTERNAL
    )
    note = create_record(
        user,
        FieldNote,
        organisation=organisation,
        verb="fieldnote.create",
        confidentiality=level,
        consent=consent,
        captured_at=captured_at,
        client_id=client_id,
        **fields,
    )
    received = timezone.now()
    for f in files:
        _store_blob(f["data"], f["sha256"])
        attachment = FieldAttachment.objects.create(
            note=note,
            filename=f["name"],
            content_type=f["type"],
            size=len(f["data"]),
            sha256=f["sha256"],
            captured_at=f["captured_at"],
            received_at=received,
        )
        record_event(
            user,
            "fieldnote.attach",
            note,
            after={"file": attachment.filename, "sha256": attachment.sha256, "checked": True},
        )
    return note


@transaction.atomic
def complete_note(user, note: FieldNote, *, title: str, start_date: Any) -> Any:
    """A documenter turns a draft note into an incident event (the note's text becomes its description)."""
    note = get_visible(user, FieldNote, note.pk)
    note = FieldNote.objects.select_for_update().get(pk=note.pk)
    require_write(user, note.organisation_id, visibility.ANALYSE_ROLES, note.confidentiality)
    if note.status != NoteStatus.DRAFT:
        raise trial_actions.WrongState(_("This note was already completed."))
    description = "\n".join(
        part
        for part in (note.what, note.where and f"{_('Where')}: {note.where}", note.when and f"{_('When')}: {note.when}")
        if part
    )
    event = incident_actions.create_event(
        user,
        note.organisation_id,
        title=title,
        start_date=start_date,
        description=description,
        confidentiality=note.confidentiality,
    )
    note.status = NoteStatus.COMPLETED
    note.event = event
    note.save(update_fields=["status", "event", "updated_at"])
    record_event(
        user, "fieldnote.complete", note, before={"status": "draft"}, after={"status": "completed", "event": event.pk}
    )
    return event


# --- Devices ---------------------------------------------------------------------------------------


def _device_key(key: Any) -> str:
    key = str(key or "").strip()
    if not (8 <= len(key) <= 64) or not all(c.isalnum() or c == "-" for c in key):
        raise InvalidInput(_("Unknown device."), field="device")
    return key


def touch_device(user, key: Any, *, label: str = "") -> Device:
    """The user's device with this key (registered the first time it syncs or sets a PIN)."""
    key = _device_key(key)
    device, created = Device.objects.get_or_create(user=user, key=key, defaults={"label": label[:120]})
    if created:
        record_event(user, "device.register", device, after={"label": device.label})
    else:
        Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return device


@transaction.atomic
def request_wipe(user, device_id: Any) -> Device:
    """Ask for the local store of one of the user's devices to be deleted the next time it is online."""
    device = Device.objects.select_for_update().filter(pk=device_id, user=user).first()
    if device is None:
        raise NotFound(_("No such device."))
    if device.wipe_requested_at is None or device.wiped_at is not None:
        device.wipe_requested_at, device.wiped_at = timezone.now(), None
        device.save(update_fields=["wipe_requested_at", "wiped_at"])
        record_event(user, "device.wipe_request", device, after={"label": device.label})
    return device


@transaction.atomic
def confirm_wipe(user, key: Any) -> None:
    """The device reports its local store deleted (after a remote wipe or a log-out)."""
    device = Device.objects.filter(user=user, key=_device_key(key)).first()
    if device is not None:
        device.wiped_at = timezone.now()
        device.save(update_fields=["wiped_at"])
        record_event(user, "device.wiped", device, after={"label": device.label})
