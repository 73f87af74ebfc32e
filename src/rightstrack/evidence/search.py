"""Full-text search over passages of source documents, the same way as recommendations (`core.textsearch`).

Ingested documents in English, Russian and Kazakh get their passages indexed as they are stored, each stemmed
in its language (a passage ingestion marked Kazakh is read as Kazakh), so a query in one language finds
passages written in the others through the thesaurus.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from rightstrack.core import textsearch

INDEX = textsearch.FullTextIndex("evidence_passages_fts", "evidence_passages_search", "passage_id")


def index(passages: Iterable) -> int:
    """(Re)index these passages; call inside the transaction that writes them."""
    return INDEX.index((p.pk, textsearch.document(p.text, language=p.language)) for p in passages if p.pk)


def matching(qs: QuerySet, raw: str, expand: bool = True) -> QuerySet | None:
    """Passages of `qs` (already filtered for visibility) matching the search, or None for an empty search."""
    query = textsearch.parse(raw, expand=expand)
    return qs.filter(pk__in=INDEX.matching_ids(query)) if query else None


def expansions(raw: str) -> list[tuple[str, list[str]]]:
    return textsearch.parse(raw).expansions


def rebuild() -> int:
    """Re-index every passage (after a restore, or when stemming changed)."""
    from .models import Passage

    INDEX.clear()
    total, batch = 0, []
    for passage in Passage.objects.only("pk", "text", "language").iterator(chunk_size=2000):
        batch.append(passage)
        if len(batch) >= 2000:
            total += index(batch)
            batch = []
    return total + index(batch)
