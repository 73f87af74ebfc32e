"""Full-text search over recommendations with English and Russian stemming, on SQLite and PostgreSQL.

One interface (`index`, `unindex`, `restrict`, `parse`) over two engines:

* SQLite: an FTS5 table ``recommendations_fts`` (rowid = recommendation id);
* PostgreSQL: a table ``recommendations_search`` with a ``tsvector`` column and a GIN index.

Both index the same *stems*: words are stemmed here with the Snowball English and Russian stemmers
(a Cyrillic word with the Russian one, any other with the English one), so "torturing" finds
"torture", "пыткам" finds "пытки", and both databases give the same answers. The text indexed is
the recommendation text plus its translations.

Query syntax (what analysts type): words (all must match), "a quoted phrase", a trailing ``*`` for
a prefix (``ratif*``), and ``-word`` to exclude. Anything else is ignored, never an SQL error.
"""

# ruff: noqa: S608, S610, S611 - SQL is built only from the table-name constants below; every user value is a parameter.
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy, RawSQL

SQLITE_TABLE = "recommendations_fts"
PG_TABLE = "recommendations_search"
MAX_TERMS = 12
MAX_QUERY = 300

_WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_en = snowballstemmer.stemmer("english")
_ru = snowballstemmer.stemmer("russian")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case word (Russian stemmer for Cyrillic words, English otherwise)."""
    word = word.lower().replace("ё", "е")
    return _ru.stemWord(word) if _CYRILLIC.search(word) else _en.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text)]


def document(text: str, translations: dict | None = None) -> str:
    """The stemmed document indexed for a recommendation."""
    parts = [text, *(str(v) for v in (translations or {}).values())]
    return " ".join(stems(" ".join(parts)))


# --- Query parsing ---------------------------------------------------------------------------------


@dataclass
class Query:
    """A parsed search: phrases (lists of stems; one-word phrases are plain terms), prefixes and exclusions."""

    phrases: list[list[str]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.phrases or self.prefixes)


def parse(raw: str) -> Query:
    """Parse what the user typed; never raises (junk becomes an empty query)."""
    query = Query()
    raw = (raw or "")[:MAX_QUERY]
    for quoted in re.findall(r'"([^"]*)"', raw):
        words = stems(quoted)
        if words:
            query.phrases.append(words)
    rest = re.sub(r'"[^"]*"', " ", raw)
    for token in rest.split():
        negative = token.startswith("-")
        prefix = token.endswith("*")
        words = _WORD.findall(token)
        if not words:
            continue
        if negative:
            query.excluded.extend(stem(w) for w in words)
        elif prefix and len(words) == 1 and len(words[0]) >= 2:
            # A prefix is matched on the raw lower-case form: stemming "ratif" would be meaningless.
            query.prefixes.append(words[0].lower().replace("ё", "е"))
        else:
            query.phrases.extend([stem(w)] for w in words)
    query.phrases = query.phrases[:MAX_TERMS]
    query.prefixes = query.prefixes[:MAX_TERMS]
    query.excluded = query.excluded[:MAX_TERMS]
    return query


def _fts5_expression(query: Query) -> str:
    # Every term is quoted, so FTS5 operators typed by the user are plain words.
    parts = ['"' + " ".join(p) + '"' for p in query.phrases]
    parts += [f'"{p}" *' for p in query.prefixes]
    expression = " AND ".join(parts)
    for word in query.excluded:
        expression += f' NOT "{word}"'
    return expression


def _tsquery(query: Query) -> str:
    # Stems contain only [0-9a-zа-я], so they are safe inside a to_tsquery string.
    parts = [" <-> ".join(p) for p in query.phrases]
    parts += [f"{p}:*" for p in query.prefixes]
    expression = " & ".join(f"({p})" for p in parts)
    for word in query.excluded:
        expression += f" & !{word}"
    return expression


# --- Engine ----------------------------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor


def create_schema(schema_editor=None) -> None:
    """Create the search table for the current database (called by the migration)."""
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (recommendation_id bigint PRIMARY KEY, document tsvector)"
            )
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_gin ON {PG_TABLE} USING gin (document)")
        else:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(document, tokenize='unicode61')"
            )


def drop_schema(schema_editor=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PG_TABLE if _vendor() == 'postgresql' else SQLITE_TABLE}")


def index(items: Iterable[tuple[int, str, dict]]) -> int:
    """(Re)index (id, text, translations) triples; returns how many. Call inside the writing transaction."""
    rows = [(pk, document(text, translations)) for pk, text, translations in items]
    if not rows:
        return 0
    ids = [(pk,) for pk, _doc in rows]
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (recommendation_id, document) VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (recommendation_id) DO UPDATE SET document = EXCLUDED.document",
                rows,
            )
        else:
            cursor.executemany(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", ids)
            cursor.executemany(f"INSERT INTO {SQLITE_TABLE} (rowid, document) VALUES (%s, %s)", rows)
    return len(rows)


def unindex(ids: Iterable[int]) -> None:
    params = [(pk,) for pk in ids]
    if not params:
        return
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.executemany(f"DELETE FROM {PG_TABLE} WHERE recommendation_id = %s", params)
        else:
            cursor.executemany(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", params)


def restrict(qs: QuerySet, raw: str) -> QuerySet:
    """`qs` (recommendations) narrowed to those matching the search; unchanged if the search is empty.

    A join to the index rather than ``id IN (SELECT …)``: SQLite can then walk the matches in id order and
    stop after a page, instead of collecting every match first (all 300,000 for a word such as "the").
    The caller keeps its visibility filter in `qs`: the index knows nothing of confidentiality, so it is
    never read on its own.
    """
    query = parse(raw)
    if not query:
        return qs
    table = qs.model._meta.db_table
    if _vendor() == "postgresql":
        where = [f"{PG_TABLE}.recommendation_id = {table}.id", f"{PG_TABLE}.document @@ to_tsquery('simple', %s)"]
        return qs.extra(tables=[PG_TABLE], where=where, params=[_tsquery(query)])
    where = [f"{SQLITE_TABLE}.rowid = {table}.id", f"{SQLITE_TABLE} MATCH %s"]
    return qs.extra(tables=[SQLITE_TABLE], where=where, params=[_fts5_expression(query)])


def newest_first() -> OrderBy:
    """Newest-first order for a restricted queryset, in the form each engine reads straight off its index.

    SQLite does not see that ordering by the recommendation id is ordering by the index rowid it joined on,
    and would sort every match; PostgreSQL does, and orders by the primary key.
    """
    if _vendor() == "postgresql":
        return F("pk").desc()
    return RawSQL(f"{SQLITE_TABLE}.rowid", ()).desc()


def rebuild() -> int:
    """Re-index every recommendation (after a restore, or if the index was lost)."""
    from .models import Recommendation

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PG_TABLE if _vendor() == 'postgresql' else SQLITE_TABLE}")
    total = 0
    batch: list[tuple[int, str, dict]] = []
    for row in Recommendation.objects.values_list("pk", "text", "translations").iterator(chunk_size=2000):
        batch.append(row)
        if len(batch) >= 2000:
            total += index(batch)
            batch = []
    return total + index(batch)
