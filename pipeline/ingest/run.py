"""The ingest stage's pure parts: raw files -> article, sentence and reject rows, one cacheable unit per file."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.cache import KeyedRows, fingerprint, item_key
from pipeline.config import MAX_ARTICLE_CHARS, MAX_FILE_BYTES, REFERENCE_DIR
from pipeline.errors import RecordRejected
from pipeline.ingest.dedup import NUM_PERM, DedupKey, find_duplicate_rows, minhash_signature
from pipeline.ingest.normalize import normalize_record
from pipeline.ingest.readers import Reject, list_raw_paths, read_path
from pipeline.reference import boilerplate_patterns
from pipeline.schema import TABLES

SIGNATURE_COLUMN = "_minhash"  # the uint32 MinHash signature as bytes, null when the text is too short
DEDUP_COLUMNS = ["article_id", "content_hash", "published", "source_path", SIGNATURE_COLUMN]
# A unit of work for one worker task: consecutive files up to this many bytes or files.
UNIT_BYTES = 1 << 20
UNIT_FILES = 200


@lru_cache(maxsize=1)
def cached_schemas() -> dict[str, pa.Schema]:
    """What the ingest cache stores per raw file: its articles (with their MinHash signature), sentences, rejects."""
    articles = TABLES["articles"].schema.append(pa.field(SIGNATURE_COLUMN, pa.binary()))
    return {"articles": articles, "sentences": TABLES["sentences"].schema, "rejects": TABLES["rejects"].schema}


def ingest_fingerprint(reference_dir: Path | None = None) -> str:
    """Everything besides a file's bytes that decides its rows: code, boilerplate patterns, limits, libraries."""
    boilerplate = Path(reference_dir or REFERENCE_DIR) / "boilerplate.yaml"
    content = boilerplate.read_bytes() if boilerplate.exists() else b""
    return fingerprint(
        content,
        MAX_FILE_BYTES,
        MAX_ARTICLE_CHARS,
        sources=("pipeline/ingest", "pipeline/text", "pipeline/schema.py", "pipeline/reference.py", "pipeline/config.py"),
        packages=("py3langid", "trafilatura", "charset-normalizer"),
    )


@dataclass(frozen=True)
class RawFile:
    """One entry of the raw folder and its cache key (None when it cannot be stat'ed: always re-read)."""

    rel: str
    path: str
    size: int
    key: str | None


def list_files(raw_dir: Path) -> Iterator[RawFile]:
    """Every raw entry in a stable order, keyed by relative path, size and modification time."""
    for rel, path in list_raw_paths(str(Path(raw_dir))):
        try:
            st = os.stat(path)
        except OSError:  # broken symlink, permission: the reader turns it into a reject
            yield RawFile(rel, path, 0, None)
            continue
        yield RawFile(rel, path, st.st_size, item_key(rel, st.st_size, st.st_mtime_ns))


def plan_units(files: list[RawFile], is_cached) -> Iterator[tuple[list[RawFile], list[bool]]]:
    """Consecutive files grouped into units of work (bounded bytes to read), with each file's cache status."""
    unit, hits, size = [], [], 0
    for f in files:
        hit = bool(is_cached(f))
        unit.append(f)
        hits.append(hit)
        size += 0 if hit else f.size
        if size >= UNIT_BYTES or len(unit) >= UNIT_FILES:
            yield unit, hits
            unit, hits, size = [], [], 0
    if unit:
        yield unit, hits


def _normalize_items(items, patterns, today: dt.date) -> tuple[list[dict], list[dict], list[dict]]:
    """Records and rejects of one reader -> article rows (with signature), sentence rows, reject rows."""
    articles, sentences, rejects = [], [], []
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item.as_row())
            continue
        try:
            article, sents, extra = normalize_record(item, patterns, today)
        except RecordRejected as exc:
            rejects.append({"source_path": item.source_path, "reason": exc.reason, "detail": exc.detail})
            continue
        signature = minhash_signature(article["body"])
        article[SIGNATURE_COLUMN] = None if signature is None else signature.tobytes()
        articles.append(article)
        sentences.extend(sents)
        rejects.extend(r.as_row() for r in extra)
    return articles, sentences, rejects


def normalize_files(args: tuple[list[RawFile], dt.date]) -> KeyedRows:
    """Pure given the files' bytes: each file -> its article, sentence and reject rows (one item per file)."""
    files, today = args
    patterns = boilerplate_patterns()
    rows: dict[str, list[list[dict]]] = {"articles": [], "sentences": [], "rejects": []}
    for f in files:
        articles, sentences, rejects = _normalize_items(read_path(f.rel, Path(f.path)), patterns, today)
        rows["articles"].append(articles)
        rows["sentences"].append(sentences)
        rows["rejects"].append(rejects)
    return KeyedRows.from_item_rows([f.key or "" for f in files], rows, cached_schemas())


@dataclass
class ChunkResult:
    """Normalized output of a list of records (tests and the fuzzer call this directly)."""

    articles: pa.Table
    sentences: pa.Table
    rejects: list[dict]
    keys: list[DedupKey]


def normalize_chunk(args: tuple[list, dt.date]) -> ChunkResult:
    """Pure: records and rejects -> article and sentence tables, rejects and dedup keys."""
    items, today = args
    articles, sentences, rejects = _normalize_items(items, boilerplate_patterns(), today)
    table = pa.Table.from_pylist(articles, schema=cached_schemas()["articles"])
    keys = dedup_keys(table)
    return ChunkResult(table.drop_columns([SIGNATURE_COLUMN]), pa.Table.from_pylist(sentences, schema=TABLES["sentences"].schema), rejects, keys)


def latest_dates(rows: KeyedRows) -> list[dt.date | None]:
    """Per file, the latest publish date among its articles (decides whether a cached file depends on `today`)."""
    published = rows.tables["articles"].column("published").to_pylist()
    out, off = [], rows.offsets("articles")
    for i in range(len(rows)):
        dates = [d for d in published[off[i] : off[i + 1]] if d is not None]
        out.append(max(dates) if dates else None)
    return out


def still_valid(latest: dt.date | None, cached_today: dt.date | None, today: dt.date) -> bool:
    """A file normalized on `cached_today` gives the same rows today unless one of its dates lies in between
    (normalization flags dates after `today` as future_date)."""
    return latest is None or (cached_today is not None and latest <= min(cached_today, today))


def dedup_keys(articles: pa.Table) -> list[DedupKey]:
    """What dedup needs of each article row (the signature bytes back to the MinHash array)."""
    cols = articles.select(DEDUP_COLUMNS).to_pydict()
    return [
        DedupKey(a, h, p, s, None if sig is None else np.frombuffer(sig, dtype=np.uint32).copy())
        for a, h, p, s, sig in zip(cols["article_id"], cols["content_hash"], cols["published"], cols["source_path"], cols[SIGNATURE_COLUMN])
    ]


def signature_matrix(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Signature bytes column -> (rows x NUM_PERM uint32 matrix, zero rows where null; which rows have one)."""
    column = pa.chunked_array([column]).combine_chunks() if isinstance(column, pa.Array) else column.combine_chunks()
    has = column.is_valid().to_numpy(zero_copy_only=False)
    matrix = np.zeros((len(column), NUM_PERM), dtype=np.uint32)
    present = column.filter(pa.array(has))
    if len(present):
        offsets = np.frombuffer(present.buffers()[1], dtype=np.int32)[present.offset : present.offset + len(present) + 1]
        if not (np.diff(offsets) == 4 * NUM_PERM).all():
            raise ValueError(f"MinHash signatures must hold {NUM_PERM} uint32 values")
        data = np.frombuffer(present.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        matrix[has] = data.view(np.uint32).reshape(-1, NUM_PERM)
    return matrix, has


def duplicate_columns(keys: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Pure: DEDUP_COLUMNS of every article in build order -> their duplicate_of and duplicate_kind columns."""
    signatures, has = signature_matrix(keys.column(SIGNATURE_COLUMN))
    col = {name: keys.column(name).combine_chunks() for name in DEDUP_COLUMNS if name != SIGNATURE_COLUMN}
    dups = find_duplicate_rows(col["content_hash"], col["published"], col["source_path"], signatures, has)
    found = dups.target >= 0
    ids = col["article_id"].take(pa.array(np.where(found, dups.target, 0)))
    duplicate_of = pc.if_else(pa.array(found), ids, pa.nulls(len(keys), pa.string()))
    return duplicate_of, pa.array(dups.kind, pa.string())


def apply_duplicates(articles: pa.Table, duplicate_of: pa.Array, duplicate_kind: pa.Array) -> pa.Table:
    """Set duplicate_of / duplicate_kind of a batch of articles (returns a new table)."""
    t = articles.set_column(articles.schema.get_field_index("duplicate_of"), "duplicate_of", duplicate_of)
    return t.set_column(t.schema.get_field_index("duplicate_kind"), "duplicate_kind", duplicate_kind)


def publish_months(published: pa.Array | pa.ChunkedArray, month_of) -> pa.Array:
    """`month_of(date)` for every row, computed once per distinct date (a corpus spans a few hundred days)."""
    encoded = pc.dictionary_encode(pa.chunked_array([published]).combine_chunks() if isinstance(published, pa.Array) else published.combine_chunks())
    labels = pa.array([month_of(d) for d in encoded.dictionary.to_pylist()] + [month_of(None)], pa.string())
    indices = pc.fill_null(encoded.indices, len(encoded.dictionary))  # null dates -> the label of None
    return labels.take(indices)
