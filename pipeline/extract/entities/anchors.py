"""Capitalized words of a body ("anchors") with offsets: where every name match and discovery starts."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Tokenizing a whole body costs more than the entity budget, so the rules only look at capitalized
# words (Italian capitalizes proper nouns only) and at a handful of regex hits around them.
# A capitalized word: letters/digits, not the elided article of "L’ipotesi" / "Dell’Orto" (possessive
# quantifier: no backtracking into a shorter word), split at hyphens (Ford-Xiaomi -> Ford, Xiaomi).
# The capital comes first (then a lookbehind on it) so the regex engine can skip ahead by character class.
ANCHOR_RE = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſ](?<![^\W_].)[^\W_]*+(?![’'])")
# Characters that make the next capitalized word sentence-initial (or quote-initial) when they precede it.
INITIAL_PREV = frozenset(".!?…:;«“\"\n")
# Characters folded to one form (str.replace is much faster than str.translate with a mapping).
FOLDS = (("’", "'"), ("‘", "'"), ("`", "'"), ("´", "'"), ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "))


def fold_text(text: str) -> str:
    """Lowercase with typographic apostrophes folded; same length as `text` so offsets carry over."""
    folded = text.lower()
    for a, b in FOLDS:
        if a in folded:
            folded = folded.replace(a, b)
    if len(folded) == len(text):
        return folded
    # A few characters lowercase to two (İ -> i̇): fold them one by one to keep offsets aligned.
    return "".join(c if len(c) == 1 else ch for c, ch in ((fold_text(ch) if len(ch.lower()) == 1 else ch, ch) for ch in text))


@dataclass(frozen=True)
class Anchors:
    """Parallel lists, one item per capitalized word: offsets, text, folded text, sentence-initial flag."""

    starts: list[int]
    ends: list[int]
    texts: list[str]
    folded: list[str]
    initial: list[bool]

    def __len__(self) -> int:
        return len(self.starts)


def scan_anchors(body: str, folded: str) -> Anchors:
    """Every capitalized word of `body`; `folded` is fold_text(body).

    Built with list comprehensions over the regex matches: a Python loop with five appends per word
    costs more than the regex itself.
    """
    matches = list(ANCHOR_RE.finditer(body))
    texts = [m.group() for m in matches]
    if any(t[0] > "Þ" for t in texts):  # the Latin Extended range mixes cases: keep the capitals only
        keep = [t[0] <= "Þ" or t[0].isupper() for t in texts]
        matches = [m for m, k in zip(matches, keep) if k]
        texts = [t for t, k in zip(texts, keep) if k]
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    folds = [folded[s:e] for s, e in zip(starts, ends)]
    prev = INITIAL_PREV
    # sentence-initial: the previous character (or the one before a single space) ends a sentence or opens a quote
    initial = [s == 0 or body[s - 1] in prev or (body[s - 1] == " " and (s == 1 or body[s - 2] in prev)) for s in starts]
    return Anchors(starts, ends, texts, folds, initial)
