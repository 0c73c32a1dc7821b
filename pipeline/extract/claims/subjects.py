"""Grammatical subjects: the entity before a verb group (over appositions and parentheses), inverted subjects, descriptions and whom they refer to."""
from __future__ import annotations

from pipeline.extract.claims.clauses import DASHES, MAIN, SUBORDINATORS
from pipeline.extract.claims.lexicon import Lexicon
from pipeline.extract.claims.mentions import OF_WORDS, Context, Mention, choose
from pipeline.extract.claims.morph import present_verb_reading
from pipeline.extract.claims.tokens import QUOTE_MARKS, Tokens

# Words allowed inside a verb group: auxiliaries, clitics, negation, adverbs ("ha però precisato", "ha più volte negato").
VERB_GROUP = frozenset(
    "ha hanno aveva avevano avrà avranno avrebbe avrebbero è sono era erano sarà sarebbe stato stata stati state si lo l' la le gli "
    "ne ci non poi anche inoltre infatti invece ancora già sempre più mai così pure però tuttavia quindi dunque oggi ieri ora "
    "subito apertamente chiaramente esplicitamente recentemente nuovamente volte più a riprese spesso solo soltanto "
    "intanto comunque infine anzi ufficialmente".split()
)
PREPOSITIONS = frozenset("a ad di da in con su per tra fra dopo prima durante oltre verso contro".split())
ARTICLES = frozenset("il lo la i gli le l' un una uno un'".split())
AGENT_WORDS = frozenset("da dal dalla dallo dall' dai dagli dalle".split())
DEFINITE_OR_SAME = frozenset("il lo la l' i gli le stesso stessa ex neo".split())  # "l'ex ad", "il neo ministro"
RELATIVE_OPENERS = frozenset("che cui il quale la quale i quali le quali".split())
FINITE_FORMS = frozenset({"fin", "cond", "fut"})
# Roles named by their portfolio ("il ministro dell'Economia"): with one, the role is an office, not a back-reference.
PORTFOLIO_HEADS = frozenset("ministro ministra viceministro viceministra sottosegretario sottosegretaria assessore assessora".split())
# Heads of descriptions of organizations that are no companies ("il sindacato", "l'associazione").
COLLECTIVE_HEADS = frozenset("sindacato sindacati associazione federazione organizzazione confederazione ente autorità".split())
# Determiners of an unnamed plural subject ("alcuni comitati", "molti analisti"): a noun phrase that names nobody.
QUANTIFIERS = frozenset("alcuni alcune diversi diverse molti molte altri altre vari varie numerosi numerose tutti tutte parecchi tanti".split())
QUOTE_OR_CLAUSE_OPENERS = frozenset({",", ":", "–", "—", "-", "come", "quanto", "lo", "l'", "ne", "così"})


def subject_before(t: Tokens, ments: list[Mention], g: int) -> tuple[list[Mention], bool]:
    """Subject candidates of the verb group starting at token g, and whether a non-entity noun phrase is there."""
    cands: list[Mention] = []
    has_np = False
    ends: dict[int, Mention] = {}
    for m in ments:  # of mentions ending together, the outermost: "il gruppo di Yokohama", not "Yokohama"
        ends.setdefault(m.last, m)
    j = g - 1
    fresh = True  # nothing but the verb group seen yet: a comma here closes an apposition
    while j >= 0:
        tok = t.toks[j]
        if t.quoted[j] or tok in QUOTE_MARKS or tok in (";", ":"):
            break
        if tok == ")":
            while j >= 0 and t.toks[j] != "(":
                j -= 1
            j -= 1
            continue
        if tok in DASHES or (tok == "," and fresh):
            k = j - 1
            while k >= 0 and not (t.toks[k] == tok or (tok == "," and t.toks[k] in DASHES)):
                if t.quoted[k] or t.toks[k] in QUOTE_MARKS:
                    k = -1
                    break
                k -= 1
            if k < 0:
                if tok == ",":
                    break
                j -= 1
                continue
            # places in an apposition are where, not who ("Mibe, intervenuto a Tokyo,"); the agent of a participle
            # is not the subject either ("Il gruppo, guidato dall'ad Stefan Hartung, motiva")
            if t.toks[k + 1] not in RELATIVE_OPENERS and t.forms[k + 1] != "part":
                cands.extend(m for m in ments if k < m.first and m.last < j and m.type != "LOC")
            j = k - 1
            fresh = False
            continue
        if tok == "," or tok in SUBORDINATORS or tok in ("che", "se", "come"):
            break
        m = ends.get(j)
        if m:
            if m.first == 0 or t.toks[m.first - 1] not in AGENT_WORDS:  # "L'azienda guidata da Lei Jun": not the subject
                cands.append(m)
            j = m.first - 1
            fresh = False
            continue
        if (tok in ARTICLES and (j == 0 or (t.toks[j - 1] not in PREPOSITIONS and t.forms[j - 1] is None))) or tok in QUANTIFIERS:
            has_np = True
        elif t.capital(j) and j > 0 and t.forms[j] is None and tok not in VERB_GROUP:
            has_np = True
        if tok not in VERB_GROUP:
            fresh = False
        j -= 1
    return cands, has_np


def verb_group_start(t: Tokens, i: int) -> int:
    """First token of the verb group ending at token i ("non ha però precisato")."""
    g = i
    while g > 0 and t.toks[g - 1] in VERB_GROUP:
        g -= 1
    return g


def main_subject(t: Tokens, roles: list[str], ments: list[Mention]) -> str | None:
    """The entity subject of the first finite verb of the main clause (what a following "Ha poi aggiunto" refers to)."""
    if not ments:
        return None
    i = next((i for i, f in enumerate(t.forms) if f in FINITE_FORMS and roles[i] == MAIN and not t.quoted[i]), None)
    if i is None:
        return _subject_of_noun_read_verb(t, ments)
    cands, _ = subject_before(t, ments, verb_group_start(t, i))
    m = choose(cands)
    return m.entity_id if m else None


def _subject_of_noun_read_verb(t: Tokens, ments: list[Mention]) -> str | None:
    """"Giulia Ferraresi insegna economia": the name opening the sentence, when the word right after it is a present
    tense simplemma reads as a noun ("insegna", "denuncia", "critica")."""
    m = ments[0]
    k = m.last + 1
    if m.first <= 1 and k < len(t.toks) and t.forms[k] is None and not t.quoted[k] and present_verb_reading(t.toks[k], e_verbs=True):
        return m.entity_id
    return None


def inverted_ok(t: Tokens, g: int) -> bool:
    """A subject after its verb: the verb opens its clause, follows a quote or a clitic ("Lo rivela il FT")."""
    j = g - 1
    if j < 0:
        return True
    tok = t.toks[j]
    return tok in QUOTE_OR_CLAUSE_OPENERS or tok in QUOTE_MARKS or t.quoted[j]


def description_subject(t: Tokens, g: int, lex: Lexicon, ctx: Context, ments: list[Mention] | None = None) -> str | None:
    """A description as subject ("il manager", "l'azienda"): the person or organization it refers back to.
    An indefinite one ("un portavoce") names nobody. After a colon, a description takes up the one name
    before it ("Dura la reazione di IG Metall: il sindacato ha annunciato ...")."""
    j = g - 1
    if j >= 2 and t.toks[j] == ",":
        # "Il fornitore, dal canto suo, ha fatto sapere": over a short parenthesis to the description before it
        k = next((x for x in range(j - 1, max(-1, j - 7), -1) if t.toks[x] == ","), None)
        if k is not None and all(not t.quoted[x] and t.toks[x] not in (";", ":") for x in range(k, j)):
            j = k - 1
    while j >= 0 and t.toks[j] not in (",", ";", ":") and not t.quoted[j]:
        if j and t.toks[j - 1] in DEFINITE_OR_SAME:
            if t.toks[j] in PORTFOLIO_HEADS and j + 1 < g and t.toks[j + 1] in OF_WORDS:
                return None  # "il ministro dell'Economia" the entity layer did not link: an office, not the last person named
            if ments and j >= 2 and t.toks[j - 2] == ":":
                wanted = "PER" if t.toks[j] in lex.person_heads else "ORG" if t.toks[j] in lex.org_heads or t.toks[j] in COLLECTIVE_HEADS else None
                named = [m for m in ments if m.last < j - 2 and m.type == wanted]
                if wanted and len({m.entity_id for m in named}) == 1:
                    return named[0].entity_id
            found = epithet_entity(t.toks[j], lex, ctx)
            if found:
                return found
        j -= 1
    return None


GROUP_HEADS = frozenset({"gruppo", "holding", "capogruppo", "controllante"})


def epithet_entity(head: str, lex: Lexicon, ctx: Context) -> str | None:
    """A description ("il presidente", "l'azienda"): person_by_role for a person; the organization the article is
    most about, or its parent group for "il gruppo" when the article names the parent too."""
    if head in lex.person_heads:
        return person_by_role(head, lex, ctx) or ctx.last_per
    if head in lex.institution_heads:  # "il ministero": the ministry the article names most, if any
        wanted = lex.institution_heads[head]
        named = {k: v for k, v in (ctx.org_scores or {}).items() if lex.org_kinds.get(k) in wanted}
        return max(named, key=named.__getitem__) if named else (ctx.described or {}).get(head)
    if head in lex.org_heads and ctx.org_scores:
        scores = ctx.org_scores
        if head not in lex.media_nouns and not lex.non_company_orgs.isdisjoint(scores):  # "l'azienda" is no newspaper
            scores = {k: v for k, v in scores.items() if k not in lex.non_company_orgs}
            if not scores:
                return None  # only newspapers, unions or governments named: "l'azienda" is none of them
        previous = _previous_subject(ctx)
        chosen = previous if previous in scores else max(scores, key=scores.__getitem__)
        if head in GROUP_HEADS:  # "il gruppo" of an article about Maserati is Stellantis, when the article names it
            parent = (ctx.parents or {}).get(chosen)
            if parent in scores:
                return parent
        return chosen
    return (ctx.described or {}).get(head)  # "la procura": the name it was put in apposition to


def role_key(word: str, lex: Lexicon) -> str:
    """One key for a role and its synonyms ("ad", "ceo", "amministratrice" -> "amministratore")."""
    return lex.role_synonyms.get(word, word)


def person_by_role(head: str, lex: Lexicon, ctx: Context) -> str | None:
    """Who a role description refers to ("il manager", "l'ad", "il sindacalista", "la ministra"): the person
    introduced with that role; else, of the previous sentence's speaker, its subject and the persons named before
    (most recent first), the first whose KB role it is, else the first who can hold it (a sindacalista is no
    minister); None when nobody fits."""
    key = role_key(head, lex)
    same = (ctx.role_per or {}).get(key)
    if same:
        return same
    types = ctx.types or {}
    persons = [p for p in dict.fromkeys((ctx.speaker, _previous_subject(ctx), *ctx.recent_per)) if p and types.get(p) == "PER"]
    holder = next((p for p in persons if key in lex.person_roles.get(p, ())), None)
    if holder:
        return holder
    wanted = lex.role_sectors.get(head)
    sectors = ctx.per_sectors or {}
    for person in persons:
        have = sectors.get(person)
        if wanted is None or not have or not have.isdisjoint(wanted):
            return person
    return None


def _previous_subject(ctx: Context) -> str | None:
    """The entity subject of the previous sentence (computed only when a role description asks)."""
    return main_subject(*ctx.previous) if ctx.previous else None
