"""One raw record -> one clean article row and its sentences: header date, boilerplate, title, language."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.errors import RecordRejected
from pipeline.ingest.language import language_identifier
from pipeline.ingest.readers import RawRecord, Reject
from pipeline.reference import BoilerplatePattern
from pipeline.text.sentences import Sentence, split_sentences

# ` date 2025-02-14 First words…`: the corpus header, on the first line, before the article's first words.
HEADER_DATE_RE = re.compile(r"^\s*date\s+(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?=\s|$)[ \t]*")
# Dates given in JSONL/CSV fields or HTML metadata.
FIELD_DATE_RE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?(?:[T ][\d:.+\-Z]*)?\s*$")
FIELD_DATE_DMY_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
TITLE_MAX_CHARS = 120
TITLE_SCAN_CHARS = 2000
MIN_YEAR = 1900
LANGUAGE_SAMPLE_CHARS = 1000  # enough for a confident call; the identifier cost grows with the sample
MIN_LANGUAGE_CHARS = 20
_BLANK_LINES = re.compile(r"\n{3,}")
# Group references and conditionals (\\1, (?P=name), (?(1)...)) would change meaning once patterns are combined.
_SELF_REFERENCE = re.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?\(")


@dataclass(frozen=True)
class ParsedDate:
    """A publish date with its precision, or the reason it could not be used."""

    value: dt.date | None
    precision: str
    problem: str | None = None


UNKNOWN_DATE = ParsedDate(None, "unknown")


def split_header(text: str) -> tuple[str | None, str]:
    """Separate the ` date YYYY-MM[-DD]` header from the first words of the article."""
    m = HEADER_DATE_RE.match(text)
    if not m:
        return None, text
    return m.group(0).strip()[len("date") :].strip(), text[m.end() :]


def parse_date(value: str | None, today: dt.date | None = None) -> ParsedDate:
    """'2025-02-14' -> day, '2025-02' -> month, '2025' -> year; impossible dates carry a problem."""
    if value is None or not str(value).strip():
        return UNKNOWN_DATE
    s = str(value).strip()
    m = FIELD_DATE_RE.match(s)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
    else:
        m = FIELD_DATE_DMY_RE.match(s)
        if not m:
            return ParsedDate(None, "unknown", f"unrecognized date '{s}': write YYYY-MM-DD, YYYY-MM or YYYY")
        d, mo, y = m.groups()
    year = int(y)
    try:
        if d is not None:
            date, precision = dt.date(year, int(mo), int(d)), "day"
        elif mo is not None:
            date, precision = dt.date(year, int(mo), 1), "month"
        else:
            date, precision = dt.date(year, 1, 1), "year"
    except ValueError:
        return ParsedDate(None, "unknown", f"impossible date '{s}'")
    if year < MIN_YEAR:
        return ParsedDate(None, "unknown", f"implausible year in date '{s}'")
    if today is not None and date > today:
        return ParsedDate(date, precision, "future_date")
    return ParsedDate(date, precision)


def strip_boilerplate(text: str, patterns: tuple[BoilerplatePattern, ...]) -> tuple[str, list[str]]:
    """Drop whole lines that match a boilerplate pattern; return the text and the removed lines."""
    is_boilerplate = _line_matcher(tuple(patterns))
    kept, removed = [], []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and is_boilerplate(stripped):
            removed.append(stripped)
        else:
            kept.append(line)
    return _tidy_blank_lines("\n".join(kept)), removed


@lru_cache(maxsize=8)
def _line_matcher(patterns: tuple[BoilerplatePattern, ...]):
    """A function telling whether any pattern matches a whole line: one alternation of all patterns (one regex
    call per line instead of one per pattern), unless a pattern refers to its own groups."""
    if not patterns:
        return lambda line: False
    if not any(_SELF_REFERENCE.search(p.regex.pattern) for p in patterns):
        parts = [f"(?{'i' if p.regex.flags & re.IGNORECASE else '-i'}:{p.regex.pattern})" for p in patterns]
        try:
            return re.compile("|".join(parts)).fullmatch
        except re.error:  # e.g. a pattern with global inline flags: match the patterns one by one
            pass
    return lambda line: any(p.regex.fullmatch(line) for p in patterns)


def _tidy_blank_lines(text: str) -> str:
    if "\n\n\n" in text:  # a plain search first: most texts have no run of blank lines to collapse
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def derive_title(body: str, sentences: list[Sentence] | None = None) -> str:
    """The first sentence (of the first TITLE_SCAN_CHARS), cut at a word boundary after TITLE_MAX_CHARS.

    `sentences`, the body's own, are reused when the first sentence's line ends within TITLE_SCAN_CHARS:
    splitting depends on the line alone, so the prefix gives the same first sentence."""
    if not sentences or _line_end(body, sentences[0].start) > TITLE_SCAN_CHARS:
        sentences = split_sentences(body[:TITLE_SCAN_CHARS])
    first = body[sentences[0].start : sentences[0].end] if sentences else body.strip()
    if len(first) <= TITLE_MAX_CHARS:
        return first
    cut = first[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + "…"


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def identify_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence from py3langid; (None, 0.0) for text too short to tell."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if len(sample.strip()) < MIN_LANGUAGE_CHARS:
        return None, 0.0
    lang, score = language_identifier().classify(sample)
    return lang, round(float(score), 4)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def make_article_id(body_hash: str, source_path: str) -> str:
    """Stable id from the content hash and the relative source path (exact copies stay distinct)."""
    return "a_" + hashlib.sha256(f"{body_hash}|{source_path}".encode()).hexdigest()[:16]


def normalize_record(
    record: RawRecord, patterns: tuple[BoilerplatePattern, ...], today: dt.date
) -> tuple[dict, list[dict], list[Reject]]:
    """Pure: raw record -> (article row, sentence rows, rejects about parts of it such as its date)."""
    text, header_date = record.text, record.date
    if record.has_header:
        header_date, text = split_header(text)
    body, removed = strip_boilerplate(text, patterns)
    if not body:
        reason = "no_text"
        detail = f"nothing left after removing {len(removed)} boilerplate line(s)" if removed else "no article text"
        raise RecordRejected(reason, detail)
    parsed = parse_date(header_date, today)
    flags, rejects = [], []
    if parsed.problem == "future_date":
        flags.append("future_date")
    elif parsed.problem:
        flags.append("invalid_date")
        rejects.append(Reject(record.source_path, "invalid_date", f"{parsed.problem}; article kept with an unknown date"))
    language, score = identify_language(body)
    if language is None:
        flags.append("language_unknown")
    elif language != "it":
        flags.append("non_italian")
    body_hash = content_hash(body)
    article_id = make_article_id(body_hash, record.source_path)
    sentences = split_sentences(body)
    title = (record.title or "").strip() or None
    article = {
        "article_id": article_id,
        "source_path": record.source_path,
        "title": title or derive_title(body, sentences),
        "title_derived": title is None,
        "body": body,
        "published": parsed.value,
        "date_precision": parsed.precision if parsed.value else "unknown",
        "language": language,
        "language_score": score,
        "duplicate_of": None,
        "duplicate_kind": None,
        "content_hash": body_hash,
        "encoding": record.encoding,
        "source_format": record.source_format,
        "url": record.url,
        "n_chars": len(body),
        "n_sentences": len(sentences),
        "boilerplate_removed": len(removed),
        "flags": flags,
    }
    sentence_rows = [
        {"article_id": article_id, "sentence_id": i, "start": s.start, "end": s.end, "paragraph": s.paragraph, "is_heading": s.is_heading}
        for i, s in enumerate(sentences)
    ]
    return article, sentence_rows, rejects
