"""Partial names ("Farley" after "Jim Farley") and acronyms introduced in the text ("Automotive Cells Company (ACC)")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.entities.discovery import WORD_RE, Candidate
from pipeline.extract.entities.kb import KnowledgeBase
from pipeline.extract.entities.lexicon import Lexicon
from pipeline.extract.entities.spans import Span

KB_TARGET = "kb:"
CAND_TARGET = "cand:"
ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z]{1,7}$")


@dataclass(frozen=True)
class Link:
    """A candidate span that refers to another entity: a KB id or a candidate key, and how it was found."""

    target: str  # "kb:<id>" or "cand:<key>"
    method: str  # partial_name | acronym
    start: int  # the span may grow to the left ("de Castries")


def _name_words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _tails(words: list[str], lex: Lexicon) -> list[str]:
    """Short forms of a person's name: the surname, and the surname with its particles ("de castries")."""
    return _tails_of(tuple(words), lex.particles)


def _tails_of(words: tuple[str, ...], particles: frozenset[str]) -> list[str]:
    if len([w for w in words if w not in particles]) < 2:
        return []
    out = [words[-1]]
    for k in range(1, len(words) - 1):
        if words[k] in particles:
            out.append(" ".join(words[k:]))
            break
    return out


@lru_cache(maxsize=8192)
def _kb_tails(name: str, aliases: tuple[str, ...], particles: frozenset[str]) -> tuple[str, ...]:
    """Short forms of a KB person (cached: the same people come back in article after article)."""
    out: list[str] = []
    for n in (name, *aliases):
        out.extend(_tails_of(tuple(_name_words(n.lower().replace("’", "'"))), particles))
    return tuple(dict.fromkeys(out))


def _is_person_candidate(c: Candidate, lex: Lexicon) -> bool:
    if c.parent_id or c.nested:
        return False
    words = [w for w in c.words if w not in lex.particles]
    if len(words) < 2:
        return False
    ev = c.evidence
    return ev.get("PER", 0) >= 2 and ev.get("PER", 0) >= max(ev.get("ORG", 0), ev.get("LOC", 0), ev.get("EVENT", 0))


def short_forms(candidates: list[Candidate], kb_spans: list[Span], kb: KnowledgeBase, lex: Lexicon, folded: str) -> dict[str, str | None]:
    """Short form (folded) -> target of every full name of the article; None when two names share it."""
    forms: dict[str, str | None] = {}

    def add(form: str, target: str) -> None:
        if form in lex.particles or len(form) < 2:
            return
        if forms.get(form, target) != target:
            forms[form] = None  # two people named Rossi: no partial name resolves
        else:
            forms[form] = target

    for s in kb_spans:
        e = kb.entities.get(s.entity_id)
        if e is None or e.type != "PER":
            continue
        for t in _kb_tails(e.name, e.aliases, lex.particles):
            add(t, KB_TARGET + e.id)
    for c in candidates:
        words = list(c.words)
        if _is_person_candidate(c, lex):
            for t in _tails(words, lex):
                add(t, CAND_TARGET + c.key)
        elif c.parent_id and len(words) >= 2:  # "Hyundai Ioniq 9" -> "Ioniq 9", "Ioniq"; "Leapmotor T03" -> "T03"
            maker_words = len(WORD_RE.findall(folded[c.nested.start : c.nested.end])) if c.nested else 1
            model = words[maker_words:]
            for k in range(len(model), 0, -1):
                add(" ".join(model[:k]), CAND_TARGET + c.key)
        elif len(words) >= 2 and words[-1] in lex.org_suffixes and words[0] not in lex.org_heads:
            add(words[0], CAND_TARGET + c.key)  # "Dumarey" after "Dumarey Automotive"
    return forms


def link_aliases(candidates: list[Candidate], kb_spans: list[Span], kb: KnowledgeBase, lex: Lexicon, body: str, folded: str) -> dict[int, Link]:
    """Candidate index -> Link for partial names and acronyms (the rest stay names of their own)."""
    forms = short_forms(candidates, kb_spans, kb, lex, folded)
    links: dict[int, Link] = {}
    own = {c.key for c in candidates if len([w for w in c.words if w not in lex.particles]) >= 2}
    for i, c in enumerate(candidates):
        if len(c.words) != 1 or c.parent_id:
            continue
        word = c.words[0]
        start = c.start
        target = None
        for form, tgt in forms.items():
            if tgt is None or " " not in form or not form.endswith(" " + word):
                continue
            prefix = form[: -len(word)]
            if folded.startswith(prefix, c.start - len(prefix)):
                target, start = tgt, c.start - len(prefix)
                break
        if target is None:
            target = forms.get(word)
        if target and target != CAND_TARGET + c.key and c.key not in own:
            links[i] = Link(target, "partial_name", start)
    _link_acronyms(candidates, kb_spans, kb, lex, body, links)
    return links


def initials_match(acronym: str, name_words: list[str], lex: Lexicon) -> bool:
    """'ACC' ~ Automotive Cells Company, 'Omc' ~ Organizzazione mondiale del commercio (particles may be skipped)."""
    letters = acronym.lower()
    words = [w for w in name_words if w not in lex.particles and w.isalpha()]
    if len(words) < 2 or len(letters) < 2:
        return False
    initials = "".join(w[0] for w in words)
    if initials == letters:
        return True
    all_initials = "".join(w[0] for w in name_words if w.isalpha())
    return all_initials == letters


def _link_acronyms(candidates: list[Candidate], kb_spans: list[Span], kb: KnowledgeBase, lex: Lexicon, body: str, links: dict[int, Link]) -> None:
    if not any(body[c.start - 1 : c.start] == "(" or body[c.end : c.end + 2] == " (" for c in candidates):
        return  # no acronym is introduced in brackets next to a candidate
    mentions: list[tuple[int, int, str, list[str]]] = []
    for s in kb_spans:
        e = kb.entities.get(s.entity_id)
        if e is not None:
            mentions.append((s.start, s.end, KB_TARGET + e.id, WORD_RE.findall(body[s.start : s.end].lower())))
    for i, c in enumerate(candidates):
        if i not in links:
            mentions.append((c.start, c.end, CAND_TARGET + c.key, list(c.words)))
    by_end = {m[1]: m for m in mentions}
    by_start = {m[0]: m for m in mentions}
    acronyms: dict[str, str] = {}
    for i, c in enumerate(candidates):
        text = body[c.start : c.end]
        if i in links or not ACRONYM_RE.match(text):
            continue
        if body[c.start - 1 : c.start] == "(" and body[c.end : c.end + 1] == ")":
            m = by_end.get(c.start - 2) if body[c.start - 2 : c.start - 1] == " " else None
            if m and initials_match(text, m[3], lex):
                acronyms[text.lower()] = m[2]
                continue
        # "ACC (Automotive Cells Company)": the long form follows in brackets
        if body[c.end : c.end + 2] == " (":
            m = by_start.get(c.end + 2)
            if m and body[m[1] : m[1] + 1] == ")" and initials_match(text, m[3], lex):
                acronyms[text.lower()] = m[2]
    if not acronyms:
        return
    for i, c in enumerate(candidates):
        if i in links or len(c.words) != 1:
            continue
        target = acronyms.get(c.words[0])
        if target and target != CAND_TARGET + c.key:
            links[i] = Link(target, "acronym", c.start)
