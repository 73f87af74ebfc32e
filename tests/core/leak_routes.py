"""Leak-harness descriptions for core routes."""

from rightstrack.core.models import Confidentiality, Person


def add_semi(world) -> None:
    # Visible to members of A, but the identifying fields must stay hidden from those without restricted access.
    world.semi["person"] = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.INTERNAL,
        pseudonym="Semi visible",
        real_name=world.text("real"),
        contacts=world.text("contacts"),
        address=world.text("address"),
    )


def add_hidden(world) -> None:
    world.hidden["person"] = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        pseudonym=world.text("pseudonym"),
        real_name=world.text("real"),
        contacts=world.text("contacts"),
        address=world.text("address"),
        occupation=world.text("occupation"),
        notes=world.text("notes"),
    )
    world.hidden["deleted_person"] = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.INTERNAL,
        pseudonym=world.text("deleted"),
    )
    from django.utils import timezone

    Person.objects.filter(pk=world.hidden["deleted_person"].pk).update(deleted_at=timezone.now())
    # Another user's alert: nobody else may open it, mark it read or see its title (bell, list, home page).
    from rightstrack.core.models import Notification

    world.hidden["notification"] = Notification.objects.create(
        user=world.author, kind="report.ready", title=world.text("alert"), url="/"
    )


def _people(w):
    return [
        {"pk": w.hidden["person"].pk},
        {"pk": w.semi["person"].pk},
        {"pk": w.hidden["deleted_person"].pk},
        {"pk": 999999},
    ]


ROUTES = {
    "people/<int:pk>/": _people,
    "people/<int:pk>/edit/": _people,
    "people/<int:pk>/delete/": _people,
    "trash/<str:label>/<int:pk>/restore/": lambda w: [
        {"label": "core.Person", "pk": w.hidden["deleted_person"].pk},
        {"label": "auth.User", "pk": 1},
    ],
    "trash/<str:label>/<int:pk>/purge/": lambda w: [{"label": "core.Person", "pk": w.hidden["deleted_person"].pk}],
    "api/persons/<person_id>": lambda w: [
        {"person_id": w.hidden["person"].pk},
        {"person_id": w.semi["person"].pk},
        {"person_id": "not-a-number"},
    ],
    "api/vocabularies/<name>": lambda w: [{"name": "themes"}, {"name": "unknown"}],
    "alerts/<int:pk>/": lambda w: [{"pk": w.hidden["notification"].pk}, {"pk": 999999}],
    "alerts/<int:pk>/read/": lambda w: [{"pk": w.hidden["notification"].pk}, {"pk": 999999}],
    "help/<slug:role>/": lambda w: [{"role": "monitor"}, {"role": "nobody"}],
}
