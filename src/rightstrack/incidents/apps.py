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

    def home_sections(self, user) -> list[dict]:
        """Victims of the user's organisations with no consent recorded: their events cannot be published."""
        from django.urls import reverse

        from rightstrack.core import visibility
        from rightstrack.core.models import Person

        from .models import Act, Consent

        orgs = visibility.org_ids(user, roles=visibility.WRITE_ROLES)
        if not orgs:
            return []
        victims = visibility.visible(user, Act).filter(victim__isnull=False).values("victim_id")
        lacking = (
            visibility.visible(user, Person)
            .filter(pk__in=victims, organisation_id__in=orgs)
            .exclude(incident_profile__consent__in=[Consent.ANONYMISED, Consent.NAMED])
            .order_by("pseudonym")
        )
        return [
            {
                "order": 35,
                "title": _("Victims without consent to publication"),
                "count": lacking.count(),
                "url": reverse("incidents:victim_list"),
                "items": [
                    {"label": p.pseudonym, "url": reverse("incidents:victim_profile", args=[p.pk])} for p in lacking[:5]
                ],
            }
        ]

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
