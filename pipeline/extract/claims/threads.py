"""Claim threads: claims about the same entities and predicate across articles, in time order, with an outcome."""
from __future__ import annotations

import datetime as dt
import hashlib
from array import array
from itertools import combinations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.extract.claims.lexicon import load_lexicon

# Entity ids of places link nothing on their own ("Cina" is in every other claim); KB ids carry a type prefix.
NON_LINKING_PREFIXES = ("loc:",)
OPEN_MODALITIES = frozenset({"rumor", "speculation"})
DECISIVE_MODALITIES = frozenset({"fact", "plan", "denial"})
# Predicates of a denial that name the act of denying, not what is denied ("Ford ha smentito la ricostruzione").
DENIAL_PREDICATES = frozenset("smentire negare escludere respingere bollare liquidare rigettare contestare".split())
MIN_CLAIMS = 2
# What threads read of a claim (the extract stage keeps only these columns of the whole corpus's claims).
THREAD_COLUMNS = ["claim_id", "article_id", "sentence_id", "modality", "subject_entity_ids", "predicate", "negated", "speaker_entity_id"]


def build_claim_threads(claims: list[dict], published: dict) -> list[dict]:
    """Rows of schema.CLAIM_THREADS for claim dicts (tests, small inputs): see claim_threads_table."""
    from pipeline.schema import TABLES

    schema = pa.schema([TABLES["claims"].schema.field(c) for c in THREAD_COLUMNS])
    table = pa.Table.from_pylist([{c: row.get(c) for c in THREAD_COLUMNS} for row in claims], schema=schema)
    return claim_threads_table(table, published).to_pylist()


def claim_threads_table(claims: pa.Table, published: dict) -> pa.Table:
    """Group claims sharing a predicate and a (non-place) subject entity: the claim_threads table, sorted.

    Claims join threads in time order; a thread keeps the entities of the claim that opened it, and a claim
    naming two or more entities joins only a thread it shares two of them with (a thread about Ford and Xiaomi
    does not take in Ford's licence deal with CATL). `claims` holds THREAD_COLUMNS; it stays in Arrow and
    the loop sees small integer codes, so a corpus's claims cost tens of bytes each, not a dict each."""
    from pipeline.schema import TABLES, to_arrow

    if not claims.num_rows:
        return to_arrow("claim_threads", [])
    c = _Columns(claims.select(THREAD_COLUMNS).combine_chunks())
    weak = load_lexicon().weak_predicates
    pred_ok = [bool(p) and p not in weak for p in c.predicate_values]
    # claims by (article id, sentence), and on the timeline by (publish date, unknown last; article id, sentence)
    article_rank = _ranks(c.article_values)
    dates = [_date_key(published.get(a)) for a in c.article_values]
    date_rank = _ranks(dates)
    art = np.frombuffer(c.article, dtype=np.int32)
    sentence = np.frombuffer(c.sentence, dtype=np.int32)
    by_article = article_rank[art]
    order = array("i", np.lexsort((sentence, by_article)).astype(np.int32).tobytes())
    predicates = _resolve_denials(order, c)
    timeline = array("i", np.lexsort((sentence, by_article, date_rank[art])).astype(np.int32).tobytes())
    del by_article, art, sentence
    threads: list[list[int]] = []  # the claims (row numbers) of each thread, in time order
    linked: list[list[int | tuple[int, ...]]] = []  # the linking entities of each of those claims (int: just one)
    # Where a claim goes: the earliest thread of its predicate that it is compatible with. A one-entity claim
    # fits any thread whose opening claim names that entity; a claim naming two or more fits a thread opened
    # by a one-entity claim about one of them, or one whose opening claim shares two of its entities. Hence
    # the earliest thread per (predicate, entity), per (predicate, entity) among one-entity openers, and per
    # (predicate, entity pair). Entities are codes in sorted-name order, so pairs come out alike.
    first_with: dict[tuple[int, int], int] = {}
    first_single: dict[tuple[int, int], int] = {}
    first_pair: dict[tuple[int, int, int], int] = {}
    single, counts = c.single, c.linked_counts
    for i in timeline:
        pred = predicates[i]
        if pred < 0 or not pred_ok[pred]:
            continue
        e = single[i]
        if e >= 0:  # one linking entity: the commonest case, no tuple built
            ents: int | tuple[int, ...] = e
            home = first_with.get((pred, e))
        elif not counts[i]:
            continue
        else:
            ents = c.linking(i)
            if len(ents) == 1:  # the same entity named twice
                home = first_with.get((pred, ents[0]))
            else:
                found = [first_single.get((pred, x)) for x in ents]
                found += [first_pair.get((pred, a, b)) for a, b in combinations(ents, 2)]
                home = min((t for t in found if t is not None), default=None)
        if home is not None:
            threads[home].append(i)
            linked[home].append(ents)
            continue
        n = len(threads)
        threads.append([i])
        linked.append([ents])
        names = (e,) if e >= 0 else ents
        for x in names:
            first_with.setdefault((pred, x), n)
            if len(names) == 1:
                first_single.setdefault((pred, x), n)
        for a, b in combinations(names, 2):
            first_pair.setdefault((pred, a, b), n)
    rows, cols = [], {"thread_id": [], "position": [], "published": [], "entity_ids": [], "predicate": [], "thread_status": []}
    for members, ents in zip(threads, linked):
        if len(members) < MIN_CLAIMS:
            continue
        predicate = c.predicate_values[predicates[members[0]]]
        thread_id = "t_" + hashlib.sha1(f"{predicate}|{c.claim_id(members[0])}".encode()).hexdigest()[:16]
        status = thread_status([c.status_view(i) for i in members])
        shared = [c.entity_values[e] for e in _shared_entities(ents)]
        rows += members
        cols["thread_id"] += [thread_id] * len(members)
        cols["position"] += range(len(members))
        cols["published"] += [published.get(c.article_values[c.article[i]]) for i in members]
        cols["entity_ids"] += [shared] * len(members)
        cols["predicate"] += [predicate] * len(members)
        cols["thread_status"] += [status] * len(members)
    taken = claims.select(["claim_id", "article_id", "modality"]).take(pa.array(rows, pa.int64()))
    schema = TABLES["claim_threads"].schema
    table = pa.table(
        {f.name: (taken.column(f.name) if f.name in taken.column_names else pa.array(cols[f.name], f.type)) for f in schema},
        schema=schema,
    )
    return table.sort_by([(k, "ascending") for k in TABLES["claim_threads"].sort_by]) if table.num_rows else table


class _Columns:
    """THREAD_COLUMNS of the claims as compact arrays of integer codes (strings dictionary-encoded, -1 for null)."""

    def __init__(self, t: pa.Table):
        self.table, self.n = t, t.num_rows
        self.article, self.article_values = _codes(t.column("article_id"))
        self.modality, self.modality_values = _codes(t.column("modality"))
        self.predicate, self.predicate_values = _codes(t.column("predicate"))
        self.speaker, self.speaker_values = _codes(t.column("speaker_entity_id"))
        self.negated = t.column("negated").to_pylist()
        sentence = t.column("sentence_id")
        if sentence.null_count:  # claim ids are "<article_id>:<sentence_id>"
            ids = t.column("claim_id").to_pylist()
            sentence = pa.array([s if s is not None else _sentence_no(cid) for s, cid in zip(sentence.to_pylist(), ids)], pa.int32())
        self.sentence = array("i", pc.cast(sentence, pa.int32()).to_numpy().astype(np.int32).tobytes())
        subjects = t.column("subject_entity_ids").chunk(0)
        offsets = subjects.offsets.to_numpy().astype(np.int64)
        base = int(offsets[0])
        codes, self.entity_values = _codes(subjects.values.slice(base, int(offsets[-1]) - base), sort=True)
        # Only the linking entities (not places) of each claim, with their own offsets.
        links = np.array([not v.startswith(NON_LINKING_PREFIXES) for v in self.entity_values], dtype=bool)
        flat = np.frombuffer(codes, dtype=np.int32)
        keep = links[np.maximum(flat, 0)] & (flat >= 0)
        kept_before = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
        linked_offsets = kept_before[offsets - base]
        self.linked_offsets = array("q", linked_offsets.tobytes())
        kept = flat[keep]
        self.linked_codes = array("i", kept.tobytes())
        counts = np.diff(linked_offsets)
        self.linked_counts = array("i", counts.astype(np.int32).tobytes())
        # the code of a claim's only linking entity, -1 when it has none or several
        first = kept[np.minimum(linked_offsets[:-1], max(len(kept) - 1, 0))] if len(kept) else np.zeros(len(counts), np.int32)
        self.single = array("i", np.where(counts == 1, first, -1).astype(np.int32).tobytes())
        self.modality_open = [m in OPEN_MODALITIES for m in self.modality_values]
        self.modality_denial = [m == "denial" for m in self.modality_values]

    def linking(self, i: int) -> tuple[int, ...]:
        """Sorted distinct codes of claim i's non-place subject entities."""
        ents = tuple(self.linked_codes[self.linked_offsets[i] : self.linked_offsets[i + 1]])
        return tuple(sorted(set(ents))) if len(ents) > 1 else ents

    def claim_id(self, i: int) -> str:
        return self.table.column("claim_id")[i].as_py()

    def status_view(self, i: int) -> dict:
        m = self.modality[i]
        return {"article_id": self.article[i], "modality": None if m < 0 else self.modality_values[m], "negated": self.negated[i]}


def _codes(column: pa.ChunkedArray | pa.Array, sort: bool = False) -> tuple[array, list[str]]:
    """Dictionary codes of a string column as array('i') (-1 for nulls) and the distinct values (sorted when
    asked, so that codes compare like the strings)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    enc = pc.dictionary_encode(column)
    values = enc.dictionary.to_pylist()
    codes = enc.indices.fill_null(-1).to_numpy().astype(np.int32)
    if sort and values:
        rank = np.argsort(np.array(values, dtype=object), kind="stable")
        new = np.empty(len(values), dtype=np.int32)
        new[rank] = np.arange(len(values), dtype=np.int32)
        codes = np.where(codes < 0, -1, new[np.maximum(codes, 0)]).astype(np.int32)
        values = [values[k] for k in rank]
    return array("i", codes.tobytes()), values


def _ranks(keys: list) -> np.ndarray:
    """Rank of each key in sorted order (equal keys share the lowest rank)."""
    out = np.empty(len(keys), dtype=np.int64)
    prev, r = object(), -1
    for k, i in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
        if keys[i] != prev:
            r, prev = k, keys[i]
        out[i] = r
    return out


def thread_status(members: list[dict]) -> str:
    """Outcome so far, claims in time order: denied (the last fact, plan or denial denies, or negates the fact),
    confirmed (a fact or plan from a later article than a rumor, or facts without rumors), open (rumors and
    speculation, not yet confirmed by another article), plan (only plans)."""
    decisive = [c for c in members if c.get("modality") in DECISIVE_MODALITIES]
    if not decisive:
        return "open"
    last = decisive[-1]
    if last.get("modality") == "denial" or (last.get("negated") and last.get("modality") == "fact"):
        return "denied"
    first_rumor = next((k for k, c in enumerate(members) if c.get("modality") in OPEN_MODALITIES), None)
    if first_rumor is not None:
        rumored_in = members[first_rumor]["article_id"]
        later = members[first_rumor + 1 :]
        confirmed = any(c.get("modality") in ("fact", "plan") and c["article_id"] != rumored_in for c in later)
        return "confirmed" if confirmed else "open"
    if any(c.get("modality") == "fact" for c in decisive):
        return "confirmed"
    return "plan"


def _resolve_denials(order: array, c: _Columns) -> array:
    """Predicate code per claim (-1: none); a denial inherits the predicate of the rumor it answers (same article,
    shared entity). `order` lists the claims by article, then sentence."""
    out = array("i", c.predicate)
    open_claims: list[int] = []
    article = None
    denial_codes = {k for k, v in enumerate(c.predicate_values) if v in DENIAL_PREDICATES}
    for i in order:
        if c.article[i] != article:  # claims come grouped by article, and a denial answers its own article only
            article, open_claims = c.article[i], []
        mod = c.modality[i]
        if mod < 0:
            continue
        if c.modality_denial[mod] and (out[i] < 0 or out[i] in denial_codes):
            ents = {c.entity_values[e] for e in c.linking(i)}
            if c.speaker[i] >= 0:
                ents.add(c.speaker_values[c.speaker[i]])
            answered = next((o for o in reversed(open_claims) if ents & {c.entity_values[e] for e in c.linking(o)}), None)
            if answered is not None:
                out[i] = out[answered]
        if c.modality_open[mod]:
            open_claims.append(i)
    return out


def _shared_entities(linked: list[int | tuple[int, ...]]) -> list[int]:
    """Entities every claim of a thread names, else those two or more of them name (codes, in name order)."""
    sets = [{ents} if isinstance(ents, int) else set(ents) for ents in linked]
    common = set.intersection(*sets)
    if common:
        return sorted(common)
    counts: dict[str, int] = {}
    for s in sets:
        for e in s:
            counts[e] = counts.get(e, 0) + 1
    return sorted(e for e, n in counts.items() if n >= 2)


def _sentence_no(claim_id: str) -> int:
    tail = claim_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _date_key(d) -> tuple[int, dt.date]:
    return (1, dt.date.max) if d is None else (0, d)
