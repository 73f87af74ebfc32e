"""API: list, create, build and read reports; download a rendered file. Mounted at /api/reports/."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router, Schema, Status

from rightstrack.core.actions import get_visible

from . import actions, queries
from .models import ReportDefinition

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    language: str
    confidentiality: str
    build_status: str
    progress: int
    build_error: str
    filters: dict[str, Any]


class ReportIn(Schema):
    organisation: int
    title: str
    kind: str
    state: str = "KZ"
    language: str = "en"
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    filters: dict[str, Any] = {}
    organisations: list[int] | None = None
    confidentiality: str = "internal"


class ParagraphOut(Schema):
    id: int
    key: str
    section: str
    number: int | None
    kind: str
    text: str
    edited: bool
    version: int
    withheld: bool  # built from records the reader may not see: text is empty, the page shows a note


@router.get("/reports", response=list[ReportOut])
def list_reports(request):
    return list(queries.reports_for(request.auth)[:200])


@router.post("/reports", response={201: ReportOut})
def create_report(request, payload: ReportIn):
    data = payload.dict()
    organisation = data.pop("organisation")
    return Status(201, actions.create_report(request.auth, organisation=organisation, **data))


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request, report_id: int):
    return get_visible(request.auth, ReportDefinition, report_id)


@router.post("/reports/{report_id}/build", response=ReportOut)
def build_report(request, report_id: int):
    report = get_visible(request.auth, ReportDefinition, report_id)
    return actions.start_build(request.auth, report)


@router.get("/reports/{report_id}/paragraphs", response=list[ParagraphOut])
def paragraphs(request, report_id: int):
    report = get_visible(request.auth, ReportDefinition, report_id)
    blocks, _withheld = queries.readable_blocks(request.auth, report)
    return [
        {
            "id": b.pk,
            "key": b.key,
            "section": b.section_key,
            "number": n,
            "kind": b.kind,
            "text": "" if b.withheld else b.text,
            "edited": b.edited,
            "version": b.version,
            "withheld": b.withheld,
        }
        for b, n in queries.numbered_blocks(report, blocks)
    ]


@router.get("/reports/{report_id}/download/{fmt}")
def download(request, report_id: int, fmt: str):
    report = get_visible(request.auth, ReportDefinition, report_id)
    return queries.download(request.auth, report, fmt, queries.report_file_stem(report))
