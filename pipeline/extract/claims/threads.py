"""Claim threads: claims about the same entities and predicate across articles, in time order, with an outcome."""
from __future__ import annotations

import datetime as dt
import hashlib
from itertools import combinations

from pipeline.extract.claims.lexicon import load_lexicon

# Entity ids of places link nothing on their own ("Cina" is in every other claim); KB ids carry a type prefix.
NON_LINKING_PREFIXES = ("loc:",)
OPEN_MODALITIES = frozenset({"rumor", "speculation"})
DECISIVE_MODALITIES = frozenset({"fact", "plan", "denial"})
# Predicates of a denial that name the act of denying, not what is denied ("Ford ha smentito la ricostruzione").
DENIAL_PREDICATES = frozenset("smentire negare escludere respingere bollare liquidare rigettare contestare".split())
MIN_CLAIMS = 2


def build_claim_threads(claims: list[dict], published: dict) -> list[dict]:
    """Group claims sharing a predicate and a (non-place) subject entity; rows of schema.CLAIM_THREADS.

    Claims join threads in time order; a thread keeps the entities of the claim that opened it, and a claim
    naming two or more entities joins only a thread it shares two of them with (a thread about Ford and Xiaomi
    does not take in Ford's licence deal with CATL)."""
    weak = load_lexicon().weak_predicates
    keys = [(c["article_id"], _sentence_no(c)) for c in claims]
    order = sorted(range(len(claims)), key=keys.__getitem__)
    predicates = _resolve_denials([claims[i] for i in order])
    date_key = {a: _date_key(published.get(a)) for a in {k[0] for k in keys}}
    timeline = [claims[i] for i in sorted(order, key=lambda i: (date_key[keys[i][0]], keys[i]))]
    threads: list[list[dict]] = []  # the claims of each thread, in time order
    linked: list[list[list[str]]] = []  # the linking entities of each of those claims
    # Where a claim goes: the earliest thread of its predicate that it is compatible with. A one-entity claim
    # fits any thread whose opening claim names that entity; a claim naming two or more fits a thread opened
    # by a one-entity claim about one of them, or one whose opening claim shares two of its entities. Hence
    # the earliest thread per (predicate, entity), per (predicate, entity) among one-entity openers, and per
    # (predicate, entity pair).
    first_with: dict[tuple[str, str], int] = {}
    first_single: dict[tuple[str, str], int] = {}
    first_pair: dict[tuple[str, str, str], int] = {}
    for c in timeline:
        pred = predicates[c["claim_id"]]
        if not pred or pred in weak:
            continue
        ents = [e for e in c.get("subject_entity_ids") or () if not e.startswith(NON_LINKING_PREFIXES)]
        if not ents:
            continue
        if len(ents) > 1:
            ents = sorted(set(ents))
        if len(ents) == 1:
            home = first_with.get((pred, ents[0]))
        else:
            found = [first_single.get((pred, e)) for e in ents]
            found += [first_pair.get((pred, a, b)) for a, b in combinations(ents, 2)]
            home = min((i for i in found if i is not None), default=None)
        if home is not None:
            threads[home].append(c)
            linked[home].append(ents)
            continue
        n = len(threads)
        threads.append([c])
        linked.append([ents])
        for e in ents:
            first_with.setdefault((pred, e), n)
            if len(ents) == 1:
                first_single.setdefault((pred, e), n)
        for a, b in combinations(ents, 2):
            first_pair.setdefault((pred, a, b), n)
    rows: list[dict] = []
    for members, ents in zip(threads, linked):
        if len(members) >= MIN_CLAIMS:
            rows.extend(_thread_rows(members, _shared_entities(ents), predicates, published))
    return rows


def _thread_rows(members: list[dict], shared: list[str], predicates: dict[str, str], published: dict) -> list[dict]:
    predicate = predicates[members[0]["claim_id"]]
    thread_id = "t_" + hashlib.sha1(f"{predicate}|{members[0]['claim_id']}".encode()).hexdigest()[:16]
    status = thread_status(members)
    return [
        {
            "thread_id": thread_id,
            "claim_id": c["claim_id"],
            "article_id": c["article_id"],
            "position": pos,
            "published": published.get(c["article_id"]),
            "modality": c.get("modality"),
            "entity_ids": shared,
            "predicate": predicate,
            "thread_status": status,
        }
        for pos, c in enumerate(members)
    ]


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


def _resolve_denials(ordered: list[dict]) -> dict[str, str | None]:
    """Predicate per claim; a denial inherits the predicate of the rumor it answers (same article, shared entity)."""
    out: dict[str, str | None] = {}
    open_claims: list[dict] = []
    article = None
    for c in ordered:
        if c["article_id"] != article:  # claims come grouped by article, and a denial answers its own article only
            article, open_claims = c["article_id"], []
        pred = c.get("predicate")
        if c.get("modality") == "denial" and (pred is None or pred in DENIAL_PREDICATES):
            ents = set(_entities(c)) | ({c["speaker_entity_id"]} if c.get("speaker_entity_id") else set())
            answered = next((o for o in reversed(open_claims) if o["article_id"] == c["article_id"] and ents & set(_entities(o))), None)
            if answered is not None:
                pred = out[answered["claim_id"]]
        out[c["claim_id"]] = pred
        if c.get("modality") in OPEN_MODALITIES:
            open_claims.append(c)
    return out


def _entities(c: dict) -> list[str]:
    return [e for e in (c.get("subject_entity_ids") or []) if not e.startswith(NON_LINKING_PREFIXES)]


def _shared_entities(linked: list[list[str]]) -> list[str]:
    """Entities every claim of a thread names, else those two or more of them name."""
    sets = [set(ents) for ents in linked]
    common = set.intersection(*sets)
    if common:
        return sorted(common)
    counts: dict[str, int] = {}
    for s in sets:
        for e in s:
            counts[e] = counts.get(e, 0) + 1
    return sorted(e for e, n in counts.items() if n >= 2)


def _sentence_no(c: dict) -> int:
    if c.get("sentence_id") is not None:
        return c["sentence_id"]
    tail = c["claim_id"].rsplit(":", 1)[-1]  # claim ids are "<article_id>:<sentence_id>"
    return int(tail) if tail.isdigit() else 0


def _date_key(d) -> tuple[int, dt.date]:
    return (1, dt.date.max) if d is None else (0, d)
