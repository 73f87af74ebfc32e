"""Reads for reports: lists, the assembled document of a built report, and the checks before publication."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.models import Confidentiality, Person

from . import sourcecheck
from .document import Document, Figure, Paragraph, Section, Table
from .models import BlockKind, Publication, ReportBlock, ReportDefinition
from .render import render as render_document
from .serialize import chart_from_dict, footnote_from_dict


def reports_for(user) -> QuerySet[ReportDefinition]:
    return visibility.visible(user, ReportDefinition).select_related("organisation")


def publications() -> QuerySet[Publication]:
    """What the public portal shows: public, not withdrawn."""
    return visibility.visible(visibility.anonymous(), Publication)


def blocks_of(report: ReportDefinition) -> list[ReportBlock]:
    """Blocks in reading order: outline order, then position within each section."""
    order = {entry["key"]: i for i, entry in enumerate(report.outline)}
    blocks = list(report.blocks.all())
    return sorted(blocks, key=lambda b: (order.get(b.section_key, len(order)), b.position, b.pk))


# --- What each reader may see ---------------------------------------------------------------------------
#
# The rule for every derived output (page, downloads, API paragraphs): a block is shown only to readers who may
# see every record it was built from, at the level that record had when the block was built or has now,
# whichever is higher. Other readers get a note in its place, under the same number.


def stored_access(block: ReportBlock) -> dict:
    """The access recorded at build time (blocks built before it was recorded: computed from their sources)."""
    return block.access or visibility.access_of(block.sources)


def blocks_access(blocks: list[ReportBlock]) -> dict[int, dict]:
    """Each block's access now: what was stored at build time merged with its source records' current levels."""
    live = visibility.record_accesses([tuple(s) for b in blocks for s in b.sources])
    return {
        b.pk: visibility.merge_access(b.access, *(live.get((str(s[0]), int(s[1]))) for s in b.sources)) for b in blocks
    }


def withheld_note(kind: str) -> str:
    if kind == BlockKind.TABLE:
        return _("Table withheld: it is built from records you do not have access to.")
    if kind == BlockKind.FIGURE:
        return _("Figure withheld: it is built from records you do not have access to.")
    return _("Paragraph withheld: it quotes records you do not have access to.")


def _placeholder(block: ReportBlock) -> ReportBlock:
    """An unsaved stand-in for a withheld block: same place, same number, only the note."""
    stand_in = ReportBlock(
        pk=block.pk,
        report_id=block.report_id,
        section_key=block.section_key,
        position=block.position,
        key=block.key,
        kind=BlockKind.PARAGRAPH,
        text=withheld_note(block.kind),
        numbered=block.kind == BlockKind.PARAGRAPH and block.numbered,
        style="note",
        version=0,
    )
    stand_in.withheld = True
    return stand_in


def readable_blocks(user, report: ReportDefinition, blocks: list[ReportBlock] | None = None):
    """The report's blocks in reading order as `user` may read them, and how many were withheld."""
    blocks = blocks_of(report) if blocks is None else blocks
    access = blocks_access(blocks)
    out: list[ReportBlock] = []
    withheld = 0
    for block in blocks:
        if visibility.can_read(user, access[block.pk]):
            block.withheld = False
            out.append(block)
        else:
            withheld += 1
            out.append(_placeholder(block))
    return out, withheld


def readable_block(user, block: ReportBlock) -> bool:
    return visibility.can_read(user, blocks_access([block])[block.pk])


def readable_changes(user, report: ReportDefinition) -> list[dict]:
    """The 'what changed' list of the last build without the items built from records `user` may not see.

    Items stored before access was recorded are shown only to readers with restricted access to the report's
    organisations (they cannot be checked any more)."""
    orgs = list(report.organisations.values_list("pk", flat=True)) or [report.organisation_id]
    legacy = {"level": "restricted", "internal": [], "restricted": orgs}
    return [c for c in report.last_changes or [] if visibility.can_read(user, c.get("access", legacy))]


def block_to_document_block(block: ReportBlock):
    if block.kind == BlockKind.TABLE:
        return Table(
            headers=block.data.get("headers", []),
            rows=block.data.get("rows", []),
            caption=block.data.get("caption", ""),
            key=block.key,
            sources=[tuple(s) for s in block.sources],
        )
    if block.kind == BlockKind.FIGURE:
        return Figure(
            chart=chart_from_dict(block.data.get("chart", {})),
            caption=block.data.get("caption", ""),
            key=block.key,
            sources=[tuple(s) for s in block.sources],
        )
    return Paragraph(
        text=block.text,
        numbered=block.numbered,
        footnotes=[footnote_from_dict(n) for n in block.footnotes],
        key=block.key,
        style=block.style,
        sources=[tuple(s) for s in block.sources],
    )


def assemble(report: ReportDefinition, blocks: list[ReportBlock] | None = None) -> Document:
    """The built report, with analysts' edits, as a Document for the renderers."""
    blocks = blocks_of(report) if blocks is None else blocks
    by_section: dict[str, list[ReportBlock]] = {}
    for block in blocks:
        by_section.setdefault(block.section_key, []).append(block)
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []
    for entry in report.outline:
        section = Section(
            title=entry["title"],
            key=entry["key"],
            blocks=[block_to_document_block(b) for b in by_section.get(entry["key"], [])],
        )
        level = entry.get("level", 1)
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].subsections if stack else roots).append(section)
        stack.append((level, section))
    meta = report.document_meta or {}
    return Document(
        title=report.title,
        language=report.language,
        subtitle=meta.get("subtitle", ""),
        authors=meta.get("authors", []),
        date=meta.get("date", ""),
        sections=roots,
        synthetic=report.is_synthetic,
        word_limit=report.effective_word_limit,
    )


#: The first part of a download's file name, by report type.
FILE_KINDS = {
    "shadow-iccpr": "shadow-report",
    "upr-submission": "upr-submission",
    "trial": "trial-report",
    "statement": "statement",
}


def file_stem(kind: str, language: str, period_end, built: str = "") -> str:
    """ "shadow-report-ru-2025-06-30": type, language, end of the period (the build date when open-ended)."""
    end = period_end.isoformat() if period_end else str(built or "")[:10]
    return "-".join(p for p in (FILE_KINDS.get(kind, "report"), language, end) if p)


def report_file_stem(report: ReportDefinition) -> str:
    built = (report.document_meta or {}).get("date") or (report.built_at.date().isoformat() if report.built_at else "")
    return file_stem(report.kind, report.language, report.period_end, built)


def download(user, report: ReportDefinition, fmt: str, name: str) -> HttpResponse:
    """The report rendered for this reader (withheld blocks replaced by their note), never stored or cached:
    the next reader may have less access."""
    blocks, _withheld = readable_blocks(user, report)
    content, content_type, extension = render_document(assemble(report, blocks), fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


def numbered_blocks(
    report: ReportDefinition, blocks: list[ReportBlock] | None = None
) -> list[tuple[ReportBlock, int | None]]:
    """Each block with its printed paragraph number (continuous across sections), for pages and messages."""
    out, n = [], 0
    for block in blocks_of(report) if blocks is None else blocks:
        number = None
        if block.kind == BlockKind.PARAGRAPH and block.numbered:
            n += 1
            number = n
        out.append((block, number))
    return out


def _where(block: ReportBlock, number: int | None) -> str:
    if number:
        return _("Paragraph %(n)s") % {"n": number}
    if block.kind == BlockKind.TABLE:
        return _("Table “%(caption)s”") % {"caption": block.data.get("caption", "")}
    if block.kind == BlockKind.FIGURE:
        return _("Figure “%(caption)s”") % {"caption": block.data.get("caption", "")}
    return _("Unnumbered paragraph “%(start)s…”") % {"start": block.text[:40]}


def unsourced_figures(report: ReportDefinition, blocks: list[ReportBlock] | None = None) -> list[dict[str, str]]:
    """Paragraphs stating figures no footnote supports (see `sourcecheck`): to fix, or knowingly accept, before
    publication. Each item links to its paragraph on the report page (`anchor`)."""
    out = []
    for block, number in numbered_blocks(report, blocks):
        if block.kind != BlockKind.PARAGRAPH or getattr(block, "withheld", False):
            continue
        notes = [str(n.get("text", "")) for n in block.footnotes or []]
        # A generated paragraph's footnotes cite the data its figures were computed from.
        supported = block.generated_text if notes and not block.is_free else ""
        found = sourcecheck.unsourced(block.text, notes, supported)
        if found:
            out.append(
                {
                    "where": _where(block, number),
                    "figures": ", ".join(found[:5]),
                    "key": block.key,
                    "anchor": f"block-{block.pk}",
                }
            )
    return out


@dataclass
class Problem:
    where: str
    what: str
    fix: str
    #: (label, url) of the records to open to fix it — only records the user may see.
    links: tuple[tuple[str, str], ...] = ()


def _record_fix(model, seen) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Advice and links for a non-public record: consent matters for people (and events naming victims) only."""
    from rightstrack.core import links

    label = model._meta.label
    page = links.page_of(seen) if seen is not None else ""
    if label == "core.Person":
        consent = links.consent_page_of(seen) if seen is not None else ""
        fixes = [(_("Open the person"), page)] if page else []
        if consent:
            fixes.append((_("Record their consent"), consent))
        return _("Check the person's consent to publication, then make their record public."), tuple(fixes)
    fixes = ((_("Open the record"), page),) if page else ()
    if label == "incidents.Event":
        return _("Make the event public once every victim in it has consented to publication."), fixes
    return _("Make the record public, or remove the paragraph."), fixes


def publication_problems(user, report: ReportDefinition) -> list[Problem]:
    """What would expose non-public data if this report went public: records, passages, and persons named."""
    anonymous = visibility.anonymous()
    problems: list[Problem] = []
    numbered = numbered_blocks(report)
    public_cache: dict[str, set[int]] = {}
    wanted: dict[str, set[int]] = {}
    for block, _n in numbered:
        for label, pk in block.sources:
            wanted.setdefault(label, set()).add(int(pk))
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            public_cache[label] = set()
            continue
        public_cache[label] = set(visibility.visible(anonymous, model).filter(pk__in=pks).values_list("pk", flat=True))
    for block, number in numbered:
        if (block.access or {}).get("level", "public") != "public" and all(
            int(pk) in public_cache.get(label, set()) for label, pk in block.sources
        ):
            # Its sources are public now (or gone), but it was built from records that were not: rebuild first.
            problems.append(
                Problem(
                    _where(block, number),
                    _("was built from records that were not public at the time"),
                    _("Rebuild the report; if you edited this paragraph, check it and write it anew."),
                )
            )
        for label, pk in block.sources:
            if int(pk) in public_cache.get(label, set()):
                continue
            try:
                model = apps.get_model(label)
                seen = visibility.visible(user, model).filter(pk=pk).first()
                name = f"{model._meta.verbose_name} “{str(seen)[:80]}”" if seen else f"{model._meta.verbose_name} #{pk}"
                fix, fix_links = _record_fix(model, seen)
            except LookupError:
                name = f"{label} #{pk}"
                fix, fix_links = _("Remove the paragraph."), ()
            problems.append(
                Problem(
                    _where(block, number),
                    _("uses %(record)s, which is not public") % {"record": name},
                    fix,
                    fix_links,
                )
            )
        passage_ids = [n.get("passage_id") for n in block.footnotes if n.get("passage_id")]
        if passage_ids:
            from rightstrack.evidence.models import Passage

            public = set(visibility.visible(anonymous, Passage).filter(pk__in=passage_ids).values_list("pk", flat=True))
            documents = dict(
                visibility.visible(user, Passage).filter(pk__in=passage_ids).values_list("pk", "document_id")
            )
            for pid in passage_ids:
                if pid not in public:
                    document = documents.get(pid)
                    problems.append(
                        Problem(
                            _where(block, number),
                            _("cites a passage of a document that is not public"),
                            _("Cite a public source, or make the document public."),
                            ((_("Open the document"), reverse("document_detail", args=[document])),)
                            if document
                            else (),
                        )
                    )
    problems.extend(_named_persons(user, report, numbered))
    return problems


def _named_persons(user, report: ReportDefinition, numbered) -> list[Problem]:
    """Persons of the report's organisations named in the text without a public record or consent to publish."""
    org_ids = list(report.organisations.values_list("pk", flat=True)) or [report.organisation_id]
    persons = Person.objects.filter(organisation_id__in=org_ids, deleted_at__isnull=True)
    consent = _consents()
    names: list[tuple[str, Person]] = []
    for person in persons:
        # Public persons still need consent to publication where the incidents module records it.
        blocked = person.confidentiality != Confidentiality.PUBLIC or consent.get(person.pk, "anonymised") in (
            "none",
            "internal",
        )
        if person.real_name.strip():
            names.append((person.real_name.strip(), person))  # a real name is never published from here
        if blocked and person.pseudonym.strip():
            names.append((person.pseudonym.strip(), person))
    problems = []
    seen = set(visibility.visible(user, Person).filter(pk__in=[p.pk for _n, p in names]).values_list("pk", flat=True))
    for block, number in numbered:
        text = block.text if block.kind == BlockKind.PARAGRAPH else str(block.data.get("rows", ""))
        lowered = text.lower()
        for name, person in names:
            if len(name) >= 3 and name.lower() in lowered:
                fix_links: tuple = ()
                if person.pk in seen:
                    from rightstrack.core import links

                    consent = links.consent_page_of(person)
                    fix_links = tuple(
                        (label, url)
                        for label, url in (
                            (_("Open the person"), links.page_of(person)),
                            (_("Record their consent"), consent),
                        )
                        if url
                    )
                problems.append(
                    Problem(
                        _where(block, number),
                        _("names person “%(pseudonym)s” without a public record or consent to publication")
                        % {"pseudonym": person.pseudonym if person.pk in seen else "…"},
                        _("Remove the name or replace it by an anonymous description."),
                        fix_links,
                    )
                )
    return problems


def _consents() -> dict[int, str]:
    from django.db import DatabaseError, transaction

    try:
        from rightstrack.incidents.models import PersonProfile

        with transaction.atomic():  # a savepoint: a missing table must not abort the caller's transaction
            return dict(PersonProfile.objects.values_list("person_id", "consent"))
    except (ImportError, LookupError, DatabaseError):  # incidents absent or not migrated: consent unknown
        return {}
