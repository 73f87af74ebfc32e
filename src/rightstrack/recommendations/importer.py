"""Import of UPR Info-style CSV and JSON: parse → check (row numbers in errors) → preview → apply in one transaction.

Idempotent: a row is keyed by its ``id`` within the importing organisation. Re-importing the same
file changes nothing; a changed row updates its recommendation, never duplicates it.

CSV columns (UPR Info export): ``id, session, cycle, state_under_review, recommending_state,
recommending_regional_group, text, response, action_category, issues``; optional ``mechanism``
(default ``upr``), ``upr_id``, ``paragraph``, ``symbol``, ``date``, ``language``, ``articles``,
``sdgs``, ``affected_groups`` (lists joined with ``|``). JSON: a list of objects with the same keys
(lists may be JSON arrays), or ``{"recommendations": [...]}``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rightstrack.core.actions import require_level, require_write
from rightstrack.core.audit import record_event
from rightstrack.core.errors import InvalidInput, TooLarge
from rightstrack.core.exports import is_formula
from rightstrack.core.models import Confidentiality, IccprArticle, Organisation, Sdg, Theme

from . import search
from .actions import ROLES
from .models import Mechanism, Recommendation, Response, Review, State

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
REQUIRED = ("id", "state_under_review", "text", "response")
KNOWN = {
    "id", "session", "cycle", "state_under_review", "recommending_state", "recommending_regional_group", "text",
    "response", "action_category", "issues", "mechanism", "upr_id", "paragraph", "symbol", "date", "language",
    "articles", "sdgs", "affected_groups",
}  # fmt: skip
RESPONSES = {
    "accepted": Response.SUPPORTED,
    "supported": Response.SUPPORTED,
    "noted": Response.NOTED,
    "partly": Response.PARTLY,
    "partially": Response.PARTLY,
    "partially supported": Response.PARTLY,
    "unclear": Response.NONE,
    "general_response": Response.NONE,
    "empty": Response.NONE,
    "none": Response.NONE,
    "": Response.NONE,
}
UNKNOWN_STATE = "(Unknown)"


@dataclass
class Row:
    """One checked input row, with everything resolved to ids."""

    number: int
    source_id: str
    mechanism_id: int
    state_id: int
    session: str
    cycle: int | None
    symbol: str
    date: datetime.date | None
    text: str
    language: str
    response: str
    action_category: int | None
    paragraph: str
    upr_id: str
    affected_groups: str
    themes: list[int] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    recommending: list[int] = field(default_factory=list)

    def review_key(self) -> tuple:
        return (self.mechanism_id, self.state_id, self.session, self.cycle, self.symbol)

    def values(self) -> dict[str, Any]:
        """What is compared with the stored recommendation to decide whether the row changed it."""
        return {
            "text": self.text,
            "language": self.language,
            "response": self.response,
            "action_category": self.action_category,
            "paragraph": self.paragraph,
            "upr_id": self.upr_id,
            "affected_groups": self.affected_groups,
        }

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        data = dict(data)
        data["date"] = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
        return cls(**data)


def _error(number: int, message: str) -> InvalidInput:
    return InvalidInput(_("Row %(n)s: %(m)s") % {"n": number, "m": message})


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            _("The file is not UTF-8 text (line %(n)s). Save it as “CSV UTF-8” and try again.") % {"n": line}
        )


def read_rows(content: bytes, filename: str) -> list[dict[str, Any]]:
    """Raw rows (dicts) from CSV or JSON, with the header checked. Raises InvalidInput/TooLarge."""
    if len(content) > MAX_BYTES:
        raise TooLarge(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    text = _decode(content)
    name = filename.lower()
    if name.endswith(".json") or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(_("The JSON is not valid (line %(n)s).") % {"n": exc.lineno})
        if isinstance(data, dict):
            data = data.get("recommendations")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InvalidInput(_("The JSON must be a list of recommendation objects."))
        rows = data
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InvalidInput(
                _("Missing columns: %(cols)s. Expected a UPR Info-style CSV with %(req)s.")
                % {"cols": ", ".join(missing), "req": ", ".join(REQUIRED)}
            )
        reader.fieldnames = header
        try:
            rows = [dict(r) for r in reader]
        except csv.Error as exc:
            raise InvalidInput(_("The CSV is malformed near line %(n)s.") % {"n": reader.line_num}) from exc
        for n, r in enumerate(rows, start=1):
            if None in r:
                raise _error(n, _("more cells than columns"))
    if len(rows) > MAX_ROWS:
        raise TooLarge(_("At most %(n)s rows per import.") % {"n": MAX_ROWS})
    if not rows:
        raise InvalidInput(_("The file holds no recommendations."))
    return rows


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split("|") if v.strip()]


class Vocabularies:
    """Look-up tables loaded once per import."""

    def __init__(self) -> None:
        self.mechanisms = {m.code: m.pk for m in Mechanism.objects.all()}
        self.states = {s.name.lower(): s.pk for s in State.objects.all()}
        self.themes = {}
        for t in Theme.objects.all():
            self.themes[t.code] = t.pk
            self.themes[t.name_en.lower()] = t.pk
        self.articles = dict(IccprArticle.objects.values_list("number", "pk"))
        self.sdgs = dict(Sdg.objects.values_list("number", "pk"))


def check_row(number: int, raw: dict[str, Any], vocab: Vocabularies) -> Row:
    """Resolve one raw row; every problem names the row and the column."""
    cells = {str(k).strip(): v for k, v in raw.items() if k is not None}
    for key, value in cells.items():
        for item in value if isinstance(value, list) else [value]:
            if is_formula(item):
                raise _error(number, _("column “%(c)s” starts like a spreadsheet formula; refused.") % {"c": key})

    def text(name: str, limit: int = 300) -> str:
        value = cells.get(name)
        value = "" if value is None else str(value).strip()
        if len(value) > limit:
            raise _error(number, _("column “%(c)s” is too long.") % {"c": name})
        return value

    source_id = text("id", 80)
    if not source_id:
        raise _error(number, _("the id is empty."))
    body = text("text", 20_000)
    if not body:
        raise _error(number, _("the text is empty."))
    mechanism = vocab.mechanisms.get(text("mechanism").lower() or "upr")
    if mechanism is None:
        raise _error(number, _("unknown mechanism “%(v)s”.") % {"v": text("mechanism")[:40]})
    state = vocab.states.get(text("state_under_review").lower())
    if state is None:
        raise _error(number, _("unknown State “%(v)s”.") % {"v": text("state_under_review")[:60]})
    response = RESPONSES.get(text("response").lower())
    if response is None:
        raise _error(number, _("unknown response “%(v)s”.") % {"v": text("response")[:30]})
    category_raw = text("action_category")
    category = None
    if category_raw:
        if category_raw not in {"1", "2", "3", "4", "5"}:
            raise _error(number, _("the action category must be 1 to 5."))
        category = int(category_raw)
    cycle_raw = text("cycle")
    if cycle_raw and not cycle_raw.isdigit():
        raise _error(number, _("the cycle must be a number."))
    session = text("session", 60)
    if not session and not text("symbol"):
        raise _error(number, _("give a session or an outcome document symbol."))
    date_raw = text("date")
    date = None
    if date_raw:
        try:
            date = datetime.date.fromisoformat(date_raw)
        except ValueError:
            raise _error(number, _("the date must look like 2019-11-07."))
    themes = []
    for label in _list(cells.get("issues")):
        pk = vocab.themes.get(label) or vocab.themes.get(label.lower())
        if pk is None:
            raise _error(number, _("unknown theme “%(v)s”.") % {"v": label[:60]})
        themes.append(pk)
    recommending = []
    for name in _list(cells.get("recommending_state")):
        if name == UNKNOWN_STATE:
            continue
        pk = vocab.states.get(name.lower())
        if pk is None:
            raise _error(number, _("unknown recommending State “%(v)s”.") % {"v": name[:60]})
        recommending.append(pk)

    def numbers(column: str, table: dict[int, int]) -> list[int]:
        out = []
        for value in _list(cells.get(column)):
            if not value.isdigit() or int(value) not in table:
                raise _error(number, _("unknown value “%(v)s” in “%(c)s”.") % {"v": value[:20], "c": column})
            out.append(table[int(value)])
        return out

    upr_id = text("upr_id", 40)
    if upr_id:
        from .upr_ids import expand

        try:
            ids = expand(upr_id)
        except InvalidInput as exc:
            raise _error(number, exc.message)
        if len(ids) != 1:
            raise _error(number, _("one UPR ID per row."))
        upr_id = ids[0]
    return Row(
        number=number,
        source_id=source_id,
        mechanism_id=mechanism,
        state_id=state,
        session=session,
        cycle=int(cycle_raw) if cycle_raw else None,
        symbol=text("symbol", 120),
        date=date,
        text=body,
        language=text("language", 8) or "en",
        response=response,
        action_category=category,
        paragraph=text("paragraph", 40),
        upr_id=upr_id,
        affected_groups=text("affected_groups"),
        themes=sorted(set(themes)),
        articles=sorted(set(numbers("articles", vocab.articles))),
        sdgs=sorted(set(numbers("sdgs", vocab.sdgs))),
        recommending=sorted(set(recommending)),
    )


def check_rows(raw_rows: Sequence[dict[str, Any]]) -> list[Row]:
    vocab = Vocabularies()
    rows = [check_row(n, raw, vocab) for n, raw in enumerate(raw_rows, start=1)]
    seen: dict[str, int] = {}
    for row in rows:
        if row.source_id in seen:
            raise _error(
                row.number, _("the id “%(id)s” repeats row %(m)s.") % {"id": row.source_id, "m": seen[row.source_id]}
            )
        seen[row.source_id] = row.number
    return rows


def parse(content: bytes, filename: str) -> tuple[list[Row], str]:
    """Checked rows and the file's SHA-256."""
    return check_rows(read_rows(content, filename)), hashlib.sha256(content).hexdigest()


# --- Planning and applying -------------------------------------------------------------------------


@dataclass
class Plan:
    create: list[Row] = field(default_factory=list)
    update: list[tuple[Row, Recommendation, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    unchanged: int = 0
    skipped_deleted: int = 0
    new_reviews: set[tuple] = field(default_factory=set)

    def summary(self) -> dict[str, int]:
        return {
            "create": len(self.create),
            "update": len(self.update),
            "unchanged": self.unchanged,
            "skipped": self.skipped_deleted,
            "new_reviews": len(self.new_reviews),
        }


def _existing_reviews(org_id: int) -> dict[tuple, int]:
    out = {}
    for r in Review.objects.filter(organisation_id=org_id, deleted_at__isnull=True).values(
        "pk", "mechanism_id", "state_id", "session", "cycle", "symbol"
    ):
        out.setdefault((r["mechanism_id"], r["state_id"], r["session"], r["cycle"], r["symbol"]), r["pk"])
    return out


def _m2m(through, column: str, rec_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for start in range(0, len(rec_ids), 5000):
        chunk = rec_ids[start : start + 5000]
        for rec_id, other in through.objects.filter(recommendation_id__in=chunk).values_list(
            "recommendation_id", column
        ):
            out.setdefault(rec_id, []).append(other)
    return {k: sorted(v) for k, v in out.items()}


def plan(org_id: int, rows: Sequence[Row]) -> Plan:
    """Compare rows with what the organisation already holds: what would be created, updated, left alone."""
    result = Plan()
    reviews = _existing_reviews(org_id)
    existing: dict[str, Recommendation] = {}
    ids = [r.source_id for r in rows]
    for start in range(0, len(ids), 5000):
        for rec in Recommendation.objects.filter(organisation_id=org_id, source_id__in=ids[start : start + 5000]):
            existing[rec.source_id] = rec
    rec_ids = [r.pk for r in existing.values()]
    m2m = {
        "themes": _m2m(Recommendation.themes.through, "theme_id", rec_ids),
        "articles": _m2m(Recommendation.articles.through, "iccprarticle_id", rec_ids),
        "sdgs": _m2m(Recommendation.sdgs.through, "sdg_id", rec_ids),
        "recommending": _m2m(Recommendation.recommending_states.through, "state_id", rec_ids),
    }
    for row in rows:
        rec = existing.get(row.source_id)
        review_id = reviews.get(row.review_key())
        if review_id is None:
            result.new_reviews.add(row.review_key())
        if rec is None:
            result.create.append(row)
            continue
        if rec.deleted_at is not None:
            result.skipped_deleted += 1
            continue
        diff = {
            name: (getattr(rec, name), value) for name, value in row.values().items() if getattr(rec, name) != value
        }
        if review_id != rec.review_id:
            diff["review"] = (rec.review_id, review_id)
        for name in ("themes", "articles", "sdgs", "recommending"):
            if m2m[name].get(rec.pk, []) != getattr(row, name):
                diff[name] = (m2m[name].get(rec.pk, []), getattr(row, name))
        if diff:
            result.update.append((row, rec, diff))
        else:
            result.unchanged += 1
    return result


def preview(user, organisation: Organisation | int, rows: Sequence[Row], confidentiality: str) -> dict[str, Any]:
    """Counts and the first changes, for the confirmation page."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    require_write(user, org_id, ROLES, confidentiality)
    require_level(user, org_id, None, confidentiality)  # importing as public is publishing
    result = plan(org_id, rows)
    return {
        **result.summary(),
        "total": len(rows),
        "examples_create": [(r.number, r.source_id, r.text[:120]) for r in result.create[:5]],
        "examples_update": [(row.number, row.source_id, sorted(diff)) for row, _rec, diff in result.update[:10]],
    }


@transaction.atomic
def apply(
    user,
    organisation: Organisation | int,
    rows: Sequence[Row],
    *,
    confidentiality: str = Confidentiality.INTERNAL,
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
    suggest: bool = True,
) -> dict[str, int]:
    """Write the import in one transaction (all rows or none) and return the counts."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    require_write(user, org_id, ROLES, confidentiality)
    require_level(user, org_id, None, confidentiality)  # importing as public is publishing
    total = len(rows)
    tick = progress or (lambda done, all_: None)
    result = plan(org_id, rows)
    reviews = _existing_reviews(org_id)
    for key in sorted(result.new_reviews, key=str):
        mechanism_id, state_id, session, cycle, symbol = key
        date = next((r.date for r in rows if r.review_key() == key and r.date), None)
        review = Review.objects.create(
            organisation_id=org_id,
            confidentiality=confidentiality,
            created_by=user,
            mechanism_id=mechanism_id,
            state_id=state_id,
            session=session,
            cycle=cycle,
            symbol=symbol,
            date=date,
        )
        reviews[key] = review.pk
    done = 0
    # Creates: bulk inserts, then the many-to-many rows and the search index.
    batch_size = 2000
    for start in range(0, len(result.create), batch_size):
        chunk = result.create[start : start + batch_size]
        objs = Recommendation.objects.bulk_create(
            [
                Recommendation(
                    organisation_id=org_id,
                    confidentiality=confidentiality,
                    created_by=user,
                    review_id=reviews[row.review_key()],
                    source_id=row.source_id,
                    classification_confirmed=bool(row.themes),
                    **row.values(),
                )
                for row in chunk
            ]
        )
        if any(o.pk is None for o in objs):  # databases that do not return ids from bulk inserts
            by_source = dict(
                Recommendation.objects.filter(
                    organisation_id=org_id, source_id__in=[r.source_id for r in chunk]
                ).values_list("source_id", "pk")
            )
            for obj in objs:
                obj.pk = by_source[obj.source_id]
        _set_m2m(list(zip(objs, chunk, strict=True)), replace=False)
        search.index((o.pk, o.text, {}) for o in objs)
        if suggest:
            from .actions import apply_suggestions

            apply_suggestions([o for o, row in zip(objs, chunk, strict=True) if not row.themes])
        done += len(chunk)
        tick(done + result.unchanged, total)
    # Updates: one audit event each, with the fields that changed.
    pairs = []
    for row, rec, diff in result.update:
        for name, value in row.values().items():
            setattr(rec, name, value)
        rec.review_id = reviews[row.review_key()]
        rec.version += 1
        rec.save()
        pairs.append((rec, row))
        record_event(
            user,
            "recommendation.import_update",
            rec,
            before={k: _plain(v[0]) for k, v in diff.items()},
            after={k: _plain(v[1]) for k, v in diff.items()},
        )
        done += 1
        if done % 500 == 0:
            tick(done + result.unchanged, total)
    _set_m2m(pairs, replace=True)
    search.index((rec.pk, rec.text, rec.translations) for rec, _row in pairs)
    summary = {**result.summary(), "total": total}
    org = Organisation.objects.get(pk=org_id)
    record_event(user, "recommendation.import", org, after={**summary, "file": filename[:200]})
    tick(total, total)
    return summary


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _set_m2m(pairs: list[tuple[Recommendation, Row]], *, replace: bool) -> None:
    specs = [
        (Recommendation.themes.through, "theme_id", "themes"),
        (Recommendation.articles.through, "iccprarticle_id", "articles"),
        (Recommendation.sdgs.through, "sdg_id", "sdgs"),
        (Recommendation.recommending_states.through, "state_id", "recommending"),
    ]
    ids = [rec.pk for rec, _row in pairs]
    for through, column, attr in specs:
        if replace and ids:
            through.objects.filter(recommendation_id__in=ids).delete()
        through.objects.bulk_create(
            [
                through(recommendation_id=rec.pk, **{column: value})
                for rec, row in pairs
                for value in getattr(row, attr)
            ],
            batch_size=5000,
        )
