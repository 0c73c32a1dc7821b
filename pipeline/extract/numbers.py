"""Italian number parsing: digits in Italian typography, written-out cardinals, scale and approximate words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pipeline.reference import load_yaml

LEXICON_FILE = "lexicon/numbers.yaml"

# 300.000 / 1.000.000,5 (dot thousands), 300 000 with no-break spaces, 93,5 (comma decimal),
# 2.5 (dot decimal: only trusted later when a unit follows), 2027 (plain).
DIGITS_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:[\u00a0\u202f]\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}(?!\d)|\d+"
THOUSANDS_RE = re.compile(r"^\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?$")
APOSTROPHE = "['’]"
ONE = Decimal(1)
# Separators a scale word may follow a number with: none ("25mila") or one space.
GAP = r"[ \u00a0\u202f]?"
# Scans over a whole body start with a character class so that the regex engine can skip ahead in C:
# digits for numbers, a word separator for words (the body is scanned lowercased, after a leading space).
DIGIT_SCAN_RE = re.compile(r"\d+")
WORD_START = r"[\s(«“\"'’/\-–—]"
# Tokens read backwards from a number or date: words (an elided one keeps its apostrophe), numbers, symbols.
TOKEN_RE = re.compile(r"[^\W\d_]+['’]?|\d+(?:[.,]\d+)*|[^\w\s]")


class Number(NamedTuple):
    """A number found in a text: [start, end), its value and how it was written."""

    start: int
    end: int
    value: Decimal
    kind: str  # digits | words | approx
    scale: Decimal = Decimal(1)  # multiplier of the scale word ("miliardi" -> 1e9), 1 when none
    text: str = ""

    @property
    def plain(self) -> bool:
        """A bare integer written with digits only: 2027, 3 (the shapes labels, years and model names take)."""
        return self.kind == "digits" and self.scale == 1 and self.text.isdigit()

    @property
    def dot_decimal(self) -> bool:
        """English-style 2.5 or a version number 4.0: a quantity only when a unit follows."""
        return self.kind == "digits" and "." in self.text and not THOUSANDS_RE.match(self.text.split()[0])


class _NumberRegex:
    """Anchored matching of a number: the digits regex at a digit, the words regex elsewhere."""

    def __init__(self, digits: re.Pattern, words: re.Pattern):
        self.digits = digits
        self.words = words

    def match(self, text: str, pos: int = 0) -> re.Match | None:
        if pos >= len(text):
            return None
        return (self.digits if text[pos].isdigit() else self.words).match(text, pos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """Every number of `text`, left to right (slow path for tools and tests; extractors scan first)."""
        endpos = len(text) if endpos is None else endpos
        while pos < endpos:
            m = self.match(text, pos)
            if m and m.end() <= endpos:
                yield m
                pos = max(m.end(), pos + 1)
            else:
                pos += 1


@dataclass(frozen=True)
class NumberGrammar:
    """The lexicon of numbers.yaml compiled into regexes (built once per reference folder)."""

    lexicon: dict
    number_re: _NumberRegex  # anchored use: the number starting at a position
    word_scan_re: re.Pattern  # scan of a lowercased body for written-out numbers and "un paio"-like phrases
    morphemes: dict[str, int]
    scales: dict[str, Decimal]
    approximate: dict[str, int]
    one_units: dict[str, tuple[str, Decimal]]


def load_lexicon(reference_dir: Path | None = None) -> dict:
    """numbers.yaml as a dict (see the file for what each list means)."""
    return load_yaml(LEXICON_FILE, reference_dir)


def trie_pattern(words) -> str:
    """A regex matching any of `words` (literal, lowercase), factored by shared prefixes so that the
    engine tests one branch per first letter instead of one per word."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        inner = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return f"(?:{inner})?"
        return inner

    return build(trie)


def words_before(text: str, pos: int, limit: int = 5, window: int = 40) -> list[str]:
    """The last `limit` tokens before `pos` (words, numbers, punctuation), nearest last, as written."""
    return TOKEN_RE.findall(text, max(0, pos - window), pos)[-limit:]


def tokens_before(text: str, pos: int, limit: int = 6, window: int = 48) -> list[tuple[int, str]]:
    """Like words_before, with the start offset of each token."""
    return [(m.start(), m.group()) for m in TOKEN_RE.finditer(text, max(0, pos - window), pos)][-limit:]


def last_words(text: str, pos: int, limit: int = 2, window: int = 24) -> list[str]:
    """The last `limit` whitespace-separated words before `pos`, folded, punctuation stripped (fast path)."""
    words = text[max(0, pos - window) : pos].split()
    if pos > window and words and not text[pos - window - 1].isspace():
        words = words[1:]  # the first chunk is a cut word
    return [fold_token(w.strip(".,;:!?«»“”\"()")) or w for w in words[-limit:]]


def fold_text(text: str) -> str:
    """Lowercase `text` keeping every offset (a character whose lowercase is longer is kept as is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def fold_token(token: str) -> str:
    """Lowercase with a plain apostrophe: the key tokens are compared by."""
    return token.lower().replace("’", "'")


@lru_cache(maxsize=4)
def number_grammar(reference_dir: Path | None = None) -> NumberGrammar:
    """Compile the number regex from numbers.yaml (cached: one compile per process and folder)."""
    lex = load_lexicon(reference_dir)
    morphemes = {k.lower(): int(v) for k, v in lex["number_morphemes"].items()}
    scales = {k.lower(): Decimal(str(v)) for k, v in lex["scales"].items()}
    approximate = {k.lower(): int(v) for k, v in lex["approximate"].items()}
    # "un milione", "mezzo miliardo": singular scale words take the article "un" / "mezzo"
    singular_scales = [k for k, v in scales.items() if v >= 1_000_000 and k[-1] in "eo"]
    scale_alt = trie_pattern(scales)
    singular_alt = trie_pattern(singular_scales)
    # one regex per first character, so that an anchored match tries only the branches that can apply
    digits = rf"(?<![\w])(?P<digits>{DIGITS_PATTERN})(?:{GAP}(?P<digits_scale>{scale_alt})\b(?P<digits_half>\s+e\s+mezzo\b)?)?"
    words = (
        # "un paio", "una decina", "un centinaio"
        rf"(?P<approx_head>\bun[a]?{APOSTROPHE}?\s*)(?P<approx>{trie_pattern(approximate)})\b"
        # "mezzo milione"
        rf"|\bmezz[oa]\s+(?P<half_scale>{singular_alt})\b"
        # "un milione", "un miliardo e mezzo", "(superato) il milione"
        rf"|\b(?:un[o]?|il)\s+(?P<one_scale>{singular_alt})\b(?P<one_half>\s+e\s+mezzo\b)?"
        # written-out cardinals with an optional scale word: tre milioni / duecentomila
        rf"|\b(?P<words>(?:{trie_pattern(morphemes)})+)\b(?:\s+(?P<words_scale>{scale_alt})\b(?P<words_half>\s+e\s+mezzo\b)?)?"
    )
    number_re = _NumberRegex(re.compile(digits, re.IGNORECASE), re.compile(words, re.IGNORECASE))
    one_units = {k.lower(): (v[0], Decimal(str(v[1]))) for k, v in lex["one_units"].items()}
    phrases = [f"{a} {w}" for a in ("un", "una") for w in approximate] + [f"un'{w}" for w in approximate]
    phrases += [f"{a} {w}" for a in ("un", "uno", "il", "mezzo", "mezza") for w in singular_scales]
    phrases += [f"{a} {w}" for a in ("un", "una") for w in one_units] + [f"un'{w}" for w in one_units]
    phrases += [p.replace("'", "’") for p in phrases if "'" in p]
    # written-out numbers: morphemes in a row ("duecento" "mila"); "uno" only inside them (ventuno)
    starters = [m for m in morphemes if m not in ("uno", "mila")]
    word_scan = rf"{WORD_START}(?:(?P<phrase>{trie_pattern(phrases)})|(?P<word>(?:{trie_pattern(starters)})(?:{trie_pattern(morphemes)})*))(?![^\W_])"
    return NumberGrammar(lex, number_re, re.compile(word_scan), morphemes, scales, approximate, one_units)


def parse_digits(text: str) -> Decimal:
    """Italian typography -> Decimal: '300.000' -> 300000, '93,5' -> 93.5, '2.5' -> 2.5."""
    text = text.replace("\u00a0", ".").replace("\u202f", ".")
    if "," in text:
        whole, frac = text.split(",", 1)
        return Decimal(whole.replace(".", "") + "." + frac)
    if THOUSANDS_RE.match(text):
        return Decimal(text.replace(".", ""))
    return Decimal(text)


@lru_cache(maxsize=4096)
def _segment(word: str, morphemes: tuple[str, ...]) -> tuple[str, ...] | None:
    # Backtracking split into morphemes, longest first: "centottanta" is cent+ottanta, not cento+?
    if not word:
        return ()
    for m in morphemes:
        if word.startswith(m):
            rest = _segment(word[len(m):], morphemes)
            if rest is not None:
                return (m, *rest)
    return None


def parse_number_word(word: str, grammar: NumberGrammar | None = None) -> int | None:
    """A written-out Italian cardinal -> int ('ventitré' -> 23, 'duecentomila' -> 200000), else None."""
    g = grammar or number_grammar()
    key = word.lower().replace("’", "'")
    if key in g.lexicon.get("number_words_excluded", []):
        return None
    parts = _segment(key, tuple(sorted(g.morphemes, key=len, reverse=True)))
    if not parts or parts[0] in ("uno", "mila"):
        return None
    total = current = 0
    for part in parts:
        v = g.morphemes[part]
        if v == 1000:
            if current >= 1000:
                return None
            total += (current or 1) * 1000
            current = 0
        elif v == 100:
            if current >= 10:
                return None  # only 1-9 multiply cento
            current = (current or 1) * 100
        else:
            if current % 100 and v >= 10 or current % 10:
                return None  # "trentaventi", "tretre": not a numeral
            current += v
    return total + current


def find_numbers(text: str, grammar: NumberGrammar | None = None, pos: int = 0, endpos: int | None = None):
    """Every number of `text` (digits, words, approximations) as Number, left to right."""
    g = grammar or number_grammar()
    for m in g.number_re.finditer(text, pos, len(text) if endpos is None else endpos):
        n = number_from_match(m, g)
        if n is not None:
            yield n


def match_number(text: str, pos: int, grammar: NumberGrammar | None = None) -> Number | None:
    """The number starting exactly at `pos`, or None."""
    g = grammar or number_grammar()
    m = g.number_re.match(text, pos)
    return number_from_match(m, g) if m else None


def number_from_match(m: re.Match, g: NumberGrammar) -> Number | None:
    """Value of one match of the number regex (None for words that only look like numerals)."""
    half = Decimal("0.5")
    if m.re is g.number_re.digits:
        base = parse_digits(m.group("digits"))
        return _scaled(m, base, "digits", m.group("digits_scale"), m.group("digits_half"), g)
    if m.group("approx"):
        v = Decimal(g.approximate[m.group("approx").lower()])
        return Number(m.start(), m.end(), v, "approx", Decimal(1), m.group())
    if m.group("half_scale"):
        s = g.scales[m.group("half_scale").lower()]
        return Number(m.start(), m.end(), half * s, "approx", s, m.group())
    if m.group("one_scale"):
        s = g.scales[m.group("one_scale").lower()]
        v = (Decimal(1) + (half if m.group("one_half") else 0)) * s
        return Number(m.start(), m.end(), v, "words", s, m.group())
    word = m.group("words")
    base = parse_number_word(word, g)
    if base is None:
        return None
    if m.group("words_scale") and m.group("words_scale").lower() in ("mila", "mille"):
        return None  # "venti mila" is written "ventimila"; "tre mila" is rare and ambiguous with "tre" + noun
    return _scaled(m, Decimal(base), "words", m.group("words_scale"), m.group("words_half"), g)


def _scaled(m: re.Match, base: Decimal, kind: str, scale_word: str | None, half: str | None, g: NumberGrammar) -> Number:
    scale = g.scales[scale_word.lower()] if scale_word else ONE
    value = (base + (Decimal("0.5") if half else 0)) * scale
    return Number(m.start(), m.end(), value, kind, scale, m.group(kind))


def parse_number(text: str, grammar: NumberGrammar | None = None) -> float | None:
    """Parse a whole string as one Italian number ('1,5 miliardi' -> 1.5e9, 'tre' -> 3, '20%' -> 20), else None."""
    stripped = text.strip().rstrip("%").strip()
    n = match_number(stripped, 0, grammar)
    if n is None or n.end != len(stripped):
        return None
    return float(n.value)
