"""Leak-harness descriptions for offline field capture: a restricted field note with an attachment, and a
device of the author (another user's device must not be wiped or listed)."""

import base64
import hashlib

from rightstrack.field import actions
from rightstrack.field.models import ObservationPhoto

PNG = b"\x89PNG\r\n\x1a\n synthetic leak-test image"


def add_hidden(world) -> None:
    note = actions.create_note(
        world.author,
        organisation=world.org_a.pk,
        what=world.text("note-what"),
        when=world.text("note-when"),
        where=world.text("note-where"),
        who=world.text("note-who"),
        attachments=[
            {
                "name": world.text("file") + ".png",
                "data": base64.b64encode(PNG).decode(),
                "sha256": hashlib.sha256(PNG).hexdigest(),
            }
        ],
    )
    device = actions.touch_device(world.author, "leak-device-1", label=world.text("device"))
    observation = world.hidden["trials"]["observation"]
    photo = ObservationPhoto.objects.create(
        case_id=observation.case_id,
        observation=observation,
        caption=world.text("photo-caption"),
        filename=world.text("photo") + ".png",
        content_type="image/png",
        size=len(PNG),
        sha256=hashlib.sha256(PNG).hexdigest(),
    )
    world.hidden["field"] = {"note": note, "attachment": note.attachments.get(), "device": device, "photo": photo}


def _ids(name: str):
    return lambda w: [{"pk": w.hidden["field"][name].pk}, {"pk": 987654}]


ROUTES = {
    "field/notes/<int:pk>/": _ids("note"),
    "field/notes/<int:pk>/complete/": _ids("note"),
    "field/attachments/<int:pk>/": _ids("attachment"),
    "field/devices/<int:pk>/wipe/": _ids("device"),
    "field/photos/<int:pk>/": _ids("photo"),
}
