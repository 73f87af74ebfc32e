"""The ingestion job end to end: upload → background job → passages and suggestions stored.

Measures pages/s of the whole job (reading, suggestions, database writes, progress updates) on a
text-layer PDF built from the corpus (synthetic text without ../shared), against the pure pipeline
(``extract`` with no database) on the same file in the same run; and the time to open the review
page of the result. SQLite runs in a temporary directory; with DATABASE_URL use a throw-away
database (the script migrates it).

Run: .venv/bin/python bench/ingest_job.py [--pages 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ingest"), str(ROOT / "bench")]
TMP = tempfile.mkdtemp(prefix="rt-bench-ingest-")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# The job runs in this process, as the immediate backend does in tests.
os.environ["RIGHTSTRACK_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()

    import docgen
    from ingest_pages import source_text

    if not docgen.have_fonts():
        print("DejaVu fonts are missing; cannot build the PDF")
        return 0
    call_command("migrate", verbosity=0)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from rightstrack.core.models import Membership, Organisation, Role
    from rightstrack.ingest.actions import upload_for_ingestion
    from rightstrack.ingest.models import IngestionRun
    from rightstrack.ingest.pipeline import extract

    text, origin = source_text()
    pdf = docgen.text_to_pdf(text, Path(TMP) / "bench.pdf", min_pages=args.pages)
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    print(f"document: {pages}-page PDF from {origin} text, {pdf.stat().st_size // 1024} KB")

    started = time.perf_counter()
    baseline = extract(pdf, detail=True)
    base_s = time.perf_counter() - started
    print(f"baseline  pipeline only (no database): {base_s:6.2f} s  {pages / base_s:6.1f} pages/s")

    from django.contrib.auth import get_user_model

    org, _ = Organisation.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    user = get_user_model().objects.create_user(f"bench{int(time.time())}", password="x")
    Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR, restricted_access=True)
    started = time.perf_counter()
    document, run, _ = upload_for_ingestion(
        user, organisation_id=org.pk, upload=SimpleUploadedFile("bench.pdf", pdf.read_bytes())
    )
    job_s = time.perf_counter() - started
    run = IngestionRun.objects.get(pk=run.pk)
    suggestions = run.suggestions.count()
    print(
        f"job       upload + job + storage:      {job_s:6.2f} s  {pages / job_s:6.1f} pages/s  "
        f"status={run.status} passages={document.passages.count()} suggestions={suggestions} "
        f"(pipeline found {len(baseline['recommendations'])} recommendations, {len(baseline['figures'])} figures)"
    )
    print(f"ratio     job / pipeline: {job_s / base_s:.2f}  (goal: >= 20 pages/s for the job)")

    client = Client()
    client.force_login(user)
    timings = []
    for kind in ("recommendation", "figure", "date"):
        started = time.perf_counter()
        response = client.get(f"/ingest/documents/{document.pk}/?kind={kind}")
        timings.append((kind, time.perf_counter() - started, response.status_code))
    for kind, seconds, status in timings:
        print(f"review page kind={kind:<15} {seconds * 1000:7.1f} ms  HTTP {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
