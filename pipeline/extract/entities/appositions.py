"""Appositive roles: "Luca de Meo, numero uno di Renault, ha spiegato" -> "numero uno di Renault" is de Meo.

A person's name followed by a comma and a role of the lexicon (person_roles: "amministratore delegato",
"numero uno", "segretario generale", "analista", ...), maybe after "ex" or an article, is an epithet of
that person. The role phrase goes on through "e" + another role and its complements ("presidente e
amministratrice delegata di GM", "responsabile del marchio e delle pubbliche relazioni di BYD") up to
the comma, stop or quote that closes the apposition, a relative pronoun or a verb; a phrase that does
not close within MAX_WORDS words is no apposition ("X, direttore, e Y hanno firmato ...").
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract.entities.lexicon import Lexicon
from pipeline.extract.entities.spans import EntityFacts, Span

MAX_WORDS = 10
CONFIDENCE = 0.8
OPENERS = ("ex ", "l'", "il ", "la ", "lo ")
# Where an apposition ends (the comma that closes it, a stop, a quote, a parenthesis, a line break).
CLOSERS_RE = re.compile(r"[,.;:!?«»“”\"()\n]")
# Words that end the role phrase before a closer: a relative pronoun or a verb of the sentence.
STOP_WORDS = frozenset("che cui quale quali ha hanno è sono era erano aveva avevano sarà secondo dopo".split())
WORD_RE = re.compile(r"[^\W\d_]+'?|\d+")
DANGLING = frozenset("a ad da di in con su per tra fra e o del della dello dell' dei degli delle il lo la l' i gli le".split())


def appositive_roles(folded: str, spans: list[Span], facts: dict[str, EntityFacts], lex: Lexicon, epithets: list[Span] = ()) -> list[Span]:
    """Epithet spans for the roles in apposition right after a person's name (folded text, same offsets);
    a role the description rules already linked (`epithets`) is left to them."""
    roles = role_pattern(lex)
    taken = {(e.entity_id, e.start) for e in epithets}
    out = []
    for s in spans:
        f = facts.get(s.entity_id)
        if f is None or f.type != "PER" or not folded.startswith(", ", s.end):
            continue
        start = s.end + 2
        pos = start
        for opener in OPENERS:
            if folded.startswith(opener, pos):
                pos += len(opener)
                break
        if not roles.match(folded, pos) or (s.entity_id, start) in taken or (s.entity_id, pos) in taken:
            continue
        end = _phrase_end(folded, pos)
        if end is not None:
            out.append(Span(start, end, s.entity_id, "epithet", CONFIDENCE))
    return out


def _phrase_end(folded: str, pos: int) -> int | None:
    """End of the role phrase starting at `pos`: before its closer or stop word; None when too long."""
    closer = CLOSERS_RE.search(folded, pos)
    limit = closer.start() if closer else len(folded)
    end, words, last = pos, 0, ""
    for m in WORD_RE.finditer(folded, pos, limit):
        if m.group() in STOP_WORDS or folded[end : m.start()].strip():  # a word or a sign the phrase cannot hold
            break
        words += 1
        if words > MAX_WORDS:
            return None
        end, last = m.end(), m.group()
    if closer is None and end < limit:  # runs to the end of the text without closing
        return None
    while last in DANGLING:  # "vicepresidente di Ford Europe per" stops before its preposition
        end = folded.rfind(" ", pos, end)
        if end <= pos:
            return None
        m = list(WORD_RE.finditer(folded, pos, end))
        last = m[-1].group() if m else ""
    return end if end > pos else None


def role_pattern(lex: Lexicon) -> re.Pattern:
    """A role of the lexicon's person_roles at a position, longest first (compiled once per word list)."""
    return _role_pattern(lex.person_roles)


@lru_cache(maxsize=4)
def _role_pattern(roles: frozenset[str]) -> re.Pattern:
    alts = "|".join(re.escape(r) for r in sorted(roles, key=len, reverse=True))
    return re.compile(rf"(?:{alts})\b")
