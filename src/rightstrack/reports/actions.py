"""Every write of the reports app: definitions, builds (keeping manual edits), paragraph edits, publication."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.core import visibility
from rightstrack.core.actions import create_record, require_write, update_record
from rightstrack.core.audit import record_event
from rightstrack.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, TooLarge
from rightstrack.core.models import Confidentiality, Organisation

from . import queries
from .document import Document, Figure, Paragraph, Section, Table
from .generators import generate
from .models import (
    FILTER_FIELDS,
    STATES,
    BlockKind,
    BuildStatus,
    Publication,
    ReportBlock,
    ReportDefinition,
    ReportKind,
    ReportLanguage,
)
from .scope import Scope
from .serialize import chart_to_dict, document_to_dict, footnote_to_dict

MAX_PARAGRAPH = 20_000  # characters: a paragraph longer than this is a pasted document, not a paragraph


class PublicationRefused(DomainError):
    """Publishing would expose non-public data; `problems` lists what to remove or anonymise."""

    status = 409

    def __init__(self, message: str, problems: list):
        super().__init__(message)
        self.problems = problems


# --- Definitions ---------------------------------------------------------------------------------------


def clean_filters(filters: Any) -> dict[str, Any]:
    """Known filter fields with the right types; an unknown field or a wrong type is refused."""
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        raise InvalidInput(_("Filters must be an object of field names and values."), field="filters")
    out: dict[str, Any] = {}
    for name, value in filters.items():
        if name not in FILTER_FIELDS:
            raise InvalidInput(
                _("Unknown filter field “%(name)s”. Known fields: %(known)s.")
                % {"name": str(name)[:40], "known": ", ".join(FILTER_FIELDS)},
                field="filters",
            )
        kind = FILTER_FIELDS[name]
        if kind is list:
            if not isinstance(value, list):
                raise InvalidInput(_("Filter “%(name)s” must be a list.") % {"name": name}, field="filters")
            if name == "articles" and not all(isinstance(v, int) and 1 <= v <= 53 for v in value):
                raise InvalidInput(_("ICCPR articles are numbers from 1 to 53."), field="filters")
            if name == "themes" and not all(isinstance(v, str) for v in value):
                raise InvalidInput(_("Themes are codes (text)."), field="filters")
        elif kind is bool and not isinstance(value, bool):
            raise InvalidInput(_("Filter “%(name)s” must be true or false.") % {"name": name}, field="filters")
        elif kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise InvalidInput(_("Filter “%(name)s” must be a number.") % {"name": name}, field="filters")
        elif kind is str and not isinstance(value, str):
            raise InvalidInput(_("Filter “%(name)s” must be text.") % {"name": name}, field="filters")
        if kind is str:
            _no_nul(value, "filters")
        if kind is str and len(value) > MAX_PARAGRAPH:
            raise TooLarge(_("Filter “%(name)s” is too long.") % {"name": name}, field="filters")
        if value not in ([], "", False):
            out[name] = value
    return out


def _no_nul(value: str, field: str) -> str:
    # PostgreSQL cannot store NUL; refuse it clearly instead of failing in the database.
    if "\x00" in value:
        raise InvalidInput(_("The text contains a NUL character; remove it."), field=field)
    return value


def _check_definition(kind: str, state: str, language: str, start, end) -> None:
    if kind not in ReportKind.values:
        raise InvalidInput(_("Unknown report type."), field="kind")
    if state not in STATES:
        raise InvalidInput(_("Unknown State."), field="state")
    if language not in ReportLanguage.values:
        raise InvalidInput(_("Reports are written in English, Russian or Kazakh."), field="language")
    if start and end and start > end:
        raise InvalidInput(_("The period ends before it starts."), field="period_end")


@transaction.atomic
def create_report(
    user,
    *,
    organisation: Organisation | int,
    title: str,
    kind: str,
    state: str = "KZ",
    language: str = "en",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    filters: dict | None = None,
    organisations: list[int] | None = None,
    word_limit: int | None = None,
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> ReportDefinition:
    """A new report definition (not built yet)."""
    if not title.strip():
        raise InvalidInput(_("A report needs a title."), field="title")
    _no_nul(title, "title")
    _check_definition(kind, state, language, period_start, period_end)
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    cleaned = clean_filters(filters)
    chosen = [int(o) for o in (organisations or [org_id])]
    _check_organisations(user, chosen)
    report = create_record(
        user,
        ReportDefinition,
        organisation=org_id,
        roles=visibility.ANALYSE_ROLES,
        verb="report.create",
        title=title.strip(),
        kind=kind,
        state=state,
        language=language,
        period_start=period_start,
        period_end=period_end,
        filters=cleaned,
        word_limit=word_limit,
        confidentiality=confidentiality,
    )
    report.organisations.set(chosen)
    if is_synthetic:
        ReportDefinition.objects.filter(pk=report.pk).update(is_synthetic=True)
        report.is_synthetic = True
    return report


def _check_organisations(user, chosen: list[int]) -> None:
    if not set(chosen) <= set(visibility.org_ids(user)):
        # A report may only draw on organisations whose records the author could read anyway.
        raise Forbidden(_("You can only include organisations you are a member of."))


@transaction.atomic
def update_report(
    user,
    report: ReportDefinition,
    *,
    expected_version: int,
    changes: dict[str, Any],
    organisations: list[int] | None = None,
) -> ReportDefinition:
    """Change a definition (title, period, filters, language, …; `organisations` whose records it reads).

    The next build applies it; paragraphs edited by hand keep their edits, as on any rebuild.
    """
    if "filters" in changes:
        changes["filters"] = clean_filters(changes["filters"])
    if "title" in changes:
        changes["title"] = _no_nul(str(changes["title"]).strip(), "title")
        if not changes["title"]:
            raise InvalidInput(_("A report needs a title."), field="title")
    _check_definition(
        report.kind,
        report.state,
        changes.get("language", report.language),
        changes.get("period_start", report.period_start),
        changes.get("period_end", report.period_end),
    )
    chosen = None
    if organisations is not None:
        chosen = sorted({int(o) for o in organisations} or {report.organisation_id})
        _check_organisations(user, chosen)
    report = update_record(
        user,
        report,
        expected_version=expected_version,
        changes=changes,
        roles=visibility.ANALYSE_ROLES,
        verb="report.update",
    )
    before = sorted(report.organisations.values_list("pk", flat=True))
    if chosen is not None and chosen != before:
        report.organisations.set(chosen)
        record_event(
            user, "report.organisations", report, before={"organisations": before}, after={"organisations": chosen}
        )
    return report


def scope_of(user, report: ReportDefinition) -> Scope:
    public_only = bool((report.filters or {}).get("public_only"))
    return Scope(
        # A public edition reads as an anonymous visitor would: nothing that is not public can get in.
        user=visibility.anonymous() if public_only else user,
        kind=report.kind,
        state=report.state,
        language=report.language,
        org_ids=[]
        if public_only
        else list(report.organisations.values_list("pk", flat=True)) or [report.organisation_id],
        period_start=report.period_start,
        period_end=report.period_end,
        filters=dict(report.filters or {}),
        title=report.title,
        authors=[o.name for o in report.organisations.all()] or [report.organisation.name],
        synthetic=report.is_synthetic,
        word_limit=report.word_limit,
    )


# --- Building --------------------------------------------------------------------------------------------


def _flatten(document: Document) -> tuple[list[dict], list[tuple[str, int, Any]]]:
    """The outline and (section key, position, block) of a generated document; every block gets a key."""
    outline: list[dict] = []
    blocks: list[tuple[str, int, Any]] = []

    def visit(section: Section, level: int, index: str) -> None:
        key = section.key or f"section-{index}"
        outline.append({"key": key, "title": section.title, "level": level})
        for i, block in enumerate(section.blocks):
            if not block.key:
                block.key = f"{key}-block-{i + 1}"
            blocks.append((key, i, block))
        for j, sub in enumerate(section.subsections):
            visit(sub, level + 1, f"{index}-{j + 1}")

    for i, section in enumerate(document.sections):
        visit(section, 1, str(i + 1))
    return outline, blocks


def _block_fields(block) -> dict[str, Any]:
    fields = _content_fields(block)
    fields["access"] = visibility.access_of(fields["sources"])
    return fields


def _content_fields(block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {
            "kind": BlockKind.PARAGRAPH,
            "generated_text": block.text,
            "numbered": block.numbered,
            "style": block.style,
            "footnotes": [footnote_to_dict(n) for n in block.footnotes],
            "data": {},
            "sources": [list(s) for s in block.sources],
        }
    if isinstance(block, Table):
        return {
            "kind": BlockKind.TABLE,
            "generated_text": "",
            "numbered": False,
            "style": "",
            "footnotes": [],
            "data": {
                "headers": list(block.headers),
                "rows": [[str(c) for c in r] for r in block.rows],
                "caption": block.caption,
            },
            "sources": [list(s) for s in block.sources],
        }
    assert isinstance(block, Figure)
    return {
        "kind": BlockKind.FIGURE,
        "generated_text": "",
        "numbered": False,
        "style": "",
        "footnotes": [],
        "data": {"chart": chart_to_dict(block.chart), "caption": block.caption},
        "sources": [list(s) for s in block.sources],
    }


def _data_summary(fields: dict[str, Any]) -> str:
    """What a block says, for the 'what changed' list: the text, or a table/figure's rows."""
    if fields["kind"] == BlockKind.PARAGRAPH:
        return fields["generated_text"]
    if fields["kind"] == BlockKind.TABLE:
        return " | ".join(" · ".join(r) for r in fields["data"]["rows"])[:1000]
    return "; ".join(" ".join(str(v) for v in r) for r in fields["data"]["chart"]["rows"])[:1000]


@transaction.atomic
def apply_document(user, report: ReportDefinition, document: Document) -> list[dict[str, str]]:
    """Store a generated document as the report's blocks, keeping manual edits; returns what changed in the data.

    A generated paragraph the analyst edited keeps the analyst's text (its generated text is updated, and the
    change is listed); one whose data disappeared is kept and marked stale if edited, else removed. Free
    paragraphs stay where they are. New blocks go after the block that precedes them in the generated order.
    """
    report = ReportDefinition.objects.select_for_update().get(pk=report.pk)
    first_build = report.built_at is None
    outline, generated = _flatten(document)
    existing = {b.key: b for b in report.blocks.all()}
    order: dict[str, list[ReportBlock]] = {}
    for block in sorted(existing.values(), key=lambda b: (b.position, b.pk)):
        order.setdefault(block.section_key, []).append(block)
    changes: list[dict[str, str]] = []
    seen: set[str] = set()
    previous: dict[str, str | None] = {}
    to_create: list[ReportBlock] = []
    for section_key, _i, block in generated:
        fields = _block_fields(block)
        seen.add(block.key)
        current = existing.get(block.key)
        after = previous.get(section_key)
        previous[section_key] = block.key
        section_order = order.setdefault(section_key, [])
        if current is None:
            new = ReportBlock(
                report=report, section_key=section_key, key=block.key, text=fields["generated_text"], **fields
            )
            to_create.append(new)
            index = next((k + 1 for k, b in enumerate(section_order) if b.key == after), 0) if after else 0
            section_order.insert(index, new)
            if not first_build:
                changes.append(
                    {
                        "change": "added",
                        "key": block.key,
                        "before": "",
                        "after": _data_summary(fields),
                        "access": fields["access"],
                    }
                )
            continue
        before_summary = _data_summary(
            {"kind": current.kind, "generated_text": current.generated_text, "data": current.data}
        )
        after_summary = _data_summary(fields)
        if current.section_key != section_key:
            order[current.section_key].remove(current)
            index = next((k + 1 for k, b in enumerate(section_order) if b.key == after), 0) if after else 0
            section_order.insert(index, current)
            current.section_key = section_key
        if before_summary != after_summary:
            changes.append(
                {
                    "change": "kept-edit" if current.edited else "updated",
                    "key": block.key,
                    "before": before_summary,
                    "after": after_summary,
                    "access": visibility.merge_access(queries.stored_access(current), fields["access"]),
                }
            )
        if current.edited:
            # The analyst's text still says what the old data said: it keeps those sources (the publication check
            # reads them) and stays as confidential as that data.
            fields["sources"] += [s for s in current.sources if s not in fields["sources"]]
            fields["access"] = visibility.merge_access(queries.stored_access(current), fields["access"])
        for name, value in fields.items():
            setattr(current, name, value)
        if not current.edited:
            current.text = fields["generated_text"]
        current.stale = False
    # Blocks whose data is gone.
    for key, block in existing.items():
        if key in seen or block.is_free:
            continue
        if block.edited:
            block.stale = True
            changes.append(
                {
                    "change": "stale",
                    "key": key,
                    "before": block.generated_text,
                    "after": "",
                    "access": queries.stored_access(block),
                }
            )
        else:
            order[block.section_key].remove(block)
            block.delete()
            changes.append(
                {
                    "change": "removed",
                    "key": key,
                    "before": block.generated_text or block.data.get("caption", ""),
                    "after": "",
                    "access": queries.stored_access(block),
                }
            )
    # Sections that only survive because of kept blocks stay in the outline, after the generated ones.
    outline_keys = {o["key"] for o in outline}
    for entry in report.outline:
        if entry["key"] not in outline_keys and order.get(entry["key"]):
            outline.append(entry)
    for blocks in order.values():
        for position, block in enumerate(blocks):
            block.position = position
    ReportBlock.objects.bulk_create(to_create)
    kept = [b for b in existing.values() if b.pk is not None]  # delete() cleared the pk of removed blocks
    ReportBlock.objects.bulk_update(
        kept,
        [
            "section_key",
            "position",
            "kind",
            "text",
            "generated_text",
            "numbered",
            "style",
            "footnotes",
            "data",
            "sources",
            "access",
            "stale",
        ],
    )
    report.outline = outline
    report.document_meta = {"subtitle": document.subtitle, "authors": document.authors, "date": document.date}
    report.last_changes = changes
    report.build_status = BuildStatus.READY
    report.progress = 100
    report.progress_note = ""
    report.build_error = ""
    report.built_at = timezone.now()
    report.save()
    record_event(
        user,
        "report.build",
        report,
        after={"blocks": len(generated), "changes": len(changes), "first_build": first_build},
    )
    return changes


def start_build(user, report: ReportDefinition) -> ReportDefinition:
    """Queue a build (the worker runs it; tests run it at once). Nothing else is written until it runs."""
    require_write(user, report.organisation_id, visibility.ANALYSE_ROLES, report.confidentiality)
    if report.build_status in (BuildStatus.QUEUED, BuildStatus.BUILDING):
        raise InvalidInput(_("This report is already being built."))
    from .tasks import build_report

    with transaction.atomic():
        ReportDefinition.objects.filter(pk=report.pk).update(
            build_status=BuildStatus.QUEUED, progress=0, progress_note="", build_error=""
        )
        record_event(user, "report.build_queued", report, after={"kind": report.kind})
    transaction.on_commit(lambda: build_report.enqueue(report.pk, user.pk))
    report.refresh_from_db()
    return report


def build_now(user, report: ReportDefinition) -> list[dict[str, str]]:
    """Generate and store the report in this process, reporting progress on the definition."""
    require_write(user, report.organisation_id, visibility.ANALYSE_ROLES, report.confidentiality)

    def progress(percent: int, note: str) -> None:
        ReportDefinition.objects.filter(pk=report.pk).update(
            build_status=BuildStatus.BUILDING, progress=min(percent, 99), progress_note=str(note)[:200]
        )

    progress(5, _("starting"))
    try:
        document = generate(scope_of(user, report), progress)
    except DomainError as exc:
        # An empty scope is a clear message on the report page; nothing else is written.
        ReportDefinition.objects.filter(pk=report.pk).update(
            build_status=BuildStatus.FAILED if report.built_at is None else BuildStatus.READY,
            progress=0,
            progress_note="",
            build_error=exc.message[:500],
        )
        raise
    progress(90, _("saving"))
    changes = apply_document(user, report, document)
    report.refresh_from_db()
    return changes


# --- Editing ---------------------------------------------------------------------------------------------


def _require_edit(user, report: ReportDefinition) -> None:
    require_write(user, report.organisation_id, visibility.ANALYSE_ROLES, report.confidentiality)


def _require_block(user, block: ReportBlock) -> None:
    """Edit, move or delete only blocks the user may read: a withheld block is as good as missing."""
    _require_edit(user, block.report)
    if not queries.readable_block(user, block):
        raise NotFound(_("No such record, or you do not have access to it."))


def _check_text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(_("A paragraph cannot be empty."), field="text")
    _no_nul(text, "text")
    if len(text) > MAX_PARAGRAPH:
        raise TooLarge(_("A paragraph may have at most %(n)s characters.") % {"n": MAX_PARAGRAPH}, field="text")
    return text.strip()


@transaction.atomic
def edit_block(user, block: ReportBlock, *, expected_version: int, text: str) -> ReportBlock:
    """Change a paragraph's text; a stale version (someone saved meanwhile) raises Conflict with both texts."""
    report = block.report
    _require_block(user, block)
    text = _check_text(text)
    current = ReportBlock.objects.select_for_update().get(pk=block.pk)
    if current.kind != BlockKind.PARAGRAPH:
        raise InvalidInput(_("Only paragraphs can be edited; tables and figures follow the data."))
    if current.version != expected_version:
        raise Conflict(
            _("Someone else saved this paragraph after you opened it."),
            current={"text": current.text},
            submitted={"text": text},
            version=current.version,
            labels={"text": _("text")},
        )
    before = current.text
    if text == before:
        return current  # saved unchanged: no new version, no audit event
    current.text = text
    current.edited = current.is_free or text != current.generated_text
    current.version += 1
    current.save(update_fields=["text", "edited", "version", "updated_at"])
    record_event(
        user,
        "report.paragraph_edit",
        report,
        before={"key": current.key, "text": before},
        after={"key": current.key, "text": text},
    )
    return current


@transaction.atomic
def revert_block(user, block: ReportBlock, *, expected_version: int) -> ReportBlock:
    """Go back to the generated text of a paragraph."""
    if block.is_free:
        raise InvalidInput(_("A paragraph you wrote has no generated text to go back to."))
    return edit_block(user, block, expected_version=expected_version, text=block.generated_text or block.text)


@transaction.atomic
def move_block(user, block: ReportBlock, direction: str) -> None:
    """Move a block one place up or down within its section."""
    report = block.report
    _require_block(user, block)
    if direction not in ("up", "down"):
        raise InvalidInput(_("Move up or down."), field="direction")
    ReportDefinition.objects.select_for_update().get(pk=report.pk)  # serialise reorders of one report
    siblings = list(report.blocks.filter(section_key=block.section_key).order_by("position", "pk"))
    index = next(i for i, b in enumerate(siblings) if b.pk == block.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise InvalidInput(_("This block is already at the edge of its section."))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    ReportBlock.objects.bulk_update(siblings, ["position"])
    record_event(user, "report.paragraph_move", report, after={"key": block.key, "direction": direction})


@transaction.atomic
def add_paragraph(
    user, report: ReportDefinition, *, after: ReportBlock | None, section_key: str, text: str
) -> ReportBlock:
    """A free paragraph written by an analyst, after `after` (or at the top of the section)."""
    _require_edit(user, report)
    text = _check_text(text)
    ReportDefinition.objects.select_for_update().get(pk=report.pk)
    if section_key not in {o["key"] for o in report.outline}:
        raise InvalidInput(_("No such section in this report."), field="section")
    siblings = list(report.blocks.filter(section_key=section_key).order_by("position", "pk"))
    index = 0
    if after is not None:
        if after.report_id != report.pk or after.section_key != section_key:
            raise InvalidInput(_("That paragraph is not in this section."))
        index = next(i for i, b in enumerate(siblings) if b.pk == after.pk) + 1
    block = ReportBlock(
        report=report, section_key=section_key, key=f"free-{uuid.uuid4().hex[:12]}", text=text, edited=True
    )
    siblings.insert(index, block)
    block.position = index
    block.save()
    for position, sibling in enumerate(siblings):
        sibling.position = position
    ReportBlock.objects.bulk_update(siblings, ["position"])
    record_event(user, "report.paragraph_add", report, after={"key": block.key, "text": text})
    return block


@transaction.atomic
def delete_paragraph(user, block: ReportBlock) -> None:
    """Remove a free paragraph, or a stale one whose data is gone (generated ones come back on regeneration)."""
    report = block.report
    _require_block(user, block)
    if not (block.is_free or block.stale):
        raise InvalidInput(_("Generated paragraphs cannot be deleted; edit their text or change the report's filters."))
    record_event(user, "report.paragraph_delete", report, before={"key": block.key, "text": block.text})
    block.delete()


# --- Publication -----------------------------------------------------------------------------------------


@transaction.atomic
def publish(user, report: ReportDefinition, *, accept_unsourced: bool = False) -> Publication:
    """Freeze the report onto the public portal, after checking it exposes nothing that is not public."""
    require_write(user, report.organisation_id, visibility.REVIEW_ROLES, report.confidentiality)
    report = ReportDefinition.objects.select_for_update().get(pk=report.pk)
    if report.built_at is None or not report.blocks.exists():
        raise InvalidInput(_("Build the report before publishing it."))
    problems = queries.publication_problems(user, report)
    if problems:
        raise PublicationRefused(
            _("This report cannot be public yet: it uses data that is not public. Nothing was published."), problems
        )
    unsourced = queries.unsourced_figures(report)
    if unsourced and not accept_unsourced:
        raise InvalidInput(
            ngettext(
                "%(n)s paragraph states a figure without a source (listed under “Before publication”). "
                "Add a footnote, or confirm that you publish it as it is.",
                "%(n)s paragraphs state figures without a source (listed under “Before publication”). "
                "Add footnotes, or confirm that you publish them as they are.",
                len(unsourced),
            )
            % {"n": len(unsourced)},
            field="accept_unsourced",
        )
    document = queries.assemble(report)
    data = document_to_dict(document)
    search_text = "\n".join([document.title] + [p.text for p in document.paragraphs()])
    summary = next((p.text for p in document.paragraphs() if p.numbered), "")[:500]
    existing = Publication.objects.filter(report=report).first()
    if existing is None:
        base = slugify(report.title)[:60] or "report"
        slug = f"{base}-{report.pk}"
        publication = create_record(
            user,
            Publication,
            organisation=report.organisation_id,
            roles=visibility.REVIEW_ROLES,
            verb="report.publish",
            report=report,
            slug=slug,
            title=report.title,
            kind=report.kind,
            language=report.language,
            summary=summary,
            document=data,
            search_text=search_text,
            confidentiality=Confidentiality.PUBLIC,
        )
        if report.is_synthetic:
            Publication.objects.filter(pk=publication.pk).update(is_synthetic=True)
            publication.is_synthetic = True
        return publication
    existing.title, existing.kind, existing.language = report.title, report.kind, report.language
    existing.summary, existing.document, existing.search_text = summary, data, search_text
    existing.published_at, existing.deleted_at = timezone.now(), None
    existing.confidentiality = Confidentiality.PUBLIC
    existing.version += 1
    existing.save()
    record_event(user, "report.republish", existing, after={"version": existing.version})
    return existing


@transaction.atomic
def withdraw(user, report: ReportDefinition) -> None:
    """Take a report off the portal (the publication goes to the trash, where a coordinator can restore it)."""
    require_write(user, report.organisation_id, visibility.REVIEW_ROLES, report.confidentiality)
    publication = Publication.objects.filter(report=report, deleted_at__isnull=True).first()
    if publication is None:
        raise InvalidInput(_("This report is not published."))
    publication.deleted_at = timezone.now()
    publication.save(update_fields=["deleted_at"])
    record_event(user, "publication.delete", publication, before={"deleted_at": None})
