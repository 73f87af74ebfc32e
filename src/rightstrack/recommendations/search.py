"""Full-text search over recommendations (English, Russian, Kazakh; SQLite FTS5 or PostgreSQL).

The engine, stemming and thesaurus expansion are `core.textsearch`'s; this module says what a recommendation's
document is (its text plus its translations, each stemmed in its own language) and keeps the index in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.expressions import OrderBy

from rightstrack.core import textsearch

INDEX = textsearch.FullTextIndex("recommendations_fts", "recommendations_search", "recommendation_id")


def document(text: str, translations: dict | None = None) -> str:
    """The stemmed document indexed for a recommendation."""
    return textsearch.document(text, *(str(v) for v in (translations or {}).values()))


def create_schema(schema_editor=None) -> None:
    """Create the search table for the current database (called by the migration)."""
    INDEX.create_schema()


def drop_schema(schema_editor=None) -> None:
    INDEX.drop_schema()


def index(items: Iterable[tuple[int, str, dict]]) -> int:
    """(Re)index (id, text, translations) triples; returns how many. Call inside the writing transaction."""
    return INDEX.index((pk, document(text, translations)) for pk, text, translations in items)


def unindex(ids: Iterable[int]) -> None:
    INDEX.unindex(ids)


def restrict(qs: QuerySet, raw: str, expand: bool = True) -> QuerySet:
    """`qs` (recommendations, already filtered for visibility) narrowed to the search; unchanged if empty."""
    query = textsearch.parse(raw, expand=expand)
    return INDEX.join(qs, query) if query else qs


def expansions(raw: str) -> list[tuple[str, list[str]]]:
    """What the thesaurus adds to this search: (words typed, terms also searched for), for the page to say."""
    return textsearch.parse(raw).expansions


def newest_first() -> OrderBy:
    return INDEX.newest_first()


def rebuild() -> int:
    """Re-index every recommendation (after a restore, if the index was lost, or when stemming changed)."""
    from .models import Recommendation

    INDEX.clear()
    total = 0
    batch: list[tuple[int, str, dict]] = []
    for row in Recommendation.objects.values_list("pk", "text", "translations").iterator(chunk_size=2000):
        batch.append(row)
        if len(batch) >= 2000:
            total += index(batch)
            batch = []
    return total + index(batch)
