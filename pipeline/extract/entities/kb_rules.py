"""entities.kb_rules.v1: KB aliases, discovery of unseen names, partial names, acronyms and epithets -> mention rows."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma

from pipeline.extract.entities.aliases import CAND_TARGET, KB_TARGET, link_aliases
from pipeline.extract.entities.appositions import appositive_roles
from pipeline.extract.entities.anchors import Anchors, fold_text, scan_anchors
from pipeline.extract.entities.discovery import decide_entities, find_candidates
from pipeline.extract.entities.epithets import EpithetIndex, build_epithet_index, resolve_epithets
from pipeline.extract.entities.kb import KnowledgeBase, load_kb
from pipeline.extract.entities.lexicon import Lexicon, load_lexicon
from pipeline.extract.entities.metonyms import resolve_metonyms
from pipeline.extract.entities.matcher import (
    AliasIndex,
    KbMatch,
    build_alias_index,
    PhraseIndex,
    build_phrase_index,
    claimed_span,
    match_kb,
    match_lower,
)
from pipeline.extract.entities.spans import EntityFacts, Span
from pipeline.extract.registry import register
from pipeline.text import Sentence

NAME = "entities.kb_rules.v1"
# A lowercase variant word after a product ("Fiat 500 ibrida", "SU7 Ultra").
NEXT_LOWER_WORD_RE = re.compile(r" ([^\W\d_]+)")
CONFIDENCE = {"kb_alias": 0.95, "kb_epithet": 0.9}


@dataclass(frozen=True)
class Resources:
    """Everything loaded once per process: KB, word lists, alias index, regexes."""

    kb: KnowledgeBase
    lex: Lexicon
    index: AliasIndex
    phrases: PhraseIndex
    epithet_index: EpithetIndex
    kb_facts: dict[str, EntityFacts]
    is_common: object


def load_resources(reference_dir: Path | None = None) -> Resources:
    """Build the KB, lexicon and matchers (the slow part: done once per process by the factory)."""
    kb = load_kb(reference_dir)
    lex = load_lexicon(reference_dir)
    is_common = make_common_word_test(lex)
    index = build_alias_index(kb, lex, is_common)
    phrases = build_phrase_index(index, list(lex.epithet_heads))
    places = {fold_text(e.name): e.id for e in kb.entities.values() if e.type == "LOC"}
    facts = {eid: _kb_facts(kb, eid, lex, places) for eid in kb.entities}
    return Resources(kb, lex, index, phrases, build_epithet_index(kb), facts, is_common)


def make_common_word_test(lex: Lexicon):
    """word (folded) -> True when it is an ordinary Italian or English word (cached: simplemma lookups are slow)."""

    @lru_cache(maxsize=65536)
    def is_common(word: str) -> bool:
        if word in lex.sentence_initial_common or word in lex.not_entities:
            return True
        if word.endswith("mente") and len(word) > 7:  # adverbs
            return True
        try:
            if simplemma.is_known(word, lang="it"):
                return True
            # simplemma's English list holds place and company names too: those lemmatize capitalized (Houston)
            return simplemma.is_known(word, lang="en") and simplemma.lemmatize(word, lang="en")[:1].islower()
        except (ValueError, LookupError):
            return False

    return is_common


def _regions_of(kb: KnowledgeBase, place_id: str | None) -> tuple[str, ...]:
    """Folded names of the places a KB place lies in: Austin -> ("texas", "stati uniti") for "il costruttore texano"."""
    if place_id is None:
        return ()
    return tuple(fold_text(kb.entities[a].name) for a in kb.ancestors(place_id) if kb.entities[a].type == "LOC")


def _kb_facts(kb: KnowledgeBase, eid: str, lex: Lexicon, places: dict[str, str] | None = None) -> EntityFacts:
    e = kb.entities[eid]
    country = e.country
    parent = kb.entities.get(e.parent_id) if e.parent_id else None
    if country is None and parent is not None:
        country = parent.country  # a brand is as American as its group
    hq = e.hq_city
    if hq is None and e.type == "LOC" and parent is not None and parent.type == "LOC":
        hq = parent.name  # a plant is where its town is: "lo stabilimento torinese" -> Mirafiori
    roles: set[str] = set()
    if e.role:
        role = f" {fold_text(e.role)} "
        roles = {r for r in lex.person_roles if f" {r} " in role}
    return EntityFacts(
        eid,
        e.name,
        e.type,
        "kb",
        sector=e.sector,
        country=country,
        hq_city=fold_text(hq) if hq else None,
        hq_regions=_regions_of(kb, (places or {}).get(fold_text(hq))) if hq else (),
        leader="|".join(fold_text(x.strip()) for x in e.leader.split("|")) if e.leader else None,
        parent_id=e.parent_id,
        roles=roles,
        role_text=fold_text(e.role) if e.role else None,
        # a person works for their organization and for the groups above it
        affiliations={e.parent_id, *kb.ancestors(e.parent_id)} if e.type == "PER" and e.parent_id else set(),
        aliases=tuple(dict.fromkeys((*e.aliases, *e.generated_aliases))),
        wikidata_id=e.wikidata_id,
    )


def resolve_kb_matches(matches: list[KbMatch], kb: KnowledgeBase) -> list[Span]:
    """Pick one entity per KB match: bare model names need their maker, common words a second sighting."""
    firm: set[str] = set()
    for m in matches:
        if m.maker_id:
            firm.add(m.maker_id)
        e = m.entries[0]
        # one entity, maybe through several of its aliases ("BYD" and "Byd" fold alike)
        single = len(m.entries) == 1 or all(x.entity_id == e.entity_id for x in m.entries)
        if single and (not e.needs_maker or m.maker_id) and not (e.ambiguous and m.initial):
            firm.add(e.entity_id)
    related: set[str] | None = None  # built only when an alias names several entities
    spans: list[Span] = []
    sure = CONFIDENCE["kb_alias"]
    for m in matches:
        if len(m.entries) == 1:
            e = m.entries[0]
            if not e.needs_maker and not e.ambiguous and not e.generated and e.method == "kb_alias":
                spans.append(Span(m.start, m.end, e.entity_id, "kb_alias", sure))  # the common case, fast
                continue
        ok = [
            e
            for e in m.entries
            if not (e.needs_maker and not m.maker_id and firm.isdisjoint(kb.ancestors(e.entity_id)))
            and not (e.ambiguous and m.initial and e.entity_id not in firm)
        ]
        if not ok:
            continue
        if len(ok) == 1:
            best = ok[0]
        else:
            if related is None:
                related = set(firm)
                for eid in firm:
                    related.update(kb.ancestors(eid))
                    related.update(kb.children.get(eid, ()))
            rel = related
            best = min(ok, key=lambda e: (e.entity_id not in rel and rel.isdisjoint(kb.ancestors(e.entity_id)), e.generated, e.order))
        conf = CONFIDENCE.get(best.method, 0.9) - (0.1 if best.ambiguous else 0.0) - (0.05 if best.generated else 0.0)
        # "Xiaomi SU7" is a mention of the model only: its maker is the model's parent_id, not a second mention
        spans.append(Span(m.start, m.end, best.entity_id, best.method, round(conf, 2)))
    return spans


@dataclass(frozen=True)
class ArticleText:
    """A body with what every step needs of it: folded text, capitalized words, sentences."""

    body: str
    folded: str
    anchors: Anchors
    sentences: list[Sentence]


# A discovery step: (article, KB spans, resources) -> (KB spans it kept or extended, new spans, facts of new entities).
Discover = Callable[[ArticleText, list[Span], "Resources"], tuple[list[Span], list[Span], dict[str, EntityFacts]]]


def discover_by_rules(text: ArticleText, kb_spans: list[Span], res: Resources) -> tuple[list[Span], list[Span], dict[str, EntityFacts]]:
    """Capitalized spans not in the KB, typed from evidence; partial names and acronyms linked to their entity."""
    found = find_candidates(text.body, text.folded, text.anchors, text.sentences, kb_spans, res.kb, res.lex, res.is_common)
    links = link_aliases(found.candidates, found.kb_spans, res.kb, res.lex, text.body, text.folded)
    spans, entities = decide_entities(found.candidates, links, text.body, res.lex, res.is_common, KB_TARGET, CAND_TARGET)
    facts = {eid: EntityFacts(eid, d["name"], d["type"], "discovered", parent_id=d["parent_id"], roles=set(d["roles"])) for eid, d in entities.items()}
    return found.kb_spans, spans, facts


def find_entity_spans(body: str, sentences: list[Sentence], res: Resources, discover: Discover | None = discover_by_rules) -> tuple[list[Span], dict[str, EntityFacts]]:
    """Pure: every mention span of a body and the facts of the entities they point at (ids: KB or 'd_...').

    Find (KB aliases, then `discover` for the names the KB lacks, then epithets that refer back to them)
    before emit (to_rows), as spaCy's SpanRuler does; `discover=None` keeps the KB matches only.
    """
    folded = fold_text(body)
    text = ArticleText(body, folded, scan_anchors(body, folded), sentences)
    lower_matches, heads = match_lower(body, folded, res.phrases, res.index)
    matches = lower_matches + match_kb(body, folded, text.anchors, res.index, res.kb, [claimed_span(m, folded) for m in lower_matches])
    kb_spans = resolve_kb_matches(sorted(matches, key=lambda m: m.start), res.kb)
    kb_spans = resolve_metonyms(kb_spans, folded, {k: v for k, v in res.lex.metonyms.items() if v in res.kb.entities})
    facts: dict[str, EntityFacts] = {}
    name_spans = kb_spans
    if discover is not None:
        kept, new_spans, facts = discover(text, kb_spans, res)
        name_spans = kept + new_spans
    for s in name_spans:
        if s.entity_id not in facts:
            facts[s.entity_id] = res.kb_facts[s.entity_id]
    _affiliate(name_spans, facts, folded, res.lex)
    name_spans = _extend_variants(name_spans, folded, facts, res.lex)
    starts = [s.start for s in sentences]
    paragraphs = [s.paragraph for s in sentences]

    def paragraph_of(pos: int) -> int:
        return paragraphs[max(0, bisect_right(starts, pos) - 1)] if paragraphs else 0

    epithet_spans = resolve_epithets(body, folded, heads, name_spans, facts, res.kb_facts.get, res.lex, res.epithet_index, paragraph_of)
    epithet_spans += appositive_roles(folded, name_spans, facts, res.lex, epithet_spans)
    spans = _drop_nested(sorted(set(name_spans + epithet_spans), key=lambda s: (s.start, -s.end, s.entity_id)))
    return spans, facts


def _drop_nested(spans: list[Span]) -> list[Span]:
    """Spans sorted by (start, -end): one inside a longer span of the same entity is no second mention
    ("de Meo" inside "Luca de Meo", "Ovale Blu" inside "la casa dell'Ovale Blu")."""
    out: list[Span] = []
    reach: dict[str, int] = {}  # entity -> end of its furthest-reaching span so far
    for s in spans:
        if reach.get(s.entity_id, -1) >= s.end:
            continue
        out.append(s)
        reach[s.entity_id] = max(reach.get(s.entity_id, -1), s.end)
    return out


AFFILIATION_GAP_MAX = 70
WORDS_RE = re.compile(r"[^\W\d_]+'?")


def _affiliate(spans: list[Span], facts: dict[str, EntityFacts], folded: str, lex: Lexicon) -> None:
    """Record which organization a discovered person works for ("X, presidente di Y"): epithets use it."""
    if not any(f.type == "PER" and f.origin != "kb" for f in facts.values()):
        return
    ordered = sorted(spans, key=lambda s: s.start)
    for a, b in zip(ordered, ordered[1:]):
        fa, fb = facts.get(a.entity_id), facts.get(b.entity_id)
        if fa is None or fb is None or fa.type != "PER" or fb.type != "ORG" or fa.origin == "kb":
            continue
        # "Ed Kim, presidente della società di consulenza AutoPacific"
        gap = folded[a.end : b.start]
        if len(gap) < AFFILIATION_GAP_MAX and gap.startswith((", ", " (")):
            words = " " + " ".join(WORDS_RE.findall(gap)) + " "
            if any(f" {r} " in words for r in lex.person_roles):
                fa.affiliations.add(b.entity_id)


def _extend_variants(spans: list[Span], folded: str, facts: dict[str, EntityFacts], lex: Lexicon) -> list[Span]:
    out = []
    for s in spans:
        f = facts.get(s.entity_id)
        if f is not None and f.type == "PRODUCT":
            m = NEXT_LOWER_WORD_RE.match(folded, s.end)
            if m and m.group(1) in lex.product_variants:
                s = s._replace(end=m.end())
        out.append(s)
    return out


def to_rows(article_id: str, body: str, sentences: list[Sentence], spans: list[Span], facts: dict[str, EntityFacts]) -> tuple[list[dict], list[dict]]:
    """Spans -> mention rows (schema.MENTIONS) and entity rows (schema.ENTITIES, no counts) for the ids they use."""
    starts = [s.start for s in sentences]
    mentions = []
    append = mentions.append
    used: dict[str, EntityFacts] = {}
    for start, end, eid, method, confidence in spans:
        if end <= start:
            continue
        sid = bisect_right(starts, start) - 1
        append(
            {
                "article_id": article_id,
                "sentence_id": sid if sid > 0 else 0,
                "entity_id": eid,
                "start": start,
                "end": end,
                "surface": body[start:end],
                "method": method,
                "confidence": confidence,
            }
        )
        if eid not in used:
            used[eid] = facts[eid]
    entities = [entity_row(f) for f in used.values()]
    return mentions, entities


def entity_row(f: EntityFacts) -> dict:
    """One row of the entities table (counts are added by the extract stage)."""
    return {
        "entity_id": f.entity_id,
        "name": f.name,
        "type": f.type,
        "aliases": list(f.aliases),
        "origin": f.origin,
        "wikidata_id": f.wikidata_id,
        "country": f.country,
        "parent_id": f.parent_id,
    }


class KbRulesExtractor:
    """The default entity extractor: rules over a curated KB, no model."""

    name = NAME

    def __init__(self, reference_dir: Path | None = None, resources: Resources | None = None):
        self.reference_dir = reference_dir
        self.res = resources or load_resources(reference_dir)

    def extract(self, body: str, sentences: list[Sentence], article_id: str) -> tuple[list[dict], list[dict]]:
        spans, facts = find_entity_spans(body, sentences, self.res)
        return to_rows(article_id, body, sentences, spans, facts)


@register(NAME)
def make_kb_rules(reference_dir: Path | None = None) -> KbRulesExtractor:
    return KbRulesExtractor(reference_dir)
