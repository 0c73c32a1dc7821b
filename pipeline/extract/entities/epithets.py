"""Epithets: definite descriptions ("il gruppo americano", "la casa di Lei Jun") resolved by KB attributes and recency."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache

import simplemma

from pipeline.extract.entities.anchors import fold_text
from pipeline.extract.entities.appositions import role_pattern
from pipeline.extract.entities.kb import KnowledgeBase
from pipeline.extract.entities.lexicon import EpithetHead, Lexicon
from pipeline.extract.entities.spans import EntityFacts, Span

# Determiners that make a description definite (plain and with a preposition); "un gruppo" is no epithet.
DETERMINERS = frozenset(
    """il lo la l' i gli le del dello della dell' dei degli delle al allo alla all' ai agli alle dal dallo dalla
    dall' dai dagli dalle nel nello nella nell' nei negli nelle sul sullo sulla sull' sui sugli sulle col coi""".split()
)
# The word after a head or an adjective ("gruppo americano", "casa automobilistica tedesca").
NEXT_WORD_RE = re.compile(r"[ \u00a0]+([^\W\d_]+(?:-[^\W\d_]+)*)")
COMPLEMENT_RE = re.compile(r"[ \u00a0]+(di|del|della|dello|dell'|dei|degli|delle|da)(?:[ \u00a0]+|(?<='))")
# A role word right after a person head ("presidente esecutivo", "direttore finanziario").
ROLE_TAIL_RE = re.compile(r" ([^\W\d_]+)")
PREPOSITIONS = frozenset("a ad da di in con su per tra fra".split())
# Adjectives of provenance ("campano", "texano", "bavarese") that no KB attribute can check.
PROVENANCE_RE = re.compile(r"^[^\W\d_]{3,}(?:an|in|es|ens|ic)[oaie]$")
NOUN_RE = re.compile(r"[^\W\d_]+")
LED_BY_RE = re.compile(r"[ \u00a0]+(?:guidat[oa]|controllat[oa]|(?:co)?fondat[oa]|capitanat[oa]|presiedut[oa])(?:[ \u00a0]+nel[ \u00a0]+\d{4})?[ \u00a0]+da[ \u00a0]+")
APPOSITION_GAP = ", "
BACK_WINDOW = 45
# Heads that, bare, refer back only to an entity whose name they begin: "la Commissione" is the "Commissione
# europea" named before, "il Ministero" a "Ministero ..." (never the last government body of any name).
NAME_BOUND_HEADS = frozenset({"commissione", "ministero"})
# "il governo": a national government, found from the country it is qualified by ("il governo cinese"), a
# minister or premier of it named before, or its seat named in the same sentence ("Tokyo ...: il governo").
GOVERNMENT_HEADS = frozenset({"governo"})
GOVERNMENT_PREFIX = "governo "
# Heads that name a brand: after a brand is named, they mean it even in an article about its group.
BRAND_HEADS = frozenset({"marchio", "brand", "marca"})
# Words before a name that make it an oblique mention ("i piani di Porsche"), a weaker antecedent than a subject.
OBLIQUE_BEFORE = PREPOSITIONS | (DETERMINERS - frozenset("il lo la l' i gli le".split()))
SENTENCE_BREAKS = (". ", "! ", "? ", "\n")
# How far back the words before a name are looked at.
WEIGHT_WINDOW = 40
PLAIN_ARTICLES = frozenset("il lo la i gli le".split())
# Adverbs that may open a sentence before its subject ("Anche Forvia ha tagliato le stime").
SENTENCE_ADVERBS = frozenset("anche intanto inoltre invece poi ora oggi ieri pure infine già ancora".split())
# Words before an earlier use of a description that make it another person's former title ("l'ex amministratore delegato").
FORMER_WORDS = frozenset({"ex", "allora", "precedente", "vecchio", "vecchia"})
# How many earlier mentions a description may reach back to (keeps very long articles linear).
RECENCY_WINDOW = 200


@dataclass(frozen=True)
class EpithetIndex:
    """KB-wide lookups for descriptions that name a place or a person ("la casa di Maranello")."""

    by_hq: dict[str, tuple[str, ...]]
    by_leader: dict[str, tuple[str, ...]]
    # a country's national government ("Governo cinese", or an organization with such an alias), by country
    # code and by its seat ("Tokyo ...: il governo"); ancestors of every KB entity, to find whose government it is
    governments: dict[str, str] = field(default_factory=dict)
    government_seats: dict[str, str] = field(default_factory=dict)
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Constraints:
    """What a description says about its referent."""

    type: str
    sectors: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    hq: str | None = None
    leader: str | None = None
    leader_id: str | None = None
    affiliation: str | None = None
    parent: str | None = None  # the owner an organization belongs to ("il marchio di Stellantis")
    role_text: str | None = None  # a person's portfolio as written ("ministro delle imprese")
    roles: frozenset[str] = frozenset()
    exclude: set[str] = field(default_factory=set)
    direct: bool = False  # the affiliation is the person's own employer (or the one it names as leader), no ancestor

    @property
    def strong(self) -> bool:
        return bool(self.hq or self.leader or self.affiliation or self.parent or self.role_text)

    text_sectors: bool = False  # the sectors come from the text ("dell'elettronica"), not only from the head

    @property
    def bare(self) -> bool:
        """Nothing but the head: "il gruppo", "la società"."""
        return not (self.countries or self.hq or self.leader or self.affiliation or self.parent or self.role_text or self.text_sectors)


def build_epithet_index(kb: KnowledgeBase) -> EpithetIndex:
    by_hq: dict[str, list[str]] = {}
    by_leader: dict[str, list[str]] = {}
    for e in kb.entities.values():
        if e.type != "ORG":
            continue
        if e.hq_city:
            by_hq.setdefault(fold_text(e.hq_city), []).append(e.id)
        for leader in (e.leader or "").split("|"):
            if leader.strip():
                by_leader.setdefault(fold_text(leader.strip()), []).append(e.id)
    governments: dict[str, list[str]] = {}
    for e in kb.entities.values():
        if e.type == "ORG" and e.sector == "government" and not e.parent_id and e.country:
            if any(fold_text(n).startswith(GOVERNMENT_PREFIX) for n in (e.name, *e.aliases)):
                governments.setdefault(e.country, []).append(e.id)
    national = {c: ids[0] for c, ids in governments.items() if len(ids) == 1}
    seats = {fold_text(kb.entities[i].hq_city): i for i in national.values() if kb.entities[i].hq_city}
    ancestors = {eid: kb.ancestors(eid) for eid in kb.entities if kb.entities[eid].parent_id}
    return EpithetIndex({k: tuple(v) for k, v in by_hq.items()}, {k: tuple(v) for k, v in by_leader.items()}, national, seats, ancestors)


@lru_cache(maxsize=4096)
def _forms(word: str) -> tuple[str, ...]:
    """The word and its likely masculine singular ("americana" -> "americano", "cinesi" -> "cinese")."""
    out = [word]
    if len(word) > 3:
        stem = word[:-1]
        out += [stem + "o", stem + "e"]
        if word.endswith(("che", "chi")):
            out.append(word[:-3] + "co")
        try:
            out.append(simplemma.lemmatize(word, lang="it"))
        except (ValueError, LookupError):  # simplemma without Italian data: the suffix forms remain
            pass
    return tuple(dict.fromkeys(out))


def _adjective(word: str, lex: Lexicon) -> tuple[str | None, object]:
    """What an adjective after a head says: ('country', codes), ('sector', sectors), ('city', folded name) or (None, None)."""
    memo = lex.memo.setdefault("adjectives", {})
    got = memo.get(word)
    if got is None:
        irr = lex.adjective_forms
        codes = _lookup(word, lex.nationality_adjectives, irr) or _lookup(word, lex.continent_adjectives, irr)
        sector = _lookup(word, lex.sector_adjectives, irr)
        city = _lookup(word, lex.city_adjectives, irr)
        got = ("country", codes) if codes else ("sector", sector) if sector else ("city", fold_text(city)) if city else (None, None)
        if len(memo) < 50_000:  # a bounded cache: words after heads repeat across articles
            memo[word] = got
    return got


def _lookup(word: str, table: dict, irregular: dict[str, str]):
    lemma = irregular.get(word)
    if lemma is not None and lemma in table:
        return table[lemma]
    for f in _forms(word):
        if f in table:
            return table[f]
    return None


def resolve_epithets(
    body: str,
    folded: str,
    heads: list[tuple[int, int]],
    spans: list[Span],
    facts: dict[str, EntityFacts],
    kb_facts,
    lex: Lexicon,
    index: EpithetIndex,
    paragraph_of,
) -> list[Span]:
    """Link every definite description to the entity it refers to; unresolved descriptions are dropped.

    `spans` are the name mentions found so far, `facts` what is known of their entities, `kb_facts(id)`
    the facts of any KB entity (for descriptions that name a place or a leader: "la casa di Maranello").
    """
    if not heads:
        return []
    by_start: dict[int, Span] = {}
    by_end: dict[int, Span] = {}
    for s in sorted(spans, key=lambda s: s.start - s.end):  # the longest span at a position wins
        by_start.setdefault(s.start, s)
        by_end.setdefault(s.end, s)
    mentions = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in mentions]
    # names right after a classifier noun ("lo stabilimento Volvo", "il marchio Fiat") modify another noun
    modifiers = _Modifiers(folded, lex)
    longest_end = _running_max_end(mentions)
    salience = _Salience(folded, mentions, facts)
    out: list[Span] = []
    for hs, he in heads:
        head = lex.epithet_heads.get(folded[hs:he])
        if head is None:
            continue
        k = bisect_right(starts, hs)
        if k and longest_end[k - 1] > hs:
            continue  # "Casa Bianca", "Gruppo Volkswagen": a head word inside a name is no description
        got = _parse(folded, hs, he, head, lex, by_start, by_end, facts)
        if got is None:
            continue
        start, end, cons, appositive_to, forward = got
        # next to its name a description needs no sector check; a name the KB lacks cannot be checked at all
        af = facts.get(appositive_to) if appositive_to is not None else None
        fits = af is not None and (_fits(af, cons, facts, False) if af.origin == "kb" else af.type == cons.type)
        target = appositive_to if fits else None
        if target is None:  # no name next to it, or one it does not fit ("da Bloomberg, il colosso di Cupertino")
            # "Secondo il presidente, Filosa conosce...": a name after the comma need not be the referent
            introduced = _introduced_with(folded, start, end, cons.type, by_start, by_end, facts) if cons.type == "PER" else None
            if introduced is not None:
                target = introduced
            elif head.words in GOVERNMENT_HEADS and (cons.bare or cons.countries) and not cons.leader:
                target = _government(start, cons, mentions, starts, facts, index, paragraph_of, salience)
                if target is None:
                    continue
            elif cons.bare and head.words in NAME_BOUND_HEADS:
                target = _by_name_head(head.words, start, mentions, starts, facts)
                if target is None:
                    continue
            else:
                target = None
                if cons.type == "PER" and cons.affiliation:  # "il patron di Geely": Geely's own people before its subsidiaries'
                    target = _by_recency(start, end, replace(cons, direct=True), mentions, starts, facts, paragraph_of, modifiers)
                target = target or _by_recency(start, end, cons, mentions, starts, facts, paragraph_of, modifiers)
                if target is not None and cons.type == "ORG":
                    target = _prefer_topic(target, start, head.words, cons, facts, salience, paragraph_of)
            if target is None and cons.strong and cons.type == "ORG":
                target = _kb_wide(cons, index, kb_facts)
        if target is None:
            continue
        if target not in facts:
            facts[target] = kb_facts(target)
        role = facts[target].role_text
        if cons.role_text and role:
            # "il ministro delle Imprese e del Made in Italy": the description goes on as the KB role does
            tail = role[role.index(cons.role_text) :]
            if folded.startswith(tail, hs) and _boundary_at(folded, hs + len(tail)):
                end = hs + len(tail)
        conf = 0.8 if cons.strong else 0.7 if not cons.bare else 0.6
        out.append(Span(start, end, target, "epithet", conf))
        if facts[target].type == "ORG":
            salience.add(out[-1])
    return out


def _agency_tag(folded: str, s: Span) -> bool:
    """A name in parentheses opening its line: an agency's tag ("(Radiocor) - MILANO, 28 MAG -")."""
    if s.start == 0 or folded[s.start - 1] != "(" or folded[s.end : s.end + 1] != ")":
        return False
    line_start = folded.rfind("\n", 0, s.start - 1) + 1
    return not folded[line_start : s.start - 1].strip()


class _Salience:
    """Which organization the article is about so far: name mentions weighted by position (a sentence's opening
    subject counts most, a name after a preposition least). Weights are computed when first asked and the tally
    grows with the descriptions, which come in text order."""

    def __init__(self, folded: str, mentions: list[Span], facts: dict[str, EntityFacts]):
        self.folded = folded
        # not an agency's tag in parentheses ("(ANSA) - TORINO, 2 DIC -"): the publisher, not the topic
        self.orgs = [s for s in mentions if getattr(facts.get(s.entity_id), "type", None) == "ORG" and not _agency_tag(folded, s)]
        self.org_starts = [s.start for s in self.orgs]
        self.weights: list[float | None] = [None] * len(self.orgs)
        self._breaks: list[int] | None = None
        self.first_named: dict[str, int] = {}  # organization -> where it is first named
        for o in reversed(self.orgs):
            self.first_named[o.entity_id] = o.start
        self._tally: dict[str, float] = {}
        self._upto = 0  # how many of `orgs` the tally holds
        self._last = -1

    def sentence_begin(self, pos: int, back: int = 0) -> int:
        """Where the sentence of `pos` starts (`back` sentences before it): the position of the break before it, or -1."""
        breaks = self._breaks
        if breaks is None:
            breaks = self._breaks = _sentence_breaks(self.folded)
        k = bisect_left(breaks, pos) - 1 - back
        return breaks[k] if k >= 0 else -1

    def add(self, span: Span) -> None:
        """A description resolved to an organization counts as a mention of it for the descriptions after it."""
        k = bisect_right(self.org_starts, span.start)
        if self.first_named.get(span.entity_id, span.start + 1) > span.start:
            self.first_named[span.entity_id] = span.start
        self.orgs.insert(k, span)
        self.org_starts.insert(k, span.start)
        self.weights.insert(k, None)
        if k < self._upto:
            self._tally[span.entity_id] = self._tally.get(span.entity_id, 0.0) + self.weight(k)
            self._upto += 1

    def weight(self, j: int) -> float:
        w = self.weights[j]
        if w is None:
            w = self.weights[j] = self._weight(self.org_starts[j])
        return w

    def _weight(self, pos: int) -> float:
        lo = pos - WEIGHT_WINDOW
        window = self.folded[max(0, lo) : pos]
        nl = window.rfind("\n")
        if nl >= 0:
            window, lo = window[nl + 1 :], 0  # a line (paragraph) starts here
        words = window.split()
        if lo > 0 and words:
            words.pop(0)  # the window may cut its first word
        w = words.pop() if words else None
        if w in PLAIN_ARTICLES:
            w = words.pop() if words else None
        elif w is not None and w.endswith("l'"):  # "l'Acea", "dell'Acea" (an elided article sticks to the name)
            w = w[:-2] or (words.pop() if words else None)
        if w in SENTENCE_ADVERBS:  # "Anche Forvia ha tagliato", "Intanto Stellantis ha confermato"
            w = words.pop() if words else None
        if w is None:
            return 2.0 if lo <= 0 else 1.0  # the text, a line or (below) a sentence opens with the name
        if w[-1] in ".!?:":
            return 2.0
        if w in OBLIQUE_BEFORE or w.split("'", 1)[0] + "'" in OBLIQUE_BEFORE:
            return 0.5  # "di Porsche", "all'agenzia Reuters"
        if words and words[-1] in OBLIQUE_BEFORE:
            return 0.5  # after a preposition and a classifier noun: "per il gruppo Stellantis"
        return 1.0

    def topic(self, pos: int) -> str | None:
        """The organization with the most weight among names before `pos` (ties: the one named first)."""
        if pos < self._last:
            self._tally, self._upto = {}, 0
        self._last = pos
        k = bisect_left(self.org_starts, pos)
        tally = self._tally
        for j in range(self._upto, k):
            eid = self.orgs[j].entity_id
            tally[eid] = tally.get(eid, 0.0) + self.weight(j)
        self._upto = max(self._upto, k)
        return max(tally, key=tally.__getitem__) if tally else None  # max keeps the first of equals: named first

    def named_in_sentence(self, eid: str, pos: int) -> bool:
        """Is `eid` named earlier in the sentence that `pos` is in, other than after a preposition
        ("Porsche rinvia due modelli e l'azienda ...", not "ha detto all'agenzia Reuters un portavoce della società")?"""
        k = bisect_left(self.org_starts, pos)
        first = bisect_right(self.org_starts, self.sentence_begin(pos))
        return any(self.orgs[j].entity_id == eid and self.weight(j) >= 1.0 for j in range(first, k))

    def named_in_paragraph(self, eid: str, pos: int, para: int, paragraph_of) -> bool:
        """Is `eid` named before `pos` in paragraph `para`?"""
        for j in range(bisect_left(self.org_starts, pos) - 1, -1, -1):
            if paragraph_of(self.org_starts[j]) != para:
                return False
            if self.orgs[j].entity_id == eid:
                return True
        return False

    def previous_subject(self, pos: int) -> str | None:
        """The organization the sentence before the one of `pos` opens with ("Hyundai ha aperto ... Un portavoce
        della società ..."), or None."""
        begin, previous = self.sentence_begin(pos), self.sentence_begin(pos, 1)
        for j in range(bisect_right(self.org_starts, previous), bisect_right(self.org_starts, begin)):
            if self.weight(j) >= 2.0:
                return self.orgs[j].entity_id
        return None


def _sentence_breaks(folded: str) -> list[int]:
    """Positions of ". ", "! ", "? " and line ends, ascending (str.find loops: faster than a regex here)."""
    out: list[int] = []
    for mark in SENTENCE_BREAKS:
        i = folded.find(mark)
        while i >= 0:
            out.append(i)
            i = folded.find(mark, i + 1)
    out.sort()
    return out


def _related(a: EntityFacts, b: EntityFacts) -> bool:
    """Group and member, or two members of one group (Porsche and Volkswagen, Kia and Hyundai)."""
    return a.parent_id == b.entity_id or b.parent_id == a.entity_id or (a.parent_id is not None and a.parent_id == b.parent_id)


def _prefer_topic(target: str, start: int, head: str, cons: Constraints, facts: dict[str, EntityFacts], salience: _Salience, paragraph_of) -> str:
    """A bare description ("l'azienda") or one that fits a group and its member ("il costruttore tedesco" after
    Porsche in an article about Volkswagen) means the organization the article is about, when that fits too,
    unless the sentence itself has just named the nearer one or the sentence before opened with another."""
    first = salience.first_named
    if not any(p < start and e != target and _fits(facts.get(e), cons, facts, True) for e, p in first.items()):
        return target  # no other organization named so far fits: nothing to prefer
    if salience.named_in_sentence(target, start):
        return target
    if head in BRAND_HEADS and facts[target].sector == "brand":
        return target  # "il marchio" after Fiat in an article about Stellantis: the brand
    previous = salience.previous_subject(start)
    if previous is not None and (previous == target or _fits(facts.get(previous), cons, facts, True)):
        return previous  # the subject of the sentence before is the nearest antecedent that counts
    topic = salience.topic(start)
    if topic is None or topic == target or not _fits(facts.get(topic), cons, facts, True):
        return target
    para = paragraph_of(start)
    if salience.named_in_paragraph(target, start, para, paragraph_of) and not salience.named_in_paragraph(topic, start, para, paragraph_of):
        return target  # the paragraph is about the nearer one ("Più drastica Stellantis. ... il gruppo sta valutando")
    if cons.bare or _related(facts[topic], facts[target]):
        return topic
    return target


class _Modifiers:
    """Is the name at a position right after a classifier noun? Asked lazily, answers memoized."""

    def __init__(self, folded: str, lex: Lexicon):
        self.folded, self.lex, self.memo = folded, lex, {}

    def __call__(self, pos: int) -> bool:
        got = self.memo.get(pos)
        if got is None:
            words = self.folded[max(0, pos - 25) : pos].split()
            got = bool(words) and self.folded[pos - 1 : pos] == " " and (words[-1] in self.lex.org_cues or words[-1] in self.lex.epithet_heads)
            self.memo[pos] = got
        return got


def _boundary_at(folded: str, pos: int) -> bool:
    return pos >= len(folded) or not folded[pos].isalnum()


def _running_max_end(mentions: list[Span]) -> list[int]:
    out, top = [], -1
    for s in mentions:
        top = max(top, s.end)
        out.append(top)
    return out


def _parse(folded: str, hs: int, he: int, head: EpithetHead, lex: Lexicon, by_start, by_end, facts):
    """Determiner before, modifiers after: (surface start, end, constraints, appositive entity, forward?)."""
    # the words before the head: fillers ("il nuovo"), then a determiner, or a comma right after a name
    words = folded[max(0, hs - BACK_WINDOW) : hs].split()
    start, k, pos = hs, len(words) - 1, hs
    while k >= 0 and words[k] in lex.epithet_fillers:
        pos = folded.rfind(words[k], 0, pos)
        start = pos
        k -= 1
    if k < 0:
        return None
    last = words[k]
    determiner = last in DETERMINERS
    appositive = None
    if determiner and k >= 1 and words[k - 1].endswith(","):
        # "PSD Investment, la società controllata da Li Shufu": an apposition with its article
        det_at = folded.rfind(last, 0, start)
        prev = by_end.get(det_at - 2) if folded[det_at - 2 : det_at] == ", " else None
        if prev is not None and getattr(facts.get(prev.entity_id), "type", None) == head.type:
            appositive = prev.entity_id
    if not determiner:
        # "Xiaomi, colosso cinese dell'elettronica": a description right after a name, without article
        if not last.endswith(",") or folded[start - 2 : start] != ", ":
            return None
        prev = by_end.get(start - 2)
        if prev is None:
            return None
        appositive = prev.entity_id
    cons = Constraints(head.type, roles=head.roles)
    sectors: set[str] = set()
    countries: set[str] = set()
    pos = he
    if head.type == "PER":
        # "il presidente esecutivo", "il direttore finanziario": the longest role phrase is the head
        m = ROLE_TAIL_RE.match(folded, he)
        if m and f"{folded[hs:he]} {m.group(1)}" in lex.person_roles:
            pos = m.end()
        if folded.startswith(" e ", pos) and (second := role_pattern(lex).match(folded, pos + 3)):
            pos = second.end()  # "il presidente e amministratore delegato": one person, two roles
    for _ in range(3):  # adjectives: "casa automobilistica tedesca", "gruppo italo-francese"
        m = NEXT_WORD_RE.match(folded, pos)
        if not m:
            break
        w = m.group(1)
        kind, value = _adjective(w, lex)
        if kind == "country":
            countries |= value
        elif kind == "sector":
            sectors |= value
        elif kind == "city":
            cons.hq = value
        elif w in lex.epithet_fillers and w not in ("ex", "prima", "primo", "secondo", "seconda"):
            pass
        else:
            break
        pos = m.end()
    end = pos
    nxt_word = NEXT_WORD_RE.match(folded, pos) if pos == he else None
    if nxt_word and PROVENANCE_RE.match(nxt_word.group(1)) and not _lookup(nxt_word.group(1), lex.nationality_adjectives, lex.adjective_forms):
        return None  # "il manager campano", "il costruttore texano": a description the KB cannot check
    if head.type == "PER" and cons.hq:
        return None  # "il manager milanese": a person's home town, not a headquarters
    if pos == he and head.type == "ORG" and "government" in head.sectors:
        x = by_start.get(he + 1)
        if x is not None and folded[he] == " " and facts.get(x.entity_id) is not None and facts[x.entity_id].type == "PER":
            # "il governo Meloni", "l'amministrazione Trump": the government its leader names
            cons.leader, cons.leader_id = fold_text(facts[x.entity_id].name), x.entity_id
            cons.exclude.add(x.entity_id)
            cons.sectors, cons.countries = head.sectors, frozenset()
            return start, x.end, cons, appositive, False
    led = LED_BY_RE.match(folded, pos)
    comp = COMPLEMENT_RE.match(folded, pos)
    if led and by_start.get(led.end()) is not None:
        x = by_start[led.end()]
        if facts.get(x.entity_id) is not None and facts[x.entity_id].type == "PER":
            cons.leader, cons.leader_id = fold_text(facts[x.entity_id].name), x.entity_id
            end = x.end
    elif comp:
        x = by_start.get(comp.end())
        xf = facts.get(x.entity_id) if x is not None else None
        if xf is not None and head.type == "ORG" and xf.type == "ORG" and x.method == "kb_epithet":
            # "la casa dell'Ovale Blu", "il marchio del Tridente": a nickname names the organization itself
            return start, x.end, cons, x.entity_id, False
        if xf is not None:
            if not _constrain_by_name(cons, xf, head):
                return None
            cons.exclude.add(xf.entity_id)
            end = x.end
        else:
            m = NOUN_RE.match(folded, comp.end())
            noun = m.group() if m else ""
            sector = lex.sector_nouns.get(noun)
            if sector:
                sectors |= sector
                end = m.end()
                # "il sindacato dei metalmeccanici tedeschi": the nationality may follow the complement
                adj = NEXT_WORD_RE.match(folded, end)
                kind, value = _adjective(adj.group(1), lex) if adj else (None, None)
                if kind == "country":
                    countries |= value
                    end = adj.end()
            elif head.type == "PER" and noun and not countries:
                # "il ministro delle Imprese": the portfolio is part of the role the KB writes
                cons.role_text = folded[hs : m.end()]
                end = m.end()
            elif not countries and not sectors and not cons.hq:
                return None  # "il gruppo di lavoro", "la casa di proprietà": not a description of an entity
    if not (countries or sectors or cons.hq or cons.leader or cons.affiliation) and not head.bare:
        return None
    forward = False
    nxt = by_start.get(end + 1)
    if nxt is not None and folded[end : end + 1] == " ":
        # "il presidente americano Donald Trump", "il costruttore cinese BYD": a title of the name that follows
        nf = facts.get(nxt.entity_id)
        if nf is None or nf.type != head.type:
            return None
        appositive, forward = nxt.entity_id, True  # the name right after wins over one before the comma
    if appositive is None and folded[end : end + 2] == APPOSITION_GAP:
        after = by_start.get(end + 2)
        if after is not None and facts.get(after.entity_id) is not None and facts[after.entity_id].type == head.type:
            appositive, forward = after.entity_id, True  # "l'amministratore delegato di Ford, Jim Farley"
    cons.sectors = frozenset(sectors) or head.sectors
    cons.text_sectors = bool(sectors)
    cons.countries = frozenset(countries)
    if appositive is not None and cons.bare and head.type == "PER" and not determiner:
        return None  # "Ed Kim, presidente della società ...": a role, not a description
    if head.words == "casa" and cons.bare and (last != "la" or k == 0 or words[k - 1] in PREPOSITIONS):
        return None  # "per la casa", "a casa": the home; "la casa ha annunciato": the carmaker
    return start, end, cons, appositive, forward


def _constrain_by_name(cons: Constraints, x: EntityFacts, head: EpithetHead) -> bool:
    """'di Pechino' -> headquarters, 'di Lei Jun' -> leader, 'di Ford' (for a person) -> affiliation."""
    if x.type == "LOC":
        if x.sector == "country" and x.country:
            cons.countries = frozenset({x.country})
        else:
            cons.hq = fold_text(x.name)
        return True
    if x.type == "PER" and head.type == "ORG":
        cons.leader, cons.leader_id = fold_text(x.name), x.entity_id
        return True
    if x.type == "ORG" and head.type == "PER":
        cons.affiliation = x.entity_id
        return True
    if x.type == "ORG" and head.type == "ORG":
        cons.parent = x.entity_id  # "il marchio di Stellantis": one of its brands
        return True
    return False


def _fits(f: EntityFacts | None, cons: Constraints, facts: dict[str, EntityFacts], strict_sector: bool = True) -> bool:
    if f is None or f.type != cons.type or f.entity_id in cons.exclude:
        return False
    if cons.countries and not (f.country and f.country in cons.countries):
        return False
    if cons.hq and f.hq_city != cons.hq and cons.hq not in f.hq_regions:  # "torinese", "texano" (Austin is in Texas)
        return False
    if cons.leader:
        leader_ok = f.leader is not None and cons.leader in f.leader.split("|")
        person = facts.get(cons.leader_id) if cons.leader_id else None
        if not leader_ok and not (person is not None and (person.parent_id == f.entity_id or f.entity_id in person.affiliations)):
            return False
    if cons.affiliation and not (f.parent_id == cons.affiliation or cons.affiliation in f.affiliations):
        return False
    if cons.direct and f.parent_id != cons.affiliation:
        owner = facts.get(cons.affiliation)
        if not (owner is not None and owner.leader and fold_text(f.name) in owner.leader.split("|")):
            return False
    if cons.parent and f.parent_id != cons.parent:
        return False
    if cons.role_text and not (f.role_text and cons.role_text in f.role_text):
        return False  # "il ministro delle Imprese": the KB role must say so
    if f.type == "PER" and (cons.roles or cons.sectors):
        # a person fits by role ("il governatore") or by the kind of person the KB says they are
        return bool(cons.roles and _roles_fit(f.roles, cons.roles)) or bool(cons.sectors and f.sector in cons.sectors)
    if cons.sectors and f.sector not in cons.sectors and (strict_sector or (f.sector and f.type == "ORG")):
        # an entity of unknown sector only fits when a name or a country says so (second pass); an organization of
        # another known sector never does ("la casa torinese" is no Regione Piemonte)
        return False
    return True


def _roles_fit(have: set[str], wanted: frozenset[str]) -> bool:
    """'presidente' fits 'presidente esecutivo' and 'presidente di Stellantis': word-level containment."""
    if have & wanted:
        return True
    return any(f" {w} " in f" {h} " for h in have for w in wanted)


def _by_recency(start: int, end: int, cons: Constraints, mentions: list[Span], starts: list[int], facts, paragraph_of, modifiers=None) -> str | None:
    """The fitting entity named last before the description, else the first named after it in its paragraph."""
    k = bisect_left(starts, start)
    typ = cons.type
    for strict in (True, False):
        if not strict and not (cons.countries or cons.strong):
            break  # a bare head ("il gruppo") never falls back to an entity of another sector
        modifier = None
        for j in range(k - 1, max(-1, k - 1 - RECENCY_WINDOW), -1):
            eid = mentions[j].entity_id
            f = facts.get(eid)
            if f is None or f.type != typ:
                continue  # the cheap part of _fits, inline: most mentions are of another type
            if _fits(f, cons, facts, strict):
                if cons.bare and modifiers is not None and modifiers(mentions[j].start):
                    modifier = modifier or eid  # "lo stabilimento Volvo": a possessor, a weaker antecedent
                    continue
                return eid
        if modifier is not None:
            return modifier
        para = paragraph_of(start)
        for j in range(k, len(mentions)):
            s = mentions[j]
            if s.start < end:
                continue
            if paragraph_of(s.start) != para:
                break
            f = facts.get(s.entity_id)
            if f is not None and f.type == typ and _fits(f, cons, facts, strict):
                return s.entity_id
    return None


def _introduced_with(folded: str, start: int, end: int, typ: str, by_start, by_end, facts) -> str | None:
    """A person's description of two or more words used before right next to a name ("ha nominato François Provost
    nuovo amministratore delegato", "il direttore finanziario Arno Antlitz") refers to that name again."""
    phrase = folded[start:end]
    if " " not in phrase:
        return None
    pos = folded.rfind(phrase, 0, start)
    while pos > 0:
        words = folded[max(0, pos - 12) : pos].split()
        if not (words and words[-1].rsplit("'", 1)[-1] in FORMER_WORDS) and _boundary_at(folded, pos + len(phrase)) and not folded[pos - 1].isalnum():
            for x in (by_end.get(pos - 1), by_end.get(pos - 2) if folded[pos - 2 : pos] == ", " else None, by_start.get(pos + len(phrase) + 1)):
                if x is not None and getattr(facts.get(x.entity_id), "type", None) == typ:
                    return x.entity_id
        pos = folded.rfind(phrase, 0, pos)
    return None


def _government(start: int, cons: Constraints, mentions: list[Span], starts: list[int], facts, index: EpithetIndex, paragraph_of, salience: "_Salience") -> str | None:
    """The national government "il governo (cinese)" refers to, or None when the text does not say whose."""
    if cons.countries:
        found = {index.governments[c] for c in cons.countries if c in index.governments}
        return found.pop() if len(found) == 1 else None
    if not cons.bare:
        return None
    national = set(index.governments.values())
    para = paragraph_of(start)
    sentence_begin = salience.sentence_begin(start)
    k = bisect_left(starts, start)
    for j in range(k - 1, max(-1, k - 1 - RECENCY_WINDOW), -1):
        s = mentions[j]
        if paragraph_of(s.start) != para:
            break
        if s.entity_id in national:
            return s.entity_id
        up = next((a for a in index.ancestors.get(s.entity_id, ()) if a in national), None)
        if up is not None:  # "la premier Giorgia Meloni", "il ministro Urso": their government
            return up
        f = facts.get(s.entity_id)
        if s.start > sentence_begin and f is not None and f.type == "LOC":
            seat = index.government_seats.get(fold_text(f.name))
            if seat is not None:  # "Tokyo segue la vicenda: il governo ha fatto sapere"
                return seat
    return None


def _by_name_head(head: str, start: int, mentions: list[Span], starts: list[int], facts) -> str | None:
    """The entity named last before `start` whose name or an alias begins with the head word ("Commissione europea")."""
    prefix = head + " "
    k = bisect_left(starts, start)
    for j in range(k - 1, max(-1, k - 1 - RECENCY_WINDOW), -1):
        f = facts.get(mentions[j].entity_id)
        if f is not None and any(fold_text(n).startswith(prefix) for n in (f.name, *f.aliases)):
            return f.entity_id  # "il ministero" after MIIT, written "ministero dell'Industria e ..."
    return None


def _kb_wide(cons: Constraints, index: EpithetIndex, kb_facts) -> str | None:
    """A description naming a headquarters or a leader may point at an entity the article never names."""
    ids: tuple[str, ...] = ()
    if cons.hq:
        ids = index.by_hq.get(cons.hq, ())
    elif cons.leader:
        ids = index.by_leader.get(cons.leader, ())
        if not ids and cons.leader_id:
            person = kb_facts(cons.leader_id)
            ids = (person.parent_id,) if person is not None and person.parent_id else ()
    fits = [i for i in ids if _fits(kb_facts(i), cons, {}, True)] or [i for i in ids if _fits(kb_facts(i), cons, {}, False)]
    if len(fits) > 1:  # brand and group share a city: the group (no parent among them) is meant
        tops = [i for i in fits if (kb_facts(i).parent_id not in fits)]
        fits = tops
    return fits[0] if len(fits) == 1 else None
