"""Metonymy: a capital city that acts ("Bruxelles ha aperto un'indagine", "Pechino, intanto, ha risposto")
stands for the institution seated there, a company's seat for the company ("Maranello conferma": Ferrari)
(lexicon `metonyms`: place id -> institution id).

A city mention is read as its institution when
- the word before it is "secondo" ("secondo Bruxelles": a source), or
- "da"/"dal" opens the clause before it and a reporting verb in the third plural follows ("Da Maranello
  confermano", "Dal Lingotto fanno sapere": the people there speak), or
- the word before it is no preposition or article ("a Bruxelles", "da Pechino", "la Roma" stay places), and
- the next word, after at most one short parenthetical (", intanto,", ", però,"), is a verb form: simplemma
  lemmatizes it to an infinitive ("ha" -> avere, "chiede" -> chiedere, "teme" -> temere) or it is a
  clitic or negation before one ("non", "si", "lo", "ne").
"""
from __future__ import annotations

import re
from functools import lru_cache

import simplemma

from pipeline.extract.entities.spans import Span

# Words before a city that keep it a place (prepositions, articles, place nouns).
PLACE_BEFORE = frozenset(
    "a ad in di da per verso tra fra su con nel nella dal dalla al alla del della sul sulla col "
    "il lo la l' i gli le un una uno e ed o".split()
)
# First words of an apposition that describes the city as a place.
PLACE_APPOSITIONS = frozenset("capitale città sede cuore centro cittadina metropoli".split())
# Words that may stand between the city and its verb.
BEFORE_VERB = frozenset("non si lo la li le ne ci vi gli".split())
# "Da Maranello fanno sapere": a seat after "da" opening the sentence, then a reporting verb in the third plural.
FROM_OPENING_RE = re.compile(r"(?:^|[.!?:;,»\"]\s+|\n)dal?\s+$")
FROM_REPORTING = [[w] for w in "fanno confermano spiegano precisano assicurano smentiscono sottolineano ribadiscono replicano".split()]
WORD_RE = re.compile(r"[^\W\d_]+'?")
PAREN_RE = re.compile(r"\s*,\s*((?:[^\W\d_]+\s*){1,3}),\s*")
INFINITIVE_RE = re.compile(r"(?:are|ere|ire|rre)$")


@lru_cache(maxsize=8192)
def is_verb_form(word: str) -> bool:
    """True when simplemma reads the (lowercased) word as a form of a verb."""
    if word in ("è", "e'"):
        return True
    try:
        lemma = simplemma.lemmatize(word, lang="it")
    except (ValueError, LookupError):
        return False
    if lemma != word and INFINITIVE_RE.search(lemma):
        return True
    # a present tense simplemma reads as a noun: "conferma", "punta", "taglia" (of confermare, puntare, tagliare)
    return len(word) >= 5 and word.endswith("a") and word.isalpha() and simplemma.is_known(word[:-1] + "are", lang="it")


def resolve_metonyms(spans: list[Span], folded: str, metonyms: dict[str, str]) -> list[Span]:
    """Spans with acting capital cities relinked to their institutions (method "metonym")."""
    if not metonyms or not any(s.entity_id in metonyms for s in spans):
        return spans
    out = []
    for s in spans:
        target = metonyms.get(s.entity_id)
        if target is not None and _acts(folded, s):
            s = s._replace(entity_id=target, method="metonym")
        out.append(s)
    return out


def _acts(folded: str, s: Span) -> bool:
    before = WORD_RE.findall(folded[max(0, s.start - 20) : s.start])
    if before and before[-1] == "secondo":
        return True  # "secondo Bruxelles": a source
    if FROM_OPENING_RE.search(folded, max(0, s.start - 25), s.start) and WORD_RE.findall(folded[s.end : s.end + 20])[:1] in FROM_REPORTING:
        return True  # "Da Maranello confermano", "Dal Lingotto fanno sapere": the clause's first words
    if before and before[-1] in PLACE_BEFORE:
        return False
    if folded[s.end : s.end + 1] not in (" ", ","):
        return False
    pos = s.end
    m = PAREN_RE.match(folded, pos)
    if m:
        if m.group(1).split()[0] in PLACE_APPOSITIONS:
            return False  # "Bruxelles, capitale del Belgio, ospita": described as a place
        pos = m.end()
    words = WORD_RE.findall(folded[pos : pos + 60])
    if len(words) >= 3 and words[0] in ("e", "ed"):
        words = words[2:]  # "Roma e Berlino chiedono": the verb after the second one
    k = 0
    while k < len(words) - 1 and words[k] in BEFORE_VERB:
        k += 1
    return bool(words) and is_verb_form(words[k])
