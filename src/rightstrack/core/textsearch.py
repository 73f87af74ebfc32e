"""Full-text search in English, Russian and Kazakh, the same on SQLite FTS5 and PostgreSQL.

What is indexed is *stems*, computed here, so both databases give the same answers:

* a Latin word is stemmed with the Snowball English stemmer;
* a Cyrillic word with the Kazakh light stemmer (`core.kazakh`) when it has a Kazakh letter (ә ғ қ ң ө ұ ү һ
  і) or stands in a text that reads as Kazakh, otherwise with the Snowball Russian stemmer;
* look-alike letters in mixed-script words are folded first (`core.scripts`), as ingestion does.

A query is parsed into groups (every group must match; inside a group any alternative may). A typed word's
alternatives are its Russian and Kazakh readings (a Cyrillic word without Kazakh letters may be either), and,
with expansion on, every term of the thesaurus concepts it names, in all three languages (`core.thesaurus`):
``пытки`` also looks for *torture* and *азаптау*. `Query.expansions` says what was added, for the page to show.

Query syntax (what analysts type): words (all must match), "a quoted phrase", a trailing ``*`` for a prefix
(``ratif*``), and ``-word`` to exclude. Anything else is ignored, never an SQL error.

`FullTextIndex` is one index (an FTS5 table on SQLite, a table with a ``tsvector`` and a GIN index on
PostgreSQL) keyed by the id of the rows it covers. It knows nothing of confidentiality: it is only ever joined
to a queryset that already carries the visibility filter.
"""

# ruff: noqa: S608, S610, S611 - SQL is built only from table-name constants; every user value is a parameter.
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy, RawSQL

from . import kazakh, thesaurus
from .scripts import fold_homoglyphs

MAX_TERMS = 12
MAX_QUERY = 300
MAX_ALTERNATIVES = 40  # per group: a concept with many synonyms must not make a query of hundreds of terms
MAX_NGRAM = 4  # longest thesaurus term matched in a query, in words

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
WORD = re.compile(r"[0-9a-zа-яёәғқңөұүһі]+", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_en = snowballstemmer.stemmer("english")
_ru = snowballstemmer.stemmer("russian")


# --- Stems -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=200_000)
def stem(word: str, language: str = "") -> str:
    """The stem of one word. `language` ("en", "ru", "kk") forces a stemmer for Cyrillic; "" guesses per word."""
    word = word.lower().replace("ё", "е")
    if not _CYRILLIC.search(word):
        return _en.stemWord(word)
    if language == "kk" or KAZAKH_LETTERS.intersection(word):
        return kazakh.stem(word)
    return _ru.stemWord(word)


def words(text: str) -> list[str]:
    """The words of `text` as search sees them (homoglyphs folded)."""
    return WORD.findall(fold_homoglyphs(text or ""))


def reads_as_kazakh(tokens: list[str]) -> bool:
    """Whether Cyrillic words read as Kazakh: one in eight or more has a Kazakh letter (Russian has none)."""
    cyrillic = [w for w in tokens if _CYRILLIC.search(w)]
    if not cyrillic:
        return False
    marked = sum(1 for w in cyrillic if KAZAKH_LETTERS.intersection(w.lower()))
    return marked * 8 >= len(cyrillic)


def document(*texts: str, language: str = "") -> str:
    """The stemmed document indexed for a record made of these texts (each judged Kazakh or not on its own,
    unless `language` says the record is Kazakh, as ingestion's language detection does for passages)."""
    out: list[str] = []
    for text in texts:
        tokens = words(text)
        reading = "kk" if language == "kk" or reads_as_kazakh(tokens) else ""
        out.extend(stem(w, reading) for w in tokens)
    return " ".join(out)


def readings(tokens: list[str]) -> list[tuple[str, ...]]:
    """The stem sequences typed words may stand for: a Russian and a Kazakh reading unless a Kazakh letter
    settles it (Latin words have one reading either way)."""
    if any(KAZAKH_LETTERS.intersection(t.lower()) for t in tokens):
        return [tuple(stem(t, "kk") for t in tokens)]
    out = [tuple(stem(t) for t in tokens)]
    kk = tuple(stem(t, "kk") for t in tokens)
    return out if kk == out[0] else [*out, kk]


# --- Queries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """Stems that must all occur: next to each other in this order if `phrase`, anywhere otherwise."""

    stems: tuple[str, ...]
    phrase: bool = True


@dataclass
class Group:
    """Something the user asked for: a record matches it if it matches any alternative."""

    alternatives: list[Alternative]
    typed: str = ""
    added: list[str] = field(default_factory=list)  # thesaurus terms added by expansion, for the page


@dataclass
class Query:
    groups: list[Group] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups or self.prefixes)

    @property
    def expansions(self) -> list[tuple[str, list[str]]]:
        """(what the user typed, terms also searched for) for each expanded group."""
        return [(g.typed, g.added) for g in self.groups if g.added]


def _literal(tokens: list[str], phrase: bool) -> list[Alternative]:
    """The typed words themselves, in each reading: unquoted words of a multi-word thesaurus term may stand
    anywhere in the record, as they would without the thesaurus."""
    return [Alternative(r, phrase or len(tokens) == 1) for r in readings(tokens)]


def _expanded(tokens: list[str], typed: str, phrase: bool) -> Group | None:
    """A group for `tokens` with the thesaurus terms they name, or None if they name no concept."""
    found = thesaurus.lookup(readings(tokens))
    if not found:
        return None
    alternatives = _literal(tokens, phrase)
    typed_stems = {a.stems for a in alternatives}
    added: list[str] = []
    for concept in found:
        for language, term, stems in concept.stemmed():
            if stems in typed_stems or len(alternatives) >= MAX_ALTERNATIVES:
                continue
            alternatives.append(Alternative(stems, True))
            typed_stems.add(stems)
            if term == concept.label(language) and term not in added:
                added.append(term)
    return Group(alternatives, typed, added)


def parse(raw: str, expand: bool = True) -> Query:
    """Parse what the user typed; never raises (junk becomes an empty query)."""
    query = Query()
    raw = fold_homoglyphs((raw or "")[:MAX_QUERY])
    for quoted in re.findall(r'"([^"]*)"', raw):
        tokens = WORD.findall(quoted)
        if tokens:
            group = _expanded(tokens, quoted.strip(), True) if expand else None
            query.groups.append(group or Group(_literal(tokens, True), quoted.strip()))
    plain: list[str] = []
    for token in re.sub(r'"[^"]*"', " ", raw).split():
        negative = token.startswith("-")
        prefix = token.endswith("*")
        found = WORD.findall(token)
        if not found:
            continue
        if negative:
            query.excluded.extend(s for w in found for (s,) in readings([w]))
        elif prefix and len(found) == 1 and len(found[0]) >= 2:
            # A prefix is matched on the raw lower-case form: stemming "ratif" would be meaningless.
            query.prefixes.append(found[0].lower().replace("ё", "е"))
        else:
            plain.extend(found)
    i = 0
    while i < len(plain):
        for n in range(min(MAX_NGRAM, len(plain) - i), 0, -1) if expand else (1,):
            tokens = plain[i : i + n]
            group = _expanded(tokens, " ".join(tokens), False) if expand else None
            if group or n == 1:
                query.groups.append(group or Group(_literal(tokens, True), tokens[0]))
                i += n
                break
    query.groups = query.groups[:MAX_TERMS]
    query.prefixes = query.prefixes[:MAX_TERMS]
    query.excluded = query.excluded[:MAX_TERMS]
    return query


def _fts5(alternative: Alternative) -> str:
    # Every stem is quoted, so FTS5 operators typed by the user are plain words.
    if alternative.phrase:
        return '"' + " ".join(alternative.stems) + '"'
    return "(" + " AND ".join(f'"{s}"' for s in alternative.stems) + ")"


def fts5_expression(query: Query) -> str:
    parts = ["(" + " OR ".join(_fts5(a) for a in g.alternatives) + ")" for g in query.groups]
    parts += [f'"{p}" *' for p in query.prefixes]
    expression = " AND ".join(parts)
    for word in query.excluded:
        expression += f' NOT "{word}"'
    return expression


def _ts(alternative: Alternative) -> str:
    # Stems contain only letters and digits, so they are safe inside a to_tsquery string.
    return "(" + (" <-> " if alternative.phrase else " & ").join(alternative.stems) + ")"


def tsquery(query: Query) -> str:
    parts = ["(" + " | ".join(_ts(a) for a in g.alternatives) + ")" for g in query.groups]
    parts += [f"({p}:*)" for p in query.prefixes]
    expression = " & ".join(parts)
    for word in query.excluded:
        expression += f" & !{word}"
    return expression


# --- Engine ----------------------------------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class FullTextIndex:
    """One full-text index: `sqlite_table` (FTS5, rowid = the row's id) or `pg_table` (`key`, `document`)."""

    sqlite_table: str
    pg_table: str
    key: str

    @property
    def table(self) -> str:
        return self.pg_table if _postgres() else self.sqlite_table

    def create_schema(self) -> None:
        with connection.cursor() as cursor:
            if _postgres():
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {self.pg_table} ({self.key} bigint PRIMARY KEY, document tsvector)"
                )
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {self.pg_table}_gin ON {self.pg_table} USING gin (document)"
                )
            else:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.sqlite_table} USING fts5(document, tokenize='unicode61')"
                )

    def drop_schema(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def index(self, rows: Iterable[tuple[int, str]]) -> int:
        """(Re)index (id, stemmed document) pairs; returns how many. Call inside the writing transaction."""
        rows = list(rows)
        if not rows:
            return 0
        with connection.cursor() as cursor:
            if _postgres():
                cursor.executemany(
                    f"INSERT INTO {self.pg_table} ({self.key}, document) VALUES (%s, to_tsvector('simple', %s)) "
                    f"ON CONFLICT ({self.key}) DO UPDATE SET document = EXCLUDED.document",
                    rows,
                )
            else:
                cursor.executemany(f"DELETE FROM {self.sqlite_table} WHERE rowid = %s", [(pk,) for pk, _d in rows])
                cursor.executemany(f"INSERT INTO {self.sqlite_table} (rowid, document) VALUES (%s, %s)", rows)
        return len(rows)

    def unindex(self, ids: Iterable[int]) -> None:
        params = [(pk,) for pk in ids]
        if params:
            column = self.key if _postgres() else "rowid"
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {self.table} WHERE {column} = %s", params)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def join(self, qs: QuerySet, query: Query) -> QuerySet:
        """`qs` narrowed to rows matching `query`, by a join to the index (`qs` keeps its visibility filter).

        A join rather than ``id IN (SELECT …)``: SQLite can then walk the matches in id order and stop after a
        page, instead of collecting every match first.
        """
        table = qs.model._meta.db_table
        if _postgres():
            where = [
                f"{self.pg_table}.{self.key} = {table}.id",
                f"{self.pg_table}.document @@ to_tsquery('simple', %s)",
            ]
            return qs.extra(tables=[self.pg_table], where=where, params=[tsquery(query)])
        where = [f"{self.sqlite_table}.rowid = {table}.id", f"{self.sqlite_table} MATCH %s"]
        return qs.extra(tables=[self.sqlite_table], where=where, params=[fts5_expression(query)])

    def matching_ids(self, query: Query) -> RawSQL:
        """A subquery of the ids matching `query`, for ``filter(pk__in=…)`` combined with other conditions."""
        if _postgres():
            return RawSQL(
                f"SELECT {self.key} FROM {self.pg_table} WHERE document @@ to_tsquery('simple', %s)", (tsquery(query),)
            )
        return RawSQL(
            f"SELECT rowid FROM {self.sqlite_table} WHERE {self.sqlite_table} MATCH %s", (fts5_expression(query),)
        )

    def newest_first(self) -> OrderBy:
        """Newest-first order for a joined queryset, in the form each engine reads straight off its index.

        SQLite does not see that ordering by the row id is ordering by the index rowid it joined on, and would
        sort every match; PostgreSQL does, and orders by the primary key.
        """
        if _postgres():
            return F("pk").desc()
        return RawSQL(f"{self.sqlite_table}.rowid", ()).desc()
