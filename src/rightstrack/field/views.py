"""Pages and endpoints of offline field capture. The service worker is served from here with
`Service-Worker-Allowed: /` so that it covers every page a monitor needs offline."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import DomainError, InvalidInput, NotFound
from rightstrack.evidence import storage
from rightstrack.incidents.models import Consent

from . import actions
from .models import FieldAttachment, FieldNote, NoteStatus, ObservationPhoto

SW_VERSION = "1"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "field/sw.js",
        {"version": SW_VERSION, "offline_url": reverse("field:offline"), "static_prefix": static("")},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "RightsTrack",
        "short_name": "RightsTrack",
        "start_url": reverse("trials:my_hearings"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f3a5f",
        "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that was never opened online on this phone."""
    return render(request, "field/offline.html")


@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    """Apply a batch of items captured on a phone: {"device", "items": [...]} → {"results": [...], "wipe"}."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Log in again to send what is saved on this phone.")}, status=401)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    body = request.read(actions.MAX_BATCH_BYTES + 1)
    if max(length, len(body)) > actions.MAX_BATCH_BYTES:
        return JsonResponse(
            {"detail": _("The batch is larger than %d MB; nothing was applied.") % (actions.MAX_BATCH_BYTES >> 20)},
            status=413,
        )
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": _("The batch is not valid JSON; nothing was applied.")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"detail": _("The batch must be an object with items.")}, status=400)
    try:
        if data.get("device"):
            actions.touch_device(request.user, data.get("device"), label=str(data.get("label") or "")[:120])
        result = actions.sync_batch(request.user, data.get("items", []), device_key=str(data.get("device") or ""))
    except DomainError as exc:
        return JsonResponse({"detail": exc.message}, status=exc.status)
    return JsonResponse(result)


@require_POST
def wiped(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        try:
            actions.confirm_wipe(request.user, request.POST.get("device"))
        except InvalidInput as exc:
            return JsonResponse({"detail": exc.message}, status=400)
    return JsonResponse({"ok": True})


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    """The user's devices (the same section is shown on the account page)."""
    return render(request, "field/devices.html")


@login_required
@require_POST
def device_wipe(request: HttpRequest, pk: int) -> HttpResponse:
    device = actions.request_wipe(request.user, pk)
    messages.success(
        request,
        _("%s will delete what it keeps offline the next time it is online.") % (device.label or _("The device")),
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("field:devices")


def _organisations(user) -> list:
    from rightstrack.core.models import Organisation

    return list(Organisation.objects.filter(pk__in=visibility.org_ids(user, roles=visibility.WRITE_ROLES)))


@login_required
def note_new(request: HttpRequest) -> HttpResponse:
    """The quick incident note. With JavaScript it is kept encrypted on the phone and synced; without, posted."""
    organisations = _organisations(request.user)
    error = ""
    if request.method == "POST":
        try:
            note = actions.create_note(
                request.user,
                organisation=int(request.POST.get("organisation") or (organisations[0].pk if organisations else 0)),
                what=request.POST.get("what"),
                when=request.POST.get("when"),
                where=request.POST.get("where"),
                who=request.POST.get("who"),
                consent=request.POST.get("consent"),
            )
            messages.success(request, _("Note saved as a draft for a documenter to complete."))
            return redirect("field:note_detail", pk=note.pk)
        except (ValueError, DomainError) as exc:
            error = getattr(exc, "message", _("Choose an organisation."))
    return render(
        request,
        "field/note_form.html",
        {"organisations": organisations, "consents": Consent.choices, "error": error, "values": request.POST},
        status=400 if error else 200,
    )


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    notes = visibility.visible(request.user, FieldNote).order_by("status", "-received_at")[:200]
    return render(request, "field/note_list.html", {"notes": notes})


@login_required
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_visible(request.user, FieldNote, pk)
    can_complete = note.status == NoteStatus.DRAFT and visibility.can_write(
        request.user, note, visibility.ANALYSE_ROLES
    )
    return render(
        request,
        "field/note_detail.html",
        {
            "note": note,
            "attachments": note.attachments.all(),
            "show_who": visibility.can_see_sensitive(request.user, note),
            "can_complete": can_complete,
            "today": datetime.date.today(),
        },
    )


@login_required
@require_POST
def note_complete(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_visible(request.user, FieldNote, pk)
    event = actions.complete_note(
        request.user, note, title=request.POST.get("title", ""), start_date=request.POST.get("start_date")
    )
    messages.success(request, _("Incident event created from the note; add victims and acts to complete it."))
    return redirect("incidents:event_detail", pk=event.pk)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(get_visible(request.user, FieldAttachment, pk))


@login_required
@require_GET
def photo_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(get_visible(request.user, ObservationPhoto, pk))


def _download(attachment: FieldAttachment | ObservationPhoto) -> HttpResponse:
    path = storage.blob_path(attachment.sha256)
    if not path.exists():
        raise NotFound(_("The stored file is missing."))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=attachment.filename, content_type=attachment.content_type
    )
