"""quantities.rules.v1: Italian numbers with unit, counted noun, qualifier and range, as `quantities` rows."""

# Every run of digits and every written-out number or "un paio"-like phrase (numbers.py) is read with
# these rules:
# - glued to letters or digits it is part of a name or code, not a quantity: SU7, ID.3, e-208, 500e, T03,
#   4x4, COVID-19, 24/7, 18:30, 1°; digit groups "800 123 456" are a phone number; "1." or "2)" opening
#   a line numbers a list item;
# - a written-out number ("tre") needs a unit or a counted noun after it, else it is skipped ("i due");
#   capitalized in mid-sentence it is a name ("la Seicento"); "due terzi" (a fraction) is skipped;
# - followed by a unit outside the contract ("a 360 gradi", "800 Nm", "5 litri") it is skipped;
# - a day number before a month ("il 24 aprile", "fra il 14 e il 15 febbraio") is a date, and a bare
#   four-digit number 1900-2100 is a year ("nel 2024", "VTM Torino 2026"): both belong to
#   time_expressions, unless a unit follows ("2000 euro") or a noun does without a year cue before it
#   ("con 2000 dipendenti"; the cues are `year_cues` in numbers.yaml, shared with timex.py) or a
#   participle ("un 2024 chiuso con"); the day of an agency dateline ("ROMA, 19 GIU -") is a date too;
# - ranges "15-20 anni", "tra 15 e 20 anni" give value and value_max; a range from 0 ("0-100 km/h")
#   is the upper bound alone, and without a unit ("0-100 in 6,2 secondi") nothing; "da X a Y" is
#   mostly a change ("scenderanno da 1.400 a 600", "da quattro a due"), so it gives two quantities
#   sharing the unit written after Y;
# - alternatives and lists share the unit written after the last one: "56,2 o 67,1 kWh" are two kWh
#   values, "tra il 5,5% e il 7%" two percentages;
# - "un"/"una" before a duration word is 1 ("oltre un anno", "una settimana"), except after a copula
#   ("è stato un anno difficile");
# - units and currencies after the number (numbers.yaml), or a currency symbol before it ("€ 25.000");
#   magnitudes are converted (50 GWh -> 50000000 kWh, 2 MW -> 2000 kW, tonnellate -> kg, metri -> mm,
#   miglia -> km, secondi -> minutes); "¥" is read as CNY and "corone" alone as SEK;
# - without a unit, a plain number right after a label word ("livello 3", "alle 18", "euro 7") or a
#   capitalized word in mid-sentence ("Model 3", "Fiat 500", "Renault 5") is a name; "2.5"/"4.0"
#   (dot decimals) are versions;
# - a plain number after a singular article ("la 500 ibrida", "il 10") is a name;
# - a number without a unit takes the currency of an earlier amount of the same sentence when it is an
#   amount in milioni/miliardi ("245 milioni di dollari, di cui 100 milioni da Scania", also before a
#   money noun: "sei miliardi di acquisti") or of the same order ("costa 49.990 euro, 5.000 in più");
#   an amount in milioni/miliardi after a money word ("un utile netto di 5,5 miliardi") takes the
#   nearest currency of the article, else EUR;
# - otherwise it is a count; `counted` is the noun after it (skipping adjectives such as "nuovi";
#   after milioni/miliardi only with "di": "2 milioni di auto"), or null when a function word follows
#   ("ha venduto 300.000 in Cina"); written-out numbers need a noun, except with milione/miliardo
#   ("sotto quota mezzo milione") or in "da quattro a due";
# - the qualifier is the word before it ("oltre", "circa", "fino al", "superiore al").
# - a duration followed by "fa" or "addietro" ("tre anni fa", "una settimana fa") dates something: a time expression.

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pipeline.extract.numbers import (
    APOSTROPHE,
    DIGIT_SCAN_RE,
    Number,
    NumberGrammar,
    fold_text,
    fold_token,
    match_number,
    number_grammar,
    trie_pattern,
    words_before,
)
from pipeline.extract.registry import register
from pipeline.text.sentences import sentence_index
from pipeline.extract.units import UNSUPPORTED, Unit, UnitGrammar, match_prefix_currency, match_unit, unit_grammar

SPACE = "[ \u00a0\u202f]"
ARTICLE = rf"(?:il|lo|la|i|gli|le|l{APOSTROPHE})"
ARTICLES = frozenset("il lo la i gli le l'".split())
# Articulated prepositions that end a qualifier ("fino al", "più del", "superiore al").
A_FORMS = ("a", "ad", "al", "ai", "agli", "alla", "alle", "allo", "all'")
DI_FORMS = ("di", "del", "dei", "degli", "della", "delle", "dello", "dell'")
BETWEEN = frozenset({"tra", "fra"})
FROM = frozenset({"da", "dai", "dagli", "dal", "dalle", "dall'", "dalla"})
TO = frozenset({"a", "ai", "al", "agli", "alle", "all'", "alla"})
# "la 500 ibrida", "il 10": a singular article before a plain number makes it a name or a label.
SINGULAR = frozenset(
    "la il lo l' della dello del alla allo al nella nello nel sulla sullo sul dalla dallo dal "
    "questa questo quella quello nuova nuovo".split()
)
# A copula before "un anno" makes it a description ("è stato un anno difficile"), not a duration.
COPULAS = frozenset("è e' stato stata sarà sarebbe fu era sia diventato diventata rappresenta resta rimane come".split())
TO_SEP_RE = re.compile(rf"{SPACE}+(?:all{APOSTROPHE}|(?:agli|alle|alla|ai|al|a)(?![^\W_]))(?:{SPACE}+{ARTICLE})?{SPACE}*", re.IGNORECASE)
# "15-20" always forms a range; "15 e 20" only after tra/fra ("56,2 o 67,1 kWh" is a list).
RANGE_DASH_RE = re.compile(rf"{SPACE}*[-–]{SPACE}*")
RANGE_WORD_RE = re.compile(rf"{SPACE}+e(?:{SPACE}+{ARTICLE})?{SPACE}*", re.IGNORECASE)
LIST_SEP_RE = re.compile(rf"{SPACE}*(?:,|{SPACE}(?:oppure|ed|o|e)(?![^\W_]))(?:{SPACE}+{ARTICLE})?{SPACE}*", re.IGNORECASE)
MILLION = Decimal(1_000_000)
HALF_RE = re.compile(rf"{SPACE}+e{SPACE}+mezz[oa]\b", re.IGNORECASE)  # "un anno e mezzo"
ELIDED_TENS = ("vent", "trent", "quarant", "cinquant", "sessant", "settant", "ottant", "novant")
APOSTROPHES = ("'", "’")
DURATIONS = frozenset({"year", "month", "week", "day", "hour", "minute"})
SENTENCE_BREAK_RE = re.compile(r"[.!?…][»”\"']?\s+(?=[A-ZÀ-Ý«“])|\n")
# Third-person plural verbs after a number are no counted noun ("altri 1.500 rischiano il posto").
VERB_3PL_RE = re.compile(r"^[a-zà-ù]{3,}(?:ano|ono)$")
# Digit groups separated by single spaces: phone numbers and codes ("800 123 456").
PHONE_RE = re.compile(r"(?<![\d.,])\d{2,4}(?: \d{2,4}){2,}(?!\d|[.,]\d)")
# Characters after which a capitalized word starts a sentence or a quote, not a name.
OPENERS = frozenset(".!?…:;«“\"(—–-•*\n")


@dataclass(frozen=True)
class ContextGrammar:
    """Regexes and word sets for the words around a number, built from numbers.yaml."""

    qualifiers: dict[tuple[str, ...], str]
    date_after_re: re.Pattern
    count_re: re.Pattern
    fraction_re: re.Pattern
    not_counted: frozenset[str]
    label_words: frozenset[str]
    money_nouns: frozenset[str]
    money_cue_re: re.Pattern
    year_cues: frozenset[str]


class Quantity(NamedTuple):
    """A quantity found in a body (before it becomes a row)."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    counted: str | None
    qualifier: str | None


def _qualifier_keys(phrase: str) -> list[tuple[str, ...]]:
    # "fino a" -> ("fino", "a"), ("fino", "al"), ("fino", "all'"), ...
    words = tuple(fold_token(w) for w in phrase.split())
    forms = {"a": A_FORMS, "di": DI_FORMS}.get(words[-1])
    return [words[:-1] + (f,) for f in forms] if forms else [words]


@lru_cache(maxsize=4)
def context_grammar(reference_dir: Path | None = None) -> ContextGrammar:
    """Compile the context regexes from numbers.yaml (cached)."""
    lex = number_grammar(reference_dir).lexicon
    qualifiers = {key: value for phrase, value in lex["qualifiers"].items() for key in _qualifier_keys(phrase)}
    months = trie_pattern(lex["months"])
    day = r"\d{1,2}(?:°|º)?"
    date_after_re = re.compile(
        rf"(?:{SPACE}*(?:e|ed|-|–|/|al|a|,)(?:{SPACE}+{ARTICLE}|{SPACE}*)?{SPACE}*{day})*{SPACE}+(?:di{SPACE}+)?(?:{months})\b", re.IGNORECASE
    )
    count_re = re.compile(
        rf"{SPACE}+(?P<di>di{SPACE}+|d{APOSTROPHE})?(?:(?:{trie_pattern(lex['count_adjectives'])}){SPACE}+)?(?P<noun>[^\W\d_]+(?:-[^\W\d_]+)?)",
        re.IGNORECASE,
    )
    fraction_re = re.compile(rf"{SPACE}+(?:{trie_pattern(lex['fractions'])})\b", re.IGNORECASE)
    return ContextGrammar(
        qualifiers,
        date_after_re,
        count_re,
        fraction_re,
        frozenset(w.lower() for w in lex["not_counted"]) | frozenset(lex["months"]) | frozenset(lex["scales"]),
        frozenset(fold_token(w) for w in lex["label_words"]),
        frozenset(w.lower() for w in lex["money_nouns"]),
        re.compile(rf"\b(?:{trie_pattern(lex['money_cues'])})\b", re.IGNORECASE),
        frozenset(fold_token(w) for w in lex["year_cues"]),
    )


# A year described by a participle ("un 2024 chiuso con un utile", "il 2023 segnato dal calo").
YEAR_PARTICIPLE_RE = re.compile(r"[ \u00a0]+(?:\w+(?:at|it|ut)[oaie]|chius[oa]|conclus[oa]|trascors[oa])\b")
# The upper-case month of an agency dateline ("ROMA, 19 GIU -"), case-sensitive.
DATELINE_MONTH_RE = re.compile(r"[ \u00a0]+(?:GEN|FEB|MAR|APR|MAG|GIU|LUG|AGO|SET|OTT|NOV|DIC)\b")

AGO_UNITS = frozenset({"day", "week", "month", "year"})
AGO_AFTER_RE = re.compile(r"[ \u00a0]+(?:fa|addietro)\b", re.IGNORECASE)
YEAR_PART_AFTER_RE = re.compile(r"[ \u00a0]+(?:dell['’]\s*anno|del[ \u00a0]+(?:19|20)\d\d)\b", re.IGNORECASE)
YEAR_PART_BEFORE = frozenset({"primi", "prime", "ultimi", "ultime"})


def _year_part(body: str, q) -> bool:
    """"nei primi nove mesi dell'anno": a stretch of a named year, not a duration."""
    before = words_before(body, q.start)
    return bool(before) and fold_token(before[-1]) in YEAR_PART_BEFORE and YEAR_PART_AFTER_RE.match(body, q.end) is not None


class QuantityRulesExtractor:
    """Finds quantities with the rules of this module's docstring."""

    name = "quantities.rules.v1"

    def __init__(self, reference_dir: Path | None = None):
        self.numbers = number_grammar(reference_dir)
        self.units = unit_grammar(reference_dir)
        self.context = context_grammar(reference_dir)

    def extract(self, body: str, sentences, article_id: str) -> list[dict]:
        found = find_quantities(body, self.numbers, self.units, self.context)
        return emit_quantities(body, found, sentences, article_id)


@register("quantities.rules.v1")
def make_quantity_rules(reference_dir: Path | None = None) -> QuantityRulesExtractor:
    return QuantityRulesExtractor(reference_dir)


def find_quantities(
    body: str,
    numbers: NumberGrammar | None = None,
    units: UnitGrammar | None = None,
    context: ContextGrammar | None = None,
) -> list[Quantity]:
    """Every quantity of `body`, left to right, without overlaps."""
    ng = numbers or number_grammar()
    ug = units or unit_grammar()
    cg = context or context_grammar()
    found: list[Quantity] = []
    taken = 0  # end of the last number read: "300.000" is not read again as "000", a range's end neither
    for pos, phrase in _candidates(body, ng, cg):
        if pos < taken:
            continue
        one = _one_unit(body, pos, phrase, ng, cg) if phrase else None
        if one is not None:
            q, taken = one, one.end
        else:
            n = match_number(body, pos, ng)
            if n is None:
                continue
            taken = n.end
            q = _read_quantity(body, n, ng, ug, cg, found[-1].end if found else 0)
        if q is not None:
            taken = max(taken, q.end)
            if q.unit in AGO_UNITS and (AGO_AFTER_RE.match(body, q.end) or _year_part(body, q)):
                continue  # "tre anni fa", "nei primi nove mesi dell'anno": timex.py reads them as dates
            found.append(q)
    return _inherit_currency(body, found, cg)


def _candidates(body: str, ng: NumberGrammar, cg: ContextGrammar) -> list[tuple[int, str | None]]:
    """Start offsets of digits and of written-out numbers (with the phrase when it is "un anno"-like)."""
    out = [(m.start(), None) for m in DIGIT_SCAN_RE.finditer(body) if not _plain_year(body, m, cg)]
    lower = " " + fold_text(body)
    # offsets in `lower` are one more than in `body` (the leading space)
    out += [(m.start(m.lastgroup) - 1, m.group("phrase")) for m in ng.word_scan_re.finditer(lower)]
    out.sort(key=lambda c: c[0])
    return out


def _plain_year(body: str, m: re.Match, cg: ContextGrammar) -> bool:
    # Fast path for the commonest number of news, a year after its cue ("nel 2024"): no further reading.
    text = m.group()
    if len(text) != 4 or not ("1900" <= text <= "2100"):
        return False
    after = body[m.end() : m.end() + 3].lstrip(" ")
    if after[:1].isalnum() or after[:1] in "%€$£/-–'’°" or (after[:1] in ".," and after[1:2].isdigit()):
        return False
    prev = body[max(0, m.start() - 12) : m.start()].split()
    return bool(prev) and body[m.start() - 1] == " " and fold_token(prev[-1]) in cg.year_cues


def emit_quantities(body: str, found: list[Quantity], sentences, article_id: str) -> list[dict]:
    """Quantity -> row dict of schema.QUANTITIES (claim_id is filled by run.py)."""
    starts = [s.start for s in sentences]
    return [
        {
            "article_id": article_id,
            "claim_id": None,
            "sentence_id": sentence_index(starts, q.start),
            "start": q.start,
            "end": q.end,
            "surface": body[q.start : q.end],
            "value": q.value,
            "value_max": q.value_max,
            "unit": q.unit,
            "counted": q.counted,
            "qualifier": q.qualifier,
        }
        for q in found
    ]


def _one_unit(body: str, pos: int, phrase: str, ng: NumberGrammar, cg: ContextGrammar) -> Quantity | None:
    """"un anno", "una settimana", "un'ora": a duration of one unit written with the article."""
    word = fold_token(phrase).replace("'", "' ").partition(" ")[2].strip()
    if word not in ng.one_units:
        return None
    before = words_before(body, pos)
    if before and fold_token(before[-1]) in COPULAS:
        return None
    unit, factor = ng.one_units[word]
    end = pos + len(phrase)
    half = HALF_RE.match(body, end)
    value = (Decimal(1) + (Decimal("0.5") if half else 0)) * factor
    return Quantity(pos, half.end() if half else end, _num(value), None, unit, None, _qualifier([fold_token(w) for w in before], cg))


def _read_quantity(body: str, n: Number, ng: NumberGrammar, ug: UnitGrammar, cg: ContextGrammar, floor: int) -> Quantity | None:
    """The quantity the number `n` starts, or None; `floor` is where the previous quantity ended."""
    if n.kind == "words" and body[n.end : n.end + 1] in APOSTROPHES and n.text.lower().endswith(ELIDED_TENS):
        n = n._replace(end=n.end + 1)  # "vent'anni", "trent’anni": the apostrophe is the number's elided vowel
    unit = match_unit(body, n.end, ug)
    if unit is not None and unit.unit == UNSUPPORTED:
        return None  # "a 360 gradi", "800 Nm"
    digits = n.kind == "digits"
    plain = n.plain
    if digits and not (_free_left(body, n) and _free_right(body, n, unit)):
        return None
    if not digits:
        if body[n.start].isupper() and n.kind == "words" and not _starts_sentence(body, n.start):
            return None
        if cg.fraction_re.match(body, n.end):
            return None
    if plain and len(n.text) <= 2 and (cg.date_after_re.match(body, n.end) or _list_marker(body, n)):
        return None
    start, end = n.start, n.end
    value, value_max = n.value, None
    maybe_year = plain and len(n.text) == 4 and 1900 <= n.value <= 2100
    before = words_before(body, n.start)
    folded = [fold_token(w) for w in before]
    last = folded[-1] if folded else ""
    if maybe_year and unit is None and (last in cg.year_cues or YEAR_PARTICIPLE_RE.match(body, n.end)):
        return None  # a year ("nel 2024", "fino al 2030", "un 2024 chiuso con"): time_expressions has it
    if plain and len(n.text) <= 2 and DATELINE_MONTH_RE.match(body, n.end):
        return None  # "TOKYO, 19 GIU -": an agency dateline's date
    between = _cue_index(folded, BETWEEN)
    second = None if maybe_year else _range_end(body, n, between is not None, ng, ug)
    if second is not None:
        low = n.value * second.scale if n.scale == 1 and second.scale > 1 else n.value
        if second.value > low:
            value, value_max, end = low, second.value, second.end
            if low == 0:  # "0-100 km/h": the range names its upper bound
                value, value_max = second.value, None
            if between is not None:
                start = max(body.rfind(before[between], 0, n.start), floor)
            unit = match_unit(body, end, ug)
    # "da quattro a due": two quantities, both allowed without a noun
    from_to = (_cue_index(folded, FROM) is not None and TO_SEP_RE.match(body, n.end) is not None) or (
        len(folded) >= 3 and last in TO and folded[-3] in FROM
    )
    if n.value == 0 and (from_to or RANGE_DASH_RE.match(body, n.end)) and (unit is None or unit.end <= n.end + 1):
        return None  # the 0 of "da 0 a 100 km/h" and "0-100 in 6,2 secondi" (km/h unwritten)
    if unit is not None and plain and _in_title(body, n, unit, before):
        return None  # "Il Sole 24 Ore": a name in title case
    scaled = n.scale > 1 or (value_max is not None and second.scale > 1)  # "tra 8 e 10 miliardi di euro"
    if unit is not None and (unit.unit == UNSUPPORTED or unit.via_di and not (scaled or n.kind == "approx")):
        unit = None  # "300 di euro" is not Italian; "300 di questi" counts nothing
    if unit is None:
        prefix = match_prefix_currency(body, n.start, ug)
        if prefix is not None and prefix[0] >= floor:  # "300.000 € 300.000": the € is the first one's
            unit = Unit(end, prefix[1], Decimal(1), True, False)
            start = min(start, prefix[0])
    unit_end = unit.end if unit is not None else end
    if unit is None and value_max is None:
        shared = _shared_unit(body, end, n, ng, ug, from_to)
        if shared is not None:
            unit, scale = shared
            value *= scale
        unit_end = end
    qualifier = _qualifier(folded, cg) if value_max is None else None

    if unit is None:
        if n.dot_decimal:
            return None
        if plain and (last in SINGULAR or _is_label(body, n.start, before, last, cg)):
            return None
    if unit is not None:
        factor = unit.factor
        half = HALF_RE.match(body, unit_end) if unit.unit in DURATIONS and value_max is None and n.scale == 1 else None
        if half:  # "due anni e mezzo"
            value, unit_end = value + Decimal("0.5"), half.end()
        vmax = None if value_max is None else _num(value_max * factor)
        return Quantity(start, unit_end, _num(value * factor), vmax, unit.unit, None, qualifier)
    # the counted noun follows the last number: a range's second one carries the scale ("tra 2 e 3 milioni di auto")
    counted, count_end = _counted(body, end, second if value_max is not None else n, cg)
    if counted is None and not digits and not (n.scale >= MILLION or from_to):
        return None  # "i due", "sono tre": written-out numbers need a noun
    if maybe_year and counted is None:
        return None  # a year without its cue ("VTM Torino 2026"); "con 2000 dipendenti" is a count
    vmax = None if value_max is None else _num(value_max)
    return Quantity(start, count_end, _num(value), vmax, "count", counted, qualifier)


def _cue_index(folded: list[str], cues: frozenset[str]) -> int | None:
    """Index in `folded` of a cue word right before the number, maybe followed by an article ("tra il")."""
    if folded and folded[-1] in cues:
        return len(folded) - 1
    if len(folded) >= 2 and folded[-1] in ARTICLES and folded[-2] in cues:
        return len(folded) - 2
    return None


def _shared_unit(body: str, pos: int, n: Number, ng: NumberGrammar, ug: UnitGrammar, from_to: bool) -> tuple[Unit | None, Decimal] | None:
    """The unit after the last item of a list or alternative, with the scale word the items share when only
    the last one writes it: "56,2 o 67,1 kWh", "da 10 a 20 euro", "da 10.000 a 7.000 miliardi di yen";
    no unit but the scale for a count ("da 2 a 3 milioni di auto")."""
    for _ in range(4):
        sep = LIST_SEP_RE.match(body, pos) or (TO_SEP_RE.match(body, pos) if from_to else None)
        if sep is None:
            return None
        nxt = match_number(body, sep.end(), ng)
        if nxt is None or nxt.kind != n.kind:
            return None
        unit = match_unit(body, nxt.end, ug)
        if nxt.kind == "digits" and not _free_right(body, nxt, unit):
            return None
        scaled = n.scale == 1 and nxt.scale > 1
        if unit is not None and unit.unit != UNSUPPORTED and (not unit.via_di or scaled):
            return unit, (nxt.scale if scaled else Decimal(1))
        if scaled and unit is None:
            return None, nxt.scale  # "da 2 a 3 milioni di auto": a count, with the scale of the last item
        if unit is not None or nxt.scale != n.scale:
            return None
        pos = nxt.end
    return None


def _num(d: Decimal) -> float:
    return float(d)


def _in_title(body: str, n: Number, unit: Unit, before: list[str]) -> bool:
    """A capitalized unit word after a capitalized word in mid-sentence: "Sole 24 Ore", "Radio 24 Ore"."""
    word = body[n.end : unit.end].split()[-1] if body[n.end : unit.end].split() else ""
    if not (len(word) >= 3 and word[0].isupper() and word[1:].islower()):
        return False
    prev = before[-1] if before else ""
    return prev[:1].isupper() and not _starts_sentence(body, body.rfind(prev, 0, n.start))


def _list_marker(body: str, n: Number) -> bool:
    """"1." or "2)" opening a line: the number of a list item."""
    line_start = body.rfind("\n", 0, n.start) + 1
    return not body[line_start : n.start].strip() and body[n.end : n.end + 1] in (".", ")") and body[n.end + 1 : n.end + 2] in ("", " ", "\n")


def _free_left(body: str, n: Number) -> bool:
    before = body[n.start - 1] if n.start else " "
    before2 = body[n.start - 2] if n.start > 1 else " "
    if before in ".,/:" and before2.isalnum():
        return False
    if before in "-–" and before2.isalnum():
        return False
    if before in "'’" and not before2.isalpha():
        return False  # "anni '90", "nel '24"
    if n.plain and (before == " " and before2.isdigit() or body[n.end : n.end + 2][1:].isdigit()):
        return not any(m.start() <= n.start and n.end <= m.end() for m in PHONE_RE.finditer(body, max(0, n.start - 16), n.end + 16))
    return True


def _free_right(body: str, n: Number, unit: Unit | None) -> bool:
    """Nothing glued after the digits but a unit ("800V", "20km"): "500e", "3D", "4x4", "1°" are names."""
    after = body[n.end] if n.end < len(body) else " "
    after2 = body[n.end + 1] if n.end + 1 < len(body) else " "
    if after.isdigit() or after in "°ºª":
        return False
    if after in ".,:/" and after2.isdigit():
        return False
    if after.isalpha() or after == "_":
        return unit is not None and not unit.via_di and unit.unit != UNSUPPORTED
    return True


def _range_end(body: str, n: Number, has_cue: bool, ng: NumberGrammar, ug: UnitGrammar) -> Number | None:
    sep = RANGE_DASH_RE.match(body, n.end) or (RANGE_WORD_RE.match(body, n.end) if has_cue else None)
    if sep is None:
        return None
    second = match_number(body, sep.end(), ng)
    if second is None or (second.kind == "digits") != (n.kind == "digits"):
        return None
    if second.kind == "digits" and not _free_right(body, second, match_unit(body, second.end, ug)):
        return None
    return second


def _qualifier(folded: list[str], cg: ContextGrammar) -> str | None:
    """The qualifier ending right before a number: "oltre", "fino al", "più del", "circa il" (folded tokens)."""
    if folded and folded[-1] in ARTICLES:
        folded = folded[:-1]  # "oltre il 20%"
    for size in (3, 2, 1):
        if len(folded) >= size and tuple(folded[-size:]) in cg.qualifiers:
            return cg.qualifiers[tuple(folded[-size:])]
    return None


def _starts_sentence(body: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and body[i] in " \u00a0\t":
        i -= 1
    return i < 0 or body[i] in OPENERS


def _is_label(body: str, start: int, before: list[str], last: str, cg: ContextGrammar) -> bool:
    """A plain number after a label word ("livello 3", "n. 1") or a name ("Model 3", "Fiat 500")."""
    if not before:
        return False
    word = before[-1]
    if word == "." and len(before) >= 2 and fold_token(before[-2]) in cg.label_words:
        return True  # "n. 1", "art. 5"
    if not word[0].isalpha():
        return False
    if last in cg.label_words:
        return True
    return word[0].isupper() and not _starts_sentence(body, body.rfind(word, 0, start))


def _counted(body: str, pos: int, n: Number, cg: ContextGrammar) -> tuple[str | None, int]:
    m = cg.count_re.match(body, pos)
    if not m:
        return None, pos
    noun = m.group("noun")
    if noun.lower() in cg.not_counted or VERB_3PL_RE.match(noun):
        return None, pos
    if m.group("di") and not (n.scale > 1 or n.kind == "approx"):
        return None, pos
    if n.scale >= MILLION and not m.group("di"):
        return None, pos  # "100 milioni messi a disposizione": Italian needs "di" before a counted noun
    return noun, m.end()


def _inherit_currency(body: str, found: list[Quantity], cg: ContextGrammar) -> list[Quantity]:
    """Bare amounts after a currency amount of their sentence are money too (see the module rules)."""
    currencies = [(q.start, q.unit, q.value) for q in found if _is_currency(q.unit)]
    out = []
    for q in found:
        if q.unit == "count" and (q.counted is None or q.counted.lower() in cg.money_nouns):
            code = _currency_for(body, q, currencies, cg)
            if code:
                q = Quantity(q.start, q.end, q.value, q.value_max, code, None, q.qualifier)
        out.append(q)
    return out


def _is_currency(unit: str) -> bool:
    return len(unit) == 3 and unit.isupper()


def _currency_for(body: str, q: Quantity, currencies: list[tuple[int, str, float]], cg: ContextGrammar) -> str | None:
    earlier = [c for c in currencies if c[0] < q.start]
    if earlier and not SENTENCE_BREAK_RE.search(body, earlier[-1][0], q.start):
        pos, code, amount = earlier[-1]
        # "245 milioni di dollari, di cui 100 milioni"; "costa 49.990 euro, 5.000 in più": an amount of the
        # same order; "costa 30.000 euro e ne vende 3" is no money
        if q.value >= MILLION or (amount and 0.01 <= q.value / amount <= 100):
            return code
    if q.value < MILLION:
        return None
    lo = max(0, q.start - 60)
    cuts = [m.end() for m in SENTENCE_BREAK_RE.finditer(body, lo, q.start)]
    if not cg.money_cue_re.search(body, cuts[-1] if cuts else lo, q.start):
        return None
    if not currencies:
        return "EUR"  # Italian news count in euro unless they say otherwise
    return min(currencies, key=lambda c: abs(c[0] - q.start))[1]
