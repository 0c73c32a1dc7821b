"""Discovery of names missing from the KB: capitalized spans with particles, typed from the evidence around them."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pipeline.extract.entities.anchors import Anchors
from pipeline.extract.entities.kb import KnowledgeBase
from pipeline.extract.entities.lexicon import Lexicon
from pipeline.extract.entities.matcher import MAKER_SECTORS
from pipeline.extract.entities.spans import Span, discovered_id, normalize_name
from pipeline.text import Sentence

# Words of a context window (folded text): elided articles keep their apostrophe ("dell'").
WORD_RE = re.compile(r"[^\W\d_]+'?|\d+")
# What may follow a name and type it: ", presidente di ..." / " (CEO di ...".
APPOSITION_RE = re.compile(r"\s*[,(]\s*((?:[^\W\d_]+'?\s*){1,4})")
# A company form written after the name with dots: "Ferrari S.p.A.", "Acme Inc.".
ORG_FORM_AFTER_RE = re.compile(r",?\s*(?:s\.p\.a\.?|spa|s\.r\.l\.?|srl|inc\.?|ltd\.?|llc|plc|corp\.?|gmbh|ag|s\.a\.|n\.v\.|co\.)(?![^\W_])")
# "ha nominato François Provost nuovo amministratore delegato": a role right after the name, without comma.
PREDICATIVE_RE = re.compile(r" ((?:nuovo|nuova|neo|attuale|ex) (?:[^\W\d_]+'?\s*){1,3})")
IN_PLACE_RE = re.compile(r",? (?:in|nel|nella|nello|negli|nei) ")
YEAR_AFTER_RE = re.compile(r" (?:19|20)\d\d(?!\d)")
# A model number right after a maker: "Fiat 500", "Polestar 3" (years and amounts excluded).
MODEL_NUMBER_RE = re.compile(r" (?!(?:19|20)\d\d\b)(\d{1,4}[a-z]{0,2})(?![\d%]|[.,]\d|\s*(?:mila|milioni|miliardi|euro|dollari|%|unità|auto|veicoli|esemplari|dipendenti|posti))")
# The number closing a model's name ("Ioniq 9", "Atto 3"), not an amount or a year.
PRODUCT_NUMBER_RE = re.compile(r" (?!(?:19|20)\d\d\b)(\d{1,4}[a-z]{0,2})(?![\d%]|[.,]\d|\s*(?:mila|milioni|miliardi|euro|dollari|%|unità|anni|mesi))")
# Coordination between two names: the second inherits the type of the first ("Stefano Geuna ... e Gianmario Pellegrino").
COORD_GAP_RE = re.compile(r"^(?:\s*\([^()]{1,40}\))?\s*(?:,|e|ed|o|oppure|and|&|né)\s*$")
MIXED_ALNUM_RE = re.compile(r"^(?=.*\d)(?=.*[^\W\d_])[\w.+-]{2,10}$")
INNER_CAPITAL_RE = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿ]+[A-ZÀ-Þ]")
ARTICLES = frozenset({"il", "lo", "la", "l'", "i", "gli", "le", "un", "uno", "una", "un'"})
DI_PARTICLES = frozenset({"di", "del", "della", "dello", "dell'", "dei", "degli", "delle", "d'"})
# Role words that describe organizations too ("Rivian, leader dei veicoli elettrici"): no person evidence after a comma.
APPOSITION_NOT_PERSON = frozenset({"leader", "partner", "guida", "vertice", "capo", "alla guida", "head"})
_APPOSITION_SKIP = ARTICLES | {"ex", "già", "attuale", "nuovo", "nuova", "neo", "storico", "storica"}
TYPE_ORDER = ("PER", "ORG", "LOC", "PRODUCT", "EVENT")
STRONG, MEDIUM, WEAK = 3.0, 2.0, 1.0


@dataclass
class Candidate:
    """A capitalized span not in the KB: its words, where it stands and the evidence of its type."""

    start: int
    end: int
    words: tuple[str, ...]  # folded words, particles included
    initial: bool
    evidence: Counter = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)
    parent_id: str | None = None  # brand+model products: the maker
    nested: Span | None = None  # brand+model: the maker's KB span the product span absorbed
    not_entity: bool = False  # "il piano Renaulution", "ministro delle Imprese": a name, but of no entity

    @cached_property
    def key(self) -> str:
        return normalize_name(" ".join(self.words))


@dataclass(frozen=True)
class Discovery:
    """What discovery found: candidates, and KB spans it extended ("Toyota North America") or absorbed."""

    candidates: list[Candidate]
    kb_spans: list[Span]


def find_candidates(
    body: str,
    folded: str,
    anchors: Anchors,
    sentences: list[Sentence],
    kb_spans: list[Span],
    kb: KnowledgeBase,
    lex: Lexicon,
    is_common: Callable[[str], bool],
) -> Discovery:
    """Capitalized runs not covered by a KB alias -> candidates with type evidence (no typing decision yet)."""
    n = len(anchors)
    if not n:
        return Discovery([], kb_spans)
    outer = _outer_spans(kb_spans)
    cover = _cover(anchors, outer)
    sent_starts = [s.start for s in sentences]
    noisy: dict[int, bool] = {}
    runs = _runs(anchors, folded, cover, lex, is_common)
    spans = list(kb_spans)
    removed: set[Span] = set()
    replaced: dict[Span, Span] = {}
    candidates: list[Candidate] = []
    afold, initial = anchors.folded, anchors.initial
    for run in runs:
        if len(run) == 1:  # fast path: most runs are one KB name or one sentence opener
            i = run[0]
            w = afold[i]
            if cover[i] is not None or w in lex.not_entities or (initial[i] and w in lex.sentence_initial_common):
                continue
        elif all(cover[i] is not None for i in run) and len(run) < 3:
            continue
        si = max(0, bisect_right(sent_starts, anchors.starts[run[0]]) - 1)
        if si < len(sentences):
            if si not in noisy:
                noisy[si] = _noisy(body, sentences[si], anchors)
            if noisy[si]:
                continue
        got = _institution(run, anchors, folded, cover, outer, lex, is_common, kb)
        if got:
            cand, inside = got
            removed.update(inside)
            candidates.append(cand)
            continue
        for seg in _segments(run, cover, anchors, lex, is_common):
            first, last = seg[0], seg[-1]
            prev = outer[cover[first - 1]] if first > 0 and cover[first - 1] is not None and first - 1 not in seg else None
            gap = folded[prev.end : anchors.starts[first]] if prev else None
            if prev is not None and gap == " ":
                ent = kb.entities.get(prev.entity_id)
                words = tuple(anchors.folded[i] for i in seg)
                if ent is not None and ent.type == "ORG" and all(w in lex.maker_units or w in lex.subsidiary_units for w in words):
                    if not any(w in lex.subsidiary_units for w in words):
                        replaced[prev] = prev._replace(end=anchors.ends[last])  # "Xiaomi Auto", "Ford Motor": the same company
                        continue
                    # "Ford Europe", "Toyota North America": a subsidiary, owned by the named company
                    candidates.append(_extend(prev, anchors.ends[last], words, folded, "ORG", False, ent.id))
                    removed.add(prev)
                    continue
                if ent is not None and ent.type == "PRODUCT" and all(w in lex.product_variants for w in words):
                    replaced[prev] = prev._replace(end=anchors.ends[last])
                    continue
                if ent is not None and ent.type in ("LOC", "PER") and (words[-1] in lex.org_suffixes or words[-1] in lex.event_tails):
                    # "Detroit Regional Partnership", "Torino Motor Show": a place opening an organization's name
                    typ = "ORG" if words[-1] in lex.org_suffixes else "EVENT"
                    candidates.append(_extend(prev, anchors.ends[last], words, folded, typ, anchors.initial[first - 1]))
                    removed.add(prev)
                    continue
                person_like = len(words) >= 2 and not any(is_common(w) or any(ch.isdigit() for ch in w) for w in words)
                if ent is not None and ent.type == "ORG" and _is_maker(ent, kb) and words[0] not in lex.first_names and not person_like:
                    # "Leapmotor T03": a model of the maker; the maker's name is part of it, not a mention of its own
                    candidates.append(_extend(prev, anchors.ends[last], words, folded, "PRODUCT", False, ent.id))
                    removed.add(prev)
                    continue
            cand = _candidate(seg, anchors, folded, lex, is_common)
            if cand is None:
                continue
            nxt = outer[cover[last + 1]] if last + 1 < len(cover) and cover[last + 1] is not None and last + 1 in run else None
            if nxt is not None and folded[cand.end : nxt.start] == " " and folded[nxt.start : nxt.end] in lex.maker_units:
                # "Metaplant America", "Acme Italia": a place word closing an unknown name is part of it
                cand = Candidate(cand.start, nxt.end, _words_of(folded[cand.start : nxt.end]), cand.initial)
                cand.evidence["ORG"] += MEDIUM
                removed.add(nxt)
            candidates.append(cand)
    numbered = _model_numbers(body, folded, outer, kb, anchors, cover)
    removed.update(c.nested for c in numbered)
    candidates.extend(numbered)
    candidates = [_lowercase_head(c, folded, lex) for c in candidates]
    candidates.sort(key=lambda c: c.start)
    places = {s.start for s in kb_spans if getattr(kb.entities.get(s.entity_id), "type", None) == "LOC"}
    for c in candidates:
        _add_evidence(c, body, folded, lex, _sentence_start(sent_starts, c.start), places, is_common)
    candidates = [_with_model_number(c, folded) for c in candidates]
    _coordination(candidates, spans, folded, kb)
    kept = [replaced.get(s, s) for s in spans if s not in removed]
    return Discovery(candidates, kept)


@lru_cache(maxsize=4)
def _lowercase_head_re(heads: frozenset[str]) -> re.Pattern:
    alt = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True)) or "(?!x)x"
    return re.compile(rf"(?:^|[^\w'])({alt})\s+(?:di|del|della|dello|dell'|dei|degli|delle|per(?: il| la| l'| lo| gli| le)?)\s*$")


NEXT_WORD_RE = re.compile(r" ([^\W\d_]+)")


def _with_model_number(c: Candidate, folded: str) -> Candidate:
    """'la nuova Ioniq 9', 'Hyundai Ioniq 9': a product name takes the number written right after it."""
    if best_type(c.evidence) != "PRODUCT":
        return c
    m = PRODUCT_NUMBER_RE.match(folded, c.end)
    if not m:
        return c
    return Candidate(c.start, m.end(1), (*c.words, m.group(1)), c.initial, c.evidence, c.roles, c.parent_id, c.nested)


# Street words right before a name ("viale Ciro Menotti"); "via" is left out: it is also "through" ("via Telegram").
STREET_RE = re.compile(r"(?:^|[^\w'])(viale|piazza|piazzale|corso|largo|vicolo|lungomare|lungotevere)\s+$")

# Every lowercase head pattern ends with one of these particles (then only spaces): a cheap test before the regexes.
_HEAD_PARTICLE_ENDS = ("di", "del", "della", "dello", "dell'", "dei", "degli", "delle", "per", "il", "la", "l'", "lo", "gli", "le")


def _lowercase_head(c: Candidate, folded: str, lex: Lexicon) -> Candidate:
    """'ministero del Commercio cinese': a lowercase institution head before the name opens it; a street word
    ('viale Ciro Menotti') makes it a place."""
    if c.initial or c.parent_id:
        return c
    street = STREET_RE.search(folded, max(0, c.start - 20), c.start)
    if street:  # "viale Ciro Menotti", "corso Vittorio Emanuele": a street, not a person
        out = Candidate(street.start(1), c.end, _words_of(folded[street.start(1) : c.end]), False)
        out.evidence["LOC"] += STRONG
        return out
    if not folded[max(0, c.start - 40) : c.start].rstrip().endswith(_HEAD_PARTICLE_ENDS):
        return c
    typ = "ORG"
    m = _lowercase_head_re(lex.lowercase_org_heads).search(folded, max(0, c.start - 40), c.start)
    if not m:
        m = _lowercase_head_re(lex.lowercase_loc_heads).search(folded, max(0, c.start - 40), c.start)
        typ = "LOC"  # "la contea di Bryan": the place is named with its head
    if not m:
        return c
    end = c.end
    adj = NEXT_WORD_RE.match(folded, end)
    if adj and any(f in lex.nationality_adjectives for f in (adj.group(1), adj.group(1)[:-1] + "o", adj.group(1)[:-1] + "e")):
        end = adj.end()
    out = Candidate(m.start(1), end, _words_of(folded[m.start(1) : end]), False)
    out.evidence[typ] += STRONG
    return out


def _outer_spans(spans: list[Span]) -> list[Span]:
    """Spans not inside a longer one (the maker inside "Xiaomi SU7"), by start."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def _is_maker(ent, kb: KnowledgeBase) -> bool:
    return ent.sector in MAKER_SECTORS or ent.id in kb.makers


def _compound_org(run: list[int], anchors: Anchors, folded: str, cover, outer: list[Span], lex: Lexicon, kb: KnowledgeBase):
    """'Renault Samsung Motors': two organization names side by side closed by a company word are one name."""
    if len(run) < 3 or anchors.folded[run[-1]] not in lex.org_suffixes:
        return None
    k = len(run)
    while k > 0 and cover[run[k - 1]] is None and anchors.folded[run[k - 1]] in lex.org_suffixes:
        k -= 1  # "Motors" may still be outside the KB names
    if any(cover[i] is None for i in run[:k]):
        return None
    inside = []
    for i in run[:k]:
        sp = outer[cover[i]]
        if not inside or inside[-1] is not sp:
            inside.append(sp)
    if len(inside) < 2 or any(getattr(kb.entities.get(sp.entity_id), "type", None) != "ORG" for sp in inside):
        return None
    if any(folded[a.end : b.start] != " " for a, b in zip(inside, inside[1:])):
        return None
    start, end = inside[0].start, anchors.ends[run[-1]]
    cand = Candidate(start, end, _words_of(folded[start:end]), anchors.initial[run[0]])
    cand.evidence["ORG"] += STRONG
    return cand, set(inside)


def _extend(prev, end: int, words: tuple[str, ...], folded: str, typ: str, initial: bool, parent_id: str | None = None) -> Candidate:
    """A candidate made of a KB match plus the words after it ("Ford Europe", "Leapmotor T03"), strongly typed."""
    cand = Candidate(prev.start, end, (*_words_of(folded[prev.start : prev.end]), *words), initial)
    if parent_id is not None:
        cand.parent_id, cand.nested = parent_id, prev
    cand.evidence[typ] += STRONG
    return cand


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(text))


def _cover(anchors: Anchors, outer: list[Span]) -> list[int | None]:
    """For every anchor, the index of the KB span covering it (or None)."""
    starts = anchors.starts
    cover: list[int | None] = [None] * len(starts)
    n = len(starts)
    for j, sp in enumerate(outer):
        i = bisect_left(starts, sp.start)
        while i < n and starts[i] < sp.end:
            cover[i] = j
            i += 1
    return cover


def _noisy(body: str, sentence: Sentence, anchors: Anchors) -> bool:
    """A sentence in title case or capitals ("Le Voci Della Missione"): capitals there say nothing about names."""
    k = bisect_left(anchors.starts, sentence.end) - bisect_left(anchors.starts, sentence.start)
    ratio = k / (body.count(" ", sentence.start, sentence.end) + 1)
    # a short line of names ("Xiaomi Auto e Ford Europe crescono.") is no heading: it needs a heading line or length
    return (sentence.is_heading and k >= 4 and ratio >= 0.6) or (k >= 8 and ratio >= 0.7)


def _sentence_start(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return starts[lo - 1] if lo else 0


def _runs(anchors: Anchors, folded: str, cover: list[int | None], lex: Lexicon, is_common) -> list[list[int]]:
    """Consecutive capitalized words joined by a space, a hyphen or a particle ("Henri de Castries").

    "di"/"del"/"della" join only after an institution, event or place head ("Politecnico di Milano",
    "Borsa di Tokyo"): elsewhere they link two names ("Olivetti di Scarmagno", "Nordschleife del Nürburgring").
    """
    runs: list[list[int]] = []
    cur: list[int] = []
    starts, ends = anchors.starts, anchors.ends
    for i in range(len(starts)):
        if cur:
            width = starts[i] - ends[i - 1]
            if width == 1 and folded[ends[i - 1]] in " -":
                cur.append(i)
                continue
            gap = folded[ends[i - 1] : starts[i]] if width <= 9 else ""
            if gap and _particle_gap(gap, lex) and (
                gap.strip() not in DI_PARTICLES
                or _headed(cur, anchors, lex, is_common)
                or _place_cue_before(folded, starts[cur[0]], lex)
                or _word_before(folded, starts[cur[0]]) in lex.event_cues
            ):
                cur.append(i)
                continue
            runs.append(cur)
        cur = [i]
    if cur:
        runs.append(cur)
    return runs


def _word_before(folded: str, pos: int) -> str:
    words = folded[max(0, pos - 20) : pos].split()
    return words[-1] if words else ""


def _place_cue_before(folded: str, pos: int, lex: Lexicon) -> bool:
    """'Nato a Castellammare di Stabia': after a strong place cue, "di" stays inside the place name."""
    before = WORD_RE.findall(folded[max(0, pos - 40) : pos])
    cue = _phrase_at_end(before, lex.loc_cues, lex.max_cue_words)
    return bool(cue) and cue not in lex.weak_loc_cues


def _headed(run: list[int], anchors: Anchors, lex: Lexicon, is_common) -> bool:
    """Does the run open with an institution, event or place head word (after a sentence-initial opener)?"""
    k = 0
    while k < len(run) - 1 and anchors.initial[run[k]] and _initial_common(anchors.folded[run[k]], lex, is_common):
        k += 1
    w = anchors.folded[run[k]]
    two = w + " " + anchors.folded[run[k + 1]] if k + 1 < len(run) else w
    return w in lex.org_heads or w in lex.event_heads or w in lex.loc_heads or two in lex.event_heads


def _particle_gap(gap: str, lex: Lexicon) -> bool:
    if not gap.startswith(" "):
        return False
    inner = gap.strip()
    if gap.endswith(" "):
        words = inner.split(" ")  # "von der" (Ursula von der Leyen), "de la"
        return len(words) <= 2 and all(w in lex.particles and w not in lex.weak_particles for w in words)
    return gap.endswith("'") and inner in lex.particles  # "Banca d'Italia"


def _institution(run: list[int], anchors: Anchors, folded: str, cover, outer: list[Span], lex: Lexicon, is_common, kb: KnowledgeBase):
    """'Commissione Cina della Camera', 'Politecnico di Milano': an institution head swallows the KB names after it."""
    while len(run) > 1 and anchors.initial[run[0]] and cover[run[0]] is None and _initial_common(anchors.folded[run[0]], lex, is_common):
        run = run[1:]
    compound = _compound_org(run, anchors, folded, cover, outer, lex, kb)
    if compound:
        return compound
    if len(run) < 2 or cover[run[0]] is not None:
        return None
    head = anchors.folded[run[0]]
    two = head + " " + anchors.folded[run[1]]
    kind = "ORG" if head in lex.org_heads else "EVENT" if head in lex.event_heads or two in lex.event_heads else None
    if kind is None:
        return None
    inside = {outer[cover[i]] for i in run if cover[i] is not None}
    if not inside:
        return None
    if any(getattr(kb.entities.get(s.entity_id), "type", None) == "PER" for s in inside):
        return None  # "presidente del Consiglio Giorgia Meloni": an office before a person, not an institution's name
    if any(s.start < anchors.starts[run[0]] or s.end > anchors.ends[run[-1]] for s in inside):
        return None
    start, end = anchors.starts[run[0]], anchors.ends[run[-1]]
    cand = Candidate(start, end, _words_of(folded[start:end]), anchors.initial[run[0]])
    cand.evidence[kind] += STRONG
    return cand, inside


def _segments(run: list[int], cover, anchors: Anchors, lex: Lexicon, is_common) -> list[list[int]]:
    """Uncovered sub-runs of a run, trimmed of particles-only edges, generic words and sentence-initial common words."""
    segs: list[list[int]] = []
    cur: list[int] = []
    for i in run:
        if cover[i] is None:
            cur.append(i)
        else:
            if cur:
                segs.append(cur)
            cur = []
    if cur:
        segs.append(cur)
    out = []
    for seg in segs:
        # sentence-initial common word: "Proprio Ford", "Praticamente la Torino", "Il Piemonte"
        while seg and anchors.initial[seg[0]] and _initial_common(anchors.folded[seg[0]], lex, is_common):
            seg = seg[1:]
        while seg and _generic(anchors.folded[seg[0]], anchors.texts[seg[0]], lex):
            seg = seg[1:]
        while seg and _generic(anchors.folded[seg[-1]], anchors.texts[seg[-1]], lex):
            seg = seg[:-1]
        if seg and all(anchors.folded[i] in lex.title_words for i in seg):
            continue  # "Chief Marketing Officer"
        if seg:
            out.extend(_split_at_first_name(seg, anchors, lex))
    return out


def _split_at_first_name(seg: list[int], anchors: Anchors, lex: Lexicon) -> list[list[int]]:
    """'Esteri Péter Szijjártó' -> 'Esteri' | 'Péter Szijjártó': a full name starts at its first name."""
    for k in range(1, len(seg) - 1):
        if anchors.folded[seg[k]] in lex.first_names and anchors.folded[seg[k - 1]] not in lex.first_names and anchors.folded[seg[k - 1]] not in lex.particles:
            head = [i for i in seg[:k] if anchors.folded[i] not in lex.not_entities]
            return ([head] if head else []) + [seg[k:]]
    return [seg]


def _initial_common(word: str, lex: Lexicon, is_common) -> bool:
    return word in lex.sentence_initial_common or (word.endswith("mente") and len(word) > 7) or (is_common(word) and word not in lex.first_names)


def _generic(word: str, text: str, lex: Lexicon) -> bool:
    return word in lex.not_entities or word in lex.honorifics or (len(text) == 1)


def _candidate(seg: list[int], anchors: Anchors, folded: str, lex: Lexicon, is_common) -> Candidate | None:
    start, end = anchors.starts[seg[0]], anchors.ends[seg[-1]]
    words = tuple(WORD_RE.findall(folded[start:end]))
    if not words:
        return None
    cand = Candidate(start, end, words, anchors.initial[seg[0]])
    texts = [anchors.texts[i] for i in seg]
    if any(MIXED_ALNUM_RE.match(t) for t in texts) and len(seg) <= 2:
        cand.evidence["PRODUCT"] += MEDIUM
    if PRODUCT_NUMBER_RE.match(folded, end):
        cand.evidence["PRODUCT"] += MEDIUM  # "Ioniq 9", "Atto 3": a name followed by a model number
    if len(seg) == 1:
        t = texts[0]
        if t.isupper() and 2 <= len(t) <= 6 and t.isalpha():
            cand.evidence["ORG"] += WEAK
        elif INNER_CAPITAL_RE.match(t):
            cand.evidence["ORG"] += WEAK
    return cand


def _model_numbers(body: str, folded: str, outer: list[Span], kb: KnowledgeBase, anchors: Anchors, cover) -> list[Candidate]:
    """'Fiat 500': a maker followed by a model number is a product (when the KB does not list it)."""
    out = []
    for sp in outer:
        if folded[sp.end : sp.end + 1] != " " or not folded[sp.end + 1 : sp.end + 2].isdigit():
            continue  # cheap test first: most names are not followed by a number
        ent = kb.entities.get(sp.entity_id)
        if ent is None or ent.type != "ORG" or not _is_maker(ent, kb):
            continue
        m = MODEL_NUMBER_RE.match(folded, sp.end)
        if not m:
            continue
        cand = Candidate(sp.start, m.end(1), (*_words_of(folded[sp.start : sp.end]), m.group(1)), False)
        cand.parent_id, cand.nested = ent.id, sp
        cand.evidence["PRODUCT"] += STRONG
        out.append(cand)
    return out


def _phrase_at_end(words: list[str], phrases: frozenset[str], max_len: int) -> str | None:
    if not words:
        return None
    if len(words) == 1 or words[-1] not in _last_words(phrases):
        return words[-1] if words and words[-1] in phrases else None
    for k in range(min(max_len, len(words)), 0, -1):
        p = " ".join(words[-k:])
        if p in phrases:
            return p
    return None


@lru_cache(maxsize=64)
def _last_words(phrases: frozenset[str]) -> frozenset[str]:
    """Last words of the multiword phrases of a set: a longer phrase can only end with one of them."""
    return frozenset(p.rsplit(" ", 1)[-1] for p in phrases if " " in p)


def _phrase_at_start(words: list[str], phrases: frozenset[str], max_len: int) -> str | None:
    for k in range(min(max_len, len(words)), 0, -1):
        p = " ".join(words[:k])
        if p in phrases:
            return p
    return None


def _add_evidence(c: Candidate, body: str, folded: str, lex: Lexicon, sent_start: int, places: set[int], is_common) -> None:
    """Evidence of the type from the name itself and the words around it."""
    ev = c.evidence
    w = c.words
    nw = len([x for x in w if x not in lex.particles])
    hyphen_first = body[c.start : c.end].split(" ")[0].count("-") > 0 and "-".join(w[:2]) not in lex.first_names
    if nw >= 2 and w[0] in lex.first_names and w[-1] not in lex.org_suffixes and not hyphen_first:
        ev["PER"] += STRONG  # not "Billy-Berclau": a hyphenated place, unless the compound is a first name
    if nw == 2 and w[0] in lex.family_names_first:
        ev["PER"] += MEDIUM
    if nw >= 2 and w[-1] in lex.org_suffixes:
        ev["ORG"] += STRONG
    if nw >= 2 and (w[0] in lex.org_heads):
        ev["ORG"] += STRONG
    if w[0] in lex.event_heads or (nw >= 2 and (" ".join(w[:2]) in lex.event_heads or w[-1] in lex.event_tails)):
        ev["EVENT"] += STRONG
    if nw >= 2 and (w[0] in lex.loc_heads or w[-1] in lex.loc_tails):
        ev["LOC"] += MEDIUM
    # words before the name, within its sentence
    before = WORD_RE.findall(folded[max(sent_start, c.start - 70) : c.start])
    if before and before[-1] in ARTICLES:
        before = before[:-1]
    if before:
        mx = lex.max_cue_words
        if before[-1] in DI_PARTICLES and len(before) >= 2:
            head = before[:-1]
            role = _phrase_at_end(head, lex.person_roles, mx) or (len(head) >= 2 and _phrase_at_end(head[:-1], lex.person_roles, mx))
            if role and role in lex.portfolio_roles and len(w) == 1 and is_common(w[0]):
                c.not_entity = True  # "ministro delle Imprese": a portfolio, not an organization
            elif len(w) == 1 and " ".join((*before[-2:], w[0])) in lex.title_phrases:
                c.not_entity = True  # "presidente del Consiglio": an office
            elif role:
                ev["ORG"] += STRONG  # "presidente di Vehicle Valley", "CEO di Leapmotor"
            # "la fabbrica tedesca di Heide": one adjective may stand between the cue and "di"
            loc = _phrase_at_end(before, lex.loc_cues, mx) or (len(before) >= 3 and _phrase_at_end([*before[:-2], before[-1]], lex.loc_cues, mx))
            if loc and loc not in lex.weak_loc_cues:
                ev["LOC"] += STRONG
            elif not role and (head[-1] in lex.org_heads or head[-1] in lex.epithet_heads or head[-1] in lex.org_cues):
                ev["LOC"] += MEDIUM  # "il colosso di Shenzhen", "il governo di Madrid", "il tribunale di Houston": a seat
        role = _phrase_at_end(before, lex.person_roles, mx)
        if role == "ad" and not (len(before) >= 2 and before[-2].endswith("'")):
            role = None  # "firmata ad Hannover": the preposition, not "l'ad" (amministratore delegato)
            ev["LOC"] += WEAK
        if role:
            ev["PER"] += STRONG
            c.roles.add(role)
        if before[-1] in lex.honorifics:
            ev["PER"] += STRONG
        org = _phrase_at_end(before, lex.org_cues, mx)
        if org:
            ev["ORG"] += MEDIUM
        loc = _phrase_at_end(before, lex.loc_cues, mx)
        if loc and before[-1] not in DI_PARTICLES:
            ev["LOC"] += WEAK if loc in lex.weak_loc_cues else STRONG
        if before[-1] in lex.product_cues or (before[-1] == "come" and any(x in lex.product_cues for x in before[-3:-1])):
            ev["PRODUCT"] += MEDIUM  # "la berlina X", "modelli cruciali come X"
        if before[-1] in lex.not_entity_cues and len(w) == 1:
            c.not_entity = True
        if before[-1] in lex.event_cues:
            ev["EVENT"] += STRONG  # "il premio Compasso d'Oro", "la fiera Ecomondo"
        if body[c.start - 1 : c.start] == "(":
            ev["ORG"] += WEAK
    # words after the name
    m = APPOSITION_RE.match(folded, c.end) or PREDICATIVE_RE.match(folded, c.end)
    if m:
        after = WORD_RE.findall(m.group(1))
        while after and after[0] in _APPOSITION_SKIP:
            after = after[1:]
        role = _phrase_at_start(after, lex.person_roles, lex.max_cue_words)
        if role and role not in APPOSITION_NOT_PERSON:
            ev["PER"] += STRONG
            c.roles.add(role)
    m = IN_PLACE_RE.match(folded, c.end)
    if m and m.end() in places:
        ev["LOC"] += MEDIUM  # "Arnstadt in Germania", "Houston, in Texas"
    if ORG_FORM_AFTER_RE.match(folded, c.end):
        ev["ORG"] += STRONG
    if YEAR_AFTER_RE.match(body, c.end):
        ev["EVENT"] += WEAK


def _coordination(candidates: list[Candidate], kb_spans: list[Span], folded: str, kb: KnowledgeBase) -> None:
    """'ANFIA, Unione Industriali, CNA e Confapi': a name listed with another takes its type as evidence."""
    spans = sorted(kb_spans, key=lambda s: s.end)
    ends = [s.end for s in spans]
    prev_cand: Candidate | None = None
    for c in candidates:  # in text order
        k = bisect_right(ends, c.start)
        kb_prev = spans[k - 1] if k else None
        use_kb = kb_prev is not None and (prev_cand is None or kb_prev.end > prev_cand.end)
        end = kb_prev.end if use_kb else (prev_cand.end if prev_cand is not None and prev_cand.end <= c.start else None)
        if end is not None and COORD_GAP_RE.match(folded[end : c.start]):
            if use_kb:
                e = kb.entities.get(kb_prev.entity_id)
                typ = e.type if e else None
            else:
                typ = best_type(prev_cand.evidence)
            if typ:
                c.evidence[typ] += MEDIUM
        if prev_cand is None or c.start >= prev_cand.end:
            prev_cand = c


def best_type(evidence: Counter) -> str | None:
    """The type with the most evidence (ties broken in TYPE_ORDER), or None without evidence."""
    if not evidence:
        return None
    top = max(evidence.values())
    if top <= 0:
        return None
    for t in TYPE_ORDER:
        if evidence.get(t, 0) == top:
            return t
    return None


def decide_entities(
    candidates: list[Candidate],
    links: dict,
    body: str,
    lex: Lexicon,
    is_common: Callable[[str], bool],
    kb_target: str,
    cand_target: str,
) -> tuple[list[Span], dict[str, dict]]:
    """Group candidates into entities (partial names and acronyms join their target), type them, drop the weak ones.

    Returns the spans (entity ids: KB ids or discovered ids) and, per discovered id, its name, type,
    parent and roles.
    """
    first_of: dict[str, int] = {}
    for i, c in enumerate(candidates):
        if i not in links:
            first_of.setdefault(c.key, i)

    def root(i: int) -> str | None:
        link = links.get(i)
        for _ in range(4):
            if link is None:
                return cand_target + candidates[i].key
            if link.target.startswith(kb_target):
                return link.target
            j = first_of.get(link.target[len(cand_target) :])
            if j is None:
                return None
            i, link = j, links.get(j)
        return None

    groups: dict[str, list[int]] = {}
    for i in range(len(candidates)):
        r = root(i)
        if r is not None:
            groups.setdefault(r, []).append(i)
    spans: list[Span] = []
    entities: dict[str, dict] = {}
    for target, members in groups.items():
        if target.startswith(kb_target):
            eid = target[len(kb_target) :]
            for i in members:
                c, link = candidates[i], links[i]
                spans.append(Span(link.start, c.end, eid, link.method, 0.8))
            continue
        decided = _decide(candidates, members, links, lex, is_common)
        if decided is None:
            continue
        typ, conf = decided
        full = [i for i in members if i not in links]
        name_c = max((candidates[i] for i in full), key=lambda c: (c.end - c.start, -c.start))
        name = body[name_c.start : name_c.end]
        eid = discovered_id(name)
        roles: set[str] = set()
        parent = None
        for i in members:
            roles |= candidates[i].roles
            parent = parent or candidates[i].parent_id
        entities[eid] = {"name": name, "type": typ, "parent_id": parent, "roles": roles}
        for i in members:
            c = candidates[i]
            if i in links:
                spans.append(Span(links[i].start, c.end, eid, links[i].method, round(conf * 0.95, 2)))
            else:
                spans.append(Span(c.start, c.end, eid, "discovered", conf))
    return spans, entities


def _decide(candidates: list[Candidate], members: list[int], links: dict, lex: Lexicon, is_common) -> tuple[str, float] | None:
    """(type, confidence) of a discovered entity from all its mentions' evidence, or None to drop it."""
    ev: Counter = Counter()
    for i in members:
        for t, v in candidates[i].evidence.items():  # plain loop: Counter.update is slower for a handful of keys
            ev[t] += v
    full = [candidates[i] for i in members if i not in links]
    if not full or all(c.not_entity for c in full):
        return None
    content = [w for w in full[0].words if w not in lex.particles]
    single = all(len([w for w in c.words if w not in lex.particles]) == 1 for c in full)
    all_initial = all(c.initial for c in full)
    typ = best_type(ev)
    if typ is None:
        if single:
            word = content[0] if content else ""
            # "YU" in "la linea SU e YU" is too short; "Diteci", "Cinque" open sentences without being names
            if is_common(word) or all_initial or len(word) < 3:
                return None
            return "ORG", 0.45  # brands and companies outside the KB are the commonest bare names in this news
        longest = max(full, key=lambda c: len(c.words))
        first = longest.words[0]
        if is_common(first) and first not in lex.first_names:
            return None
        # A short name of proper nouns is a person's; one that ends in a dictionary word ("American Depositary
        # Share", "Cross-Domain Computing Solutions") names a company or a thing.
        person = len(longest.words) <= 3 and not is_common(longest.words[-1])
        return ("PER" if person else "ORG"), 0.5
    score = ev[typ]
    if single and score < MEDIUM:
        word = content[0] if content else ""
        if is_common(word) or all_initial or len(word) < 3:
            return None
    return typ, min(0.9, 0.5 + 0.1 * score)
