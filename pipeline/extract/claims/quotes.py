"""Direct quotes in « », “ ” and " ": inner spans per line, and the quoted words of each sentence."""
from __future__ import annotations

import re

QUOTE_MARK_RE = re.compile(r'[«»“”"\n]')
PAIRS = {"«": "»", "“": "”"}
# A quote spanning fewer words than this with no verb is a scare quote ("dream car"), not a statement.
MIN_STATEMENT_WORDS = 4


def find_quote_spans(body: str) -> list[tuple[int, int]]:
    """Inner [start, end) spans of every direct quote; a quote left open runs to the end of its line."""
    spans: list[tuple[int, int]] = []
    open_mark, open_at = None, -1
    for m in QUOTE_MARK_RE.finditer(body):
        ch, pos = m.group(), m.start()
        if ch == "\n":
            if open_mark is not None and pos > open_at:
                spans.append((open_at, pos))
            open_mark = None
            continue
        if open_mark is None:
            if ch in PAIRS or ch == '"':
                open_mark, open_at = ch, pos + 1
            elif ch == "”":  # some writers open with the closing mark: ”...”
                open_mark, open_at = ch, pos + 1
            continue
        closes = PAIRS.get(open_mark, open_mark)
        if ch == closes:
            if pos > open_at:
                spans.append((open_at, pos))
            open_mark = None
        # a mark of another kind inside an open quote is a nested quote: it stays part of the outer one
    if open_mark is not None and len(body) > open_at:
        spans.append((open_at, len(body)))
    return [_trim(body, s, e) for s, e in spans if body[s:e].strip()]


def _trim(body: str, s: int, e: int) -> tuple[int, int]:
    while s < e and body[s].isspace():
        s += 1
    while e > s and body[e - 1].isspace():
        e -= 1
    return s, e


def spans_in(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The quote spans overlapping [start, end), clipped to it."""
    out = []
    for s, e in spans:
        if s >= end:
            break
        if e > start:
            out.append((max(s, start), min(e, end)))
    return out


def sentence_quote(body: str, clipped: list[tuple[int, int]]) -> str | None:
    """The quoted words of a sentence: its longest quote span (clipped to the sentence), or None."""
    best = None
    for s, e in clipped:
        s, e = _trim(body, s, e)
        if e > s and (best is None or e - s > best[1] - best[0]):
            best = (s, e)
    return body[best[0] : best[1]] if best else None
