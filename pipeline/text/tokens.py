"""Regex tokenizer for Italian with offsets: elided articles (dell’, l') are tokens of their own."""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Order matters: an elided word keeps its apostrophe (l’, dell’, un’), numbers keep . and , inside.
TOKEN_RE = re.compile(
    r"[^\W\d_]+[’']"  # elision: l’ dell’ un' quell’
    r"|\d+(?:[.,]\d+)*"  # 300.000  93,5  2027
    r"|[^\W_]+(?:[-–][^\W_]+)*"  # words, hyphenated compounds (joint-venture, Ford-Xiaomi), SU7
    r"|[^\w\s]",  # any other single symbol
)
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


class Token(NamedTuple):
    """A token: its text and [start, end) offsets in the source string."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of `text` with offsets; text[t.start:t.end] == t.text."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def fold(text: str) -> str:
    """Matching key: NFKC, typographic apostrophes to ', lowercase, accents kept (è ≠ e in Italian)."""
    return unicodedata.normalize("NFKC", text).translate(APOSTROPHES).lower()
