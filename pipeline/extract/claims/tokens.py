"""One sentence as lowercased tokens with lemmas, verb forms, in-quote flags and (computed on demand) body offsets."""
from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.extract.claims.morph import analyze_word

# Words (an elided article keeps its apostrophe: "l'", "dell'") or single punctuation marks; a negated
# character class keeps the scan in C (unicode \w classes cost twice as much on a 3 KB article).
TOKEN_RE = re.compile(r"[^\s,;:()\[\]«»“”\"–—?!.…']+'?|[,;:()\[\]«»“”\"–—?!.…']")
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
    findall = TOKEN_RE.findall
    for word in low.split(" "):  # offsets by running length: only words with punctuation need the regex
        if word.isalnum():
            add(word)
            at(pos)
        elif word:
            parts = findall(word)
            if sum(map(len, parts)) == len(word):  # the parts tile the word ("ford," -> "ford" ",")
                p = pos
                for part in parts:
                    add(part)
                    at(p)
                    p += len(part)
            else:  # other whitespace inside (tab, no-break space): exact offsets from the regex
                for m in TOKEN_RE.finditer(word):
                    add(m.group())
                    at(pos + m.start())
        pos += len(word) + 1
    get = word_info.get
    infos = [get(tok) or _info(tok, word_info, overrides) for tok in toks]
    lemmas, forms = (list(x) for x in zip(*infos)) if infos else ([], [])
    t = Tokens(toks, lemmas, forms, body, start, low)
    t._starts = starts
    if quote_spans:
        t.quoted = [any(qs <= s < qe for qs, qe in quote_spans) for s in starts]
        t.has_quotes = any(t.quoted)
    return t


def _info(tok: str, cache: dict, overrides: dict[str, str]) -> tuple[str | None, str | None]:
    if tok[0] in PUNCT or tok[0].isdigit():
        info = NO_INFO
    else:
        word = tok[:-1] if tok.endswith("'") else tok
        info = analyze_word(word, overrides.get(word))
    cache[tok] = info
    return info
