"""The ingest demo: a synthetic summary read at once, loaded twice without duplicates."""

from __future__ import annotations

from types import SimpleNamespace

from rightstrack.evidence.models import SourceDocument
from rightstrack.ingest import demo
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion


def test_demo_loads_once_with_suggestions(org_a, admin_a, django_capture_on_commit_callbacks):
    ctx = SimpleNamespace(users={"admin": admin_a}, organisations={"coalition": org_a})
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(ctx)
    run = IngestionRun.objects.get()
    assert run.status == RunStatus.DONE
    document = SourceDocument.objects.get()
    assert document.is_synthetic and "synthetic" in document.title.lower()
    kinds = set(Suggestion.objects.values_list("kind", flat=True))
    assert {"recommendation", "upr_id", "symbol", "claim"} <= kinds
    count = Suggestion.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(ctx)
    assert IngestionRun.objects.count() == 1 and Suggestion.objects.count() == count
