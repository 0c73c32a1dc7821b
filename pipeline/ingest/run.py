"""The ingest stage: raw folder -> articles, sentences, rejects (streamed, in chunks, deduplicated)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline.config import CHUNK_ARTICLES
from pipeline.engines.local import chunked, map_ordered
from pipeline.errors import RecordRejected
from pipeline.ingest.dedup import DedupKey, find_duplicates, minhash_signature
from pipeline.ingest.normalize import normalize_record
from pipeline.ingest.readers import RawRecord, Reject, list_raw_files, read_path
from pipeline.reference import boilerplate_patterns
from pipeline.schema import to_arrow


@dataclass
class ChunkResult:
    """Normalized output of one chunk of raw records."""

    articles: pa.Table
    sentences: pa.Table
    rejects: list[dict]
    keys: list[DedupKey]


@dataclass
class IngestSummary:
    """Counts the CLI prints at the end of the stage."""

    files: int = 0
    articles: int = 0
    duplicates: int = 0
    rejects: dict[str, int] = field(default_factory=dict)


def iter_raw(raw_dir: Path) -> Iterator[RawRecord | Reject]:
    """Every record and reject of the raw folder, in a stable order."""
    for rel, path in list_raw_files(raw_dir):
        yield from read_path(rel, path)


def normalize_chunk(args: tuple[list[RawRecord | Reject], dt.date]) -> ChunkResult:
    """Pure (per chunk): records -> article and sentence tables, rejects and dedup keys."""
    items, today = args
    patterns = boilerplate_patterns()
    articles, sentences, rejects, keys = [], [], [], []
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item.as_row())
            continue
        try:
            article, sents, extra = normalize_record(item, patterns, today)
        except RecordRejected as exc:
            rejects.append({"source_path": item.source_path, "reason": exc.reason, "detail": exc.detail})
            continue
        articles.append(article)
        sentences.extend(sents)
        rejects.extend(r.as_row() for r in extra)
        keys.append(DedupKey(article["article_id"], article["content_hash"], article["published"], article["source_path"], minhash_signature(article["body"])))
    return ChunkResult(to_arrow("articles", articles), to_arrow("sentences", sentences), rejects, keys)


def normalize_corpus(raw_dir: Path, today: dt.date, workers: int = 1) -> Iterator[ChunkResult]:
    """Stream the raw folder through normalize_chunk, CHUNK_ARTICLES records at a time."""
    chunks = ((chunk, today) for chunk in chunked(iter_raw(raw_dir), CHUNK_ARTICLES))
    yield from map_ordered(normalize_chunk, chunks, workers)


def apply_duplicates(articles: pa.Table, duplicates: dict[str, tuple[str, str]]) -> pa.Table:
    """Fill duplicate_of / duplicate_kind of a batch of articles (returns a new table)."""
    ids = articles.column("article_id").to_pylist()
    dup_of = [duplicates.get(a, (None, None))[0] for a in ids]
    kind = [duplicates.get(a, (None, None))[1] for a in ids]
    t = articles.set_column(articles.schema.get_field_index("duplicate_of"), "duplicate_of", pa.array(dup_of, pa.string()))
    return t.set_column(t.schema.get_field_index("duplicate_kind"), "duplicate_kind", pa.array(kind, pa.string()))
