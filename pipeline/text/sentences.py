"""Italian sentence segmentation with character offsets (abbreviations, elisions, quotes, numbers)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Words that end with a period without ending the sentence (compared lowercased, period stripped).
ABBREVIATIONS = frozenset(
    """
    sig sigg sig.ra sigra dott dott.ssa dr prof prof.ssa ing avv arch geom rag on sen gen col cap magg
    ecc etc es pag pagg n nr num art artt cfr vol fig tab tel fax cod ca c.a s.a p.es min max
    st mr mrs ms jr sr inc ltd co corp bros vs mld mln mil
    gen feb mar apr mag giu lug ago set sett ott nov dic
    """.split()
)
# Function words after which an ellipsis does not end a sentence ("Partnership e… Stellantis").
_ELLIPSIS_GLUE = frozenset("e ed o od ma di a da in con su per tra fra il lo la i gli le un una".split())
# Capitalized words that begin sentences but never follow an initial inside a name.
_SENTENCE_OPENERS = frozenset(
    "il lo la i gli le l un uno una un ma e ed o in per con su da di a al del della nel nella se non anche poi "
    "questo questa quello quella secondo mentre però intanto oggi ieri inoltre infatti già c ci si".split()
)
_NEXT_WORD = re.compile(r"\s+[«“\"(]?([^\W\d_]+)")

# A terminator run: . ! ? … possibly repeated, then closing quotes/brackets.
_TERMINATOR = re.compile(r"[.!?…]+[\"»”’)\]]*")
# What may begin the next sentence, after whitespace: an uppercase letter, a digit, an opening quote or a dash.
_NEXT_START = r"[«“\"(\[–—-]?\s?[A-ZÀ-ÖØ-Þ0-9«“\"]"
# A terminator run followed by whitespace and a possible sentence start; group 1 is that whitespace.
# (One regex instead of a terminator search and a look-ahead match: a shorter run never matches where
# the whole run does not, since it ends before a terminator or a quote, not before whitespace.)
_CANDIDATE = re.compile(_TERMINATOR.pattern + r"(?=(\s+)" + _NEXT_START + ")")
# The word (letters, digits, dots, apostrophes) ending at a position, matched on the reversed line: anchored
# there it costs the word's length, where searching `[\w.’']+$` forward costs the whole line before it.
_WORD_REVERSED = re.compile(r"[\w.’']+")
_ACRONYM_DOTS = re.compile(r"^(?:[A-Za-z]\.){2,}[A-Za-z]?\.?$")
_FINAL_PUNCT = frozenset(".!?:;…»”\"’)")
HEADING_MAX_CHARS = 200


@dataclass(frozen=True)
class Sentence:
    """A sentence span of a text: [start, end) plus its paragraph and heading flag."""

    start: int
    end: int
    paragraph: int
    is_heading: bool


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; every line break ends a sentence and every non-empty line is a paragraph."""
    out: list[Sentence] = []
    paragraph = -1
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1  # every non-empty line is a paragraph (blank lines only separate them)
        spans = _split_line(line)
        heading = len(spans) == 1 and _is_heading_line(line)
        for s, e in spans:
            out.append(Sentence(line_start + s, line_start + e, paragraph, heading))
    return out


def _is_heading_line(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped) <= HEADING_MAX_CHARS and stripped[-1] not in _FINAL_PUNCT


def _split_line(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    reversed_line = None
    for m in _CANDIDATE.finditer(line):
        if reversed_line is None:
            reversed_line = line[::-1]
        if not _is_boundary(line, m.start(), m.group(), reversed_line):
            continue
        spans.append((start, m.end()))
        start = m.end(1)
    spans.append((start, len(line)))
    return [t for t in (_trim(line, s, e) for s, e in spans) if t[1] > t[0]]


def word_before(reversed_line: str, end: int) -> str:
    """The longest run of word characters, dots and apostrophes ending at `end` of the line ("" if none)."""
    m = _WORD_REVERSED.match(reversed_line, len(reversed_line) - end)
    return m.group()[::-1] if m else ""


def _is_boundary(line: str, term_start: int, term: str, reversed_line: str) -> bool:
    word = word_before(reversed_line, term_start + (1 if term.startswith(".") else 0))
    if term.startswith(".") and not term.startswith(".."):
        bare = word.rstrip(".").lower()
        if bare in ABBREVIATIONS:
            return False
        if len(bare) == 1 and bare.isalpha() and word[:1].isupper() and not _starts_with_function_word(line, term_start + len(term)):
            return False  # an initial ("J. Farley"), unless a sentence plainly starts next ("classe A. Un portavoce")
        if _ACRONYM_DOTS.match(word):  # S.p.A. / U.S.A.
            return False
    if term.startswith(("…", "...")):
        if word.rstrip(".…").lower() in _ELLIPSIS_GLUE:
            return False
    return True


def _starts_with_function_word(line: str, pos: int) -> bool:
    m = _NEXT_WORD.match(line, pos)
    return bool(m) and m.group(1).lower() in _SENTENCE_OPENERS


def _trim(line: str, s: int, e: int) -> tuple[int, int]:
    if s < e and not line[s].isspace() and not line[e - 1].isspace():
        return s, e  # the usual span: it starts after the whitespace and ends at its terminator
    # str.strip() removes exactly the characters str.isspace() accepts
    part = line[s:e]
    left = part.lstrip()
    if not left:
        return e, e
    return s + len(part) - len(left), e - (len(left) - len(left.rstrip()))


def sentence_index(starts: list[int], offset: int) -> int | None:
    """sentence_id of the sentence holding `offset`, given the sorted sentence start offsets."""
    return max(bisect.bisect_right(starts, offset) - 1, 0) if starts else None
