"""timex.rules.v1: Italian dates and periods normalized against the publish date, as `time_expressions` rows."""

# What is extracted (core patterns; the cue words just before a core, such as "entro il", "a partire
# dal", "lo scorso", "fine", join its surface):
# - days: "il 24 aprile", "lunedì 3 marzo 2025", "fra il 14 e il 15 febbraio" (value_end), "24/04/2025";
# - months: "a luglio", "marzo 2025", "luglio di quest'anno", "lo scorso ottobre", ranges "tra gennaio
#   e settembre" / "aprile-giugno" (value_end); "Aprile" capitalized mid-sentence without a cue or a year
#   is taken for a surname;
# - quarters: "nel quarto trimestre del 2024" -> 2024-Q4, "Q3 2024", "il primo trimestre dell'anno";
# - half years and seasons with a year ("primo semestre 2025", "estate 2025") -> the year (granularity
#   year: the contract has no half-year value);
# - years: "nel 2015", "entro il 2030", "fine 2024", "dal 2027", ranges "2025-2027" / "tra il 2025 e il
#   2027" / "dal 2025 al 2027" (value_end; "per il 2025 e il 2026" is two years); never decades ("anni
#   2000", "anni '90"), four-digit numbers with a unit ("2000 euro") or with a noun and no year cue
#   before them ("con 2000 dipendenti", as quantities.py reads it);
# - relative: "quest'anno", "l'anno scorso", "l'anno prossimo", "l'anno precedente" (the year before the
#   last year mentioned), "fine anno", "il mese scorso", "entro la fine del mese" (the publish month),
#   "oggi" (also "la seduta di oggi", not "le auto di oggi"), "ieri", "domani", "odierno",
#   weekdays ("lunedì scorso"; not "ogni lunedì"), "ago" ("tre giorni fa", "una settimana fa" -> the day;
#   "due mesi fa" -> the month; "cinque anni fa" -> the year; "qualche mese fa" is vague), parts of a
#   year ("nei primi nove mesi dell'anno" -> the publish year; "negli ultimi tre mesi del 2024" -> 2024-Q4). Vague periods ("negli ultimi anni", "nei prossimi
#   mesi", "da mesi", "in futuro", "l'auto di domani", "entro fine decennio"), weeks ("la prossima
#   settimana": the contract has no week granularity) and durations ("per cinque anni": a quantity)
#   are not extracted.
#
# Resolution against the publish date (`anchor`):
# - absolute: the expression names its year;
# - relative: resolved from the publish date, which must be known to the expression's granularity
#   (a month needs the publish year; "oggi" needs the publish day; "il mese scorso" the publish month);
# - unresolved: value null ("il 24 aprile" in an article without a date).
# A month, day or quarter without a year is resolved by the first rule that applies:
# 1. "scorso"/"scorsi"/"passato" -> the most recent occurrence at or before the publish date (past);
#    "prossimo", "entro", "a partire da", "fino a" -> the next occurrence at or after it (future);
# 2. the tense marker nearest to the expression in its clause: a future or prospective verb
#    ("arriverà ad ottobre", "dovrebbe debuttare a marzo", "le consegne previste a marzo", "non è
#    escluso che il 23 giugno ...") -> future; a past verb or a participle of a past event ("era
#    esplosa a settembre", "presentata in Cina il 10 gennaio") -> past;
# 3. when the clause has none ("presentando i conti del primo trimestre"), the tense marker of the
#    sentence nearest to the expression;
# 4. otherwise the past: news report what happened.
# Then two checks of a day-month: a weekday written with it picks the one year it fits ("venerdì 27 giugno");
# and an occurrence over FAR_DAYS away when the other is within NEAR_DAYS of the publish date is the near one
# ("è già convocato per il 17 dicembre" on 2 December). A quarter a future verb names that ended just before the
# publish date is that one ("presenterà i conti del primo trimestre" in April); "dell'anno" is the publish year.
# Relative years ("fine anno", "quest'anno") are the publish year whatever the tense, except at the turn of
# the year: "inizio anno" with a future verb in the last three months is next year's, "fine anno" with a past verb
# in the first three months last year's.

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

from pipeline.extract.numbers import (
    APOSTROPHE,
    DIGIT_SCAN_RE,
    WORD_START,
    fold_text,
    fold_token,
    last_words,
    number_grammar,
    tokens_before,
    trie_pattern,
)
from pipeline.extract.registry import register
from pipeline.text.sentences import sentence_index
from pipeline.extract.units import UnitGrammar, match_prefix_currency, match_unit, unit_grammar

AP = APOSTROPHE
S = r"[ \u00a0\u202f]+"
S0 = r"[ \u00a0\u202f]*"
YEAR = r"(?:19|20)\d{2}"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:°|º)?|(?i:primo)"  # "il primo novembre" is November 1st
WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
WEEKDAY = r"(?:lune|marte|mercole|giove|vener)d[iì]|sabato|domenica"
QUARTER_ORDINALS = {"primo": 1, "secondo": 2, "terzo": 3, "quarto": 4, "1°": 1, "2°": 2, "3°": 3, "4°": 4, "1º": 1, "2º": 2, "3º": 3, "4º": 4}
QUARTER_ORD = r"primo|secondo|terzo|quarto|[1-4][°º]"
SEASONS = ("primavera", "estate", "autunno", "inverno")
# Suffixes that fix the year of a month or day: "luglio di quest'anno", "ottobre dello scorso anno".
REL_SUFFIX = (
    rf"(?P<past>{S}(?:scors[oaie]|passat[oaie]))"
    rf"|(?P<future>{S}(?:prossim[oaie]|vent[uù]r[oaie]))"
    rf"|(?P<this_year>{S}(?:di|del){S0}(?:quest{AP}\s*|questo{S})anno|{S}dell{AP}\s*anno{S}in{S}corso)"
    rf"|(?P<last_year>{S}(?:dell{AP}\s*anno{S}(?:scorso|passato)|dello{S}scorso{S}anno))"
    rf"|(?P<next_year>{S}(?:dell{AP}\s*anno{S}prossimo|del{S}prossimo{S}anno))"
)
# Words that may precede a core and join its surface ("entro il", "a partire dal", "lo scorso", "lunedì").
CUE_WORDS = frozenset(
    "a ad al all' alla dal dall' dalla da partire entro il lo la l' fine inizio metà meta nel nell' nella del "
    "dell' della di in prima dopo fino sino verso per oltre scorso scorsa prossimo prossima questo quest' mese "
    "corso giorno tra fra lunedì martedì mercoledì giovedì venerdì sabato domenica lunedi martedi mercoledi "
    "giovedi venerdi".split()
)
# Words that start a relative expression; the scan looks for them (lowercased, after a word separator).
RELATIVE_HEADS = (
    "quest'anno", "quest’anno", "questo anno", "questo mese", "oggi", "odiern", "stamattina", "stamane",
    "stasera", "stanotte", "ieri", "domani", "dopodomani", "fine anno", "inizio anno", "fine dell", "inizio dell",
    "la fine dell", "l'altro ieri", "l’altro ieri", "fine del mese", "inizio del mese", "metà del mese", "fine mese",
    "inizio mese", "metà mese", "la fine del mese", "all'inizio del mese", "all’inizio del mese",
) + tuple(
    f"{a}{sep}anno" for a in ("l", "dell", "nell", "all", "dall") for sep in ("'", "’", "' ", "’ ")
) + tuple(
    f"{a} {w}" for a in ("lo", "dello", "nello", "allo", "dallo") for w in ("scorso",)
) + tuple(
    f"{a} {w}" for a in ("il", "del", "nel", "al", "dal") for w in ("prossimo", "mese")
)
QUARTER_HEADS = ("primo", "secondo", "terzo", "quarto", "q1", "q2", "q3", "q4")
YEAR_PART_HEADS = ("primi", "prime", "ultimi", "ultime")
HALF_HEADS = ("prima metà", "seconda metà") + SEASONS
WEEKDAY_HEADS = WEEKDAYS + ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi")
FUTURE_CUE_RE = re.compile(rf"\b(?:entro|partire|prossim[oaie]|fino)\b", re.IGNORECASE)
PAST_CUE_RE = re.compile(rf"\b(?:scors[oaie]|passat[oaie])\b", re.IGNORECASE)
# Verbs and cues that put the clause in the future or in a prospect: "arriverà", "dovrebbe debuttare",
# "previste a marzo", "non è escluso che".
# Each of these three starts with a word character; the leading (?=\w) says so, and lets the engine skip the
# other characters of the window faster (the same matches, about a fifth less time).
FUTURE_VERB_RE = re.compile(
    r"(?=\w)(?:\b\w{2,}(?:rà|ranno|remo)\b"
    r"|\b(?:dovrebbe(?:ro)?|potrebbe(?:ro)?|starebbe(?:ro)?|previst[oaie]|attes[oaie]|programmat[oaie]|fissat[oaie]|in arrivo"
    r"|in programma|in calendario|non è escluso|non si esclude|si prevede|punta(?:no)? a|intend(?:e|ono))\b)",
    re.IGNORECASE,
)
# Participles of the verbs news use for past events: "presentata in Cina il 10 gennaio".
PAST_PARTICIPLE_RE = re.compile(
    r"(?=\w)\b(?:presentat|lanciat|annunciat|svelat|comunicat|pubblicat|firmat|siglat|avviat|inaugurat|registrat|"
    r"rilasciat|diffus|approvat|depositat|chius|apert|nat|mort|fondat|acquistat|vendut|consegnat|prodott|"
    r"costruit|immatricolat|ufficializzat|confermat|nominat|eletto|elett|arrivat|iniziat|partit|terminat|"
    r"conclus|stat|indicat|dichiarat|riportat|rivist|tagliat|alzat|ridott|segnalat)[oaie]\b",
    re.IGNORECASE,
)
# Past tenses: compound past ("ha presentato", "è stata lanciata"), imperfect, simple past.
PAST_VERB_RE = re.compile(
    r"(?=\w)(?:\b(?:ha|hanno|è|sono|era|erano|aveva|avevano|fu|furono|sia|siano|avrebbe|avrebbero|sarebbe|sarebbero)"
    r"(?:\s+(?:già|stat[oaie]|anche|poi|ufficialmente))*\s+\w+(?:at[oaie]|ut[oaie]|it[oaie]|tt[oaie]|ss[oaie]|st[oaie]|rs[oaie]|s[oa])\b"
    r"|\b\w{3,}(?:ava|avano|eva|evano|iva|ivano|arono|erono|irono)\b|\b\w{3,}[aei]rono\b|\b(?!(?:per|perci|ci|pu)ò)\w{3,}ò(?=\s|[.,;:]))",
    re.IGNORECASE,
)
CLAUSE_STOP = re.compile(r"[,;:()«»“”\"\n]|[.!?]\s")
SENTENCE_STOP = re.compile(r"[\n]|[.!?]\s")
# "tra il 2025 e il 2027", "dal 2025 al 2027" are ranges; "per il 2025 e il 2026" is a list.
BETWEEN = frozenset({"tra", "fra"})
FROM = frozenset({"da", "dal", "dall'"})
ARTICLES = frozenset({"il", "l'", "lo", "la"})
# "il domani", "l'auto di domani", "le auto di oggi": the word names an era, not a day.
GENERIC_DAY_BEFORE = frozenset({"di", "il", "del", "al", "un", "nel", "per"})
QUARTER_PART_RE = re.compile(rf"(prim[ie]|ultim[ie]){S}(?:tre|3){S}mesi\b", re.IGNORECASE)
# Events of one day: "la seduta di oggi", "l'incontro di domani" name the day, "le auto di oggi" an era.
DAY_EVENTS = frozenset(
    "seduta giornata incontro riunione vertice tavolo sciopero assemblea conferenza evento presentazione udienza "
    "mattinata serata pomeriggio vertici consiglio voto".split()
)
# "il lunedì", "ogni lunedì", "dal lunedì al venerdì": a habit, not a date.
HABITUAL_WEEKDAY_BEFORE = frozenset({"il", "ogni", "di", "dal", "al", "del", "nel", "i"})


class Core(NamedTuple):
    """A time expression core found by a pattern (before cues are attached and it is resolved)."""

    kind: str
    start: int
    end: int
    match: re.Match


class Timex(NamedTuple):
    """A resolved time expression."""

    start: int
    end: int
    value: str | None
    value_end: str | None
    granularity: str
    anchor: str


@dataclass(frozen=True)
class PublishRef:
    """The publish date with what of it is known (day/month/year/unknown)."""

    date: dt.date | None
    precision: str

    def knows(self, granularity: str) -> bool:
        order = {"unknown": 0, "year": 1, "quarter": 2, "month": 2, "day": 3}
        if self.date is None:
            return False
        return order.get(self.precision, 0) >= order[granularity]


def _core_patterns(months: str) -> dict[str, re.Pattern]:
    day_sep = rf"(?:{S0}[-–/]{S0}|{S}(?:e|ed|al|a){S}(?:(?:il|l{AP}){S0})?)"
    patterns = {
        "numeric_date": rf"(?<![\w.,/])(?P<d>[12]\d|3[01]|0?[1-9])(?P<sep>[/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<y>{YEAR})(?![\w]|[.,/]\d)",
        "day": (
            rf"(?<![\w.,/])(?P<d1>{DAY})(?:{day_sep}(?P<d2>{DAY}))?{S}(?:di{S})?(?P<mon>{months})\b"
            rf"(?:{S}(?:del{S})?(?P<year>{YEAR})\b|{REL_SUFFIX})?"
        ),
        "quarter": (
            rf"\b(?P<ord>{QUARTER_ORD}){S}trimestre\b(?:{S}fiscale)?"
            rf"(?:{S0}(?:del{S}|dell{AP}\s*(?:anno{S}(?:fiscale{S})?)?|di{S})?(?P<year>{YEAR})\b"
            rf"|{S0}dell{AP}\s*anno(?P<qrel>{S}(?:scorso|passato|prossimo|in{S}corso))?|{S}(?P<yy>{AP}\d{{2}})\b)?"
        ),
        "quarter_code": rf"\b(?:(?P<y1>{YEAR}){S0})?Q(?P<q>[1-4])\b(?:{S0}(?P<year>{YEAR}|{AP}?\d{{2}})\b)?",
        "half": (
            # with a year, "dell'anno" (the publish year), or a bare "semestre" ("nel secondo semestre");
            # a bare "metà" or season is no date ("la seconda metà della gara", "in estate")
            rf"\b(?:(?:primo|secondo){S}semestre|(?:prima|seconda){S}metà|{'|'.join(SEASONS)})"
            rf"(?:(?:{S}(?:del{S}|dell{AP}\s*|di{S})?)?(?P<year>{YEAR})\b"
            rf"|{S}dell{AP}\s*(?P<this_year>anno)\b(?!{S}(?:scorso|passato|prossimo|precedente|successivo))"
            rf"|(?<=semestre)(?P<bare>)(?!{S}(?:fiscale|dell|del|di)\b))"
        ),
        "month_range": (
            # "tra gennaio e settembre", "da marzo a maggio", "aprile-giugno" ("gennaio e febbraio" is a list)
            rf"\b(?:(?P<cue>tra|fra|da|dal{S}mese{S}di){S})?(?P<mon>{months})(?:(?(cue){S}(?:e|a){S}|(?!))|{S0}[-–/]{S0})(?P<mon2>{months})\b"
            rf"(?:{S}(?:del{S}|di{S})?(?P<year>{YEAR})\b|{REL_SUFFIX})?"
        ),
        "month": rf"\b(?P<mon>{months})\b(?:{S}(?:del{S}|di{S})?(?P<year>{YEAR})\b|{REL_SUFFIX})?",
        "year_range": (
            rf"(?<![\w.,/'’-])(?P<y1>{YEAR})(?:{S0}[-–/]{S0}(?P<y2>{YEAR}|\d{{2}})"
            rf"|{S}(?P<conj>e|al|a){S}(?:(?:il|l{AP}){S0})?(?P<y3>{YEAR}))(?![\w]|[.,/]\d)"
        ),
        "year": rf"(?<![\w.,/'’-])(?P<year>{YEAR})(?![\w]|[.,/-]\d)",
        "relative": (
            rf"\b(?:(?P<this_year>quest{AP}\s*anno|questo{S}anno|(?:l|dell|nell){AP}\s*anno{S}(?:in{S}corso|corrente))"
            rf"|(?P<last_year>(?:l|dell|nell|all|dall){AP}\s*anno{S}(?:scorso|passato)|(?:lo|dello|nello|allo|dallo){S}scorso{S}anno)"
            rf"|(?P<next_year>(?:l|dell|nell|all){AP}\s*anno{S}(?:prossimo|venturo)|(?:il|del|nel|al|dal){S}prossimo{S}anno)"
            rf"|(?P<prev_year>(?:l|dell|nell|all|dall|sull){AP}\s*anno{S}(?:precedente|prima))"
            rf"|(?P<next_rel_year>(?:l|dell|nell){AP}\s*anno{S}(?:successivo|seguente|dopo))"
            rf"|(?P<year_edge>(?:fine|inizio){S}anno|(?:la{S})?(?:fine|inizio){S}dell{AP}\s*anno)"
            rf"|(?P<last_month>(?:il|del|nel|al|dal){S}mese{S}(?:scorso|passato)|(?:lo|dello|nello|allo){S}scorso{S}mese)"
            rf"|(?P<next_month>(?:il|del|nel|al|dal){S}(?:mese{S}prossimo|prossimo{S}mese))"
            rf"|(?P<this_month>questo{S}mese|(?:il|del|nel){S}mese{S}in{S}corso|(?:la{S}|all{AP}\s*)?(?:fine|inizio|metà){S}(?:del{S})?mese)"
            rf"|(?P<today>oggi(?:{S}come{S}oggi)?|odiern[oaie]|stamattina|stamane|stasera|stanotte)"
            rf"|(?P<two_days_ago>l{AP}\s*altro{S}ieri)|(?P<yesterday>ieri)|(?P<after_tomorrow>dopodomani)|(?P<tomorrow>domani))\b"
        ),
        "weekday": rf"\b(?P<wd>{WEEKDAY})\b(?!{S}\d)(?P<wrel>{S}(?:scorso|prossimo))?",
        "ago": AGO,
        # "nei primi nove mesi dell'anno", "negli ultimi tre mesi del 2024": a stretch of a named year
        "year_part": (
            rf"\b(?:prim[ie]|ultim[ie]){S}(?:[a-zà-ù]+{S}|\d{{1,2}}{S})?(?:mesi|settimane|trimestri|giorni)"
            rf"{S}(?:dell{AP}\s*(?P<this_year>anno)(?!{S}(?:scorso|passato|prossimo|precedente))|del{S}(?P<year>{YEAR}))\b"
        ),
    }
    return {k: re.compile(p, re.IGNORECASE) for k, p in patterns.items()}


# "tre giorni fa", "una settimana fa", "due anni fa": a count of days, weeks, months or years before the publish date.
AGO_COUNTS = {"un": 1, "una": 1, "uno": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
              "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "quindici": 15, "venti": 20, "trenta": 30}
AGO = (
    rf"(?<![\w.,])(?P<n>\d{{1,3}}|{'|'.join(sorted(AGO_COUNTS, key=len, reverse=True))}|un{AP})"
    rf"{S0}(?P<unit>giorn[oi]|settiman[ae]|mes[ei]|ann[oi]){S}fa\b"
)
AGO_RE = re.compile(AGO, re.IGNORECASE)
# What every "ago" expression ends with: the scan for AGO_RE (no literal start, so it tries every offset)
# runs only in the few bodies that have the word "fa" at all.
AGO_TAIL_RE = re.compile(rf"{S}fa\b", re.IGNORECASE)
SPACES = " \u00a0\u202f"
RANGE_CUES = frozenset({"tra", "fra", "da", "dal"})
NOUN_AFTER_RE = re.compile(rf"{S}([a-zà-ù]+)\b")
KEEP_CHECKED = frozenset({"year", "year_range", "relative", "weekday", "month", "ago"})
# Which patterns to try at a scan hit, by what the hit starts with: one or two digits start a day,
# four a year; other runs of digits ("300" of "300.000") start nothing.
DAY_KINDS = ("numeric_date", "day", "quarter")
YEAR_KINDS = ("year_range", "quarter_code", "year")
HEAD_KINDS = {
    "month": ("month",), "weekday": ("weekday",), "relative": ("relative",), "quarter": ("quarter", "half", "quarter_code", "day"),
    "half": ("half",), "year_part": ("year_part",),
}


@dataclass(frozen=True)
class TimexGrammar:
    """Compiled core patterns, the scan for their first words, and the month names they use."""

    patterns: dict[str, re.Pattern]
    head_scan_re: re.Pattern
    head_kinds: dict[str, tuple[str, ...]]
    months: dict[str, int]
    year_cues: frozenset[str]  # words before a year ("nel", "entro il"): numbers.yaml
    not_counted: frozenset[str]  # words after a number that are no counted noun: numbers.yaml


@lru_cache(maxsize=4)
def timex_grammar(reference_dir: Path | None = None) -> TimexGrammar:
    """Compile the core patterns with the month names of numbers.yaml (cached)."""
    lex = number_grammar(reference_dir).lexicon
    months = [m.lower() for m in lex["months"]]
    heads = {m: "month" for m in months}
    heads |= {w: "weekday" for w in WEEKDAY_HEADS}
    heads |= {w: "relative" for w in RELATIVE_HEADS}
    heads |= {w: "quarter" for w in QUARTER_HEADS}
    heads |= {w: "half" for w in HALF_HEADS}
    heads |= {w: "year_part" for w in YEAR_PART_HEADS}
    # the hit is a word (or phrase) start; the pattern tried there decides where the expression ends
    scan = re.compile(rf"{WORD_START}(?P<head>{trie_pattern(heads)})")
    return TimexGrammar(
        _core_patterns(trie_pattern(months)),
        scan,
        heads,
        {m: i + 1 for i, m in enumerate(months)},
        frozenset(fold_token(w) for w in lex["year_cues"]),
        frozenset(w.lower() for w in lex["not_counted"]),
    )


class TimexRulesExtractor:
    """Finds and resolves time expressions with the rules of this module's docstring."""

    name = "timex.rules.v1"

    def __init__(self, reference_dir: Path | None = None):
        self.grammar = timex_grammar(reference_dir)
        self.units = unit_grammar(reference_dir)

    def extract(self, body: str, sentences, article_id: str, published, precision) -> list[dict]:
        found = find_timexes(body, published, precision or "unknown", self.grammar, self.units)
        return emit_timexes(body, found, sentences, article_id)


@register("timex.rules.v1")
def make_timex_rules(reference_dir: Path | None = None) -> TimexRulesExtractor:
    return TimexRulesExtractor(reference_dir)


def find_cores(body: str, grammar: TimexGrammar | None = None, units: UnitGrammar | None = None) -> list[Core]:
    """Every core of `body`, overlaps removed (earliest start, then longest, wins)."""
    g = grammar or timex_grammar()
    u = units or unit_grammar()
    cands = []
    for pos, kinds in _hits(body, g):
        for kind in kinds:
            m = g.patterns[kind].match(body, pos)
            if m and _keep(kind, m, body, g, u):
                cands.append(Core(kind, m.start(), m.end(), m))
        if kinds == HEAD_KINDS["month"]:
            ranged = _month_range(body, pos, g) or _core("month_range", g.patterns["month_range"].match(body, pos))
            if ranged:
                cands.append(ranged)
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Core] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            out.append(c)
            last_end = c.end
    return out


def _hits(body: str, g: TimexGrammar) -> list[tuple[int, tuple[str, ...]]]:
    """Where a core may start: every run of digits, every head word (month, weekday, "quest'anno", ...)."""
    hits = []
    for m in DIGIT_SCAN_RE.finditer(body):
        size = m.end() - m.start()
        if size <= 2:
            hits.append((m.start(), DAY_KINDS))
        elif size == 4 and body[m.start()] in "12":
            hits.append((m.start(), YEAR_KINDS))
    lower = " " + fold_text(body)
    hits += [(m.start("head") - 1, HEAD_KINDS[g.head_kinds[m.group("head")]]) for m in g.head_scan_re.finditer(lower)]
    if " fa" in lower and AGO_TAIL_RE.search(body):
        hits += [(m.start(), ("ago",)) for m in AGO_RE.finditer(body)]
    return hits


def _core(kind: str, m: re.Match | None) -> Core | None:
    return Core(kind, m.start(), m.end(), m) if m else None


def _month_range(body: str, pos: int, g: TimexGrammar) -> Core | None:
    """"tra gennaio e settembre", "da marzo a maggio": the cue is before the month the scan found."""
    if not RANGE_CUES.intersection(last_words(body, pos, limit=3)):
        return None
    toks = tokens_before(body, pos, limit=3)
    for start, tok in reversed(toks):
        if fold_token(tok) in ("tra", "fra", "da", "dal"):
            m = g.patterns["month_range"].match(body, start)
            return Core("month_range", m.start(), m.end(), m) if m else None
    return None


def find_timexes(
    body: str,
    published: dt.date | None,
    precision: str,
    grammar: TimexGrammar | None = None,
    units: UnitGrammar | None = None,
) -> list[Timex]:
    """Every time expression of `body`, resolved against the publish date."""
    g = grammar or timex_grammar()
    ref = PublishRef(published, precision)
    out: list[Timex] = []
    last_year: int | None = None
    for core in find_cores(body, g, units):
        start = max(_attach_cues(body, core.start), out[-1].end if out else 0)
        cues = body[start : core.start]
        t = _resolve(core, cues, body, ref, g, last_year)
        if t is None:
            continue
        value, value_end, granularity, anchor = t
        out.append(Timex(start, core.end, value, value_end, granularity, anchor))
        if value:
            last_year = int(value[:4])
    return out


def emit_timexes(body: str, found: list[Timex], sentences, article_id: str) -> list[dict]:
    """Timex -> row dict of schema.TIME_EXPRESSIONS (claim_id is filled by run.py)."""
    starts = [s.start for s in sentences]
    return [
        {
            "article_id": article_id,
            "claim_id": None,
            "sentence_id": sentence_index(starts, t.start),
            "start": t.start,
            "end": t.end,
            "surface": body[t.start : t.end],
            "value": t.value,
            "value_end": t.value_end,
            "granularity": t.granularity,
            "anchor": t.anchor,
        }
        for t in found
    ]


def _keep(kind: str, m: re.Match, body: str, g: TimexGrammar, u: UnitGrammar) -> bool:
    if kind not in KEEP_CHECKED:
        return True
    before = last_words(body, m.start())
    last = before[-1] if before else ""
    if kind in ("year", "year_range"):
        if last == "anni":
            return False  # a decade: "gli anni 2000"
        if match_unit(body, m.end(), u) is not None or match_prefix_currency(body, m.start(), u) is not None:
            return False  # "2000 euro", "€ 2024": an amount
        if kind == "year" and last not in g.year_cues and _noun_after(body, m.end(), g):
            return False  # "con 2000 dipendenti": a count, as quantities reads it
        if kind == "year_range" and m.group("conj"):
            cues = BETWEEN if m.group("conj").lower() == "e" else FROM
            if not (last in cues or (last in ARTICLES and len(before) == 2 and before[0] in cues)):
                return False
    if kind == "relative" and (m.group("tomorrow") or m.group("today")) and last in GENERIC_DAY_BEFORE:
        return last == "di" and len(before) >= 2 and before[-2] in DAY_EVENTS  # "la seduta di oggi" is that day
    if kind == "weekday" and last in HABITUAL_WEEKDAY_BEFORE:
        return False
    if kind == "ago" and last == "per":
        return False  # "per un anno fa il pendolare": a duration, and "fa" is the verb
    if kind == "month" and m.group("mon")[0].isupper() and not m.group("year") and last not in CUE_WORDS:
        # "Aprile", "Marzo" capitalized mid-sentence without a year or a cue: more often a surname
        return body[: m.start()].rstrip()[-1:] in ("", ".", "!", "?", "\n", "«", "“", '"', ":")
    return True


def _noun_after(body: str, pos: int, g: TimexGrammar) -> bool:
    m = NOUN_AFTER_RE.match(body, pos)
    return m is not None and m.group(1) not in g.not_counted


def _attach_cues(body: str, start: int) -> int:
    """Start of the cue words right before a core ("entro il", "a partire dal", "lo scorso"), else `start`."""
    first = start
    for _ in range(5):
        word_start = _word_before(body, first)
        if word_start is None or fold_token(body[word_start:first].rstrip(SPACES)) not in CUE_WORDS:
            break
        first = word_start
    return first


def _word_before(body: str, pos: int) -> int | None:
    """Start of the word before `pos`: separated by spaces, or elided onto it ("dell'")."""
    i = pos
    if i > 0 and body[i - 1] in "'’":
        i -= 1
    elif i > 0 and body[i - 1] in SPACES:
        while i > 0 and body[i - 1] in SPACES:
            i -= 1
    else:
        return None
    j = i
    while j > 0 and body[j - 1].isalpha():
        j -= 1
    return j if j < i else None


def _direction(core: Core, cues: str, body: str) -> str:
    """past, future or nearest: which occurrence a month/day/quarter without a year names."""
    m = core.match
    gd = m.groupdict()
    if gd.get("past") or PAST_CUE_RE.search(cues):
        return "past"
    if gd.get("future") or FUTURE_CUE_RE.search(cues):
        return "future"
    # the clause decides; when it has no verb ("presentando i conti del primo trimestre") the tense marker
    # of the sentence nearest to the expression does; with none at all, the past (news report the past)
    for stop, past_res in ((CLAUSE_STOP, (PAST_VERB_RE, PAST_PARTICIPLE_RE)), (SENTENCE_STOP, (PAST_VERB_RE,))):
        lo, hi = _around(body, core.start, core.end, stop)
        futures = [(m.start(), m.end()) for m in FUTURE_VERB_RE.finditer(body, lo, hi)]
        start = core.start - len(cues)
        marks = [(_gap(a, b, start, core.end), "future") for a, b in futures]
        for rx in past_res:
            # "non è escluso" is no past, nor the participle of a future passive ("saranno comunicate")
            marks += [(_gap(m.start(), m.end(), start, core.end), "past") for m in rx.finditer(body, lo, hi)
                      if not any(a <= m.start() <= b + 1 for a, b in futures)]
        if marks:
            return min(marks)[1]
    return "past"


def _gap(start: int, end: int, core_start: int, core_end: int) -> int:
    return core_start - end if end <= core_start else max(0, start - core_end)


def _around(body: str, start: int, end: int, stop: re.Pattern) -> tuple[int, int]:
    """Bounds of the text around [start, end) up to the nearest `stop` on each side (at most 200 characters)."""
    lo = max(0, start - 200)
    cut = lo
    for m in stop.finditer(body, lo, start):
        cut = m.end()
    m = stop.search(body, end, end + 200)
    return cut, (m.start() if m else min(len(body), end + 200))


def _resolve(core: Core, cues: str, body: str, ref: PublishRef, g: TimexGrammar, last_year: int | None):
    """(value, value_end, granularity, anchor) of a core, or None when it is not a time expression."""
    m, kind = core.match, core.kind
    gd = m.groupdict()
    if kind == "numeric_date":
        value = _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return (value, None, "day", "absolute") if value else None
    if kind == "year":
        return m.group("year"), None, "year", "absolute"
    if kind == "year_range":
        y1 = int(m.group("y1"))
        y2 = m.group("y2") or m.group("y3")
        y2 = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
        if y2 <= y1:
            return m.group("y1"), None, "year", "absolute"
        return str(y1), str(y2), "year", "absolute"
    if kind == "half":
        return _resolve_half(core, cues, body, ref)
    if kind in ("quarter", "quarter_code"):
        return _resolve_quarter(core, cues, body, ref)
    if kind == "month":
        mon = g.months[m.group("mon").lower()]
        year = _explicit_year(gd, ref)
        if year == "?":
            return None, None, "month", "unresolved"
        if year is not None:
            return f"{year:04d}-{mon:02d}", None, "month", "absolute" if gd.get("year") else "relative"
        if not ref.knows("year"):
            return None, None, "month", "unresolved"
        y = _year_of(mon, 1, ref, _direction(core, cues, body), "month")
        return f"{y:04d}-{mon:02d}", None, "month", "relative"
    if kind == "day":
        return _resolve_day(core, cues, body, ref, g)
    if kind == "month_range":
        mon, mon2 = g.months[m.group("mon").lower()], g.months[m.group("mon2").lower()]
        year = _explicit_year(gd, ref)
        anchor = "absolute" if gd.get("year") else "relative"
        if year is None and ref.knows("year"):
            year = _year_of(mon, 1, ref, _direction(core, cues, body), "month")
        if year is None or year == "?":
            return None, None, "month", "unresolved"
        year2 = year if mon2 >= mon else year + 1
        if mon2 == mon + 2 and mon % 3 == 1:  # "tra luglio e settembre" is the third quarter
            return f"{year:04d}-Q{(mon + 2) // 3}", None, "quarter", anchor
        return f"{year:04d}-{mon:02d}", f"{year2:04d}-{mon2:02d}", "month", anchor
    if kind == "relative":
        resolved = _resolve_relative(gd, ref, last_year)
        if gd.get("year_edge") and resolved[0] is not None and ref.knows("month"):
            return _turn_of_year(core, cues, body, ref, resolved)
        return resolved
    if kind == "weekday":
        return _resolve_weekday(core, ref)
    if kind == "ago":
        return _resolve_ago(m, ref)
    if kind == "year_part":
        quarter = QUARTER_PART_RE.match(m.group(0))  # "nei primi tre mesi del 2024" is its first quarter
        q = None if quarter is None else 1 if quarter.group(1).lower().startswith("prim") else 4
        if m.group("year"):
            return (f"{m.group('year')}-Q{q}", None, "quarter", "absolute") if q else (m.group("year"), None, "year", "absolute")
        if not ref.knows("year"):
            return None, None, "year", "unresolved"
        return (f"{ref.date.year:04d}-Q{q}", None, "quarter", "relative") if q else (f"{ref.date.year:04d}", None, "year", "relative")
    return None


def _resolve_ago(m: re.Match, ref: PublishRef):
    """"tre giorni fa" / "una settimana fa" -> that day, "due mesi fa" -> that month, "cinque anni fa" -> that year."""
    n = m.group("n").lower().replace("’", "'").rstrip("'")
    n = int(n) if n.isdigit() else AGO_COUNTS[n]
    unit = m.group("unit").lower()[:4]
    granularity = {"gior": "day", "sett": "day", "mese": "month", "mesi": "month", "anno": "year", "anni": "year"}[unit]
    if not ref.knows(granularity):
        return None, None, granularity, "unresolved"
    d = ref.date
    if granularity == "day":
        return (d - dt.timedelta(days=n * (7 if unit == "sett" else 1))).isoformat(), None, "day", "relative"
    if granularity == "month":
        k = d.year * 12 + d.month - 1 - n
        return f"{k // 12:04d}-{k % 12 + 1:02d}", None, "month", "relative"
    return f"{d.year - n:04d}", None, "year", "relative"


def _explicit_year(gd: dict, ref: PublishRef):
    """The year a suffix fixes: an int, None when there is no suffix, '?' when it needs an unknown publish year."""
    if gd.get("year"):
        return int(gd["year"])
    offset = 0 if gd.get("this_year") else -1 if gd.get("last_year") else 1 if gd.get("next_year") else None
    if offset is None:
        return None
    return ref.date.year + offset if ref.knows("year") else "?"


def _year_of(month: int, day: int, ref: PublishRef, direction: str, granularity: str) -> int:
    y = ref.date.year
    if granularity == "day" and ref.knows("day"):
        target, now = (month, day), (ref.date.month, ref.date.day)
    elif ref.knows("month"):
        target, now = month, ref.date.month
    else:
        return y  # only the publish year is known: the same year
    past = y if target <= now else y - 1
    future = y if target >= now else y + 1
    if direction == "nearest":
        return past if _distance(target, now, past, y) <= _distance(target, now, future, y) else future
    return future if direction == "future" else past


def _distance(target, now, year: int, pub_year: int) -> int:
    # in months (or days): how far the occurrence of `target` in `year` is from the publish date
    if isinstance(target, tuple):
        a = dt.date(year, target[0], min(target[1], 28))
        b = dt.date(pub_year, now[0], min(now[1], 28))
        return abs((a - b).days)
    return abs((year * 12 + target) - (pub_year * 12 + now))


def _day_number(text: str) -> int:
    return 1 if text.lower() == "primo" else int(text.rstrip("°º"))


def _resolve_day(core: Core, cues: str, body: str, ref: PublishRef, g: TimexGrammar):
    m = core.match
    gd = m.groupdict()
    mon = g.months[m.group("mon").lower()]
    d1 = _day_number(m.group("d1"))
    d2 = _day_number(m.group("d2")) if m.group("d2") else None
    year = _explicit_year(gd, ref)
    anchor = "absolute" if gd.get("year") else "relative"
    if year is None:
        if not ref.knows("year"):
            year = "?"
        else:
            year = _year_of(mon, d1, ref, _direction(core, cues, body), "day")
            year = _day_year_check(body, core, mon, d1, ref, year)
    if year == "?":
        return None, None, "day", "unresolved"
    start = _iso(year, mon, d1)
    end = _iso(year, mon, d2) if d2 and d2 > d1 else None
    if start is None:
        return None
    return start, end, "day", anchor


# A day-month the tense put about a year away while the other occurrence is this close to the publish date is the
# close one ("per il 17 dicembre" in an article of 2 December; a live blog's "venerdì 27 giugno" on the 26th).
THIS_YEAR_RE = re.compile(rf"dell{AP}\s*anno$", re.IGNORECASE)
NEAR_DAYS = 45
FAR_DAYS = 180
WEEKDAY_NEAR_RE = re.compile(rf"\b(?:{WEEKDAY})\b", re.IGNORECASE)


def _day_year_check(body: str, core: Core, mon: int, day: int, ref: PublishRef, year: int) -> int:
    """The year of a day-month without one, checked against a weekday written with it ("venerdì 27 giugno" is a
    Friday) and against the publish date (see NEAR_DAYS)."""
    if not ref.knows("day"):
        return year
    candidates = [y for y in (ref.date.year - 1, ref.date.year, ref.date.year + 1) if _iso(y, mon, day)]
    named = WEEKDAY_NEAR_RE.search(body, max(0, core.start - 12), core.end)
    if named:
        weekday = next(n for n, w in enumerate(WEEKDAYS) if w[:4] == named.group(0).lower()[:4])
        fitting = [y for y in candidates if dt.date(y, mon, day).weekday() == weekday]
        if len(fitting) == 1:
            return fitting[0]
    if year not in candidates:
        return year
    near = [y for y in candidates if abs((dt.date(y, mon, day) - ref.date).days) <= NEAR_DAYS]
    return near[0] if abs((dt.date(year, mon, day) - ref.date).days) > FAR_DAYS and len(near) == 1 else year


def _resolve_half(core: Core, cues: str, body: str, ref: PublishRef):
    """A half year is its year: written, "dell'anno" (the publish year), or a bare "semestre": the past or
    next one as the tense says ("nel secondo semestre" in a January report of results is last year's)."""
    m = core.match
    if m.group("year"):
        return m.group("year"), None, "year", "absolute"
    if not ref.knows("year"):
        return None, None, "year", "unresolved"
    y = ref.date.year
    if m.group("this_year") is not None or not ref.knows("month"):
        return f"{y:04d}", None, "year", "relative"
    half = 1 if m.group(0).lower().startswith("prim") else 2
    now = 1 if ref.date.month <= 6 else 2
    past, future = (y if half <= now else y - 1), (y if half >= now else y + 1)
    direction = _direction(core, cues, body)
    if direction == "nearest":
        direction = "past" if y - past <= future - y else "future"
    return f"{future if direction == 'future' else past:04d}", None, "year", "relative"


def _resolve_quarter(core: Core, cues: str, body: str, ref: PublishRef):
    m = core.match
    gd = m.groupdict()
    q = int(gd["q"]) if gd.get("q") else QUARTER_ORDINALS[m.group("ord").lower()]
    year_text = gd.get("year") or gd.get("y1") or gd.get("yy")
    if year_text:
        digits = year_text.strip("'’")
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        return f"{year}-Q{q}", None, "quarter", "absolute"
    if not ref.knows("year"):
        return None, None, "quarter", "unresolved"
    rel = (gd.get("qrel") or "").strip().lower()
    y = ref.date.year
    if rel in ("scorso", "passato"):
        return f"{y - 1}-Q{q}", None, "quarter", "relative"
    if rel == "prossimo":
        return f"{y + 1}-Q{q}", None, "quarter", "relative"
    if rel or not ref.knows("month") or THIS_YEAR_RE.search(m.group(0)):
        return f"{y}-Q{q}", None, "quarter", "relative"  # "nel quarto trimestre dell'anno": this year's
    now = (ref.date.month - 1) // 3 + 1
    direction = _direction(core, cues, body)
    past, future = (y if q <= now else y - 1), (y if q >= now else y + 1)
    if direction == "future" and (y * 4 + now) - (past * 4 + q) == 1:
        direction = "past"  # "presenterà i conti del primo trimestre" in April: the quarter just ended
    if direction == "nearest":
        direction = "past" if abs((past * 4 + q) - (y * 4 + now)) <= abs((future * 4 + q) - (y * 4 + now)) else "future"
    return f"{future if direction == 'future' else past}-Q{q}", None, "quarter", "relative"


# How close to the turn of the year the publish month must be for "inizio anno" / "fine anno" to name the
# next / the previous year by the tense.
TURN_OF_YEAR_MONTHS = 3


def _turn_of_year(core: Core, cues: str, body: str, ref: PublishRef, resolved: tuple) -> tuple:
    """"presenterà a inizio anno" in November is next year's start; "a fine anno erano" in February last year's end."""
    starts = "inizio" in core.match.group(0).lower()
    month = ref.date.month
    if starts and month > 12 - TURN_OF_YEAR_MONTHS and _direction(core, cues, body) == "future":
        return str(ref.date.year + 1), None, "year", "relative"
    if not starts and month <= TURN_OF_YEAR_MONTHS and _direction(core, cues, body) == "past":
        return str(ref.date.year - 1), None, "year", "relative"
    return resolved


def _resolve_relative(gd: dict, ref: PublishRef, last_year: int | None):
    if gd.get("prev_year") or gd.get("next_rel_year"):
        step = -1 if gd.get("prev_year") else 1
        base = last_year if last_year is not None else (ref.date.year if ref.knows("year") else None)
        if base is None:
            return None, None, "year", "unresolved"
        return str(base + step), None, "year", "relative"
    for key, offset in (("this_year", 0), ("last_year", -1), ("next_year", 1), ("year_edge", 0)):
        if gd.get(key):
            if not ref.knows("year"):
                return None, None, "year", "unresolved"
            return str(ref.date.year + offset), None, "year", "relative"
    for key, offset in (("this_month", 0), ("last_month", -1), ("next_month", 1)):
        if gd.get(key):
            if not ref.knows("month"):
                return None, None, "month", "unresolved"
            total = ref.date.year * 12 + ref.date.month - 1 + offset
            return f"{total // 12:04d}-{total % 12 + 1:02d}", None, "month", "relative"
    for key, offset in (("today", 0), ("yesterday", -1), ("tomorrow", 1), ("two_days_ago", -2), ("after_tomorrow", 2)):
        if gd.get(key):
            if not ref.knows("day"):
                return None, None, "day", "unresolved"
            return (ref.date + dt.timedelta(days=offset)).isoformat(), None, "day", "relative"
    return None


def _resolve_weekday(core: Core, ref: PublishRef):
    m = core.match
    wd = next(i for i, name in enumerate(WEEKDAYS) if m.group("wd").lower()[:3] == name[:3])
    if not ref.knows("day"):
        return None, None, "day", "unresolved"
    rel = (m.group("wrel") or "").strip().lower()
    if rel == "prossimo":
        delta = (wd - ref.date.weekday()) % 7 or 7
    else:
        delta = -((ref.date.weekday() - wd) % 7)
    return (ref.date + dt.timedelta(days=delta)).isoformat(), None, "day", "relative"


def _iso(y: int, mo: int, d: int) -> str | None:
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None
