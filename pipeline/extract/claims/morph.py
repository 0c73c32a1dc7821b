"""Italian verb morphology from simplemma lemmas: which tokens are finite, conditional, future, participle, gerund, infinitive."""
from __future__ import annotations

import re
from functools import lru_cache

import simplemma

# Lemma endings of Italian verbs (infinitives); "porre"/"trarre"/"condurre" end in -rre.
VERB_LEMMA_ENDINGS = ("are", "ere", "ire", "rre")
CONDITIONAL_ENDINGS = ("rebbe", "rebbero", "remmo", "reste", "resti", "rei")
FUTURE_ENDINGS = ("rà", "rò", "ranno", "remo", "rete", "rai")
CLITIC_INFINITIVE_RE = re.compile(r"(?:ar|er|ir|rr)(?:l[aeio]|ne|ci|vi|si|mi|ti|gli|sene|glie(?:l[aeio]|ne))$")
GERUND_RE = re.compile(r"(?:ando|endo)(?:l[aeio]|ne|ci|vi|gli|si|mi|ti|sene)?$")
PARTICIPLE_RE = re.compile(r"(?:at|it|ut)[aeio]$")
# Strong participles of -ere/-ire/-rre verbs: chiesto, preso, messo, scritto (not "fosse", "avessi": subjunctives).
STRONG_PARTICIPLE_RE = re.compile(r"(?:st|tt|ss|[^s]s)[oa]$|(?:st|tt|[^s]s)[ie]$")
# Irregular past participles that simplemma maps to their verb (the -ato/-ito/-uto test misses them).
IRREGULAR_PARTICIPLES = frozenset(
    """
    detto detta detti dette fatto fatta fatti fatte preso presa presi prese messo messa messi messe scritto scritta
    visto vista visti viste chiuso chiusa chiusi chiuse deciso decisa decisi decise rimasto rimasta rimasti rimaste
    raggiunto raggiunta raggiunti raggiunte aggiunto aggiunta aggiunti aggiunte scelto scelta scelti scelte colto colta
    espresso espressa espressi espresse promesso promessa ammesso ammessa escluso esclusa esclusi escluse incluso
    inclusa permesso concesso concessa condiviso condivisa diviso divisa giunto giunta spinto spinta vinto vinta letto
    letta mosso mossa corso successo risposto proposto proposta posto posta esposto aperto aperta offerto offerta
    sofferto emerso emersa emersi emerse assunto assunta dipinto rotto rotta morto morta nato nata stato stata stati
    state reso resa resi rese speso spesa spesi spese acceso accesa sceso scesa ripreso ripresa sorpreso compreso
    compresa discusso discussa prodotto prodotta prodotti prodotte ridotto ridotta ridotti introdotto introdotta
    condotto condotta tradotto tradotta costretto costretta previsto prevista previsti previste rivisto rivista
    """.split()
)
_VERBLESS_LEMMAS = frozenset({"essere", "avere"})


@lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """simplemma's Italian lemma of a lowercased word (cached: lemma lookups dominate the cost of a sentence)."""
    return simplemma.lemmatize(word, lang="it")


@lru_cache(maxsize=50_000)
def present_verb_reading(word: str, e_verbs: bool = False) -> str | None:
    """The infinitive a word ending in -a or -e may be the present tense of, when simplemma reads it as a noun:
    "taglia" (size / cuts), "punta" (tip / aims), "conferma" (confirmation / confirms), "parte" (part / sets off)."""
    if len(word) < 4 or not word.isalpha():
        return None
    if word.endswith("a"):
        infinitive = word[:-1] + "are"
        return infinitive if simplemma.is_known(infinitive, lang="it") else None
    if e_verbs and word.endswith("e"):  # "parte" (part / sets off), "prende": the -ire / -ere verbs, after a name only
        return next((w for w in (word[:-1] + "ire", word[:-1] + "ere") if simplemma.is_known(w, lang="it")), None)
    return None


@lru_cache(maxsize=200_000)
def analyze_word(word: str, lemma: str | None = None) -> tuple[str, str | None]:
    """(lemma, form) of a lowercased word; form is fin/cond/fut/part/ger/inf, or None when it is no verb form.

    `lemma` overrides simplemma for forms it gets wrong ("scritto" -> scrivere, "detto" -> dire)."""
    lemma = lemma or lemmatize(word)
    if not lemma.endswith(VERB_LEMMA_ENDINGS) and lemma not in _VERBLESS_LEMMAS:
        return lemma, None
    if word == lemma:
        return lemma, "inf"
    if word.endswith(CONDITIONAL_ENDINGS):
        return lemma, "cond"
    if word.endswith(FUTURE_ENDINGS):
        return lemma, "fut"
    if GERUND_RE.search(word):
        return lemma, "ger"
    if lemma.endswith("are") and word == lemma[:-3] + "a":
        return lemma, "fin"  # "invita", "visita": the present of invitare, not a participle in -ita
    if word in IRREGULAR_PARTICIPLES or PARTICIPLE_RE.search(word):
        return lemma, "part"
    if lemma.endswith(("ere", "rre", "ire")) and STRONG_PARTICIPLE_RE.search(word) and lemma not in _VERBLESS_LEMMAS:
        if word != lemma[:-3] + "e":  # "insiste", "esiste": the present of insistere, not a participle in -ste
            return lemma, "part"
    if word.endswith(("are", "ere", "ire")) or _clitic_infinitive(word, lemma):
        return lemma, "inf"
    return lemma, "fin"


def _clitic_infinitive(word: str, lemma: str) -> bool:
    """An infinitive with its clitic ("farla", "dirlo", "produrne"): what is left before the clitic is the lemma
    without its final -e ("far" + e = fare); "parla" (par + la) is parlare's present, not an infinitive."""
    m = CLITIC_INFINITIVE_RE.search(word)
    if m is None:
        return False
    stem = word[: m.start() + 2]
    return lemma in (stem + "e", stem + "re")


FEMININE_OR_PLURAL_PARTICIPLE_RE = re.compile(r"[^aeiou][aeiu]t[aei]$|(?:nt|ss|st|tt|s)[aei]$")


@lru_cache(maxsize=50_000)
def participle_reading(word: str) -> str | None:
    """The verb a feminine or plural participle belongs to when simplemma reads it as an adjective ("motivata" ->
    motivato, "dichiarata" -> dichiarato): the lemma of its masculine singular, if that is a verb."""
    if len(word) < 5 or not FEMININE_OR_PLURAL_PARTICIPLE_RE.search(word):
        return None
    lemma = lemmatize(word[:-1] + "o")
    return lemma if lemma.endswith(VERB_LEMMA_ENDINGS) and lemma not in _VERBLESS_LEMMAS else None
