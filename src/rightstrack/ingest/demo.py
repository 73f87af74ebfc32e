"""Demo: a SYNTHETIC meeting summary, read at once so its suggestions are ready to review."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.core.demo import SYNTHETIC
from rightstrack.core.models import Confidentiality
from rightstrack.evidence.models import SourceDocument

# Invented for the demo: no sentence here comes from a real document.
SUMMARY = f"""# Summary of a dialogue on civil and political rights (synthetic demo)

{SYNTHETIC}: an invented meeting summary for trying the review screen.

## Introduction by the delegation

1. The delegation said that 38 new courtrooms had been equipped with video recording in 2023, \
as reported in CCPR/C/KAZ/3.

## Questions by Committee experts

2. A Committee Expert said that 212 complaints of ill-treatment had been received in the first \
half of 2024 and asked about follow-up to 139.61-139.63.

### Recommendations

- ensure that every hearing is recorded and that recordings are given to the defence on request;
- publish, by 1 March 2026, data on complaints of ill-treatment in custody, broken down by region.
"""


def load(ctx) -> None:
    """Upload the summary for the coalition and run its reading now (idempotent: same file, same run)."""
    from . import actions

    admin = ctx.users["admin"]
    coalition = ctx.organisations["coalition"]
    document, run, started = actions.upload_for_ingestion(
        admin,
        organisation_id=coalition.pk,
        upload=SimpleUploadedFile("demo-dialogue-summary.md", SUMMARY.encode()),
        title="Synthetic dialogue summary (demo)",
        confidentiality=Confidentiality.INTERNAL,
        language="en",
    )
    SourceDocument.objects.filter(pk=document.pk).update(is_synthetic=True)
    if started:
        # Read now so the demo has suggestions without waiting for the worker; the queued job then
        # finds the run done and does nothing.
        actions.execute_run(run.pk)
