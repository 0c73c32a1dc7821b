"""Readers for every raw file type: .txt (corpus format), .jsonl, .csv, .html -> records or rejects."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import MAX_ARTICLE_CHARS, MAX_FILE_BYTES
from pipeline.errors import RecordRejected
from pipeline.ingest.decode import decode_bytes, normalize_text

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "txt"}
RECORD_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
HTML_SUFFIXES = {".html": "html", ".htm": "html"}
# Field names accepted for each article field in JSONL/CSV records (first present wins).
FIELD_ALIASES = {
    "title": ("title", "titolo", "headline"),
    "text": ("text", "body", "testo", "content", "contenuto"),
    "date": ("date", "published", "data", "published_at", "pubblicato"),
    "url": ("url", "link", "source_url"),
}
csv.field_size_limit(MAX_ARTICLE_CHARS * 4)


@dataclass(frozen=True)
class RawRecord:
    """One article as read from the raw folder, before normalization."""

    source_path: str
    text: str
    source_format: str
    encoding: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    has_header: bool = False  # txt corpus format: the first line may carry ` date YYYY-MM[-DD]`


@dataclass(frozen=True)
class Reject:
    """An input that cannot be used, with a stable reason code and a hint."""

    source_path: str
    reason: str
    detail: str

    def as_row(self) -> dict:
        return {"source_path": self.source_path, "reason": self.reason, "detail": self.detail}


def list_raw_files(raw_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every entry under raw_dir, recursively, in a stable order, as (relative path, path)."""
    root = Path(raw_dir)
    for rel, path in list_raw_paths(str(root)):
        yield rel, Path(path)


def list_raw_paths(root: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """`list_raw_files` as strings: the entries of each folder by name (files, symbolic links to folders,
    anything that is not a folder), then its subfolders by name, recursively; unreadable folders are skipped."""
    try:
        with os.scandir(root) as it:
            entries = list(it)
    except OSError:
        return
    names, subdirs = [], []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows symbolic links, as os.walk does to tell folders from files
        except OSError:
            is_dir = False
        if is_dir and not entry.is_symlink():
            subdirs.append(entry.name)
        else:
            names.append(entry.name)
    for name in sorted(names):
        yield prefix + name, os.path.join(root, name)
    for name in sorted(subdirs):
        yield from list_raw_paths(os.path.join(root, name), f"{prefix}{name}/")


def read_path(rel: str, path: Path) -> Iterator[RawRecord | Reject]:
    """Read one file into records; every problem becomes a Reject, nothing is raised."""
    try:
        yield from _read_path(rel, path)
    except RecordRejected as exc:
        yield Reject(rel, exc.reason, exc.detail)
    except OSError as exc:  # permission denied, I/O error, looping symlink...
        reason = "broken_symlink" if path.is_symlink() else "unreadable"
        yield Reject(rel, reason, f"cannot read the file: {exc.strerror or exc}")


def _read_path(rel: str, path: Path) -> Iterator[RawRecord | Reject]:
    if path.is_symlink() and not path.exists():
        raise RecordRejected("broken_symlink", f"symbolic link to {os.readlink(path)!s} points nowhere (or loops)")
    if path.is_dir():
        raise RecordRejected("unsupported_type", "a symbolic link to a directory; link the files instead")
    if not path.is_file():  # FIFOs, sockets and devices would block or never end
        raise RecordRejected("unsupported_type", "not a regular file (pipe, socket or device)")
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if suffix in RECORD_SUFFIXES:
        yield from _read_records(rel, path, RECORD_SUFFIXES[suffix])
        return
    if suffix not in TEXT_SUFFIXES and suffix not in HTML_SUFFIXES:
        raise RecordRejected("unsupported_type", f"unsupported file type '{suffix or '(none)'}': use .txt, .jsonl, .csv or .html")
    if size > MAX_FILE_BYTES:
        raise RecordRejected("oversized", f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit for one article (PIPELINE_MAX_FILE_BYTES)")
    text, encoding = decode_bytes(path.read_bytes())
    if suffix in HTML_SUFFIXES:
        yield _html_record(rel, text, encoding)
    else:
        yield RawRecord(rel, text, "txt", encoding, has_header=True)


def _read_records(rel: str, path: Path, fmt: str) -> Iterator[RawRecord | Reject]:
    text, encoding = decode_bytes(path.read_bytes())
    rows = _jsonl_rows(text) if fmt == "jsonl" else _csv_rows(text)
    n_items = 0
    for n, row in rows:
        n_items += 1
        src = f"{rel}#{n}"
        if isinstance(row, Reject):
            yield Reject(src, row.reason, row.detail)
            continue
        try:
            yield _record_from_fields(src, row, fmt, encoding)
        except RecordRejected as exc:
            yield Reject(src, exc.reason, exc.detail)
    if n_items == 0:
        hint = "a header row and one row per article" if fmt == "csv" else "one JSON object per line"
        raise RecordRejected("no_records", f"the {fmt} file holds no records: expected {hint}")


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict | Reject]]:
    n = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        n += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, Reject("", "bad_record", f"invalid JSON at column {exc.colno}: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield n, Reject("", "bad_record", f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield n, obj


def _csv_rows(text: str) -> Iterator[tuple[int, dict | Reject]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield 1, Reject("", "bad_record", f"unreadable CSV header: {exc}")
        return
    n = 0
    while True:
        n += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield n, Reject("", "bad_record", f"malformed CSV row: {exc}")
            continue
        if not any(v.strip() for v in values):
            n -= 1
            continue
        if len(values) != len(header):
            yield n, Reject("", "bad_record", f"row has {len(values)} fields, the header has {len(header)}")
            continue
        yield n, dict(zip(header, values))


def _field(row: dict, name: str) -> str | None:
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    for key in FIELD_ALIASES[name]:
        value = lowered.get(key)
        if value is not None and str(value).strip():
            return str(value)
    return None


def _record_from_fields(src: str, row: dict, fmt: str, encoding: str) -> RawRecord:
    text = _field(row, "text")
    if text is None:
        raise RecordRejected("missing_field", f"no article text: give one of the fields {', '.join(FIELD_ALIASES['text'])}")
    if len(text) > MAX_ARTICLE_CHARS:
        raise RecordRejected("oversized", f"{len(text)} characters is over the {MAX_ARTICLE_CHARS}-character limit for one article")
    return RawRecord(
        src,
        normalize_text(text),
        fmt,
        encoding,
        title=_field(row, "title"),
        date=_field(row, "date"),
        url=_field(row, "url"),
    )


def _html_record(rel: str, html: str, encoding: str) -> RawRecord:
    import trafilatura  # imported lazily: it is heavy and only HTML inputs need it
    from trafilatura.settings import set_date_params

    # No extensive date search: its last resort, dateparser, first compiles the rules of 200 locales
    # (about 10 s in every worker process); page metadata and markup still give the date.
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True,
        date_extraction_params=set_date_params(extensive=False),
    )
    if doc is None:
        raise RecordRejected("no_text", "no article text found in the HTML page")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text") or ""
    if not text.strip():
        raise RecordRejected("no_text", "no article text found in the HTML page")
    url = get("url")
    return RawRecord(rel, normalize_text(text), "html", encoding, title=get("title"), date=get("date") or url_date(url), url=url)


# A date in a URL path: /2025/01/15/, /2025/01/ or /2025-01-15/ (year 19xx or 20xx, then a real month).
_URL_DATE_RE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?=/|$|[?#._-])")


def url_date(url: str | None) -> str | None:
    """'https://x.it/2025/01/slug' -> '2025-01' (a month, not the 1st of it); with a day, 'YYYY-MM-DD'."""
    m = _URL_DATE_RE.search(url or "")
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)
