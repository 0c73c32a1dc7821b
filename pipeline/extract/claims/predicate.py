"""The predicate of a claim (predicate class or lemma of the main verb) and whether its main assertion is negated."""
from __future__ import annotations

from pipeline.extract.claims.clauses import COMPL, MAIN
from pipeline.extract.claims.lexicon import Lexicon
from pipeline.extract.claims.modality import is_negated
from pipeline.extract.claims.tokens import Tokens

FINITE = frozenset({"fin", "cond", "fut"})
NONFINITE = frozenset({"part", "ger", "inf"})
# Verbs that carry another verb (auxiliaries, modals, aspect): the predicate is the verb they carry.
CARRIERS = frozenset("avere essere stare venire potere dovere volere sapere continuare iniziare cominciare riuscire decidere tornare".split())


def main_verb(t: Tokens, roles: list[str], lex: Lexicon) -> int | None:
    """Index of the main lexical verb: the first finite verb of the main clause, through auxiliaries and modals."""
    forms, lemmas, quoted = t.forms, t.lemmas, t.quoted
    quoted_ok = t.has_quotes and all(quoted[i] for i, f in enumerate(forms) if f is not None)  # the sentence is a quote
    first = fallback = None
    for i, f in enumerate(forms):  # plain loops: generator expressions cost more per sentence
        if f in FINITE:
            if roles[i] == MAIN and (quoted_ok or not quoted[i]):
                first = i
                break
            if fallback is None:
                fallback = i
        elif f == "ger" and fallback is None:
            fallback = i
    i = first if first is not None else fallback
    if i is None:
        return None
    n = len(forms)
    while lemmas[i] in CARRIERS:
        nxt = i + 1
        while nxt < n and nxt < i + 5 and forms[nxt] is None:
            nxt += 1
        if nxt >= n or nxt >= i + 5 or forms[nxt] not in NONFINITE:
            break
        i = nxt
    if lemmas[i] in lex.reporting_verbs:
        for j in range(i + 1, n):
            if roles[j] == COMPL and forms[j] in FINITE:
                return j
    return i


def find_predicate(t: Tokens, roles: list[str], phrases: list[tuple[int, int, str, str]], lex: Lexicon) -> tuple[str | None, bool]:
    """(predicate, negated): a predicate class when a class word occurs (earlier classes win), else the main verb's lemma."""
    main = main_verb(t, roles, lex)
    negated = main is not None and is_negated(t, main)
    best = None
    words, order = lex.predicate_words, lex.predicate_order
    if not words.keys().isdisjoint(t.lemmas):  # class words are lemmas ("vendite" -> vendita); most sentences have none
        for lemma in t.lemmas:
            cls = words.get(lemma)
            if cls is not None and (best is None or order[cls] < order[best]):
                best = cls
    for _, _, cat, _ in phrases:
        if cat[:5] == "pred:":
            cls = cat[5:]
            if best is None or order[cls] < order[best]:
                best = cls
    if best:
        return best, negated
    return (t.lemmas[main] if main is not None else None), negated
