"""Leak-harness descriptions for evidence routes."""

import hashlib

from django.contrib.contenttypes.models import ContentType

from rightstrack.core.models import Confidentiality, Person
from rightstrack.evidence.models import Citation, Passage, SourceDocument


def add_semi(world) -> None:
    # An internal document cited by a restricted person: the passage page must not list that person.
    doc = SourceDocument.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.INTERNAL,
        title="Semi document",
        sha256=hashlib.sha256(b"semi").hexdigest(),
        size=4,
        kind="txt",
        original_filename="semi.txt",
    )
    world.semi["document"] = doc
    world.semi["passage"] = Passage.objects.create(document=doc, number=1, text="Plain text")


def add_hidden(world) -> None:
    doc = SourceDocument.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title=world.text("title"),
        publisher=world.text("publisher"),
        symbol=world.text("symbol"),
        sha256=hashlib.sha256(b"hidden").hexdigest(),
        size=6,
        kind="txt",
        original_filename=world.text("file"),
    )
    world.hidden["document"] = doc
    world.hidden["passage"] = Passage.objects.create(
        document=doc, number=1, label="1", text=world.text("passage"), section=world.text("section")
    )
    citing = Person.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        pseudonym=world.text("citing"),
    )
    Citation.objects.create(
        passage=world.semi["passage"],
        content_type=ContentType.objects.get_for_model(Person),
        object_id=citing.pk,
        note=world.text("note"),
    )


def _docs(w):
    return [{"pk": w.hidden["document"].pk}, {"pk": w.semi["document"].pk}, {"pk": 424242}]


ROUTES = {
    "documents/<int:pk>/": _docs,
    "documents/<int:pk>/edit/": _docs,
    "documents/<int:pk>/delete/": _docs,
    "documents/passages/<int:pk>/": lambda w: [{"pk": w.hidden["passage"].pk}, {"pk": w.semi["passage"].pk}],
    "api/evidence/documents/<document_id>": lambda w: [{"document_id": w.hidden["document"].pk}],
    "api/evidence/documents/<document_id>/passages": lambda w: [{"document_id": w.hidden["document"].pk}],
    "api/evidence/passages/<passage_id>": lambda w: [{"passage_id": w.hidden["passage"].pk}],
    # Without ?label= this answers 422; tests/evidence/test_preview_leaks.py asks with labels.
    "api/evidence/documents/<document_id>/passages/by-label": lambda w: [{"document_id": w.hidden["document"].pk}],
}
