"""Leak-harness descriptions for the public portal: publications that must never show (restricted, withdrawn)."""

from django.utils import timezone

from rightstrack.core.models import Confidentiality
from rightstrack.reports.document import Document, Footnote, Paragraph, Section
from rightstrack.reports.models import Publication, ReportDefinition
from rightstrack.reports.serialize import document_to_dict


def _publication(world, name: str, **extra) -> Publication:
    t = world.text
    report = ReportDefinition.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title=t(f"{name}-report"),
        kind="statement",
    )
    document = Document(
        title=t(f"{name}-title"),
        sections=[
            Section(t(f"{name}-section"), [Paragraph(t(f"{name}-text"), footnotes=[Footnote(t(f"{name}-note"))])])
        ],
    )
    return Publication.objects.create(
        organisation=world.org_a,
        report=report,
        slug=f"hidden-{name}",
        title=t(f"{name}-title"),
        kind="statement",
        language="en",
        summary=t(f"{name}-summary"),
        document=document_to_dict(document),
        search_text=t(f"{name}-search"),
        **extra,
    )


def add_hidden(world) -> None:
    # Never public: a restricted publication, and a public one that was withdrawn (soft-deleted).
    world.hidden["publication"] = _publication(world, "restricted", confidentiality=Confidentiality.RESTRICTED)
    world.hidden["withdrawn"] = _publication(
        world, "withdrawn", confidentiality=Confidentiality.PUBLIC, deleted_at=timezone.now()
    )


def _slugs(w):
    return [{"slug": w.hidden["publication"].slug}, {"slug": w.hidden["withdrawn"].slug}, {"slug": "no-such-report"}]


ROUTES = {
    "public/reports/<slug:slug>/": _slugs,
    "public/reports/<slug:slug>/download/<str:fmt>/": lambda w: [
        {**s, "fmt": fmt} for s in _slugs(w) for fmt in ("pdf", "md")
    ],
}
