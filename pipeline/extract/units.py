"""Currencies (ISO 4217) and measurement units after or before a number, converted to the table's units."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pipeline.extract.numbers import APOSTROPHE, load_lexicon, trie_pattern


UNSUPPORTED = ""  # the `unit` of a Unit outside the contract ("gradi", "Nm"): the number is no quantity


class Unit(NamedTuple):
    """A unit found after a number: where it ends, the contract unit, the conversion factor."""

    end: int
    unit: str  # UNSUPPORTED for units outside the contract
    factor: Decimal
    is_currency: bool
    via_di: bool  # written with "di" / "d'" in between ("1,5 miliardi di euro")


@dataclass(frozen=True)
class UnitGrammar:
    """numbers.yaml's currencies and units compiled into regexes (once per reference folder)."""

    after_re: re.Pattern
    prefix_re: re.Pattern
    prefix_chars: frozenset[str]
    table: dict[str, tuple[str, Decimal, bool]]  # lowercased surface (both apostrophes) -> unit, factor, currency?


def _key(surface: str) -> str:
    return " ".join(surface.lower().replace("’", "'").split())


def _factor(value) -> Decimal:
    """A conversion factor from numbers.yaml: a number or a fraction such as "1/60" (seconds to minutes)."""
    text = str(value)
    if "/" in text:
        num, den = text.split("/")
        return Decimal(num) / Decimal(den)
    return Decimal(text)


@lru_cache(maxsize=4)
def unit_grammar(reference_dir: Path | None = None) -> UnitGrammar:
    """Compile the unit regexes from numbers.yaml (cached)."""
    lex = load_lexicon(reference_dir)
    table: dict[str, tuple[str, Decimal, bool]] = {}
    for word, code in lex["currencies"].items():
        table[_key(word)] = (code, Decimal(1), True)
    for word, (unit, factor) in lex["units"].items():
        table[_key(word)] = (unit, _factor(factor), False)
    for word in lex.get("unsupported_units", []):
        table[_key(word)] = (UNSUPPORTED, Decimal(0), False)
    exact = sorted(set(lex.get("case_sensitive_units", [])), key=len, reverse=True)
    exact_keys = {_key(w) for w in exact}
    words = [w for w in table if w not in exact_keys]
    table |= {w.replace("'", "’"): v for w, v in table.items() if "'" in w}
    # A unit is a whole word: "20%" and "800V" are fine, "5 mesiversi" is not; "5 m" is metres, "5 M" is not.
    units = f"{trie_pattern(words + [w.replace(chr(39), '’') for w in words if chr(39) in w])}|(?-i:{'|'.join(re.escape(w) for w in exact)})"
    after = rf"(?P<di>[ \u00a0\u202f]*(?:di\s+|d{APOSTROPHE}))?[ \u00a0\u202f]*(?P<unit>{units})(?![^\W_])"
    symbols = [w for w in lex["currencies"] if not w[-1].isalpha()]  # "€", "$", "US$", "HK$", "R$"
    prefix = rf"(?:{'|'.join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))})[ \u00a0\u202f]?$"
    return UnitGrammar(re.compile(after, re.IGNORECASE), re.compile(prefix, re.IGNORECASE), frozenset(s[-1] for s in symbols), table)


def match_unit(text: str, pos: int, grammar: UnitGrammar | None = None) -> Unit | None:
    """The currency or unit right after `pos` (after spaces, optionally after "di"), or None."""
    g = grammar or unit_grammar()
    m = g.after_re.match(text, pos)
    if not m:
        return None
    word = m.group("unit")
    unit, factor, is_currency = g.table.get(word) or g.table.get(word.lower()) or g.table[_key(word)]
    return Unit(m.end(), unit, factor, is_currency, m.group("di") is not None)


def match_prefix_currency(text: str, pos: int, grammar: UnitGrammar | None = None) -> tuple[int, str] | None:
    """A currency symbol written before the number starting at `pos` ("€ 25.000", "$25"): (start, ISO code)."""
    g = grammar or unit_grammar()
    i = pos - 1
    if i >= 0 and text[i] in " \u00a0\u202f":
        i -= 1
    if i < 0 or text[i] not in g.prefix_chars:
        return None
    m = g.prefix_re.search(text, max(0, pos - 4), pos)
    if not m:
        return None
    symbol = m.group().strip(" \u00a0\u202f")
    return m.start(), g.table[_key(symbol)][0]
