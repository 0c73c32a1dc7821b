"""Stage runners: the I/O edge around the pure stage functions (read tables, call, stream results out)."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import io
from pipeline.config import CHUNK_ARTICLES, DEFAULT_EXTRACTORS
from pipeline.engines.local import chunked, map_ordered
from pipeline.extract.claims.threads import build_claim_threads
from pipeline.extract.run import OUTPUT_TABLES, ArticleInput, extract_article, load_extractors
from pipeline.ingest.dedup import find_duplicates
from pipeline.ingest.run import apply_duplicates, normalize_corpus
from pipeline.progress import progress
from pipeline.reference import reference_fingerprint
from pipeline.schema import TABLES, to_arrow

ARTICLE_INPUT_COLUMNS = ["article_id", "body", "published", "date_precision", "language", "duplicate_of"]


def run_ingest(raw_dir: Path, out_dir: Path, workers: int = 1, today: dt.date | None = None) -> dict:
    """Raw folder -> articles, sentences, rejects (streamed; all three replaced together)."""
    today = today or dt.date.today()
    keys, rejects, files = [], [], set()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, staged = tempfile.mkstemp(prefix=".articles.staged.", suffix=".parquet.tmp", dir=out_dir)
    os.close(fd)
    try:
        with io.TableWriters(out_dir, ["articles", "sentences", "rejects"]) as writers:
            with pq.ParquetWriter(staged, TABLES["articles"].schema) as stage:
                for chunk in progress(normalize_corpus(raw_dir, today, workers), desc="ingest", unit="chunk"):
                    if chunk.articles.num_rows:
                        stage.write_table(chunk.articles)
                    writers.write("sentences", chunk.sentences)
                    rejects.extend(chunk.rejects)
                    keys.extend(chunk.keys)
                    files.update(p.split("#")[0] for p in chunk.articles.column("source_path").to_pylist())
            files.update(r["source_path"].split("#")[0] for r in rejects)
            duplicates = find_duplicates(keys)
            for batch in pq.ParquetFile(staged).iter_batches(batch_size=CHUNK_ARTICLES):
                writers.write("articles", apply_duplicates(pa.Table.from_batches([batch]), duplicates))
            writers.write("rejects", to_arrow("rejects", rejects))
    finally:
        Path(staged).unlink(missing_ok=True)
    summary = {
        "files": len(files),
        "articles": len(keys),
        "duplicates": len(duplicates),
        "rejects": dict(sorted(Counter(r["reason"] for r in rejects).items())),
    }
    io.write_metadata(out_dir, {"ingest": summary})
    return summary


def _iter_article_inputs(out_dir: Path) -> "list[ArticleInput]":
    for batch in io.iter_batches(out_dir, "articles", columns=ARTICLE_INPUT_COLUMNS, batch_size=CHUNK_ARTICLES):
        for row in batch.to_pylist():
            yield ArticleInput(row["article_id"], row["body"], row["published"], row["date_precision"], row["language"]), row["duplicate_of"] is None


def extract_chunk(args: tuple[list[ArticleInput], tuple]) -> list:
    """Pure (per chunk of articles): run every extractor; returns one ArticleExtraction per article."""
    articles, names = args
    ex = load_extractors(names)
    return [extract_article(a, ex) for a in articles]


def run_extract(out_dir: Path, workers: int = 1, names: dict | None = None) -> dict:
    """articles -> entities, mentions, claims, quantities, time_expressions, claim_threads."""
    out_dir = Path(out_dir)
    names_t = tuple((names or DEFAULT_EXTRACTORS).items())
    total = io.count_rows(out_dir, "articles")
    entities: dict[str, dict] = {}
    surfaces: dict[str, set] = {}
    counts: Counter = Counter()
    article_counts: Counter = Counter()
    canonical: dict[str, bool] = {}
    thread_inputs: list[dict] = []
    published = {
        r["article_id"]: r["published"]
        for r in io.read_table(out_dir, "articles", columns=["article_id", "published"]).to_pylist()
    }

    def chunks():
        for chunk in chunked(_iter_article_inputs(out_dir), CHUNK_ARTICLES):
            canonical.update({a.article_id: keep for a, keep in chunk})
            yield [a for a, _ in chunk], names_t

    with io.TableWriters(out_dir, [*OUTPUT_TABLES, "entities", "claim_threads"]) as writers:
        bar = progress(map_ordered(extract_chunk, chunks(), workers), desc="extract", total=-(-total // CHUNK_ARTICLES) if total else 0, unit="chunk")
        for results in bar:
            for res in results:
                for table in OUTPUT_TABLES:
                    writers.write(table, to_arrow(table, getattr(res, table)))
                for e in res.entities:
                    entities.setdefault(e["entity_id"], e)
                if canonical.get(res.article_id, True):
                    seen = set()
                    for m in res.mentions:
                        counts[m["entity_id"]] += 1
                        surfaces.setdefault(m["entity_id"], set()).add(m["surface"])
                        seen.add(m["entity_id"])
                    article_counts.update(seen)
                    thread_inputs.extend(
                        {k: c.get(k) for k in ("claim_id", "article_id", "modality", "subject_entity_ids", "predicate", "negated", "speaker_entity_id")}
                        for c in res.claims
                    )
        writers.write("entities", to_arrow("entities", _entity_rows(entities, surfaces, counts, article_counts)))
        writers.write("claim_threads", to_arrow("claim_threads", build_claim_threads(thread_inputs, published)))
        summary = {t: writers.rows(t) for t in (*OUTPUT_TABLES, "entities", "claim_threads")}
    ex = load_extractors(names_t)
    io.write_metadata(out_dir, {"extract": summary, "extractors": ex.names, "reference_fingerprint": reference_fingerprint()})
    return summary


def _entity_rows(entities: dict, surfaces: dict, counts: Counter, article_counts: Counter) -> list[dict]:
    rows = []
    for eid, e in entities.items():
        aliases = sorted(set(e.get("aliases") or []) | surfaces.get(eid, set()))
        rows.append({**e, "aliases": aliases, "n_mentions": counts.get(eid, 0), "n_articles": article_counts.get(eid, 0)})
    return rows


def run_load(out_dir: Path, db_path: Path | None = None) -> dict:
    """All tables -> news.duckdb (built in a temp file, swapped in atomically)."""
    from pipeline.load.warehouse import build_warehouse

    return build_warehouse(Path(out_dir), db_path)
