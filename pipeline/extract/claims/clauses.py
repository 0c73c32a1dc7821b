"""Clause roles of the tokens of a sentence (main, completive, subordinate, relative, parenthetical) and phrase matching."""
from __future__ import annotations

import re

from pipeline.extract.claims.lexicon import PhraseSet
from pipeline.extract.claims.tokens import CLOSE_QUOTES, OPEN_QUOTES, Tokens

# Conjunctions that open a subordinate clause whose verbs do not carry the sentence's main assertion.
SUBORDINATORS = frozenset("cui quando mentre dove perché poiché sebbene benché qualora affinché finché nonostante giacché laddove allorché quanto".split())
HYPOTHETICAL = frozenset({"se", "qualora"})
ARTICLES = frozenset("il lo la i gli le l' un una uno un'".split())
FINITE = frozenset({"fin", "cond", "fut"})
MONTHS = frozenset("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split())
# What may follow "a partire da" for it to be a date ("a partire dal 2027"), not a price or a source ("da 18.900 euro").
TIME_WORDS = MONTHS | frozenset("prossimo prossima prossimi prossime fine inizio metà oggi domani primo primi primavera estate autunno inverno anno".split())
# Before "che" these make it a conjunction of a subordinate clause ("dopo che", "prima che"), not a relative.
CHE_SUBORDINATE = frozenset("dopo prima senza così tanto anziché piuttosto sicché fatto".split())
# Adjectives and nouns that take a completive "che" ("è noto che", "è probabile che", "il fatto che").
CHE_COMPLETIVE_HEADS = frozenset("noto nota chiaro certo vero probabile possibile improbabile escluso evidente ovvio sicuro bene".split())
VERB_FORMS = frozenset({"fin", "cond", "fut", "part", "inf", "ger"})
DASHES = frozenset({"–", "—", "-"})
# Before a second finite verb (clitics skipped) these keep it inside the same subordinate clause ("che producono e vendono").
COORDINATORS = frozenset("e ed o od ma né ,".split())
CLITICS = frozenset("non si ci ne lo la li le gli mi ti vi".split())
YEAR_RE = re.compile(r"(?:19|20)\d\d$")

MAIN, COMPL, SUB, REL, COME, PAREN = "main", "compl", "sub", "rel", "come", "paren"
# Tokens that can make a token's role other than MAIN (commas only end clauses these open).
ROLE_TRIGGERS = SUBORDINATORS | HYPOTHETICAL | DASHES | frozenset('che come quale quali senza caso ( ) ; : « » “ ” "'.split())


def clause_roles(t: Tokens) -> tuple[list[str], bool]:
    """Role of every token, and whether the sentence holds a hypothetical clause ("se ...", "senza la ...")."""
    toks, forms = t.toks, t.forms
    n = len(toks)
    if ROLE_TRIGGERS.isdisjoint(toks):  # most sentences: one main clause, nothing to track
        return [MAIN] * n, False
    paired_dashes: set[int] = set()
    if not DASHES.isdisjoint(toks):  # "BYD – altro nome cinese – ha rifiutato": dashes pair up as parentheses
        dash_at = [i for i, tok in enumerate(toks) if tok in DASHES and 0 < i < n - 1]
        paired_dashes = set(dash_at[: len(dash_at) // 2 * 2])
    roles = [MAIN] * n
    state, has_verb = MAIN, False  # has_verb: the current subordinate clause already has its finite verb
    nest: list[tuple[str, bool]] = []  # the clauses a subordinate clause returns to
    saved: list[tuple[str, bool, list]] = []  # everything saved at quotes, parentheses and dashes
    hypothetical = False
    in_dash = False

    def enter(kind: str) -> None:
        nonlocal state, has_verb
        nest.append((state, has_verb))
        state, has_verb = kind, False

    def leave() -> None:
        nonlocal state, has_verb
        state, has_verb = nest.pop() if nest else (MAIN, False)

    for i, tok in enumerate(toks):
        if tok not in ROLE_TRIGGERS and tok != "," and forms[i] not in FINITE:
            roles[i] = state  # a plain word: nothing opens or closes here
            continue
        if state in (SUB, REL) and forms[i] in FINITE and not t.quoted[i]:
            j = i - 1
            while j > 0 and toks[j] in CLITICS:
                j -= 1
            if has_verb and toks[j] not in COORDINATORS:
                leave()  # a second finite verb ends the clause: "Tra i nomi che circolano ci sarebbero ..."
        if forms[i] in FINITE:
            has_verb = True
        if tok in OPEN_QUOTES or (tok == '"' and not (i and t.quoted[i - 1])) or tok == "(" or (i in paired_dashes and not in_dash):
            saved.append((state, has_verb, nest))
            state, has_verb, nest = (MAIN if tok in OPEN_QUOTES or tok == '"' else PAREN), False, []
            in_dash = in_dash or i in paired_dashes
        elif tok in CLOSE_QUOTES or tok == '"' or tok == ")" or i in paired_dashes:
            state, has_verb, nest = saved.pop() if saved else (MAIN, False, [])
            in_dash = in_dash and i not in paired_dashes
        elif tok in (";", ":"):
            state, has_verb, nest = MAIN, False, []
        elif tok == "," and state in (SUB, REL, COME):
            leave()
        elif state != PAREN:
            if tok in SUBORDINATORS or tok in HYPOTHETICAL:
                enter(SUB)
                hypothetical |= tok in HYPOTHETICAL
            elif tok == "senza" and (i == 0 or toks[i - 1] == ",") and i + 1 < n and toks[i + 1] in ARTICLES:
                hypothetical = True  # "senza la gigafactory i posti a rischio sarebbero centinaia"
            elif tok == "caso" and i and toks[i - 1] == "in" and i + 1 < n and toks[i + 1] in ("di", "che"):
                hypothetical = True
            elif tok == "come":
                enter(COME)
            elif tok in ("quale", "quali") and i and toks[i - 1] in ("il", "la", "i", "le"):
                enter(REL)  # ", il quale ha spiegato ..."
            elif tok == "che":
                prev = toks[i - 1] if i else ""
                if prev in CHE_SUBORDINATE:
                    enter(SUB)
                elif prev in CHE_COMPLETIVE_HEADS or (i and forms[i - 1] in VERB_FORMS):
                    state, has_verb = COMPL, False
                    nest = []
                elif state != COMPL or (i and toks[i - 1] == ","):
                    enter(REL)
        roles[i] = state
    return roles, hypothetical


def match_phrases(t: Tokens, phrases: PhraseSet) -> list[tuple[int, int, str, str]]:
    """(first token, end token, category, phrase) of every phrase in the sentence, in text order; at one start,
    only the longest phrase of each category."""
    toks, forms = t.toks, t.forms
    n = len(toks)
    best: dict[tuple[int, str], tuple[int, str]] = {}
    by_anchor = phrases.by_anchor
    for tok in phrases.anchors.intersection(toks):  # the few anchors present, found in C; then their positions
        cands = by_anchor[tok]
        a = toks.index(tok)
        _match_at(toks, forms, n, a, cands, best)
        for _ in range(toks.count(tok) - 1):
            a = toks.index(tok, a + 1)
            _match_at(toks, forms, n, a, cands, best)
    if not best:
        return []
    return sorted([(i, j, cat, text) for (i, cat), (j, text) in best.items()])


def _match_at(toks: list[str], forms: list, n: int, a: int, cands: tuple, best: dict) -> None:
    """Record in `best` every phrase of `cands` anchored at token a (the longest per start and category)."""
    for pat, offset, cat, text, literal in cands:
        i = a - offset
        j = i + len(pat)
        if i < 0 or j > n:
            continue
        if literal:
            if j - i > 1 and tuple(toks[i:j]) != pat:
                continue
        elif not all(_tok_matches(p, toks[i + k], forms[i + k], toks[i + k + 1] if i + k + 1 < n else "") for k, p in enumerate(pat)):
            continue
        old = best.get((i, cat))
        if old is None or j > old[0]:
            best[(i, cat)] = (j, text)


def _tok_matches(pattern: str, tok: str, form: str | None, nxt: str) -> bool:
    if pattern == tok:
        return True
    if pattern[0] != "<" and pattern[-1] != "*":
        return False
    if pattern == "<year>":
        return YEAR_RE.match(tok) is not None
    if pattern == "<inf>":
        return form == "inf"
    if pattern == "<time>":  # a year, a day of the month ("dal 23 giugno") or a time word; not "da 18.900 euro"
        return tok in TIME_WORDS or YEAR_RE.match(tok) is not None or (tok.isdigit() and int(tok) <= 31 and nxt not in (".", ",", "%"))
    if pattern.endswith("*"):
        return tok.startswith(pattern[:-1])
    return False
