"""One sentence as lowercased tokens with lemmas, verb forms, in-quote flags and (computed on demand) body offsets."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from pipeline.extract.claims.morph import analyze_word

# Words (an elided article keeps its apostrophe: "l'", "dell'") or single punctuation marks; a negated
# character class keeps the scan in C (unicode \w classes cost twice as much on a 3 KB article).
# A number keeps its separators ("240.000", "1,5"): its comma or point is no clause boundary.
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+[^\s,;:()\[\]«»“”\"–—?!.…']*|[^\s,;:()\[\]«»“”\"–—?!.…']+'?|[,;:()\[\]«»“”\"–—?!.…']")
OPEN_QUOTES = frozenset("«“")
CLOSE_QUOTES = frozenset("»”")
QUOTE_MARKS = frozenset('«»“”"')
PUNCT = frozenset(",;:()[]«»“”\"–—?!.…'-")
NO_INFO = (None, None)


class Tokens:
    """Parallel lists for one sentence: toks, lemmas, forms, quoted, starts (body offsets); ends on demand."""

    __slots__ = ("toks", "lemmas", "forms", "quoted", "has_quotes", "_body", "_start", "_low", "_starts", "_ends")

    def __init__(self, toks: list[str], lemmas: list, forms: list, body: str, start: int, low: str):
        self.toks, self.lemmas, self.forms = toks, lemmas, forms
        self._body, self._start, self._low = body, start, low
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        self.quoted: list[bool] = [False] * len(toks)
        self.has_quotes = False

    def __len__(self) -> int:
        return len(self.toks)

    @property
    def low(self) -> str:
        """The sentence lowercased, apostrophes folded."""
        return self._low

    @property
    def starts(self) -> list[int]:
        return self._starts

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [s + len(tok) for s, tok in zip(self.starts, self.toks)]
        return self._ends

    def index_at(self, offset: int) -> int:
        """Index of the token holding body offset `offset` (or the token before it, when it falls on a space)."""
        return bisect_right(self.starts, offset) - 1

    def capital(self, i: int) -> bool:
        """True when token i is written with a capital letter."""
        return self._body[self.starts[i]].isupper()


def fold_lower(text: str) -> str:
    """Lowercase with typographic apostrophes folded, same length as `text` (offsets stay valid)."""
    # chained str.replace runs in C; str.translate with a dict table is several times slower
    folded = text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("´", "'")
    low = folded.lower()
    if len(low) != len(text):  # e.g. "İ" lowercases to two characters
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
    return low


def tokenize_sentence(body: str, start: int, end: int, word_info: dict, overrides: dict[str, str], quote_spans: list[tuple[int, int]]) -> Tokens:
    """Tokens of body[start:end]; `word_info` caches token -> (lemma, form) across calls; `quote_spans` are the
    inner spans of direct quotes overlapping the sentence."""
    low = fold_lower(body[start:end])
    toks: list[str] = []
    starts: list[int] = []
    add, at = toks.append, starts.append
    pos = start
    parts_of = _PARTS.get
    for word in low.split(" "):  # offsets by running length: only words with punctuation need the regex (cached per word)
        if word.isalnum():
            add(word)
            at(pos)
        elif word:
            parts, offs = parts_of(word) or _parts(word)
            toks += parts
            starts += [pos + o for o in offs]
        pos += len(word) + 1
    lemma_of, form_of = _lemma_form_maps(word_info)
    try:
        forms = list(map(form_of.__getitem__, toks))
    except KeyError:  # words met for the first time
        for tok in set(toks).difference(form_of):
            lemma_of[tok], form_of[tok] = word_info.get(tok) or _info(tok, word_info, overrides)
        forms = list(map(form_of.__getitem__, toks))
    t = Tokens(toks, list(map(lemma_of.__getitem__, toks)), forms, body, start, low)
    t._starts = starts
    if quote_spans:
        quoted = t.quoted
        for qs, qe in quote_spans:
            i, k = bisect_left(starts, qs), bisect_left(starts, qe)
            if k > i:
                quoted[i:k] = _TRUES[: k - i] if k - i <= len(_TRUES) else [True] * (k - i)
        t.has_quotes = True in quoted
    return t


_TRUES = [True] * 256
# space-free word with punctuation -> (tokens, offsets in the word): the regex runs once per distinct word
_PARTS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}
_PARTS_MAX = 200_000
# word_info dict (id) -> (token -> lemma, token -> form): the same cache split for lookups by map() in C
_MAPS: dict[int, tuple[dict, dict, dict]] = {}


def _lemma_form_maps(word_info: dict) -> tuple[dict, dict]:
    entry = _MAPS.get(id(word_info))
    if entry is None or entry[0] is not word_info:
        lemma_of = {k: v[0] for k, v in word_info.items()}
        form_of = {k: v[1] for k, v in word_info.items()}
        entry = _MAPS[id(word_info)] = (word_info, lemma_of, form_of)
    return entry[1], entry[2]


def _parts(word: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    parts = TOKEN_RE.findall(word)
    if sum(map(len, parts)) == len(word):  # the parts tile the word ("ford," -> "ford" ",")
        offs, p = [], 0
        for part in parts:
            offs.append(p)
            p += len(part)
        entry = (tuple(parts), tuple(offs))
    else:  # other whitespace inside (tab, no-break space): exact offsets from the regex
        ms = list(TOKEN_RE.finditer(word))
        entry = (tuple(m.group() for m in ms), tuple(m.start() for m in ms))
    if len(_PARTS) >= _PARTS_MAX:
        _PARTS.clear()
    _PARTS[word] = entry
    return entry


def _info(tok: str, cache: dict, overrides: dict[str, str]) -> tuple[str | None, str | None]:
    if tok[0] in PUNCT or tok[0].isdigit():
        info = NO_INFO
    else:
        word = tok[:-1] if tok.endswith("'") else tok
        info = analyze_word(word, overrides.get(word))
    cache[tok] = info
    return info
