"""Who turns an accepted suggestion into a record: one acceptor per suggestion kind.

Domain apps register theirs in ``AppConfig.ready()`` so ingest never imports their models::

    from rightstrack.ingest import acceptors

    def accept_recommendation(user, suggestion):
        rec = actions.create_recommendation(user, ...)      # their own action: checks, audit
        cite_suggestion(user, rec, suggestion)                # citation to the source passage
        return rec

    acceptors.register("recommendation", accept_recommendation)

An acceptor is called as ``fn(user, suggestion)`` inside the transaction that marks the
suggestion accepted; it must create the record through the app's own actions (permission check
and audit event included), cite ``suggestion.passage`` and return the model instance it created
(a ``core.models.Record``). Raising a ``core.errors.DomainError`` rolls everything back and the
message is shown to the reviewer.

What an acceptor reads from ``suggestion``:
    kind        one of KINDS
    data        dict; keys by kind (all values JSON; reviewers may have edited ``text``/``value``):
                recommendation  {text, section, article}
                upr_id          {upr_id}                     e.g. "139.61"
                symbol          {symbol}                     e.g. "CAT/C/KAZ/CO/4"
                figure          {value, unit, text, period}  period None or {start, end, partial, text}
                claim           {value, unit, text, period, speaker}  a figure said by a speaker
                date            {date, text}                 ISO date or year(-month)
    passage     evidence.models.Passage the suggestion came from (None for document-wide ones)
    run.document  evidence.models.SourceDocument (organisation, confidentiality to inherit)

A kind without an acceptor is still accepted: the suggestion is kept as accepted, with no record.

An acceptor whose records must go *into* another record (a recommendation into its review) declares
it as a ``Target`` attribute, ``fn.target = Target(...)``. The review screen then shows a select of
``target.choices(user, document, symbols)`` (pre-selecting the first that ``matches`` a UN symbol
found in the document), and accepting needs a choice: the chosen id is stored in
``suggestion.data[target.field]`` before the acceptor is called, which must check it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

RECOMMENDATION = "recommendation"
UPR_ID = "upr_id"
SYMBOL = "symbol"
FIGURE = "figure"
CLAIM = "claim"
DATE = "date"

KINDS: tuple[str, ...] = (RECOMMENDATION, UPR_ID, SYMBOL, FIGURE, CLAIM, DATE)

Acceptor = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Choice:
    """One record accepted suggestions may go into."""

    pk: int
    label: str
    matches: bool = False  # named by a symbol found in the document: pre-selected


@dataclass(frozen=True)
class Target:
    """What the reviewer must choose before suggestions of a kind can be accepted."""

    field: str  # the key of ``suggestion.data`` that receives the chosen id
    label: Any  # the select's label (lazy translation)
    missing: Any  # the refusal when nothing was chosen (lazy translation)
    empty: Any  # shown when there is nothing to choose from, saying what to create first (lazy translation)
    # (user, document, UN symbols found in it) -> the records the user may choose, best first
    choices: Callable[[Any, Any, Sequence[str]], list[Choice]]
    # Optional: creating a new target in place from the review screen, pre-filled from the document.
    # create_form(user, document, data or None) -> a Django form; create(user, document, cleaned_data) -> record
    # (raising a core.errors.DomainError with the field at fault).
    create_form: Callable[[Any, Any, Any], Any] | None = None
    create: Callable[[Any, Any, dict], Any] | None = None
    create_label: Any = ""  # the heading of that form (lazy translation)


_registry: dict[str, Acceptor] = {}


def register(kind: str, fn: Acceptor) -> None:
    """Make ``fn(user, suggestion) -> record`` the acceptor for ``kind`` (replacing any earlier one)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown suggestion kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not callable(fn):
        raise TypeError("An acceptor must be callable as fn(user, suggestion)")
    _registry[kind] = fn


def unregister(kind: str) -> None:
    """Remove the acceptor for ``kind`` (tests use this to restore the registry)."""
    _registry.pop(kind, None)


def get(kind: str) -> Acceptor | None:
    """The acceptor registered for ``kind``, or None."""
    return _registry.get(kind)


def target(kind: str) -> Target | None:
    """What the reviewer must choose for accepted suggestions of ``kind`` (None: nothing)."""
    fn = _registry.get(kind)
    return getattr(fn, "target", None) if fn is not None else None


def kinds() -> list[str]:
    """Kinds that have an acceptor, in KINDS order."""
    return [k for k in KINDS if k in _registry]


def cite_suggestion(user, record, suggestion, *, note: str = "") -> Any:
    """Cite the suggestion's passage from ``record`` (quote = the suggestion's text); None without a passage."""
    from rightstrack.evidence.actions import cite

    if suggestion.passage_id is None:
        return None
    quote = str((suggestion.data or {}).get("text", ""))[:2000]
    return cite(user, record, suggestion.passage, quote=quote, note=note or f"ingest suggestion #{suggestion.pk}")
