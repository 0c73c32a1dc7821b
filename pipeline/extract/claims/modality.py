"""Modality of a claim (fact, rumor, speculation, denial, plan) from Italian verb morphology and cue phrases.

The rules, strongest first (the first that fires decides; the cue that fired goes to `modality_cue`):

1. denial: a denial phrase anywhere ("completamente falsa", "priva di fondamento", "non corrisponde al
   vero", "categoricamente"), a not negated form of smentire / negare / escludere outside parentheses
   ("Ford ha smentito", "una nota in cui negava", "una secca smentita"), or respingere / bollare /
   liquidare with a report as object ("ha respinto la ricostruzione"). "non ha smentito" and "non è
   escluso" are no denials.
2. rumor: a hearsay marker ("secondo indiscrezioni", "secondo quanto riportato", "stando a fonti",
   "stando a diverse ...", "a quanto pare", "fonti vicine"; "stando a Vučić" names a source and is no
   marker, nor is the bare noun: "non ha commentato le indiscrezioni" is a fact), news media as the
   subject of scrivere / riportare / rivelare ("diversi quotidiani avevano scritto che ..."), or the
   journalistic conditional in the main clause: compound ("avrebbe avviato", "starebbe preparando"),
   essere ("ci sarebbero divergenze"), volere outside quotes ("vorrebbe") or any other verb
   ("basterebbe a coprire pochi mesi"); only the passive with venire ("verrebbero evitati i dazi") is
   a consequence, a rumor only in an article that reports hearsay elsewhere. A conditional in a
   completive clause is the future in the past of reported speech ("ha assicurato che la produzione
   sarebbe partita", "ha avvertito che l'accordo renderebbe ...") and in relative and other
   subordinate clauses ("un accordo che renderebbe ...") it is a hypothesis of its own: neither decides
   (except potere, rule 3). But a compound conditional in a completive after a main verb in the simple
   present is the journalistic conditional passed on: "Il Financial Times aggiunge che il rapporto si
   sarebbe logorato" is a rumor. A conditional in the clause after "secondo cui" / "per i quali" is the
   source's, read like one in a completive ("altri osservatori, per i quali Tesla potrebbe aver cambiato idea").
3. speculation: the conditional of possibility (potere: "potrebbe debuttare"; sembrare: "sembrerebbe";
   dovere without a target date: "dovrebbe crescere"), sembrare / parere as main verb ("il mercato
   sembra aver toccato il fondo"), a conditional in a sentence with a hypothetical clause ("se ...",
   "senza la gigafactory i posti a rischio sarebbero centinaia"), and possibility cues ("non è
   escluso", "non esclude", "ipotesi", "forse", "probabilmente", "chissà", "è possibile che", "rischia
   di", "c'è chi scommette").
4. plan: a future tense in the main or a completive clause ("venderà", "arriveranno", "ha annunciato che
   aprirà"), dovere in the conditional with a target ("dovrebbe arrivare entro il 2026"), volere in the
   present ("vuole", «Vogliamo portare ...») or quoted conditional («Vorremmo iniziare ...»), prevedere /
   intendere / promettere as main verb ("l'intesa prevede il taglio", "aveva promesso stazioni
   dedicate"), an intention cue ("punta a", "intende", "prevede di", "ha in programma", "è atteso"), or
   a time target ("entro giugno", "a partire dal 2027" — a date, not "a partire da 18.900 euro") unless
   the main clause tells the past: "ha annunciato il taglio di 4.000 posti entro il 2027" is a fact.
5. fact: everything else (indicative, established).

Verb forms come from simplemma lemmas plus Italian endings (pipeline/extract/claims/morph.py); the
clause of a token comes from pipeline/extract/claims/clauses.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.claims.clauses import COMPL, MAIN, PAREN, REL, SUB
from pipeline.extract.claims.lexicon import Lexicon
from pipeline.extract.claims.tokens import Tokens

ASSERTIVE_ROLES = frozenset({MAIN, COMPL})
NEGATIONS = frozenset({"non", "né"})
# Words that may stand between "non" and its verb ("non lo ha mai detto", "non si è ancora").
NEG_GAP = frozenset("lo la li le l' gli ne ci si mi ti vi ha hanno è sono era erano mai ancora più affatto già nemmeno neppure neanche".split())
SEEMING = frozenset({"sembrare", "parere"})
CUE_CATEGORIES = frozenset({"hearsay", "speculation", "denial", "plan", "target"})
# Endings of the imperfect and the simple past: "era", "prevedeva", "annunciò".
PAST_ENDINGS = ("ava", "avano", "eva", "evano", "iva", "ivano", "ò", "ì", "ette", "ettero", "arono", "erono", "irono")
RANK = {"denial": 0, "rumor": 1, "speculation": 2, "plan": 3, "fact": 4}


@dataclass(frozen=True, slots=True)
class Signals:
    """Every modality cue found in one sentence: (category, cue surface) in text order."""

    cues: tuple[tuple[str, str], ...]
    simple_conditional: str | None  # a lexical verb in the simple conditional, main clause: rumor or speculation by context
    reportive: bool  # the sentence itself reports hearsay or uses the compound conditional

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for c, _ in self.cues)


def is_negated(t: Tokens, i: int) -> bool:
    """True when token i is negated by "non" within its verb group."""
    j = i - 1
    steps = 0
    while j >= 0 and steps < 4:
        tok = t.toks[j]
        if tok in NEGATIONS:
            return True
        if tok not in NEG_GAP:
            return False
        j -= 1
        steps += 1
    return False


def _has_aux_before(t: Tokens, i: int) -> bool:
    for j in range(i - 1, max(-1, i - 4), -1):
        if t.lemmas[j] in ("avere", "essere") and t.forms[j] is not None:
            return True
        if t.forms[j] is not None or t.toks[j] in (",", ";", ":"):
            return False
    return False


def _next_verb(t: Tokens, i: int, forms=("part", "ger", "inf")) -> int | None:
    for j in range(i + 1, min(len(t.toks), i + 4)):
        if t.forms[j] in forms:
            return j
        if t.forms[j] is not None or t.toks[j] in (",", ";", ":"):
            return None
    return None


def _surface(body: str, t: Tokens, i: int, j: int) -> str:
    return body[t.starts[i] : t.ends[j - 1]]


def collect_signals(body: str, t: Tokens, roles: list[str], hypothetical: bool, phrases: list[tuple[int, int, str, str]], lex: Lexicon) -> Signals:
    """Pass 1: the cues of one sentence (the article-level context is applied in `decide_modality`)."""
    cues: list[tuple[int, str, str]] = []
    reportive = False
    past = None
    for i, j, cat, _ in phrases:
        if cat not in CUE_CATEGORIES or (cat == "denial" and roles[i] == PAREN and not t.quoted[i]):
            continue
        if cat in ("plan", "target") and roles[i] == REL:
            continue  # "il fondatore, che punta a ridurre i marchi", "il cui debutto era atteso": not the claim's own plan
        if cat == "target":
            past = _main_clause_past(t, roles) if past is None else past
            if past:
                continue  # "ha annunciato il taglio di 4.000 posti entro il 2027": a decision taken, told as a fact
            cat = "plan"
        cues.append((i, cat, _surface(body, t, i, j)))
        reportive |= cat == "hearsay"
    has_plan_phrase = any(c == "plan" for _, c, _ in cues)
    simple_conditional = None
    forms, lemmas = t.forms, t.lemmas
    if "cond" not in forms and "fut" not in forms and lex.verb_cue_lemmas.isdisjoint(lemmas):
        cues.sort()  # no verb can be a cue: skip the scan (most sentences)
        return Signals(tuple(("rumor" if c == "hearsay" else c, s) for _, c, s in cues), None, reportive)
    cond_roles = _source_clauses_assert(t, roles) if "cond" in forms else roles  # only its conditionals speak
    reported_now = None  # the main verb reports in the present: "Il Financial Times aggiunge che ... si sarebbe logorato"
    for i, form in enumerate(forms):
        if form is None:
            continue
        lemma, role = lemmas[i], (cond_roles[i] if form == "cond" else roles[i])
        if lemma in lex.denial_verbs or lemma in lex.denial_object_verbs:
            if _denies(t, i, roles, lex):
                cues.append((i, "denial", _surface(body, t, i, i + 1)))
            continue
        if role not in ASSERTIVE_ROLES:
            continue
        if lemma in lex.media_verbs and form in ("fin", "part") and not t.quoted[i] and not lex.media_nouns.isdisjoint(t.toks[:i]):
            cues.append((i, "rumor", _surface(body, t, i, i + 1)))  # "diversi quotidiani avevano scritto che ..."
            reportive = True
        elif form == "fut":
            cues.append((i, "plan", _surface(body, t, i, i + 1)))
        elif role == MAIN and lemma in lex.plan_verbs and (form == "fin" or (form == "part" and _has_aux_before(t, i))) and not is_negated(t, i):
            cues.append((i, "plan", _surface(body, t, i, i + 1)))  # "l'intesa prevede il taglio di ..."
        elif form == "fin" and lemma in SEEMING and role == MAIN:
            cues.append((i, "speculation", _surface(body, t, i, i + 1)))  # "il mercato sembra aver toccato il fondo"
        elif form == "fin" and lemma == "volere" and not is_negated(t, i):
            cues.append((i, "plan", _surface(body, t, i, (_next_verb(t, i) or i) + 1)))  # "Vogliamo portare ..."
        elif form == "cond":
            cue = _surface(body, t, i, (_next_verb(t, i) or i) + 1)
            category = _conditional(t, i, role, hypothetical, has_plan_phrase)
            if category is None and role == COMPL and _compound(t, i):
                reported_now = _main_clause_present(t, roles) if reported_now is None else reported_now
                category = "rumor" if reported_now else None
            if category == "simple":
                simple_conditional = simple_conditional or cue
            elif category:
                cues.append((i, category, cue))
                reportive |= category == "rumor"
    cues.sort()
    return Signals(tuple(("rumor" if c == "hearsay" else c, s) for _, c, s in cues), simple_conditional, reportive)


# Relative openers of a source's clause: "secondo cui ...", "per i quali ..." say what the source asserts.
SOURCE_RELATIVES = frozenset({"cui", "quale", "quali"})


def _source_clauses_assert(t: Tokens, roles: list[str]) -> list[str]:
    """Roles with the clause after "secondo cui" / "per il quale" read as a completive: its verbs are the claim's
    ("Più cauti altri osservatori, per i quali Tesla potrebbe aver cambiato le priorità": speculation)."""
    for k, tok in enumerate(t.toks):
        if tok in SOURCE_RELATIVES and k and (t.toks[k - 1] == "secondo" or (k >= 2 and t.toks[k - 2] == "per" and t.toks[k - 1] in ("il", "la", "i", "le"))):
            roles = list(roles)
            for x in range(k + 1, len(t.toks)):
                if roles[x] in (REL, SUB) or roles[x] == roles[k]:
                    roles[x] = COMPL
            return roles
    return roles


def _compound(t: Tokens, i: int) -> bool:
    """A compound or progressive conditional: "sarebbe logorato", "avrebbe chiesto", "starebbe preparando"."""
    return t.lemmas[i] in ("avere", "essere", "stare") and _next_verb(t, i, ("part", "ger")) is not None


def _main_clause_present(t: Tokens, roles: list[str]) -> bool:
    """True when the first finite verb of the main clause is a simple present ("aggiunge", "scrive")."""
    for i, form in enumerate(t.forms):
        if form in ("fin", "cond", "fut") and roles[i] == MAIN and not t.quoted[i]:
            return form == "fin" and t.lemmas[i] not in ("avere", "essere") and not t.toks[i].endswith(PAST_ENDINGS)
    return False


def _main_clause_past(t: Tokens, roles: list[str]) -> bool:
    """True when the first finite verb of the main clause is a past tense ("ha annunciato", "era", "firmò")."""
    for i, form in enumerate(t.forms):
        if form in ("fin", "cond", "fut") and roles[i] == MAIN and not t.quoted[i]:
            if form != "fin":
                return False
            if t.lemmas[i] in ("avere", "essere") and _next_verb(t, i, ("part",)) is not None:
                return True  # passato prossimo / trapassato
            return t.toks[i].endswith(PAST_ENDINGS)
    return False


def _conditional(t: Tokens, i: int, role: str, hypothetical: bool, has_plan_phrase: bool) -> str | None:
    """What a conditional verb says: rumor, speculation, plan, "simple" (decided by the article) or None."""
    lemma = t.lemmas[i]
    if lemma in ("potere", "sembrare", "parere"):
        return "speculation"
    if role != MAIN:
        return None  # "ha spiegato che la produzione sarebbe partita": the future in the past of reported speech
    if lemma == "dovere":
        return "plan" if has_plan_phrase else "speculation"
    if lemma == "volere":
        return "plan" if t.quoted[i] else "rumor"  # «Vorremmo iniziare ...» is an intention; "vorrebbe" a report
    if hypothetical:
        return "speculation"
    if lemma == "venire":
        return "simple"  # a passive consequence ("verrebbero evitati i dazi"), rumor only in a rumor article
    return "rumor"  # the journalistic conditional: "avrebbe avviato", "basterebbe a coprire pochi mesi"


def _denies(t: Tokens, i: int, roles: list[str], lex: Lexicon) -> bool:
    """smentire / negare / escludere, or respingere / bollare + a report ("ha respinto la ricostruzione"), not negated."""
    if roles[i] == PAREN and not t.quoted[i]:
        return False
    if is_negated(t, i):
        return False
    lemma, form = t.lemmas[i], t.forms[i]
    if lemma in lex.denial_object_verbs:
        for k in range(i + 1, min(len(t.toks), i + 7)):
            if t.toks[k] in (";", ":", ".") or t.forms[k] in ("fin", "fut", "cond"):
                return False
            if t.lemmas[k] in lex.denial_objects:
                return True
        return False
    if lemma == "escludere":  # "escluso il Giappone" means "except", "l'accordo esclude chiusure" states its content
        return roles[i] == MAIN and (form in ("fin", "fut", "ger") or (form == "part" and _has_aux_before(t, i)))
    return True


def decide_modality(sig: Signals, article_reportive: bool) -> tuple[str, str | None]:
    """Pass 2: (modality, cue) from the sentence's signals and whether its article reports hearsay."""
    cues = list(sig.cues)
    if sig.simple_conditional:
        cues.append(("rumor" if article_reportive else "speculation", sig.simple_conditional))
    if not cues:
        return "fact", None
    best = min(cues, key=lambda c: RANK[c[0]])
    return best
