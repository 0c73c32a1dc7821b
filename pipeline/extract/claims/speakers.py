"""Who asserts a sentence: reporting verbs, "secondo X", "X: «...»", "Per X, ...", inverted and dropped subjects."""
from __future__ import annotations

import re

from pipeline.extract.claims.clauses import COME, COMPL, MAIN, PAREN, REL, SUB, SUBORDINATORS
from pipeline.extract.claims.lexicon import Lexicon
from pipeline.extract.claims.mentions import OF_WORDS, Context, Mention, choose, led_by_role, mentions_forward, named_first
from pipeline.extract.claims.subjects import (
    AGENT_WORDS,
    ARTICLES,
    FINITE_FORMS,
    PREPOSITIONS,
    QUANTIFIERS,
    VERB_GROUP,
    description_subject,
    epithet_entity,
    inverted_ok,
    main_subject,
    person_by_role,
    role_key,
    subject_before,
    verb_group_start,
)
from pipeline.extract.claims.tokens import OPEN_QUOTES, QUOTE_MARKS, Tokens

REPORTING_ROLES = frozenset({MAIN, COMPL, COME})
REPORTING_FORMS = frozenset({"fin", "part", "ger", "fut", "cond", "inf"})
# Between an inverted verb and its subject: "ha dichiarato ieri a Torino il presidente di X Mario Rossi".
INVERTED_GAP = frozenset(
    "poi anche inoltre invece ancora infine oggi ieri infatti stesso stessa però dunque quindi a ad in nel nella sul sulla al alla "
    "durante dopo volte più palco conferenza stampa margini maggio giugno luglio agosto settembre ottobre novembre dicembre "
    "quell' quella quello questa questo occasione circostanza sede "
    "gennaio febbraio marzo aprile mattina sera pomeriggio scorso scorsa così diversamente".split()
)
SOURCE_SKIP = frozenset(
    "quanto riportato riferito scritto dichiarato spiegato affermato sostenuto annunciato rivelato comunicato diffusi diffuse "
    "pubblicati pubblicate forniti fornite elaborati stime stima dati dato calcoli previsioni analisi numeri cifre documento "
    "nota comunicato lettera report rapporto ricostruzione ieri oggi da dal dalla dallo dall' dai dagli dalle "
    "fonti fonte vicine vicina vicini vicino a al alla allo all' ai agli alle di del della dello dell' dei degli delle "
    "stabilimento fabbrica impianto sito nei nelle negli giorni scorsi scorse settimane settimana scorsa ultimi ultime mesi "
    "stesso stessa documenti atti depositati depositato censimento rilevazione indagine sondaggio studio ricerca elaborazione "
    "ultimo ultima ultimi ultime recente nuovo nuova annuale dichiarati dichiarate comunicati comunicate diffuso diffusa "
    "piani piano programmi progetti intenzioni visione opinione parere idea convinzione avviso giudizio punto vista "
    "indiscrezioni indiscrezione raccolte raccolti riportate riportati osservatorio elaborazioni rilevazioni inchiesta esclusiva "
    "articolo pubblicata pubblicato riportata anticipata anticipato rilanciata un una un'".split()
)
FIRST_PERSON_ENDINGS = ("iamo", "remo", "emmo")
# Cue kinds tried in a second round: a relative or temporal clause only speaks when nothing in the main clause does.
LATE_KINDS = frozenset({"rel", "sub"})
NEEDS_WINDOW = 4
# Prepositions that make a place a setting of the clause ("In Italia", "Nella vicina Germania"), not its subject.
PLACE_PREPOSITIONS = frozenset(
    "in a ad da su nel nella nello negli nei nelle nell' al alla ai agli alle all' dal dalla dai dagli dall' sul sulla "
    "via viale piazza corso largo".split()  # and streets: "il dicastero di via Veneto"
)
# How far after a head noun its own name may stand ("dalle società di consulenza Iss"), and what stops the search.
NAMED_AFTER_HEAD = 4
ROLE_NAME_REACH = 6  # "l'assessora alle Attività produttive Tiziana Magnacca"
TITLE_REACH = 10  # "la vicepremier e ministra dell'Energia e dell'Industria Ebba Busch"
COORDINATORS = frozenset({"e", "ed", "o", "né", ","})
# Conjunctions that open a clause of their own: a source after them opens that clause.
CLAUSE_COORDINATORS = frozenset({"ma", "mentre"})
# How far a role phrase may run before the comma of the name it describes ("il numero uno della casa della Stella, X").
ROLE_PHRASE_REACH = 10
CLAUSE_PUNCT = frozenset({",", ";", ":", ".", "(", "«", "»", '"'})
# Who can speak: people, organizations, and places standing for their governments ("Pechino ha risposto").
SPEAKER_TYPES = frozenset({"PER", "ORG", "LOC"})
INDEFINITE = frozenset({"un", "una", "uno", "un'"})
# "Fonti vicine al dossier": sources, whose only speaker is the entity they are close to.
SOURCE_NOUNS = frozenset({"fonti", "fonte"})
SOURCES_REACH = 8
# "stando alla procura", "a detta della società": the article is fused with the preposition before the head.
TO_THE = frozenset("al allo alla all' ai agli alle del dello della dell' dei degli delle".split())
# Adjectives that make sources the company's own ("fonti aziendali"); the description they stand for.
COMPANY_SOURCES = frozenset({"aziendali", "aziendale", "societarie", "societaria", "interne", "interna"})
COMPANY_HEAD = "azienda"
# Documents a source may be, without naming whose ("stando al prospetto", "secondo il documento"): the previous
# speaker's, else the company the article is about.
DOCUMENTS = frozenset("prospetto documento nota comunicato bilancio relazione lettera memo circolare presentazione proposta bozza".split())
# People who speak for their organization: "un portavoce di Xiaomi" is Xiaomi speaking.
SPOKESPERSONS = frozenset({"portavoce", "rappresentante", "spokesperson", "spokesman", "spokeswoman"})
# Verbs that report only in the reflexive: "la società si aspetta vendite in linea".
REFLEXIVE_ONLY = frozenset({"aspettare", "attendere"})
# Verbs of naming that report only with a quote or "come" ("ha definito i rivali una «minaccia esistenziale»").
NAMING_VERBS = frozenset({"definire", "descrivere", "bollare"})
# Prepositions before a reporting noun that frames the sentence: "In una nota la Commissione ha ribadito ...".
FRAME_PREPOSITIONS = frozenset({"in", "nella", "nel", "con", "attraverso"})
IMPERSONAL_READING = (
    "si legge", "si leggeva", "si apprende", "si evince", "si sottolinea", "si precisa", "si spiega", "si afferma",
    "si ribadisce", "si specifica", "si annuncia", "si aggiunge",
)
# Verbs of saying in the cleft "A dirlo è X" ("A illustrarlo è stato X" presents something, it asserts nothing).
CLEFT_VERBS = frozenset(
    "dire dichiarare affermare rivelare confermare annunciare sostenere spiegare sottolineare precisare riferire scrivere "
    "ammettere ribadire smentire negare parlare commentare garantire assicurare ricordare raccontare promettere avvertire "
    "chiarire osservare rivendicare denunciare riportare anticipare svelare segnalare indicare".split()
)
# A conditional reporting verb speaks when "che" (or ": «") comes within this many tokens ("avrebbe detto ai
# dipendenti riuniti a Wolfsburg che ..."); idioms whose second word carries the content ("lasciato intendere").
CONTENT_WINDOW = 10
CONTENT_WORDS = frozenset({"che"})
CONDITIONAL_IDIOMS = frozenset({"lasciare", "fare"})
# Reporting verbs that still report in the reflexive: "si è detto favorevole", "si è dichiarata contraria".
# Reporting verbs that still report when negated: "X non ha escluso che ..." (speculation, X's).
NEGATED_REPORTING = frozenset({"escludere", "nascondere", "negare", "pensare"})  # "Non la pensa così X"
GIVING_UP = frozenset({"rinunciare", "rifiutare", "evitare", "declinare", "astenere", "astenersi", "smettere"})
REFLEXIVE_REPORTING = frozenset({"dire", "dichiarare", "mostrare", "limitare"})


def _aux_before(t: Tokens, i: int) -> int | None:
    """Index of the auxiliary of participle i ("ha detto", "si è detto", "è stato annunciato"), or None."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if t.lemmas[j] in ("avere", "essere") and t.forms[j] in ("fin", "cond", "fut", "part", "inf", "ger"):
            if t.lemmas[j] == "essere" and t.forms[j] == "part" and j and t.lemmas[j - 1] == "essere":
                return j - 1  # "è stato annunciato": the finite auxiliary
            return j
        if t.toks[j] not in VERB_GROUP:
            return None
    return None


def _is_passive(t: Tokens, i: int, aux: int | None) -> bool:
    if t.forms[i] != "part":
        return _after_been(t, i)
    if aux is None:
        return True  # a bare participle: "come comunicato dal gruppo", "il bilancio comunicato da Xiaomi"
    return t.lemmas[aux] == "essere" and not (aux and t.toks[aux - 1] == "si")


def _speaker_of(t: Tokens, cands: list[Mention], lex: Lexicon, ctx: Context) -> str | None:
    """The entity of the best candidate (claims.mentions.resolve_mention), but a role of a named organization ("l'amministratore delegato di Renault", "il presidente
    di Confindustria") is a person of that organization or, when the article names none, the organization itself,
    never a person of another organization the article names."""
    m = choose(named_first(t, cands))
    if m is None:
        return None
    if m.type == "LOC" and m.first >= 2 and t.toks[m.first - 1] in OF_WORDS and t.toks[m.first - 2] in lex.person_heads:
        return person_by_role(t.toks[m.first - 2], lex, ctx)  # "il manager di Dearborn": a person, not the town
    if m.type == "PER" or not led_by_role(t, m, lex):
        return m.entity_id
    org = m.entity_id
    person = (ctx.leaders or {}).get(org)
    if person:
        return person
    employers, named_orgs = ctx.employers or {}, ctx.org_scores or {}
    role = t.toks[m.first - 2]
    for person in ((ctx.role_per or {}).get(role_key(role, lex)), _role_holder(role, lex, ctx), ctx.last_per):
        employer = employers.get(person)
        # a person the KB places at another organization the article names is that one's (KB employers may be stale)
        if person and not (employer is not None and employer != org and employer in named_orgs):
            return person
    return org


def _role_holder(role: str, lex: Lexicon, ctx: Context) -> str | None:
    """Of the persons the article named last, the one whose KB role has this role ("il patron di Geely": its founder)."""
    key = role_key(role, lex)
    return next((p for p in ctx.recent_per if key in lex.person_roles.get(p, ())), None)


def _after_been(t: Tokens, i: int) -> bool:
    """A verb read as finite right after "stato"/"stata" ("è stata invece accolta"): a participle, the clause passive."""
    j = i - 1
    while j >= 0 and t.toks[j] in VERB_GROUP:
        if t.lemmas[j] == "essere" and t.forms[j] == "part":
            return True
        j -= 1
    return False


def _agent_after(t: Tokens, ments: list[Mention], i: int, lex: Lexicon, ctx: Context) -> str | None:
    for k in range(i + 1, min(len(t.toks), i + 14)):
        tok = t.toks[k]
        if tok in (";", ":") or t.quoted[k] or tok in SUBORDINATORS or tok == "che":
            return None
        if tok in AGENT_WORDS:
            found = [m for m in mentions_forward(t, ments, k + 1, lex.role_words) if m.type != "LOC"]
            if found:
                return _speaker_of(t, found, lex, ctx)
            head = _head_after(t, k + 1, lex, ctx)
            if head:
                named = _named_after_head(t, ments, k + 1)
                return named if named is not None else epithet_entity(head, lex, ctx)
    return None


def _apposed_person(t: Tokens, ments: list[Mention], found: list[Mention]) -> str | None:
    """The person named after a comma when an inverted subject is a role of an organization ("il presidente di
    Ford Europa, Martin Sander"), or None."""
    if any(m.type == "PER" for m in found):
        return None
    k = max(m.last for m in found) + 1
    if k + 1 < len(t.toks) and t.toks[k] == ",":
        named = next((m for m in ments if m.first == k + 1), None)
        if named is not None and named.type == "PER":
            return named.entity_id
    return None


def _apposed_after(t: Tokens, ments: list[Mention], h: int) -> Mention | None:
    """The person named after a comma that closes a role phrase ("il numero uno della casa della Stella, Ola
    Källenius"), or None."""
    for k in range(h + 1, min(len(t.toks) - 1, h + ROLE_PHRASE_REACH)):
        if t.toks[k] == ",":
            m = next((x for x in ments if x.first == k + 1), None)
            return m if m is not None and m.type == "PER" else None
        if t.toks[k] in CLAUSE_PUNCT or t.quoted[k]:
            return None
    return None


def _named_after_head(
    t: Tokens, ments: list[Mention], h: int, reach: int = NAMED_AFTER_HEAD, types: tuple[str, ...] = ("PER", "ORG"), written: bool = False
) -> str | None:
    """A person or organization named a few words after a head noun, before any punctuation ("dalle società di
    consulenza Iss e Glass Lewis", "dal vicepresidente esecutivo Stéphane Séjourné"): the description's own name;
    `written` asks for a name as written (capitalized), not a description the entity layer linked."""
    for m in ments:
        if h < m.first <= h + reach and m.type in types and not (written and not t.capital(m.first)):
            if not any(t.toks[x] in CLAUSE_PUNCT or t.quoted[x] for x in range(h + 1, m.first)):
                return m.entity_id
    return None


def _head_after(t: Tokens, k: int, lex: Lexicon, ctx: Context) -> str | None:
    """An org/person head noun right after k ("dal gruppo", "dalla società", "alla procura" named in an apposition
    before), or None."""
    if k < len(t.toks) and _is_head(t.toks[k], lex, ctx):
        return t.toks[k]
    return None


def _is_head(tok: str, lex: Lexicon, ctx: Context) -> bool:
    """A noun a description of a person or organization may have: a role, a kind of company, or a noun the article
    put in apposition to a name ("il Ministério Público do Trabalho, la procura del lavoro")."""
    return tok in lex.org_heads or tok in lex.person_heads or tok in lex.institution_heads or tok in (ctx.described or ())


def _reporting_kind(t: Tokens, i: int, roles: list[str], lex: Lexicon) -> str | None:
    """'verb', 'rel' (relative clause), 'sub' (temporal clause, media verbs only) or None when token i reports nothing."""
    lemma, form, tok = t.lemmas[i], t.forms[i], t.toks[i]
    if lemma not in lex.reporting_verbs or form not in REPORTING_FORMS or t.quoted[i]:
        return None
    if form == "inf" and lemma in CLEFT_VERBS and _opens_cleft(t, i):
        return "cleft"  # "A dirlo è Luca de Meo", "A parlare è stato X" (no "parlare di" needed), "...: a garantirlo è X"
    nxt = t.toks[i + 1] if i + 1 < len(t.toks) else ""
    need = lex.reporting_needs_next.get(lemma)
    after_quote = _after_quote(t, i, lex)
    if need is not None and not after_quote and not _followed_by(t, i, need) and not _points_back(t, i):
        if not _inserted(t, i) and not ("che" in need and form == "part" and _aux_before(t, i) is None and _agent_follows(t, i)):
            return None  # but "L'obiettivo indicato dal gruppo è ...": a bare participle with its agent reports
    if lemma in NAMING_VERBS and not after_quote and not _names_something(t, i):
        return None  # "ha definito i dettagli" finalizes; "ha definito i rivali una “minaccia”" speaks
    if nxt in lex.reporting_not_next.get(lemma, ()) or nxt == "se":
        return None  # "ha dichiarato fallimento"; "a dire se la scommessa è vinta" asks, says nothing
    if tok.endswith(FIRST_PERSON_ENDINGS) and form in ("fin", "fut"):
        return None  # "Ricordiamo che ...", "vedremo": the writer speaking
    if form == "part" and any(t.toks[k] == "ho" for k in range(max(0, i - 3), i)):
        return None  # "Ho chiesto a un ingegnere ...": the writer in the first person
    if form == "inf" and i >= 2 and t.toks[i - 1] in ("a", "di") and t.lemmas[i - 2] in GIVING_UP:
        return None  # "ha rinunciato a confermare le stime", "si è rifiutato di commentare": said nothing
    if (
        form == "inf"
        and not (i >= 2 and t.toks[i - 1] in ("a", "di") and t.forms[i - 2] is not None)
        and not (i and t.forms[i - 1] == "part")
        and not (i >= 3 and t.toks[i - 1] == "per" and _followed_by(t, i, CONTENT_WORDS) and any(f in FINITE_FORMS for f in t.forms[:i]))
        and not (i >= 2 and t.toks[i - 1] in ("a", "ad") and t.lemmas[0] == "essere")  # "È stato lo stesso X a spiegare che"
    ):
        return "cleft" if lemma in CLEFT_VERBS and _opens_cleft(t, i) else None  # "A dirlo è Luca de Meo"
    reflexive = i and t.toks[i - 1] == "si"
    if lemma in REFLEXIVE_ONLY and not reflexive:
        return None  # "aspetta" waits; "la società si aspetta vendite in linea" expects
    if form != "part" and reflexive and not subject_before(t, [], i - 1)[1] and not _named_before(t, i - 1):
        return None  # impersonal "si dice", "si aggiunge" (but "Tavares si dice fiducioso" reports Tavares)
    if form != "part" and reflexive and lemma not in REFLEXIVE_REPORTING and lemma not in REFLEXIVE_ONLY:
        return None  # "ai quali si aggiunge ora la B10": is added, says nothing
    if _negated(t, i) and lemma not in NEGATED_REPORTING:
        return None  # "non ha commentato"; but "non ha escluso che ..." says something
    if form == "part":
        aux = _aux_before(t, i)
        if aux is not None and aux and t.toks[aux - 1] == "si" and lemma not in REFLEXIVE_REPORTING:
            return None  # "si sono rivelate estetiche": turned out, not revealed
        if aux is not None and t.forms[aux] == "cond" and not (after_quote or _says_something(t, i, lemma, lex)):
            return None  # "avrebbe comunicato la decisione": an event reported by others, not a statement of the subject
        if aux is None and not ((i and t.toks[i - 1] == "come") or _agent_follows(t, i)):
            return None
    elif form == "cond" and not (after_quote or _says_something(t, i, lemma, lex)):
        return None
    role = roles[i]
    if role in REPORTING_ROLES or (role == PAREN and after_quote):  # «...» – ha detto X – «...»
        return "verb"
    g = verb_group_start(t, i)
    if g and t.toks[g - 1] == "quanto" and (form in FINITE_FORMS or (form == "part" and g < i)):
        return "verb"  # "secondo quanto riferisce Reuters", "a quanto spiega il ministro": the source after the verb
    if role == REL:
        return "rel"
    if role == SUB and lemma in lex.media_verbs:
        return "sub"
    return None


# Verbs of forecasting that report what their named subject expects even without "che": "Maranello prevede ricavi
# superiori a 7 miliardi", "l'azienda stima consegne in crescita" (a plan "prevede" nothing: its subject is no name).
FORECAST_VERBS = frozenset({"prevedere", "stimare"})


def _opens_cleft(t: Tokens, i: int) -> bool:
    """"A" + infinitive opening the sentence or the clause after a colon ("Nessuno chiuderà: a garantirlo è X")."""
    return i >= 1 and t.toks[i - 1] in ("a", "ad") and (i == 1 or t.toks[i - 2] in (":", ";"))


def _forecast_by_name(t: Tokens, i: int, roles: list[str], ments: list[Mention]) -> str | None:
    if t.lemmas[i] not in FORECAST_VERBS or t.forms[i] not in FINITE_FORMS or roles[i] != MAIN or t.quoted[i] or _negated(t, i):
        return None
    if i + 1 < len(t.toks) and t.toks[i + 1] == "di":
        return None  # "Leapmotor prevede di ampliare la rete": an intention reported by the writer, no forecast
    g = verb_group_start(t, i)
    # "Maranello prevede ricavi ...", not "Il piano del gruppo prevede ...": the name is the subject, no complement
    return "verb" if any(m.last == g - 1 and m.type in SPEAKER_TYPES and not (m.first and t.toks[m.first - 1] in OF_WORDS) for m in ments) else None


def _after_copula(t: Tokens, first: int, i: int) -> bool:
    """Reporting noun i right after an opening "È" ("È l'analisi di X: ...", "È il commento di X")."""
    return first == 0 and t.lemmas[0] == "essere" and i <= 3


def _points_back(t: Tokens, i: int) -> bool:
    """"Lo ha assicurato X", "L'ha garantito il ministro": the verb opens the sentence with a clitic for what was said."""
    return verb_group_start(t, i) == 0 and t.toks[0] in ("lo", "l'")


def _inserted(t: Tokens, i: int) -> bool:
    """"Il governo, ha garantito, farà la sua parte": the verb group alone between two commas, inside the sentence."""
    g = verb_group_start(t, i)
    return 0 < g and t.toks[g - 1] == "," and i + 2 < len(t.toks) and t.toks[i + 1] == "," and t.forms[i] in ("fin", "part")


def _says_something(t: Tokens, i: int, lemma: str, lex: Lexicon) -> bool:
    """A reporting verb in the journalistic conditional still gives its subject as the speaker when what was said
    follows: "avrebbe detto ai dipendenti che ...", "avrebbe lasciato intendere che ..." (the claim is a rumor about
    the speaker's words); without it the verb reports an event ("avrebbe chiesto ai gruppi di sospendere")."""
    if lemma in lex.reporting_needs_next and not lex.reporting_needs_next[lemma].isdisjoint(CONTENT_WORDS):
        pass  # "sostenere che", "assicurare che": the content word is the need itself
    elif lemma in lex.reporting_needs_next and lemma not in CONDITIONAL_IDIOMS:
        return False  # "avrebbe chiesto di", "avrebbe invitato a": a request, an event
    for k in range(i + 1, min(len(t.toks), i + 1 + CONTENT_WINDOW)):
        tok = t.toks[k]
        if t.quoted[k] or tok in (";", ".") or (tok == ":" and not (k + 1 < len(t.toks) and t.toks[k + 1] in QUOTE_MARKS)):
            return False
        if tok == "che" or tok == ":" or (lemma in CONDITIONAL_IDIOMS and tok in lex.reporting_needs_next[lemma]):
            return True
    return False


def _followed_by(t: Tokens, i: int, words: frozenset[str]) -> bool:
    """One of `words` within NEEDS_WINDOW tokens, before punctuation ("ha chiesto a più riprese di")."""
    for tok in t.toks[i + 1 : i + 1 + NEEDS_WINDOW]:
        if tok in words:
            return True
        if tok in (",", ";", ":", ".") or tok in QUOTE_MARKS:
            return False
    return False


def _names_something(t: Tokens, i: int) -> bool:
    """After a verb of naming: a quote, "come", or a second noun phrase ("ha definito l'intesa un passo decisivo")."""
    if any(t.quoted[i + 1 :]):
        return True
    window = t.toks[i + 2 : i + 10]  # the object's own article is at i + 1
    if "come" in window or any(tok in INDEFINITE for tok in window):
        return True
    # "ha definito l'impianto il più grande investimento": a second article not governed by a preposition
    return any(t.toks[k] in ARTICLES and t.toks[k - 1] not in PREPOSITIONS and t.toks[k - 1] not in COORDINATORS and t.forms[k - 1] is None for k in range(i + 3, min(len(t.toks), i + 8)))


def _after_quote(t: Tokens, i: int, lex: Lexicon) -> bool:
    """The verb group of token i follows a closing quote or is inserted between commas, its subject after it
    ("«...», ha assicurato Imparato", "Il governo, ha assicurato la premier, lavorerà ...")."""
    j = verb_group_start(t, i) - 1
    if j >= 0 and t.toks[j] == ",":  # an insertion ", ha assicurato la premier," closes with a comma soon after
        if j and t.forms[i] not in ("ger", "inf") and (t.toks[j - 1] in QUOTE_MARKS or t.quoted[j - 1]):
            return True  # «...», avrebbe detto Musk
        if t.forms[i] in ("ger", "inf"):
            return False  # ", indicando una forchetta tra il 5,5% e il 7%": a gerund has no subject of its own after it
        if _closing_tag(t, i, lex):
            return True  # "Nessuno stabilimento chiuderà, assicurano dal gruppo."
        return "," in t.toks[i + 1 : i + 8] and i + 1 < len(t.toks) and (t.toks[i + 1] in ARTICLES | {"il", "lo"} | INDEFINITE or t.capital(i + 1))
    if j >= 0 and t.toks[j] in ("–", "—", "-"):
        j -= 1
    return j >= 0 and (t.toks[j] in QUOTE_MARKS or t.quoted[j])


def _closing_tag(t: Tokens, i: int, lex: Lexicon) -> bool:
    """Finite verb i ends the sentence as a short reporting tag with its subject after it (", precisa una nota del
    gruppo.", ", fanno sapere da Torino."), the words before the comma being what was said (not ", chiedono un
    tavolo": an object)."""
    end = next((k for k in range(i + 1, len(t.toks)) if t.toks[k] in (":", ";") and not t.quoted[k]), len(t.toks))
    rest = t.toks[i + 1 : end]  # ", assicura De Palma: se non arriveranno risposte, ...": the tag ends at the colon
    if not rest or len(rest) > CLOSING_TAG_WORDS or t.forms[i] not in FINITE_FORMS or not (rest[0] in TAG_SUBJECT_OPENERS or t.capital(i + 1)):
        return False
    if rest[0] not in AGENT_WORDS and not t.capital(i + 1):  # ", sostiene Edi Lacorte della Fiom.": a name is a subject
        head = rest[1] if len(rest) > 1 else ""
        if not head or not (head in DOCUMENTS or head in lex.person_heads or head in lex.org_heads or head in SPOKESPERSONS or t.capital(i + 2)):
            return False
    return all(f not in FINITE_FORMS for f in t.forms[i + 1 : end]) and all(tok not in (",", ";", ":") for tok in rest)


def _quote_after_colon(t: Tokens) -> int | None:
    """Index of a ":" (outside quotes) directly followed by an opening quote, or None."""
    if ":" not in t.toks:
        return None
    for k in range(len(t.toks) - 1):
        if t.toks[k] == ":" and not t.quoted[k] and (t.toks[k + 1] in OPEN_QUOTES or t.toks[k + 1] == '"'):
            return k
    return None


def _named_before(t: Tokens, i: int) -> bool:
    """A capitalized word before token i in its clause: a subject the entity layer may have named."""
    return any(t.capital(k) for k in range(max(0, i - 4), i) if k > 0 and t.forms[k] is None)


def _employer_of_agent(t: Tokens, ments: list[Mention], g: int, ctx: Context) -> str | None:
    """The organization of a person named as agent before the verb ("guidata da Lei Jun"), from the KB parent."""
    for m in ments:
        if m.last < g and m.type == "PER" and m.first and t.toks[m.first - 1] in AGENT_WORDS:
            return (ctx.employers or {}).get(m.entity_id)
    return None


def _first_finite(t: Tokens, roles: list[str]) -> int:
    return next((i for i, f in enumerate(t.forms) if f in FINITE_FORMS and roles[i] == MAIN and not t.quoted[i]), len(t.toks))


def _impersonal_reading(t: Tokens) -> bool:
    """"si legge", "si apprende": the sentence reports what a document says."""
    low = t.low
    return any(phrase in low for phrase in IMPERSONAL_READING)


def _agent_follows(t: Tokens, i: int) -> bool:
    return any(t.toks[k] in AGENT_WORDS for k in range(i + 1, min(len(t.toks), i + 3)))


MODALS = frozenset({"volere", "potere", "dovere"})


def _negated(t: Tokens, i: int) -> bool:
    if t.toks[0] == "né" and "né" in t.toks[1:i]:
        return True  # "Né l'azienda né il governo hanno voluto commentare"
    j = i - 1
    while j >= 0 and i - j <= 4:
        if t.toks[j] == "non":
            return True
        if t.toks[j] not in VERB_GROUP and t.lemmas[j] not in MODALS:  # "non ha voluto commentare"
            return False
        j -= 1
    return False


def context_subject(ctx: Context, last_person: bool = False) -> str | None:
    """Who a dropped subject refers to: the previous sentence's speaker, else its grammatical subject; for the
    dropped subject of a verb of saying in the singular, one that is a person or organization, else the last person
    named ("L'occasione è la presentazione dei conti. «...», ricorda.": the manager the article is about)."""
    if ctx.speaker:
        return ctx.speaker
    subject = main_subject(*ctx.previous) if ctx.previous else None
    if not last_person or (subject is not None and (ctx.types or {}).get(subject) in ("PER", "ORG")):
        return subject
    return ctx.last_per


# Words of a clause that announces what follows a colon as someone's verdict ("è stato netto:", "non usa giri di parole:").
VERDICT_WORDS = frozenset(
    "netto netta chiaro chiara esplicito esplicita categorico categorica lapidario lapidaria tranchant giri termini "
    "guardia prudenza cautela allarme appello silenzio cauto cauta cauti caute scettico scettica scettici scettiche "
    "ottimista ottimisti pessimista pessimisti preoccupato preoccupata preoccupati "
    "convinto convinta convinti convinte sicuro sicura sicuri sicure "
    "critico critica critici critiche duro dura duri dure severo severa polemico polemica soddisfatto soddisfatta "
    "soddisfatti deluso delusa delusi fiducioso fiduciosa fiduciosi entusiasta positivo positiva".split()
)
VERDICT_FILLERS = frozenset({"più", "meno", "molto", "anche", "invece", "decisamente"})
# Adjectives of conviction that, after essere and before "che", make the clause its subject's view.
CONVINCED = frozenset("convinto convinta convinti convinte sicuro sicura sicuri sicure certo certa certi certe fiducioso fiduciosa fiduciosi".split())
READING_VERBS = frozenset({"legge", "leggeva"})
INSERTED_CUES = READING_VERBS | {"per"}
# Verbless openers that give the words before to whom they name: "«...». Così Ferdinando Uliano."
SO_SAID = frozenset({"così", "parola", "parole", "questa", "questo", "queste", "questi"})
# Nouns of a verbless pointer to who said the words before: "Questa la posizione di X", "Questo il parere di X".
SO_SAID_NOUNS = frozenset({"posizione", "parere", "pensiero", "linea", "tesi", "opinione", "visione", "lettura", "analisi"})
# Words that open a new subject right after "Per X" (no comma): "Per la Commissione europea l'investimento ...".
PER_NEW_SUBJECT = frozenset("il lo la l' i gli le".split())
# Descriptions of a person (the rest describe organizations): "il sindacalista", "il manager".
PERSON_DESCRIPTIONS = frozenset("sindacalista manager ministro ministra leader segretario segretaria presidente numero ceo ad economista analista esperto esperta".split())
# Adjectives of a place after an organization's name: "la Fiom lucana", "la Fim torinese", "la Uilm molisana".
PLACE_ADJECTIVE_RE = re.compile(r"^[a-zà-ù]{3,}(?:an[oaie]|es[ei]|in[oaie]|ens[ei])$")
# How far into "Per ..." the name may come when no comma follows it: "Per gli analisti di Mediobanca la reazione ...".
PER_NAME_REACH = 5
# Words that open a person's view right after "Per X" with no comma: "Per Adolfo Urso si tratta di «un passo avanti»".
PER_PERSON_VIEW = frozenset("si è sarebbe non serve servono occorre bisogna".split())


def find_speaker(
    t: Tokens, roles: list[str], phrases: list[tuple[int, int, str, str]], ments: list[Mention], lex: Lexicon, ctx: Context
) -> tuple[str | None, str | None]:
    """(speaker entity_id, how it was found) for one sentence, or (None, None) when the article itself asserts it."""
    if t.toks[:2] == ["chi", "scrive"]:
        return None, "unnamed"  # "Chi scrive ha trascorso una mattina a Mirafiori: ...": the writer of the article
    cues: list[tuple[int, int, str]] = []
    verbs, nouns = lex.reporting_verbs, lex.reporting_nouns
    has_nouns = not nouns.isdisjoint(t.lemmas)
    if has_nouns or not verbs.isdisjoint(t.lemmas):  # most sentences report nothing
        first_finite = 0  # only reporting nouns need it
        if has_nouns:
            # "si legge in una nota di Stellantis": the note's author, wherever the note is
            first_finite = len(t.toks) if _impersonal_reading(t) else _first_finite(t, roles)
        speculated = min((k for k, _, cat, _ in phrases if cat == "speculation"), default=len(t.toks))
        for i, lemma in enumerate(t.lemmas):
            if lemma in verbs:
                kind = _reporting_kind(t, i, roles, lex) or _forecast_by_name(t, i, roles, ments)
                if kind and not (roles[i] == COMPL and speculated < i):  # "Non è escluso che la procura chieda ...": the writer's guess
                    cues.append((kind in LATE_KINDS, i, kind))
            elif lemma in nouns and (i < first_finite or _after_copula(t, first_finite, i)) and not t.quoted[i]:
                cues.append((False, i, "noun"))
    for i, _, cat, _ in phrases:
        if cat == "source" and not t.quoted[i] and _opens_its_clause(t, roles, i):
            cues.append((False, i, "source"))
        elif cat == "pronoun_source" and not t.quoted[i]:
            cues.append((False, i, "pronoun_source"))
    toks = t.toks
    if ":" in toks:  # both colon cues need a ":" before a quote
        n = len(toks)
        for m in ments:
            k = m.last + 1
            if k < n and toks[k] == "(":  # "Tavares (Stellantis): «...»"
                while k < n and toks[k] != ")":
                    k += 1
                k += 1
            if k + 1 < n and toks[k] == ":" and (toks[k + 1] in OPEN_QUOTES or toks[k + 1] == '"'):
                cues.append((False, m.first, "colon"))
        tail = _colon_tail(t, ments, lex)
        if tail is not None:  # "Nessuno stabilimento chiuderà: è la rassicurazione arrivata da Stellantis."
            cues.append((False, tail, "so_said"))
        colon = _quote_after_colon(t)
        if colon is None:  # "Michele De Palma è stato netto: il piano è insufficiente": a verdict announced, then given
            k = toks.index(":")
            if not t.quoted[k] and (not VERDICT_WORDS.isdisjoint(toks[:k]) or _noun_of_saying_opens(t, lex)):
                colon = k  # "... è stato netto: ...", "L'allarme arriva da X: ..."
        if colon is not None:  # "Il ministro Urso è stato chiaro: «...»": the subject of the clause before the colon
            cues.append((True, colon, "colon_clause"))
    if "," in toks and ("è" in toks or "ecco" in toks):
        tail = _comma_tail(t, ments, lex)
        if tail is not None:  # "Nessuno stabilimento chiuderà, è la promessa del ministro Adolfo Urso."
            cues.append((False, tail, "so_said"))
    if "che" in toks and not CONVINCED.isdisjoint(toks):  # "X, economista, è convinto che ...": X's view, like a colon's
        for k in range(1, len(toks) - 1):
            if toks[k] in CONVINCED and toks[k + 1] == "che" and not t.quoted[k] and "essere" in t.lemmas[max(0, k - 3) : k]:
                cues.append((True, k + 1, "colon_clause"))
                break
    if toks and toks[0] == "per":
        cues.append((False, 0, "per"))
    elif not INSERTED_CUES.isdisjoint(toks):  # one pass over the sentence; most have none of these words
        if "per" in toks:  # "Il piano, per Michele De Palma, è insufficiente", "Più cauto X: per il sindacalista ..."
            k = toks.index("per")
            if k and toks[k - 1] in (",", ":") and not t.quoted[k]:
                cues.append((False, k, "per"))
        k = next((x for x in range(1, len(toks)) if toks[x] in READING_VERBS and toks[x - 1] == "si" and not t.quoted[x]), None)
        if k is not None:
            cues.append((True, k, "reading"))  # "«...», si legge nel comunicato": whose document
    if "quale" in toks or "quali" in toks:  # "il presidente dell'Anfia, Roberto Vavassori, per il quale ...": a source
        for k in range(1, len(toks) - 2):
            if toks[k] == "per" and _article_quale(t, k + 1) and not t.quoted[k]:
                cues.append((False, k, "source"))
    pointer = _so_said_pointer(t)
    if pointer is not None:  # "Così Ferdinando Uliano, segretario della Fim." after a quote; "«...»: così X"
        cues.append((False, pointer, "so_said"))
    agreeing = _agrees_opening(t)
    if agreeing:  # "Sulla stessa linea i delegati della Uilm, che ...", "Dello stesso avviso anche Cirio"
        cues.append((False, agreeing, "so_said"))
    cues.sort()
    dropped = unnamed = plural = False
    dropped_at = len(t.toks)
    for _, i, kind in cues:
        if dropped and roles[i] == COMPL:
            continue  # "Ha però avvertito che il governo continuerà a chiedere ...": what is said is no new speaker
        found, how = _resolve(t, ments, lex, ctx, i, kind, roles)
        if found and (ctx.types or {}).get(found, "ORG") in SPEAKER_TYPES:
            return found, how
        if how == "dropped" and kind not in LATE_KINDS:
            dropped, plural = True, plural or _plural_verb(t, i)
            dropped_at = min(dropped_at, i)
        unnamed |= how == "unnamed"
        if how == "unnamed" and kind == "source":
            break  # "Più scettici altri osservatori, secondo cui ... le posizioni di Musk": the source is nobody named
    if unnamed:
        return None, "unnamed"  # the sentence names its speaker only as "un portavoce": no entity, no continuation
    if t.has_quotes:
        tagged = _quote_tag(t, ments)
        if tagged:
            return tagged, "inverted"
        quoting = _quoting_subject(t, ments, lex, ctx, roles)
        if quoting:
            return quoting, "quoting"
    if dropped:
        subject = _subject_before_colon(t, ments, roles, lex, ctx, dropped_at)
        if subject:
            return subject, "dropped"
        subject = context_subject(ctx, last_person=not plural)
        if subject and not plural and (t.toks[0] in OPEN_QUOTES or t.toks[0] == '"' or t.quoted[0]) and not ctx.speaker and ctx.last_per and (ctx.types or {}).get(subject) == "ORG":
            # "La Commissione ha presentato il piano. «È un passo avanti», ammette.": words in quotes, a person's
            subject = ctx.last_per
        if subject:
            return subject, "dropped"
    return None, None


# Openings that give the next name the view of the one before: "Sulla stessa linea X", "Dello stesso avviso X".
AGREEING_OPENINGS = (("sulla", "stessa", "linea"), ("sulla", "stessa", "lunghezza", "d'onda"), ("dello", "stesso", "avviso"),
                     ("dello", "stesso", "parere"), ("della", "stessa", "opinione"), ("sulla", "stessa", "posizione"))
AGREEING_FILLERS = frozenset({"anche", "pure", "si", "schiera", "schierano", "è", "sono", ","})
AGREEING_FIRST = frozenset(opening[0] for opening in AGREEING_OPENINGS)


def _so_said_pointer(t: Tokens) -> int | None:
    """Index of a pointer to who said it ("Così", "Parola di", "Questa la posizione di") opening the sentence with no
    verb before a colon ("Questa la promessa del ministro: ..."), or opening the words after a quote and a colon
    ("«...»: così Adolfo Urso dopo l'incontro"), with no verb after it."""
    toks = t.toks
    if not toks or (toks[0] not in SO_SAID and "così" not in toks):
        return None  # most sentences: no pointer word at all
    if toks[0] in SO_SAID:
        colon = next((k for k in range(len(toks)) if toks[k] == ":" and not t.quoted[k]), len(toks))
        if not any(f in FINITE_FORMS for f in t.forms[:colon]) and (colon == len(toks) or toks[1] in ARTICLES or toks[1] == "la"):
            return 0
        return None
    for k in range(2, len(toks) - 1):
        if toks[k] == ":" and (toks[k - 1] in QUOTE_MARKS or t.quoted[k - 1]) and toks[k + 1] == "così":
            return k + 1 if not any(f in FINITE_FORMS for f in t.forms[k + 1 :]) else None
    return None


def _agrees_opening(t: Tokens) -> int:
    """Index of the last word of an agreeing opening, or 0: "Sulla stessa linea anche la Fiom, che ..."."""
    if not t.toks or t.toks[0] not in AGREEING_FIRST:
        return 0
    for opening in AGREEING_OPENINGS:
        n = len(opening)
        if tuple(t.toks[:n]) == opening and not t.quoted[0]:
            k = n
            while k < len(t.toks) and t.toks[k] in AGREEING_FILLERS:
                k += 1
            return k - 1
    return 0


def _subject_before_colon(t: Tokens, ments: list[Mention], roles: list[str], lex: Lexicon, ctx: Context, i: int) -> str | None:
    """The named subject of the clause before a colon, for a verb after it with its subject dropped: "Il presidente
    Lee Jae-myung non ha nascosto l'irritazione: le aziende coreane, ha avvertito, saranno ..."."""
    colon = next((k for k in range(i - 1, 0, -1) if t.toks[k] == ":" and not t.quoted[k]), None)
    if colon is None:
        return None
    verb = next((k for k in range(colon) if t.forms[k] in FINITE_FORMS and roles[k] == MAIN and not t.quoted[k]), None)
    if verb is None:
        return None
    cands = [m for m in subject_before(t, ments, verb_group_start(t, verb))[0] if m.type in ("PER", "ORG")]
    return _speaker_of(t, cands, lex, ctx) if cands else None


DESCRIPTION_WORDS = 5


def _description_end(t: Tokens, k: int) -> int | None:
    """Index of the word ending a description's modifiers from k ("delle case automobilistiche estere"): a comma, an
    article opening the clause, or a verb; None when it runs on over DESCRIPTION_WORDS words or meets a quote."""
    for x in range(k, min(len(t.toks), k + DESCRIPTION_WORDS + 1)):
        if t.quoted[x] or t.capital(x):
            return None
        if t.toks[x] in CLAUSE_PUNCT or t.toks[x] in PER_NEW_SUBJECT or t.forms[x] is not None:
            return x
    return None


def _plural_verb(t: Tokens, i: int) -> bool:
    """The finite verb of token i's group is a third person plural ("hanno tenuto a precisare", "spiegano")."""
    start = max(0, i - 4) if t.forms[i] == "inf" else verb_group_start(t, i)  # "hanno tenuto a precisare"
    return any(t.forms[k] in FINITE_FORMS and t.toks[k].endswith("no") for k in range(start, i + 1))


# Words a quoted fragment needs to be someone's words rather than a name ("la «Model Y Juniper»").
QUOTED_WORDS = 3


def _quoting_subject(t: Tokens, ments: list[Mention], lex: Lexicon, ctx: Context, roles: list[str]) -> str | None:
    """The named subject of the main clause when its words are quoted after the verb with no verb of saying:
    "Elkann ha ringraziato il manager per «gli anni di dedizione»" (his words), not "la «Model Y Juniper»"."""
    v = _first_finite(t, roles)
    if v >= len(t.toks) or not any(t.quoted[v + 1 :]):
        return None
    quoted = [k for k in range(v + 1, len(t.toks)) if t.quoted[k] and t.toks[k][:1].isalpha()]
    if len(quoted) < QUOTED_WORDS or all(t.capital(k) for k in quoted):
        return None
    return _main_clause_subject(t, ments, lex, ctx, roles)


# Nouns of saying that close a sentence after its colon: "...: è l'allarme lanciato da X".
TAIL_NOUNS = frozenset("allarme rassicurazione denuncia richiesta promessa accusa verdetto sintesi convinzione tesi linea".split())
# Lowercase words a quote's tag may put between its verb and the person: "ha tagliato corto", "è la replica di".
TAG_GAP_WORDS = 6
TAG_ENDS = frozenset({".", ",", ";", "!", "…"}) | QUOTE_MARKS


def _quote_tag(t: Tokens, ments: list[Mention]) -> str | None:
    """The person named by the tag after a closing quote when its verb is no reporting verb: "«...», ha tagliato corto
    Carlos Tavares.", "«...», sorride Tavares", "«...», è la replica di Tavares". The tag is a verb right after the quote
    and its comma, at most a few lowercase words, then the person, then the end of the sentence or of the tag."""
    toks, n = t.toks, len(t.toks)
    persons = {m.first: m for m in ments if m.type in ("PER", "ORG")}
    places = {m.first: m for m in ments if m.type == "LOC"}
    for c in range(1, n - 2):
        if not (toks[c] in QUOTE_MARKS and t.quoted[c - 1] and not t.quoted[c + 1] and toks[c + 1] in (",", "–", "—", "-")):
            continue
        k, verb = c + 2, False
        while k < n and (t.forms[k] is not None or toks[k] in VERB_GROUP) and not (verb and toks[k] in ARTICLES):
            verb |= t.forms[k] in FINITE_FORMS or t.forms[k] == "part"
            k += 1
        if not verb:
            continue
        for x in range(k, min(n, k + 1 + TAG_GAP_WORDS)):
            m = persons.get(x)
            if m is not None:
                while m.last + 1 in persons:  # "del ministro Adolfo Urso": the role, then the name
                    m = persons[m.last + 1]
                after = m.last + 1
                while after in places:  # "la Uilm Basilicata", "la Fiom di Torino": the branch's place
                    after = places[after].last + 1
                if after + 1 < n and toks[after] in ("di", "del") and after + 1 in places:
                    after = places[after + 1].last + 1
                if after >= n or toks[after] in TAG_ENDS:
                    return m.entity_id
                break
            if t.quoted[x] or not toks[x].isalpha() and toks[x] not in ARTICLES or t.capital(x) or t.forms[x] in FINITE_FORMS:
                break
    return None


def _resolve(t: Tokens, ments: list[Mention], lex: Lexicon, ctx: Context, i: int, kind: str, roles: list[str]) -> tuple[str | None, str | None]:
    if kind in ("verb", "sub"):
        return _resolve_verb(t, ments, lex, ctx, i, roles)
    if kind == "cleft":  # "A rivelarlo è stato il Financial Times": the subject after essere
        k = i + 1
        if k < len(t.toks) and t.toks[k] == ",":  # "Ad annunciarlo, il 20 maggio, è stato ...": over the insertion
            k = next((x + 1 for x in range(k + 1, min(len(t.toks), k + 8)) if t.toks[x] == ","), k)
        while k < len(t.toks) and t.lemmas[k] == "essere":
            k += 1
        found = mentions_forward(t, ments, k, lex.role_words)
        if not found:  # "A garantirlo è il numero uno del gruppo, François Provost"
            h = next((x for x in range(k, min(len(t.toks), k + 4)) if t.toks[x] in lex.person_heads), None)
            named = _apposed_after(t, ments, h) if h is not None else None
            return (named.entity_id if named is not None else None), "inverted"
        # "A spiegarlo è stato l'amministratore delegato di Acc, Yann Vincent": the person named after the role
        return _apposed_person(t, ments, found) or _speaker_of(t, found, lex, ctx), "inverted"
    if kind == "rel":
        return _resolve_relative(t, ments, lex, ctx, i, roles)
    if kind == "noun":
        first = _first_finite(t, roles)
        if i < first or _after_copula(t, first, i) or _impersonal_reading(t):  # "Durissimo il commento di Cutrì: ...", "si legge in una nota di Ford"
            k = i + 1
            while k < len(t.toks) and k <= i + 3 and t.toks[k] not in OF_WORDS and t.toks[k] not in AGENT_WORDS and t.forms[k] in (None, "part"):
                k += 1
            if k < len(t.toks) and (t.toks[k] in OF_WORDS or t.toks[k] in AGENT_WORDS):
                found = [m for m in mentions_forward(t, ments, k + 1, lex.role_words, limit=4) if m.type != "LOC"]
                if found:
                    return _speaker_of(t, found, lex, ctx), "noun"
                head = _head_after(t, k + 1, lex, ctx)
                if head:  # "si legge nella nota della casa": the organization the description refers to
                    return epithet_entity(head, lex, ctx), "noun"
            elif _impersonal_reading(t) and t.toks[i] in DOCUMENTS:  # "«...», si legge nel documento": the one before's
                return _document_owner(t, ments, i, lex, ctx), "noun"
            if _frames_clause(t, i):  # "In una lettera al governo, il manager ha chiesto ...": the main clause's subject
                found = _main_clause_subject(t, ments, lex, ctx, roles)
                if found:
                    return found, "subject"
        return _agent_after(t, ments, i, lex, ctx), "agent"
    if kind == "source":
        return _resolve_source(t, ments, lex, ctx, i, roles)
    if kind == "colon":
        m = next(x for x in ments if x.first == i)
        if m.first and (t.toks[m.first - 1] in OF_WORDS or t.toks[m.first - 1] in SETTING_PREPOSITIONS):
            # "John Elkann ai microfoni di Sky TG24: «...»": the person before the setting, not the broadcaster
            before = next((x for x in reversed(ments) if x.last < m.first - 1 and x.type in ("PER", "ORG")), None)
            if before is not None and all(t.forms[k] not in FINITE_FORMS and t.toks[k] not in CLAUSE_PUNCT and not t.quoted[k] for k in range(before.last + 1, m.first)):
                return before.entity_id, "colon"
        if m.type == "ORG" and led_by_role(t, m, lex):  # "Più cauto X, numero uno della Fiom: «...»": X, not the Fiom
            head = next((x for x in reversed(ments) if x.last < m.first and x.type == "PER"), None)
            if head is not None and all(t.toks[k] not in (";", ":") and not t.quoted[k] for k in range(head.last, m.first)):
                return head.entity_id, "colon"
        return (m.entity_id if m.type != "LOC" else None), "colon"
    if kind == "colon_clause":
        verb = next((k for k in range(i) if t.forms[k] in FINITE_FORMS and not t.quoted[k]), None)
        if verb is None:  # "X non usa giri di parole: ..." with the verb misread: the name opening the sentence
            first = next((m for m in ments if m.first == 0 and m.type in ("PER", "ORG")), None)
            if first is None and t.toks[0] in VERDICT_WORDS:  # "Ottimista il ministro Adolfo Urso: ...", "Critica la Fiom: ..."
                first = next((m for m in ments if m.last < i and m.type in ("PER", "ORG") and all(
                    t.toks[x] in ARTICLES or t.toks[x] in lex.role_words or t.toks[x] in VERDICT_WORDS or t.toks[x] in VERDICT_FILLERS
                    for x in range(1, m.first))), None)
            return (first.entity_id if first is not None and not VERDICT_WORDS.isdisjoint(t.toks[:i]) else None), "colon"
        if verb is not None:
            cands, has_np = subject_before(t, ments, verb_group_start(t, verb))
            cands = [m for m in cands if m.type in ("PER", "ORG")]
            if cands:
                return _speaker_of(t, cands, lex, ctx), "colon"
            inverted = next((m for m in ments if verb < m.first < i and m.type in ("PER", "ORG")), None)
            if inverted is not None and all(
                t.toks[k] in VERB_GROUP or t.toks[k] in VERDICT_WORDS or t.forms[k] == "part" or t.toks[k] in AGENT_WORDS
                for k in range(verb + 1, inverted.first)
            ):  # "Ne è convinta Giulia Ferraresi, economista: ...", "L'allarme arriva da X: ..."
                return inverted.entity_id, "colon"
            if not has_np:  # "Dopo l'annuncio è andata oltre: «...»": the subject dropped from before
                return context_subject(ctx), "colon"
        return None, None
    if kind == "pronoun_source":  # "A suo dire, ...": the one the sentence before was about
        first = _first_finite(t, roles)
        if first < i:  # "La Commissione ha giustificato le misure con sussidi che, a suo dire, ...": this sentence's subject
            subject = main_subject(t, roles, ments)
            if subject:
                return subject, "subject"
        return context_subject(ctx), "dropped"
    if kind == "reading":
        doc = next((k for k in range(i + 1, min(len(t.toks), i + 5)) if t.toks[k] in DOCUMENTS), None)
        if doc is None:  # "Nel comunicato si legge che ...": the document before
            doc = next((k for k in range(i - 2, max(-1, i - 6), -1) if t.toks[k] in DOCUMENTS), None)
        return (_document_owner(t, ments, doc, lex, ctx) if doc is not None else None), "noun"
    if kind == "so_said":  # "Così X", "Parola del ministro X", "Questa la posizione di X"
        # from the word after the pointer; over participles and "da" in a colon's tail ("è l'allarme lanciato da X")
        participles = {t.toks[x] for x in range(i + 1, len(t.toks)) if t.forms[x] == "part"}
        skip = lex.role_words | OF_WORDS | ARTICLES | lex.reporting_nouns | SO_SAID_NOUNS | TAIL_NOUNS | AGENT_WORDS
        found = mentions_forward(t, ments, i + 1, skip | participles if i else skip, limit=6)
        if found and not t.capital(found[0].first):  # "l'assessora alle Attività produttive Tiziana Magnacca": the name
            named = _named_after_head(t, ments, found[0].last, ROLE_NAME_REACH, ("PER",), written=True)
            if named:
                return named, "inverted"
        return (_speaker_of(t, found, lex, ctx) if found else None), "inverted"
    if kind == "per":
        if i + 1 < len(t.toks) and t.forms[i + 1] == "inf":
            return None, None  # "Per ridurre l'esposizione ai dazi, Polestar produce ...": a purpose, no source
        if i + 2 < len(t.toks) and t.toks[i + 2] in lex.person_heads:
            named = _named_before_colon(t, ments, i, i + 1)
            if named:  # "Più duro X, della Fiom: per il sindacalista ...": X, whoever the entity layer linked
                return named, "per"
            named = _named_after_head(t, ments, i + 2, ROLE_NAME_REACH, ("PER",), written=True)
            if named and (i == 0 or t.toks[i - 1] in (":", ";")):  # "Per il ministro degli Esteri ungherese Péter Szijjártó, ..."
                return named, "per"
        found = mentions_forward(t, ments, i + 1, lex.role_words, limit=5)
        described = i + 4 < len(t.toks) and t.forms[i + 3] is None and t.toks[i + 3].isalpha() and t.toks[i + 4] == ","
        if not found and i + 3 < len(t.toks) and t.toks[i + 1] in ARTICLES and t.toks[i + 2] in lex.person_heads and (
            t.toks[i + 3] == "," or t.toks[i + 3] in PER_NEW_SUBJECT or described
        ):  # "Per il sindacalista, il piano è insufficiente", "Per il governatore lucano, i nuovi modelli ..."
            return epithet_entity(t.toks[i + 2], lex, ctx), "per"
        if not found and i + 2 < len(t.toks) and t.toks[i + 1] in ARTICLES and (t.toks[i + 2] in lex.institution_heads or t.toks[i + 2] in lex.org_heads):
            end = _description_end(t, i + 3)
            if end is not None and (t.toks[end] == "," or (t.toks[end] in PER_NEW_SUBJECT and (i == 0 or t.toks[i - 1] in (":", ";")))):
                # "Per il governo, però, ...", "Per l'organizzazione ambientalista la revisione ..."
                return epithet_entity(t.toks[i + 2], lex, ctx), "per"
        # "Per il ceo Ola Källenius la Cina resta ...": the walk over role words runs on into the clause ("la Cina")
        cut = next((n for n, x in enumerate(found) if n and t.toks[x.first - 1] in PER_NEW_SUBJECT), len(found))
        found = found[:cut]
        if found and t.toks[i + 1] in ARTICLES:  # a role of the organization or place named: its person after the comma
            named = _apposed_person(t, ments, found)
            if named is not None:  # "Per il numero uno di Wolfsburg, Oliver Blume, la joint venture è ..."
                return named, "per"
        m = choose(found)
        opens = i == 0 or t.toks[i - 1] in (":", ";")  # "Per X ..." opening the sentence or the clause after a colon
        if m and m.type in ("PER", "ORG"):
            k = max(x.last for x in found) + 1
            if k < len(t.toks) and t.toks[k] == "(":  # "Per Mario Rossi (Fiom), ..."
                while k < len(t.toks) and t.toks[k] != ")":
                    k += 1
            while k < len(t.toks) and t.toks[k] == ")":
                k += 1
            if k + 1 < len(t.toks) and PLACE_ADJECTIVE_RE.search(t.toks[k]) and t.toks[k + 1] in PER_NEW_SUBJECT:
                k += 1  # "Per la Fiom lucana la strada è obbligata": the branch's region
            if k < len(t.toks) and (
                t.toks[k] == ","
                or (t.toks[k] in PER_NEW_SUBJECT and m.first <= i + PER_NAME_REACH and opens)
                or (t.toks[k] in PER_PERSON_VIEW and m.type == "PER" and opens)
            ):
                # "Per X, ..." and "Per la Commissione europea l'investimento rafforzerà": X's view
                return _speaker_of(t, found, lex, ctx), "per"
    return None, None


def _resolve_verb(t: Tokens, ments: list[Mention], lex: Lexicon, ctx: Context, i: int, roles: list[str]) -> tuple[str | None, str | None]:
    form = t.forms[i]
    aux = _aux_before(t, i) if form == "part" else None
    if _is_passive(t, i, aux):
        return _agent_after(t, ments, i, lex, ctx), "agent"
    g = verb_group_start(t, i)
    if form == "inf":  # "si è limitata a spiegare", "ha voluto precisare": the subject of the governing verb
        g = i - 1
        while g > 0 and (t.toks[g - 1] in ("a", "di") or t.forms[g - 1] is not None or t.toks[g - 1] in VERB_GROUP):
            g -= 1
    if form == "ger" and g > 0:
        if _unnamed_clause_subject(t, ments, g, roles):
            return None, None  # "alcuni comitati contestano il progetto, denunciando ...": nobody named
        subject = main_subject(t, roles, ments)
        if subject:
            return subject, "subject"  # ", sostenendo che ...": a gerund shares the subject of the main clause
    # "Il servizio ... dovrebbe arrivare entro il 2026, ha promesso l'amministratore delegato": a tag after the words
    cands, has_np = ([], False) if _tag_after_clause(t, ments, i, g, lex, roles) else subject_before(t, ments, g)
    if cands:  # "De Meo, che fino a dicembre ha presieduto l'Acea, l'associazione ..., aveva avvertito": not the Acea
        head = _head_of_relative(t, ments, roles, min(m.first for m in cands))
        if head is not None:
            cands = [head]
    if not cands and _nobody_before(t, g):
        return None, "unnamed"  # "ma nessuna delle due parti lo ha confermato": no one confirmed it
    if cands and all(m.type == "ORG" for m in cands):
        employer = _employer_of_agent(t, ments, g, ctx)
        if employer:  # "Il gruppo guidato da Roberto Cingolani ha spiegato": his company, not the article's topic
            return employer, "epithet"
    if cands and any(m.type == "LOC" for m in cands):
        # "In Italia i sindacati chiedono ...": a place after a preposition is where, not who
        kept = [m for m in cands if not (m.type == "LOC" and m.first and t.toks[m.first - 1] in PLACE_PREPOSITIONS)]
        has_np |= len(kept) < len(cands)
        cands = kept
    if not cands and len(t.toks) > 2 and t.toks[0] in ARTICLES and t.toks[1] in DOCUMENTS and roles[i] == MAIN:
        if not (t.toks[2] in OF_WORDS or t.toks[2] in AGENT_WORDS) or not any(m.first <= 4 for m in ments):
            return _document_owner(t, ments, 1, lex, ctx), "source"  # "Il comunicato diffuso domenica parla di ..."
    sources = _sources_before(t, g)
    if sources is not None:  # "Fonti vicine a Continental hanno ...", "Fonti sindacali hanno ...": whose sources
        return _sources_of(t, ments, sources + 1, g, lex, ctx)
    if not cands and t.toks and t.toks[0] in AGENT_WORDS and t.forms[i] in FINITE_FORMS:
        fronted = next((m for m in ments if m.first in (1, 2) and m.last + 1 == g and m.type == "ORG"), None)
        if fronted is not None:  # "Da Stellantis fanno sapere che ...": the source put first
            return fronted.entity_id, "source"
        if not t.capital(1) and all(m.type == "LOC" for m in ments if m.first < g):
            # "Dal ministero replicano che ...", "Dal dicastero di via Veneto fanno sapere": the one so described
            return (epithet_entity(t.toks[1], lex, ctx) if _is_head(t.toks[1], lex, ctx) else None), "unnamed"
    if not cands:
        employer = _employer_of_agent(t, ments, g, ctx)
        if employer:  # "L'azienda guidata da Lei Jun ha dichiarato ...": the company he leads
            return employer, "epithet"
    if cands and all(m.type == "LOC" for m in cands):
        head = description_subject(t, g, lex, ctx)
        if head:  # "il gruppo di Yokohama": an organization described by its city
            return head, "epithet"
        if all(_place_complement(t, m) for m in cands):
            return None, None  # "la motorizzazione della California ha sospeso ...": the office speaks, not the place
    if cands:
        return _speaker_of(t, cands, lex, ctx), "subject"
    if not has_np and g and t.toks[g - 1] in ("e", "ed", "ma") and roles[i] == MAIN:
        first = _first_finite(t, roles)
        if first < g - 1:  # "La versione d'ingresso monta ... e promette 835 km": the subject of the first verb
            before, np_first = subject_before(t, ments, verb_group_start(t, first))
            before = [m for m in before if m.type in ("PER", "ORG")]
            if before:
                return _speaker_of(t, before, lex, ctx), "subject"
            if np_first:  # "L'azienda non ha fornito numeri, ma precisa che ...": the description, else nobody
                return description_subject(t, verb_group_start(t, first), lex, ctx), "subject"
    if not has_np and form == "ger" and g > 0:
        return None, None  # ", citando una delle massime di Enzo Ferrari": a gerund's object is nobody's voice
    if not has_np:
        person = _surname_before(t, g, ctx)
        if person:  # "Wang, da parte sua, ha parlato di ...", "Minto ha precisato": a surname the entity layer did not link
            return person, "subject"
        if inverted_ok(t, g):
            after = _past_setting(t, ments, _past_needed_word(t, i, lex), lex)
            if after < len(t.toks) and t.toks[after] in SOURCE_NOUNS:  # "hanno riferito fonti sindacali"
                return _sources_of(t, ments, after + 1, len(t.toks), lex, ctx)
            doc = after + (after < len(t.toks) and (t.toks[after] in ARTICLES or t.toks[after] in INDEFINITE))
            if doc < len(t.toks) and t.toks[doc] in DOCUMENTS:  # ", precisa una nota del gruppo"
                return _document_owner(t, ments, doc, lex, ctx), "source"
            if after < len(t.toks) and t.toks[after] in AGENT_WORDS and t.forms[i] in FINITE_FORMS:  # ", assicurano dal gruppo"
                found = [m for m in mentions_forward(t, ments, after + 1, lex.role_words, limit=4) if m.type != "LOC"]
                if found:
                    return _speaker_of(t, found, lex, ctx), "inverted"
                head = _head_after(t, after + 1, lex, ctx)
                if head:
                    return epithet_entity(head, lex, ctx), "inverted"
            found = mentions_forward(t, ments, after, lex.role_words | INVERTED_GAP)
            if found:
                named = _apposed_person(t, ments, found)
                if named is not None:  # "ha spiegato il presidente di Ford Europa, Martin Sander"
                    return named, "inverted"
                return _speaker_of(t, found, lex, ctx), "inverted"
            stop = next((k for k in range(after, min(len(t.toks), after + 5)) if t.toks[k] in CLAUSE_PUNCT or t.toks[k] in CONTENT_WORDS or t.forms[k] in ("ger", "inf")), after + 5)
            # ", invitando l'esecutivo a ...": what follows a gerund is its object, not its subject
            h = None if form == "ger" else next((k for k in range(after, min(len(t.toks), stop)) if _is_head(t.toks[k], lex, ctx)), None)
            if h is not None and t.toks[h - 1] in INDEFINITE:
                of = h + 1 < len(t.toks) and t.toks[h + 1] in OF_WORDS
                org = next((m for m in ments if of and m.first == h + 2 and m.type == "ORG"), None)
                if org is not None and t.toks[h] in SPOKESPERSONS:
                    return org.entity_id, "inverted"  # "ha ribadito un portavoce di Xiaomi": the company speaks
                if of and t.toks[h] in SPOKESPERSONS and h + 2 < len(t.toks) and t.toks[h + 2] in lex.org_heads:
                    return epithet_entity(t.toks[h + 2], lex, ctx), "inverted"  # "un portavoce della casa"
                return None, "unnamed"  # "ha confermato un portavoce": someone unnamed, not the previous subject
            if after < len(t.toks) and (t.toks[after] in INDEFINITE or t.toks[after] in QUANTIFIERS or t.toks[after] == "chi") and not t.quoted[after]:
                return None, "unnamed"  # "commenta un gestore di un fondo", "osservano alcuni analisti": nobody named
            if after < len(t.toks) and t.capital(after) and t.forms[after] is None and not t.quoted[after]:
                # "ha aggiunto Hallmark": a surname the entity layer did not link is the person of the article so named;
                # any other name it missed is still not the last subject
                last = after
                while last + 1 < len(t.toks) and t.capital(last + 1) and t.forms[last + 1] is None:
                    last += 1  # "assicura De Palma": the surname is the last capitalized word
                person = (ctx.surnames or {}).get(t.toks[last]) or (ctx.surnames or {}).get(t.toks[after])
                return (person, "inverted") if person else (None, "unnamed")
            if h is not None:
                # "ha annunciato il country manager Alfredo Altavilla": the name a few words after the role
                # "la vicepremier e ministra dell'Energia e dell'Industria Ebba Busch": over the whole title
                apposed = _apposed_after(t, ments, h)
                named = _named_after_head(t, ments, h, TITLE_REACH, ("PER",)) or (apposed.entity_id if apposed is not None else None)
                if named is not None:
                    return named, "inverted"
                return epithet_entity(t.toks[h], lex, ctx), "epithet"
        return None, "dropped"
    return description_subject(t, g, lex, ctx, ments), "epithet"


def _surname_before(t: Tokens, g: int, ctx: Context) -> str | None:
    """The person of the article whose surname opens the sentence as the verb's subject, maybe over an insertion
    between commas ("Wang, da parte sua, ha parlato"), when the entity layer linked no mention there."""
    j = g - 1
    if j >= 1 and t.toks[j] == ",":
        j = next((x - 1 for x in range(j - 1, max(0, j - 6), -1) if t.toks[x] == ","), j)
    if j != 0 or not t.capital(0) or t.forms[0] is not None or t.quoted[0]:
        return None
    return (ctx.surnames or {}).get(t.toks[0])


NOBODY = frozenset({"nessuno", "nessuna", "nessun", "nessun'", "qualche"})


def _nobody_before(t: Tokens, g: int) -> bool:
    """"nessuno", "qualche" or "più di un" opening the subject of the verb group at g, in its own clause: nobody
    named ("ma nessuna delle due parti lo ha confermato", "Più di un analista ha fatto notare")."""
    for k in range(g - 1, max(-1, g - 6), -1):
        if t.toks[k] in CLAUSE_PUNCT or t.quoted[k]:
            return False
        if t.toks[k] in NOBODY or (t.toks[k] in INDEFINITE and k >= 2 and t.toks[k - 2 : k] == ["più", "di"]):
            return True
    return False


def _tag_after_clause(t: Tokens, ments: list[Mention], i: int, g: int, lex: Lexicon, roles: list[str]) -> bool:
    """Reporting verb i after a comma that closes a whole clause with its own finite verb, and followed by its subject
    (a description or a name) up to the next comma or the end: ", ha ripetuto il manager, con un prezzo ...". The
    subject is after the verb, however many commas the words said had."""
    if g < 2 or t.toks[g - 1] != "," or t.forms[i] not in ("fin", "part") or t.quoted[g - 1]:
        return False
    if not any(t.forms[k] in FINITE_FORMS and roles[k] == MAIN and not t.quoted[k] for k in range(g - 1)):
        return False
    k = i + 1
    if k < len(t.toks) and t.toks[k] in ARTICLES:
        k += 1
    if k >= len(t.toks):
        return False
    named = any(m.first in (i + 1, k) and m.type in ("PER", "ORG") for m in ments)
    if not (named or t.toks[k] in lex.person_heads or t.toks[k] in SPOKESPERSONS):
        return False
    end = next((x for x in range(k, len(t.toks)) if t.toks[x] in (",", ";", ":", ".")), len(t.toks))
    return end - k <= CLOSING_TAG_WORDS and all(t.forms[x] not in FINITE_FORMS for x in range(k, end))


def _unnamed_clause_subject(t: Tokens, ments: list[Mention], g: int, roles: list[str]) -> bool:
    """The finite verb of the clause before gerund g has a subject that names no entity ("alcuni comitati di
    residenti contestano ..., denunciando")."""
    v = next((k for k in range(g - 1, -1, -1) if t.forms[k] in FINITE_FORMS and roles[k] == MAIN and not t.quoted[k]), None)
    if v is None:
        return False
    cands, has_np = subject_before(t, ments, verb_group_start(t, v))
    named = [m for m in cands if not (m.type == "LOC" and (_place_setting(t, m) or _place_complement(t, m)))]
    return not named and (has_np or len(named) < len(cands))


def _place_setting(t: Tokens, m: Mention) -> bool:
    """A place after a preposition: where ("a Debrecen"), not who."""
    return m.first > 0 and t.toks[m.first - 1] in PLACE_PREPOSITIONS


def _place_complement(t: Tokens, m: Mention) -> bool:
    """A place completing a common noun ("la motorizzazione della California"): the noun's, not a speaker."""
    return m.first >= 2 and t.toks[m.first - 1] in OF_WORDS and t.forms[m.first - 2] is None and t.toks[m.first - 2] not in CLAUSE_PUNCT


def _sources_before(t: Tokens, g: int) -> int | None:
    """Index of "fonti"/"fonte" heading the subject of the verb group at g ("Fonti vicine al dossier hanno ..."),
    or None."""
    for j in range(g - 1, max(-1, g - SOURCES_REACH), -1):
        tok = t.toks[j]
        if t.quoted[j] or tok in CLAUSE_PUNCT:
            return None
        if tok in SOURCE_NOUNS:
            return j if j == 0 or t.toks[j - 1] not in PLACE_PREPOSITIONS | {"secondo", "di", "per"} else None
    return None


def _sources_of(t: Tokens, ments: list[Mention], k: int, end: int, lex: Lexicon, ctx: Context) -> tuple[str | None, str | None]:
    """Whose sources: the entity named after "fonti" ("fonti vicine a Continental", "fonti del gruppo" described),
    or nobody ("fonti sindacali", "fonti anonime")."""
    found = [m for m in mentions_forward(t, ments, k, SOURCE_SKIP | lex.role_words, limit=5) if m.first < end and m.type != "LOC"]
    if found:
        return _speaker_of(t, found, lex, ctx), "source"
    if k < end and t.toks[k] in COMPANY_SOURCES:  # "Fonti aziendali hanno assicurato": the company of the article
        return epithet_entity(COMPANY_HEAD, lex, ctx), "source"
    for x in range(k, min(end, k + 4)):
        if (t.toks[x] in lex.org_heads or t.toks[x] in lex.person_heads) and t.toks[x - 1] in OF_WORDS | SOURCE_SKIP:
            return epithet_entity(t.toks[x], lex, ctx), "source"
    return None, "unnamed"


# A reporting tag closing a sentence: at most this many tokens after the verb, the first of them one of these.
CLOSING_TAG_WORDS = 8
TAG_SUBJECT_OPENERS = frozenset("il lo la l' i gli le un una uno un' da dal dalla dallo dall' dai dagli dalle".split())


def _document_owner(t: Tokens, ments: list[Mention], k: int, lex: Lexicon, ctx: Context) -> str | None:
    """Whose document token k names ("una nota del gruppo", "il comunicato di Ford", "il prospetto"): the entity
    after "di", else the previous sentence's speaker or subject, else the company the article is about."""
    if k + 2 < len(t.toks) and t.forms[k + 1] == "part" and t.toks[k + 2] in AGENT_WORDS:
        k += 1  # "il documento consegnato dall'azienda": the agent of its participle
    if k + 1 < len(t.toks) and (t.toks[k + 1] in OF_WORDS or t.toks[k + 1] in AGENT_WORDS):
        found = [m for m in mentions_forward(t, ments, k + 2, lex.role_words, limit=4) if m.type != "LOC"]
        if found:
            return _speaker_of(t, found, lex, ctx)
        head = _head_after(t, k + 2, lex, ctx)
        return epithet_entity(head, lex, ctx) if head else None
    types = ctx.types or {}
    for owner in (ctx.speaker, main_subject(*ctx.previous) if ctx.previous else None):
        if types.get(owner) in ("ORG", "PER"):
            return owner
    return epithet_entity(COMPANY_HEAD, lex, ctx)


# How many tokens of a setting may stand between a relative "che" and its verb.
RELATIVE_SETTING = 6
COORDINATED_RELATIVE = 14
# Prepositions of a setting between a verb and its inverted subject: "Lo ha scritto su Weibo il fondatore Lei Jun".
SETTING_PREPOSITIONS = frozenset("su sul sulla a ad al allo alla all' ai agli alle in nel nella durante".split())


def _past_needed_word(t: Tokens, i: int, lex: Lexicon) -> int:
    """Index after the verb and the word its reporting sense needs, when that word comes first: "Fa notare Carlos
    Tavares che ...", "fa sapere il ministero"."""
    k = i + 1
    if k < len(t.toks) and t.forms[k] == "inf" and t.toks[k] in lex.reporting_needs_next.get(t.lemmas[i], ()):
        return k + 1
    return k


def _past_setting(t: Tokens, ments: list[Mention], k: int, lex: Lexicon) -> int:
    """Token index after "su Weibo" / "a Pechino" when a named setting comes right after the verb, else k."""
    if k >= len(t.toks) or t.toks[k] not in SETTING_PREPOSITIONS:
        return k
    if k + 1 < len(t.toks) and t.toks[k + 1] == "margine":
        return _past_sideline(t, ments, k + 2, lex)
    j = k + 1 + (k + 1 < len(t.toks) and t.toks[k + 1] in ARTICLES)
    m = next((m for m in ments if m.first == j), None)
    if m is not None and m.last + 1 < len(t.toks) and (t.toks[m.last + 1] in INDEFINITE or t.toks[m.last + 1] in QUANTIFIERS):
        return m.last + 1  # "ha spiegato a Reuters un portavoce": the unnamed subject after the setting
    if m is None:
        return _past_unnamed_setting(t, ments, j, k)
    if not any(x.first > m.last for x in ments):
        return k  # no name after the setting: the setting's own name may be the speaker ("ha detto a Reuters")
    return m.last + 1


UNNAMED_SETTING_WORDS = 3


def _past_sideline(t: Tokens, ments: list[Mention], k: int, lex: Lexicon) -> int:
    """After "a margine di un incontro con i concessionari": the first name or person description, else the clause's
    end (the speaker then is the one the sentences before were about, not "un incontro")."""
    persons = {m.first for m in ments if m.type == "PER"}
    for x in range(k, len(t.toks)):
        if t.toks[x] in CLAUSE_PUNCT or t.quoted[x] or x in persons:
            return x
        if t.toks[x] in ARTICLES and x + 1 < len(t.toks) and (t.toks[x + 1] in lex.person_heads or t.toks[x + 1] in SPOKESPERSONS):
            return x
    return len(t.toks)


def _past_unnamed_setting(t: Tokens, ments: list[Mention], j: int, k: int) -> int:
    """"spiega a questo giornale Giulia Ferraresi", "ha detto ai cronisti il ministro": a setting of a few lowercase
    words with no name, then the person who speaks; k (no skip) when no person follows right after."""
    persons = {m.first for m in ments if m.type == "PER"}
    for x in range(j, min(len(t.toks), j + UNNAMED_SETTING_WORDS + 1)):
        if x in persons or (x > j and t.toks[x] in ARTICLES):
            return x if x > j else k
        tok = t.toks[x]
        if t.quoted[x] or not tok.isalpha() or t.capital(x) or t.forms[x] is not None:
            return k
    return k


def _resolve_relative(t: Tokens, ments: list[Mention], lex: Lexicon, ctx: Context, i: int, roles: list[str]) -> tuple[str | None, str | None]:
    """", che ha parlato di ...": the entity the relative pronoun points back to; "una nota in cui nega": the main subject."""
    g = verb_group_start(t, i)
    j = g - 1
    if j >= 1 and t.toks[j] == "cui" and t.toks[j - 1] in ("in", "nella", "nel") and j >= 2 and t.lemmas[j - 2] in lex.reporting_nouns:
        return main_subject(t, roles, ments), "relative"
    if j >= 2 and t.toks[j] != "che":  # ", che su X aveva chiesto", ", che ieri in una nota ha precisato": over the setting
        j = next((x for x in range(j - 1, max(0, j - RELATIVE_SETTING), -1) if t.toks[x] == "che" or t.toks[x] in CLAUSE_PUNCT), j)
        if t.toks[j] != "che" or not (t.toks[j + 1] in SETTING_PREPOSITIONS or t.toks[j + 1] in VERB_GROUP or t.toks[j + 1] in ARTICLES):
            j = g - 1
    if j >= 1 and t.toks[j] in ("e", "ed"):  # ", che mantengono una raccomandazione ... e ritengono che": the first relative's
        j = next((x for x in range(j - 1, max(0, j - COORDINATED_RELATIVE), -1) if t.toks[x] == "che" and roles[x] == REL or t.toks[x] in (";", ":")), j)
    if j >= 1 and t.toks[j] == "quale" and t.toks[j - 1] in ("il", "la"):  # ", il quale ha spiegato"
        j -= 1
    elif j < 0 or t.toks[j] != "che":
        return None, None
    elif j + 1 < g and t.toks[j + 1] in ARTICLES:
        # "Una cifra che l'associazione aveva definito «insostenibile»", "la linea che il numero uno di Maranello
        # ribadisce": the relative has a subject of its own, who speaks
        own = [m for m in ments if j < m.first and m.last < g and m.type in ("PER", "ORG")]
        if own:
            return _speaker_of(t, own, lex, ctx), "relative"
        return description_subject(t, g, lex, ctx, ments), "relative"
    k = j - 1 if j >= 1 and t.toks[j - 1] == "," else j
    before = [m for m in ments if m.last < k]
    if before and before[-1].last == k - 1:
        chunk_start = max((x for x in range(k) if t.toks[x] in (";", ":", ".")), default=-1)
        return _speaker_of(t, [m for m in before if m.first > chunk_start], lex, ctx), "relative"
    return None, None


DOCUMENT_REACH = 5
RELATIVE_ARTICLES = frozenset({"il", "la", "i", "le"})
DOCUMENT_PREPOSITIONS = frozenset({"nel", "nella", "in", "sul", "sulla"})


def _resolve_source(t: Tokens, ments: list[Mention], lex: Lexicon, ctx: Context, i: int, roles: list[str]) -> tuple[str | None, str | None]:
    k = i + 1
    while k < len(t.toks) and t.toks[k] in ("a", "al", "alla", "all'", "ai", "agli", "alle", "detta", "di", "del", "della", "base", "sentire", "sentir"):
        k += 1
    if _article_quale(t, k):
        k += 1  # "X, per il quale ...", "secondo la quale"
    if k < len(t.toks) and t.toks[k] in ("cui", "quale", "quali"):  # "il Financial Times, secondo cui ...": the entity named before
        before = [m for m in ments if m.last < i]
        chunk = [m for m in before if all(t.toks[x] not in (";", ":") for x in range(m.last, i))]
        apposed = next((m for m in chunk if m.type == "PER" and m.last == i - 2 and t.toks[i - 1] == "," and m.first and t.toks[m.first - 1] == ","), None)
        if apposed is not None:  # "la presidente di Iveco Group, Suzanne Heywood, secondo cui": the name in apposition
            return apposed.entity_id, "source"
        if chunk:
            return _speaker_of(t, chunk, lex, ctx), "source"
        start = max((x for x in range(i) if t.toks[x] in (";", ":")), default=-1) + 1
        if any(t.toks[x] in QUANTIFIERS or t.toks[x] in INDEFINITE for x in range(start, i)):
            return None, "unnamed"  # "Più cauti altri osservatori, secondo cui ...": nobody named
        return context_subject(ctx), "source"
    found = mentions_forward(t, ments, k, lex.role_words | SOURCE_SKIP | DOCUMENTS)
    found = [m for m in found if not (m.type == "LOC" and t.toks[m.first - 1] in PLACE_PREPOSITIONS)]  # "raccolte a Bruxelles"
    if found:
        return _speaker_of(t, found, lex, ctx), "source"
    named = _named_before_colon(t, ments, i, k)
    if named:  # "Di segno opposto la reazione di T&E: secondo l'organizzazione ambientalista, ..."
        return named, "source"
    j = k + (k < len(t.toks) and t.toks[k] in ARTICLES)
    if j < len(t.toks) and t.toks[j] not in DOCUMENTS:  # "secondo quanto riportato nel comunicato": the document a few words on
        j = next((x for x in range(j, min(len(t.toks), j + DOCUMENT_REACH)) if t.toks[x] in DOCUMENTS and all(
            t.toks[y] in SOURCE_SKIP or t.toks[y] in DOCUMENT_PREPOSITIONS for y in range(j, x))), j)
    if j + 1 < len(t.toks) and t.toks[j] in SOURCE_NOUNS and t.toks[j + 1] in COMPANY_SOURCES:  # "secondo fonti aziendali"
        return epithet_entity(COMPANY_HEAD, lex, ctx), "source"
    if j < len(t.toks) and t.toks[j] in DOCUMENTS and not (j + 1 < len(t.toks) and (t.toks[j + 1] in OF_WORDS or t.toks[j + 1] in AGENT_WORDS)):
        return _document_owner(t, ments, j, lex, ctx), "source"  # "Stando al prospetto, il 90% dei proventi ...": whose document
    # "secondo le stime dell'azienda", "secondo il sindacalista": a description of the source, resolved like an epithet
    for x in range(k, min(len(t.toks), k + 6)):
        head = _is_head(t.toks[x], lex, ctx)
        if head and t.toks[x] not in lex.person_heads:  # "Secondo la società di consulenza AlixPartners": the name it leads to
            named = _named_after_head(t, ments, x, written=True)
            if named is not None:
                return named, "source"
        if head and t.toks[x] in lex.person_heads:
            apposed = _apposed_after(t, ments, x)
            if apposed is not None:  # "Secondo il responsabile del design Fiat, François Leboine, ...": the name given
                return apposed.entity_id, "source"
        if not head and t.toks[x] not in lex.role_words and t.toks[x] not in SOURCE_SKIP:
            break
        if head and ((x > k and (t.toks[x - 1] in ARTICLES or t.toks[x - 1] in OF_WORDS or t.toks[x - 1] in AGENT_WORDS)) or (x == k and t.toks[x - 1] in TO_THE)):
            subject = main_subject(t, roles, ments)
            subject_org = subject if subject and subject in {m.entity_id for m in ments if m.type == "ORG"} else None
            if t.toks[x] in lex.org_heads and subject_org:
                return subject_org, "source"  # "in base ai dati diffusi dall'azienda, il colosso di Shenzhen ha chiuso ..."
            return epithet_entity(t.toks[x], lex, ctx), "source"
    if _official_data(t, k):  # "stando ai dati dichiarati, ...": the figures of the company the article is about
        return epithet_entity(COMPANY_HEAD, lex, ctx), "source"
    return None, "source"


DATA_NOUNS = frozenset({"dati", "numeri", "cifre"})
DECLARED = frozenset({"comunicati", "dichiarati", "diffusi", "forniti"})


def _official_data(t: Tokens, k: int) -> bool:
    """"stando ai dati dichiarati,", "secondo i numeri comunicati,": declared figures with no owner named."""
    end = next((x for x in range(k, min(len(t.toks), k + 5)) if t.toks[x] in CLAUSE_PUNCT), None)
    words = set(t.toks[k:end]) if end is not None else set()
    return bool(words & DATA_NOUNS) and bool(words & DECLARED) and words <= DATA_NOUNS | DECLARED | ARTICLES | SOURCE_SKIP


def _noun_of_saying_opens(t: Tokens, lex: Lexicon) -> bool:
    """The sentence opens with a noun of saying: "L'allarme arriva da X: ...", "La replica di X: ..."."""
    j = int(bool(t.toks) and t.toks[0] in ARTICLES)
    return j < len(t.toks) and (t.toks[j] in lex.reporting_nouns or t.toks[j] in TAIL_NOUNS)


def _colon_tail(t: Tokens, ments: list[Mention], lex: Lexicon) -> int | None:
    """Where a colon's tail names who said what comes before it ("...: è l'allarme lanciato da X", "...: la
    replica di X"), or None. The tail is a noun of saying (with "è" and an article) and has no verb of its own."""
    toks, n = t.toks, len(t.toks)
    k = toks.index(":") + 1
    if k >= n or t.quoted[k]:
        return None
    j = k + (toks[k] in ("è", "sono", "ecco"))
    j += j < n and toks[j] in ARTICLES
    if j >= n or not (toks[j] in lex.reporting_nouns or toks[j] in TAIL_NOUNS):
        return None
    if any(t.forms[x] in FINITE_FORMS for x in range(j + 1, n)) or not any(m.first > j for m in ments):
        return None
    return j - 1


def _comma_tail(t: Tokens, ments: list[Mention], lex: Lexicon) -> int | None:
    """Like a colon's tail, after the last comma: ", è la promessa del ministro X." (the words before are what he said)."""
    toks, n = t.toks, len(t.toks)
    k = max(x for x in range(n) if toks[x] == ",") + 1
    if k >= n or t.quoted[k] or toks[k] not in ("è", "ecco") or not any(f in FINITE_FORMS for f in t.forms[: k - 1]):
        return None
    j = k + 1 + (k + 1 < n and toks[k + 1] in ARTICLES)
    if j >= n or not (toks[j] in lex.reporting_nouns or toks[j] in TAIL_NOUNS):
        return None
    if any(t.forms[x] in FINITE_FORMS for x in range(j + 1, n)) or not any(m.first > j for m in ments):
        return None
    return j - 1


def _head_of_relative(t: Tokens, ments: list[Mention], roles: list[str], first: int) -> Mention | None:
    """The person or organization a relative clause opened by ", che" describes, when the candidates start inside
    or after that clause: the subject the clause interrupts."""
    r = next((k for k in range(first - 1, 0, -1) if t.toks[k] == "che" and roles[k] == REL and t.toks[k - 1] == ","), None)
    if r is None or any(t.forms[k] in FINITE_FORMS and roles[k] == MAIN for k in range(r)):
        return None
    return next((m for m in ments if m.last == r - 2 and m.type in ("PER", "ORG")), None)


def _article_quale(t: Tokens, k: int) -> bool:
    """Tokens k, k+1 are "il quale", "la quale", "i quali" or "le quali"."""
    return k + 1 < len(t.toks) and t.toks[k] in RELATIVE_ARTICLES and t.toks[k + 1] in ("quale", "quali")


def _named_before_colon(t: Tokens, ments: list[Mention], i: int, k: int) -> str | None:
    """After "X ...:" a description at token k (an article, then a lowercase noun) takes up X, the one person or
    organization named before the colon ("Più duro Michele De Palma, della Fiom: per il sindacalista ...")."""
    if not (i and t.toks[i - 1] == ":" and k + 1 < len(t.toks) and t.toks[k] in ARTICLES and not t.capital(k + 1)):
        return None
    wanted = "PER" if t.toks[k + 1] in PERSON_DESCRIPTIONS else None
    named = [m for m in ments if m.last < i - 1 and m.type in ("PER", "ORG") and (wanted is None or m.type == wanted)]
    if wanted is None and len({m.type for m in named}) > 1:
        named = [m for m in named if m.type == "ORG"]
    return named[0].entity_id if len({m.entity_id for m in named}) == 1 else None


def _frames_clause(t: Tokens, i: int) -> bool:
    """Reporting noun i opens the sentence as a frame: "In una nota", "Nella lettera", "Con un post"."""
    j = i - 1
    if j >= 0 and (t.toks[j] in INDEFINITE or t.toks[j] in ARTICLES):
        j -= 1
    return j == 0 and t.toks[0] in FRAME_PREPOSITIONS


def _main_clause_subject(t: Tokens, ments: list[Mention], lex: Lexicon, ctx: Context, roles: list[str]) -> str | None:
    """The person or organization subject of the first finite verb of the main clause, named or described."""
    v = _first_finite(t, roles)
    if v >= len(t.toks):
        return None
    g = verb_group_start(t, v)
    cands, _ = subject_before(t, ments, g)
    cands = [m for m in cands if m.type in ("PER", "ORG")]
    if cands:
        return _speaker_of(t, cands, lex, ctx)
    return description_subject(t, g, lex, ctx)


def _ends_sentence(t: Tokens, k: int) -> bool:
    """From token k to the end: no verb, no comma or other clause mark before the final stop."""
    n = len(t.toks)
    while k < n and t.toks[k] not in CLAUSE_PUNCT and t.forms[k] not in FINITE_FORMS:
        k += 1
    return k >= n or (t.toks[k] in (".", "!", "…") and k == n - 1)


SOURCE_HEDGES = frozenset({"almeno", "sempre", "stando", "soprattutto", "anche"})


def _opens_its_clause(t: Tokens, roles: list[str], i: int) -> bool:
    """"Secondo X" before the main verb of its clause, between commas, or after a comma at the sentence's end
    attributes it; trailing with no comma ("... nel 2024 secondo le stime della Fim Cisl.") it only sources a detail.
    "secondo cui" always attributes what follows."""
    if i + 1 < len(t.toks) and t.toks[i + 1] in ("cui", "quale"):
        return True
    if _article_quale(t, i + 1):
        return True  # "secondo il quale"
    before = i - 1 - (i >= 2 and t.toks[i - 1] in SOURCE_HEDGES)  # ", almeno secondo X."
    if before >= 0 and t.toks[before] == "," and _ends_sentence(t, i + 1):
        return True  # "La YU7 ha ricevuto 240.000 ordini, secondo Xiaomi.": the whole sentence is the source's
    if i and t.toks[i - 1] == "che" and not t.quoted[i]:
        return True  # "il costo dell'energia, che secondo l'Anfia penalizza i fornitori": the relative clause is the claim
    for k in range(i + 1, min(len(t.toks), i + 12)):
        if t.toks[k] == ",":
            return True
        if t.forms[k] in ("fin", "cond", "fut") or t.toks[k] in (";", ":", ".") or t.quoted[k]:
            break
    j = i - 1
    verb_since = False  # a finite verb between a coordinator and the source: the source trails that clause
    while j >= 0 and t.toks[j] not in (";", ":"):
        if t.toks[j] in CLAUSE_COORDINATORS:  # "..., ma stando a X la soglia ...": the source opens the new clause
            return not verb_since
        if t.forms[j] in ("fin", "cond", "fut") and not t.quoted[j]:
            if roles[j] == MAIN:
                return False
            verb_since = True
        j -= 1
    return True


