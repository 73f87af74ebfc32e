"""Group recommendations that ask a state for the same thing again (recurring recommendations).

Precision matters more than recall: a group tells an analyst "this was already asked in
session X", so wrong merges are worse than missed ones.  The method, per state under review:

1. normalise the text and rewrite named instruments and topics to single tokens
   ("Optional Protocol to the Convention against Torture", "OP-CAT" -> ``i_opcat``);
2. merge exact duplicates (the same text from several recommending states in one session is
   one recommendation made by several states, not a recurrence);
3. TF-IDF (word 1-2-grams, boiler-plate words removed) cosine between the distinct texts,
   plus a bonus when the key action (ratify, abolish, criminalise, ...) and the named
   objects agree, and a veto when the named objects are disjoint (OP-CAT vs CED) or the key
   actions conflict (criminalise vs decriminalise);
4. greedy agglomeration with a complete-link check (every pair in a merged group must be
   similar, and the mean must be higher still), so groups cannot grow by chaining.

Pure Python + numpy/scipy; ~35k recommendations take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["RecurrenceGroup", "Record", "group_recommendations", "recurring_groups", "signature"]

# Pairwise effective similarity needed between *every* pair of distinct texts in a group,
# and the mean needed over the pairs a merge adds.  Chosen by reading samples of groups
# (bench/recommendations_recurrence.py) for precision, not recall.
MIN_LINK = 0.55
MIN_MEAN = 0.62
# Signature agreement (same key action and the same named objects) adds this much.
SIGNATURE_BONUS = 0.15
# ... and this much when the action is a precise one (ratify X, abolish Y): "Accede to CAT in
# a timely manner" and "Ratify CAT" are the same ask whatever the surrounding words.
PRECISE_BONUS = 0.3
_PRECISE_VERBS = frozenset({"ratify", "withdraw_res", "invite", "abolish", "criminalise", "decriminalise", "establish"})
# Texts whose key actions differ (e.g. "establish" vs "strengthen" the NHRI) must be this close.
VERB_CONFLICT_MIN = 0.8


@dataclass(frozen=True)
class Record:
    """One recommendation: ``period`` is a session number, a cycle or a date."""

    id: Any
    state: str
    period: Any
    text: str
    mechanism: str = ""


@dataclass
class RecurrenceGroup:
    """Recommendations to one state that ask for the same thing.

    ``periods`` are the distinct sessions/cycles/dates; ``span`` is last - first (sessions,
    cycles or days), 0 when the group only holds same-period duplicates.
    """

    state: str
    ids: list[Any]
    representative: str
    label: str
    first: Any
    last: Any
    periods: list[Any]
    span: int
    mechanisms: list[str] = field(default_factory=list)

    @property
    def recurring(self) -> bool:
        """True when the ask was made in at least two different periods."""
        return len(self.periods) > 1


# --------------------------------------------------------------------------- normalisation

# (token, pattern) - applied in order, so specific instruments go before the general ones
# they contain ("optional protocol to the convention against torture" before "... torture").
_OP = r"\b(?:(?:first |second |third )?optional protocols?|op)"
_TO = r"(?: to| of)?(?: the)?"
_INSTRUMENTS: list[tuple[str, tuple[str, ...], str]] = [
    (
        "i_iccpr_op2",
        ("second", "iccpr"),
        rf"second optional protocol{_TO} (?:international )?covenant on civil and political rights"
        rf"|second optional protocol{_TO} iccpr|iccpr op ?2|op ?2 iccpr",
    ),
    ("i_iccpr_op2", ("second optional",), r"second optional protocol"),
    (
        "i_iccpr_op1",
        ("civil and political", "iccpr"),
        rf"{_OP}{_TO} (?:international )?covenant on civil and political rights|{_OP}{_TO} iccpr",
    ),
    (
        "i_icescr_op",
        ("economic", "icescr"),
        rf"{_OP}{_TO} (?:international )?covenant on economic,? social and cultural rights"
        rf"|{_OP}{_TO} icescr|op ?icescr",
    ),
    (
        "i_opcat",
        ("torture", "cat"),
        rf"{_OP}{_TO} (?:un |united nations )?convention against torture(?: and other cruel,? inhuman"
        rf" or degrading treatment or punishment)?|{_OP}{_TO} cat\b|opcat|op cat\b",
    ),
    (
        "i_cedaw_op",
        ("against women", "cedaw"),
        rf"{_OP}{_TO} (?:the )?(?:convention on the elimination of all forms of discrimination against"
        rf" women|cedaw)|op ?cedaw",
    ),
    (
        "i_crpd_op",
        ("disabilities", "crpd"),
        rf"{_OP}{_TO} (?:the )?(?:convention on the rights of persons with disabilities|crpd)",
    ),
    ("i_crc_opac", ("armed conflict", "opac"), r"involvement of children in armed conflicts?|opac\b"),
    ("i_crc_opsc", ("sale of children", "opsc"), r"sale of children,? child prostitution and child pornography|opsc\b"),
    ("i_crc_opic", ("communication",), r"(?:rights of the child )?on a communications? procedure"),
    (
        "i_ced",
        ("disappearance", "ced", "icpped", "cped"),
        r"(?:international )?convention (?:for|on) the protection of all persons (?:from|against) enforced"
        r" disappearances?|convention (?:on|against) enforced disappearances?|\bced\b|icpped|\bcped\b",
    ),
    (
        "i_icrmw",
        ("migrant", "icrmw", "cmw"),
        r"(?:international )?convention on the protection of the rights of all migrant workers"
        r"(?: and members of their families)?|migrant workers convention|\bicrmw\b|\bcmw\b",
    ),
    ("i_crpd", ("disabilities", "crpd"), r"convention on the rights of (?:persons|people) with disabilities|\bcrpd\b"),
    (
        "i_cedaw",
        ("against women", "cedaw"),
        r"convention on the elimination of all forms of discrimination against women|\bcedaw\b",
    ),
    (
        "i_icerd",
        ("racial", "cerd"),
        r"(?:international )?convention on the elimination of all forms of racial discrimination"
        r"|\bi?cerd\b",
    ),
    (
        "i_cat",
        ("torture", "cat"),
        r"(?:un |united nations )?convention against torture(?: and other cruel,? inhuman or degrading"
        r" treatment or punishment)?|\bcat\b",
    ),
    (
        "i_iccpr",
        ("civil and political", "iccpr"),
        r"(?:international )?covenant on civil and political rights|\biccpr\b",
    ),
    (
        "i_icescr",
        ("economic", "icescr"),
        r"(?:international )?covenant on economic,? social and cultural rights|\bicescr\b",
    ),
    ("i_crc", ("rights of the child", "crc"), r"convention on the rights of the child|\bcrc\b"),
    (
        "i_rome",
        ("rome", "criminal court", "icc"),
        r"rome statute(?: of the international criminal court)?|international criminal court|\bicc\b",
    ),
    (
        "i_refugee",
        ("refugee", "1967 protocol", "1951 convention"),
        r"(?:1951 )?convention relating to the status of refugees|refugee convention|1967 protocol"
        r"|1951 convention",
    ),
    (
        "i_stateless",
        ("stateless",),
        r"(?:conventions? (?:on|relating to) )?(?:the )?(?:reduction of )?statelessness"
        r"|status of stateless persons",
    ),
    (
        "i_ilo169",
        ("169", "indigenous and tribal"),
        r"ilo convention(?: no)? ?169|convention(?: no)? ?169|indigenous and tribal peoples convention",
    ),
    (
        "i_ilo189",
        ("189", "domestic workers"),
        r"ilo convention(?: no)? ?189|convention(?: no)? ?189|domestic workers convention",
    ),
    (
        "i_palermo",
        ("palermo", "trafficking"),
        r"palermo protocol|protocol to prevent,? suppress and punish trafficking",
    ),
    (
        "i_genocide",
        ("genocide",),
        r"convention on the prevention and punishment of the crime of genocide|genocide convention",
    ),
    ("i_unesco_edu", ("discrimination in education",), r"convention against discrimination in education"),
    ("i_istanbul", ("istanbul convention",), r"istanbul convention"),
    # Topics that name the object of an ask as precisely as an instrument does.
    ("t_death_penalty", ("death", "capital"), r"death penalty|capital punishment|death sentences?"),
    ("t_moratorium", ("moratorium",), r"moratorium"),
    (
        "t_nhri",
        ("national human rights", "nhri", "paris principles"),
        r"national human rights (?:institution|commission)s?|\bnhris?\b|paris principles",
    ),
    ("t_standing_inv", ("standing invitation",), r"standing invitation"),
    ("t_fgm", ("genital", "fgm"), r"female genital mutilation|\bfgm\b|genital mutilation"),
    ("t_dom_violence", ("domestic violence",), r"domestic violence"),
    (
        "t_child_marriage",
        ("marriage",),
        r"(?:early|child|forced) marriages?|minimum age (?:of|for) marriage|marriage age",
    ),
    ("t_corporal", ("corporal",), r"corporal punishment"),
    (
        "t_sogi",
        ("sexual orientation", "gender identity", "same sex", "homosexual", "lgbt"),
        r"sexual orientation|gender identity|same sex|homosexual\w*|lgbt\w*",
    ),
    ("t_trafficking", ("trafficking",), r"trafficking"),
    ("t_birth_reg", ("birth registration",), r"birth registration"),
    ("t_defamation", ("defamation",), r"defamation"),
    ("t_juvenile", ("juvenile justice",), r"juvenile justice"),
    ("t_child_labour", ("child labo",), r"child labou?r"),
    ("t_torture_def", ("definition of torture",), r"definition of torture"),
]
# Each pattern runs only when one of its trigger substrings (present in every alternative)
# occurs in the text: most texts name no instrument, and regex scans dominate the run time.
_INSTRUMENT_RES = [(tok, triggers, re.compile(pat)) for tok, triggers, pat in _INSTRUMENTS]

# Key actions: the first one found in a text is its "main" action.
_VERBS: list[tuple[str, str]] = [
    ("ratify", r"ratif\w*|accede|accession|become (?:a )?part(?:y|ies)|sign(?:ing|ature)?\b|adher\w*"),
    ("withdraw_res", r"(?:withdraw\w*|lift\w*|remov\w*) (?:\w+ ){0,3}reservations?"),
    ("decriminalise", r"decriminali[sz]\w*"),
    ("criminalise", r"criminali[sz]\w*|make torture a crime"),
    ("abolish", r"abolish\w*|abolition"),
    ("moratorium", r"moratorium"),
    ("invite", r"invit\w*|visit requests?"),
    ("establish", r"establish\w*|set(?:ting)? up|creat\w*"),
    ("strengthen", r"strengthen\w*|reinforc\w*|enhanc\w*"),
    ("legislate", r"adopt\w*|enact\w*|legislat\w*|pass|passed|passing|amend\w*|repeal\w*|revis\w*"),
    ("investigate", r"investigat\w*|prosecut\w*|punish\w*|bring \w+ to justice"),
    ("implement", r"implement\w*"),
    ("report", r"submit\w* (?:\w+ ){0,3}reports?|overdue reports?"),
]
_VERB_RE = re.compile("|".join(f"(?P<{name}>\\b(?:{pat}))" for name, pat in _VERBS))
_CONFLICTS = {frozenset({"criminalise", "decriminalise"}), frozenset({"abolish", "moratorium"})}

# Words that say how or how hard to act, not what to do: they make unrelated asks look alike.
_STOP_WORDS = """a about all also an and any are as at be been being by can could do for from further
    has have in into is it its it's more most of on or other our should so such than that the their them
    then there these this those through to under upon was were which while who will with within would
    state government country national continue continued continuing consider considering possibility
    efforts effort take taking steps step measures measure necessary appropriate all ensure ensuring
    further particular particularly including include view order regard regards recommendation
    recommendations recommended relevant effective effectively fully full concrete specific additional
    adequate adequately make making pursue undertake intensify step up means well soon possible
    timely expedite early earliest opportunity delay without priority matter swiftly promptly immediately"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z0-9_]+")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _normalise(text: str) -> str:
    t = _strip_accents(text).lower().replace("’", "'")
    t = re.sub(r"[-‐–—/]", " ", t)
    t = re.sub(r"[^a-z0-9',\s]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _rewrite(text: str) -> tuple[str, frozenset[str]]:
    """Replace named instruments/topics with tokens; return the text and the set of tokens."""
    t = _normalise(text)
    found = set()
    for tok, triggers, rx in _INSTRUMENT_RES:
        if any(k in t for k in triggers):
            t, n = rx.subn(f" {tok} ", t)
            if n:
                found.add(tok)
    if "i_iccpr_op2" in found:
        found.discard("t_death_penalty")  # the Second Optional Protocol *is* about the death penalty
    return re.sub(r"\s+", " ", t).strip(), frozenset(found)


def signature(text: str) -> tuple[str, frozenset[str]]:
    """Key action and named objects of a recommendation, e.g. ``("ratify", {"i_opcat"})``."""
    t, objects = _rewrite(text)
    m = _VERB_RE.search(t)
    return (m.lastgroup or "" if m else ""), objects


def _signature_of(rewritten: str) -> str:
    m = _VERB_RE.search(rewritten)
    return (m.lastgroup or "") if m else ""


@functools.lru_cache(maxsize=65536)
def _canon(word: str) -> str:
    """One token per key action: "accede", "ratifying", "ratification" all become "v_ratify"."""
    m = _VERB_RE.fullmatch(word)
    return f"v_{m.lastgroup}" if m else word


def _terms(rewritten: str) -> list[str]:
    words: list[str] = []
    for w in _WORD.findall(rewritten.replace("'", "")):
        if w in _STOP or len(w) < 2:
            continue
        w = _canon(w)
        if not words or words[-1] != w:  # "i_rome of the i_rome" (Rome Statute of the ICC)
            words.append(w)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


# --------------------------------------------------------------------------- input


def _get(rec: Any, *names: str) -> Any:
    for n in names:
        v = rec.get(n) if isinstance(rec, Mapping) else getattr(rec, n, None)
        if v not in (None, ""):
            return v
    return None


def _coerce(rec: Any) -> Record:
    if isinstance(rec, Record):
        return rec
    rid = _get(rec, "id", "pk")
    state = _get(rec, "state", "state_under_review")
    text = _get(rec, "text")
    period = _get(rec, "period", "session", "date", "cycle")
    if rid is None or state is None or text is None or period is None:
        raise ValueError(f"record needs id, state, text and session/cycle/date: {rec!r}")
    if isinstance(period, str):
        period = _parse_period(period)
    return Record(id=rid, state=str(state), period=period, text=str(text), mechanism=str(_get(rec, "mechanism") or ""))


def _parse_period(value: str) -> Any:
    v = value.strip()
    if v.isdigit():
        return int(v)
    try:
        return dt.date.fromisoformat(v[:10])
    except ValueError:
        return v


def _span(first: Any, last: Any) -> int:
    if isinstance(first, dt.date) and isinstance(last, dt.date):
        return (last - first).days
    if isinstance(first, int | float) and isinstance(last, int | float):
        return int(last - first)
    return 0 if first == last else 1


# --------------------------------------------------------------------------- grouping


def _tfidf(docs: Sequence[list[str]]) -> Any:
    """Sublinear TF-IDF rows (L2-normalised) over all distinct texts, as scipy CSR."""
    from scipy import sparse

    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    vocab = {t: i for i, t in enumerate(sorted(df))}
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)])
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        c = Counter(vocab[t] for t in d)
        idx = np.fromiter(c.keys(), dtype=np.int64, count=len(c))
        v = np.log(np.fromiter(c.values(), dtype=np.float64, count=len(c))) + 1.0
        v = v * idf[idx] if len(idx) else v
        norm = float(np.linalg.norm(v))
        if norm:
            rows.extend([r] * len(idx))
            cols.extend(idx.tolist())
            vals.extend((v / norm).tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))


def _effective(cos: float, v1: str, v2: str, o1: frozenset[str], o2: frozenset[str]) -> float:
    """Cosine adjusted by key action / named object agreement (0 = veto)."""
    if o1 and o2 and not (o1 & o2):
        return 0.0  # "ratify OP-CAT" and "ratify CED" share words but not the ask
    if v1 and v2 and v1 != v2:
        if frozenset({v1, v2}) in _CONFLICTS:
            return 0.0
        return cos if cos >= VERB_CONFLICT_MIN else 0.0
    if o1 != o2 and (o1 or o2):
        return cos  # related objects (one a subset of the other): no bonus
    if v1 and v1 == v2 and o1 and o1 == o2:
        return cos + (PRECISE_BONUS if v1 in _PRECISE_VERBS else SIGNATURE_BONUS)
    return cos


def _cluster(n: int, pairs: dict[tuple[int, int], float]) -> list[list[int]]:
    """Greedy agglomeration over pairs (best first) with a complete-link guard."""
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for (i, j), _s in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        a, b = cluster_of[i], cluster_of[j]
        if a == b:
            continue
        total, ok = 0.0, True
        for x in members[a]:
            for y in members[b]:
                s = pairs.get((x, y) if x < y else (y, x), 0.0)
                if s < MIN_LINK:
                    ok = False
                    break
                total += s
            if not ok:
                break
        if not ok or total / (len(members[a]) * len(members[b])) < MIN_MEAN:
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        for y in members[b]:
            cluster_of[y] = a
        members[a].extend(members.pop(b))
    return [sorted(m) for m in members.values()]


def group_recommendations(records: Iterable[Any], min_size: int = 2) -> list[RecurrenceGroup]:
    """Group recommendations (per state under review) that ask for the same thing.

    ``records``: :class:`Record` objects, or mappings/objects with ``id``, ``state`` (or
    ``state_under_review``), ``text`` and ``session``/``period``/``date``/``cycle``; optional
    ``mechanism``.  Returns groups of at least ``min_size`` records, including groups of
    same-session duplicates (span 0, ``recurring`` False); see :func:`recurring_groups`.
    Sorted by state, then first period, then first id.
    """
    recs = [_coerce(r) for r in records]
    if not recs:
        return []
    # Distinct (state, rewritten text) pairs are the nodes; duplicates ride along.
    node_index: dict[tuple[str, str], int] = {}
    node_text: list[str] = []
    node_state: list[str] = []
    node_objects: list[frozenset[str]] = []
    node_members: list[list[int]] = []
    rewrite_cache: dict[str, tuple[str, frozenset[str]]] = {}
    for k, r in enumerate(recs):
        if r.text not in rewrite_cache:
            rewrite_cache[r.text] = _rewrite(r.text)
        t, objs = rewrite_cache[r.text]
        key = (r.state, t)
        if key not in node_index:
            node_index[key] = len(node_text)
            node_text.append(t)
            node_state.append(r.state)
            node_objects.append(objs)
            node_members.append([])
        node_members[node_index[key]].append(k)

    verbs = [_signature_of(t) for t in node_text]
    x = _tfidf([_terms(t) for t in node_text])
    by_state: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(node_state):
        by_state[s].append(i)

    groups: list[RecurrenceGroup] = []
    floor = MIN_LINK - max(SIGNATURE_BONUS, PRECISE_BONUS)
    for state, nodes in by_state.items():
        clusters: list[list[int]] = [[0]] if len(nodes) == 1 else []
        if len(nodes) > 1:
            sub = x[nodes]
            sim = (sub @ sub.T).tocoo()
            pairs: dict[tuple[int, int], float] = {}
            for i, j, c in zip(sim.row, sim.col, sim.data, strict=True):
                if i < j and c >= floor:
                    a, b = nodes[i], nodes[j]
                    e = _effective(float(c), verbs[a], verbs[b], node_objects[a], node_objects[b])
                    if e >= MIN_LINK:
                        pairs[(int(i), int(j))] = e
            clusters = _cluster(len(nodes), pairs)
        for cl in clusters:
            member_recs = [k for i in cl for k in node_members[nodes[i]]]
            if len(member_recs) < min_size:
                continue
            groups.append(
                _make_group(
                    state, [nodes[i] for i in cl], member_recs, recs, node_text, node_members, verbs, node_objects
                )
            )
    groups.sort(key=lambda g: (g.state, str(g.first), str(g.ids[0])))
    return groups


def _make_group(
    state: str,
    cl_nodes: list[int],
    member_recs: list[int],
    recs: list[Record],
    node_text: list[str],
    node_members: list[list[int]],
    verbs: list[str],
    node_objects: list[frozenset[str]],
) -> RecurrenceGroup:
    members = sorted(member_recs, key=lambda k: (_sort_key(recs[k].period), k))
    periods = sorted({recs[k].period for k in members}, key=_sort_key)
    # Representative: the original wording of the most repeated distinct text (earliest on ties).
    best = max(cl_nodes, key=lambda i: (len(node_members[i]), -min(node_members[i])))
    rep = recs[node_members[best][0]].text
    # Sorted before counting: frozenset order varies between runs (string hash seeds).
    verb_counts = Counter(sorted(verbs[i] for i in cl_nodes if verbs[i]))
    obj_counts = Counter(sorted(o for i in cl_nodes for o in node_objects[i]))
    verb = min(verb_counts, key=lambda v: (-verb_counts[v], v)) if verb_counts else ""
    objs = sorted(obj_counts, key=lambda o: (-obj_counts[o], o))[:3]
    label = " ".join([verb] + [o[2:] for o in objs]).strip() or " ".join(rep.split()[:8])
    return RecurrenceGroup(
        state=state,
        ids=[recs[k].id for k in members],
        representative=rep,
        label=label,
        first=periods[0],
        last=periods[-1],
        periods=periods,
        span=_span(periods[0], periods[-1]),
        mechanisms=sorted({recs[k].mechanism for k in members if recs[k].mechanism}),
    )


def _sort_key(p: Any) -> tuple[int, Any]:
    # Mixed period types should not happen, but must not crash the sort either.
    return (0, p) if isinstance(p, int | float) else (1, str(p))


def recurring_groups(records: Iterable[Any]) -> list[RecurrenceGroup]:
    """Only the groups whose ask was made in at least two different sessions/periods."""
    return [g for g in group_recommendations(records) if g.recurring]
