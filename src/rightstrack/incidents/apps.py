from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "rightstrack.incidents"
    label = "incidents"
    verbose_name = _("Incidents")
    nav_label = _("Incidents")
    nav_url = "incidents:event_list"

    def ready(self) -> None:
        from django.urls import reverse

        from rightstrack.core import links, views

        links.register("incidents.Event", lambda e: reverse("incidents:event_detail", args=[e.pk]))
        links.register(
            "core.Person",
            lambda p: reverse("incidents:victim_detail", args=[p.pk]),
            consent=lambda p: reverse("incidents:victim_profile", args=[p.pk]),
        )

        for label in ("incidents.Event", "incidents.Group", "incidents.Involvement", "incidents.Intervention"):
            if label not in views.TRASH_MODELS:
                views.TRASH_MODELS.append(label)

    def dashboard_tiles(self, user) -> list[dict]:
        """Dashboard figures: events and acts the user may see."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from .models import Act, Event

        return [
            {
                "label": _("incidents"),
                "count": visibility.visible(user, Event).count(),
                "url": reverse("incidents:event_list"),
            },
            {
                "label": _("documented acts"),
                "count": visibility.visible(user, Act).count(),
                "url": reverse("incidents:act_list"),
            },
        ]
