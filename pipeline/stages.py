"""Stage runners: the I/O edge around the pure stage functions (read tables, reuse the caches, stream results out)."""
from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import io
from pipeline.cache import KeyedRows, RowCache, RowCacheWriter, fingerprint, interleave, item_key
from pipeline.config import CACHE_DIR_NAME, CHUNK_ARTICLES, DEFAULT_EXTRACTORS, UNKNOWN_MONTH
from pipeline.engines.local import PREFETCH_PER_WORKER, map_ordered
from pipeline.extract.run import OUTPUT_TABLES, ArticleExtraction, ArticleInput, extract_article, load_extractors
from pipeline.progress import progress
from pipeline.reference import reference_fingerprint
from pipeline.schema import TABLES, to_arrow

ARTICLE_INPUT_COLUMNS = ["article_id", "body", "published", "date_precision", "language", "duplicate_of", "content_hash"]
# Per article the extraction cache keeps the rows of every output table plus the entity rows its mentions use.
ARTICLE_ENTITIES = "article_entities"


def _month(d: dt.date | None) -> str:
    return f"{d:%Y-%m}" if d else UNKNOWN_MONTH


@contextmanager
def cache_generation(old: RowCache, new: RowCacheWriter, out_dir: Path, linked: tuple[str, ...]) -> Iterator[None]:
    """Around a stage: publish the new cache (hard-linking the output tables it shares, wherever the stage
    wrote them) when the block succeeds, drop it when it fails; the old cache is closed either way."""
    try:
        yield
        new.publish({t: io.table_path(out_dir, t) for t in linked})
    except BaseException:
        new.abort()
        raise
    finally:
        old.close()


def _cache_dir(out_dir: Path, stage: str) -> Path:
    return Path(out_dir) / CACHE_DIR_NAME / stage


# ---------------------------------------------------------------------------------------------
# ingest
# ---------------------------------------------------------------------------------------------


def _ingest_unit(args: tuple[list, list[bool], dt.date]) -> KeyedRows:
    from pipeline.ingest.run import normalize_files

    files, hits, today = args
    return normalize_files(([f for f, hit in zip(files, hits) if not hit], today))


def ingest_fingerprint() -> str:
    from pipeline.ingest.run import ingest_fingerprint as fp

    return fp()


def run_ingest(raw_dir: Path, out_dir: Path, workers: int = 1, today: dt.date | None = None, partition_by_month: bool = False) -> dict:
    """Raw folder -> articles, sentences, rejects (streamed; unchanged raw files come from the ingest cache)."""
    from pipeline.ingest.run import (
        DEDUP_COLUMNS,
        SIGNATURE_COLUMN,
        apply_duplicates,
        cached_schemas,
        duplicate_columns,
        list_files,
        plan_units,
        publish_months,
        still_valid,
    )

    started = time.perf_counter()
    today = today or dt.date.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    schemas = cached_schemas()
    fp = ingest_fingerprint()
    cache = RowCache(_cache_dir(out_dir, "ingest"), schemas, fp)
    cached_today, cached_latest = cache.column("today"), cache.column("latest")

    def position(f) -> int | None:
        p = cache.position(f.key) if f.key else None
        return p if p is not None and still_valid(cached_latest[p], cached_today[p], today) else None

    files = list(list_files(raw_dir))
    units = list(plan_units(files, lambda f: position(f) is not None))
    n_read = sum(hits.count(False) for _, hits in units)
    partitioned = ("articles", "sentences") if partition_by_month else ()
    keys, rejects = [], []  # keys: per chunk, the DEDUP_COLUMNS of its articles
    linked = () if partition_by_month else ("sentences",)  # the output file holds the very rows the cache keeps
    new_cache = RowCacheWriter(_cache_dir(out_dir, "ingest"), schemas, fp, extra={"today": pa.date32(), "latest": pa.date32()}, linked=linked)
    with cache_generation(cache, new_cache, out_dir, tuple(linked)):
        with io.TableWriters(out_dir, ["articles", "sentences", "rejects"], partitioned=partitioned) as writers:
            # Only units with files to read go to the workers; forked workers share the parent's language model.
            tasks = ((unit, hits, today) for unit, hits in units if not all(hits))
            if n_read and workers > 1:
                from pipeline.ingest.language import language_identifier

                language_identifier()
            results = map_ordered(_ingest_unit, tasks, workers if n_read else 1)
            for unit, hits in progress(units, desc="ingest", total=len(units), unit="chunk"):
                fresh = KeyedRows.empty(schemas) if all(hits) else next(results)
                old = cache.read([position(f) for f, hit in zip(unit, hits) if hit])
                rows = interleave(hits, old, fresh)
                extra = _ingest_extra(unit, hits, fresh, cached_today, cached_latest, position, today)
                new_cache.add(rows, extra)
                months = _row_months(rows.tables["sentences"], rows.tables["articles"]) if partition_by_month else None
                writers.write("sentences", rows.tables["sentences"], months)
                rejects.extend(rows.tables["rejects"].to_pylist())
                keys.append(rows.tables["articles"].select(DEDUP_COLUMNS))
            staged = new_cache.finish()["articles"]
            keys = pa.concat_tables(keys) if keys else schemas["articles"].empty_table().select(DEDUP_COLUMNS)
            duplicate_of, duplicate_kind = duplicate_columns(keys)
            done = 0
            for batch in pq.ParquetFile(staged).iter_batches(batch_size=CHUNK_ARTICLES):
                n = batch.num_rows
                articles = pa.Table.from_batches([batch]).drop_columns([SIGNATURE_COLUMN])
                articles = apply_duplicates(articles, duplicate_of.slice(done, n), duplicate_kind.slice(done, n))
                done += n
                months = publish_months(articles.column("published"), _month) if partition_by_month else None
                writers.write("articles", articles, months)
            writers.write("rejects", to_arrow("rejects", rejects))
    summary = {
        "files": len(files),
        "articles": keys.num_rows,
        "duplicates": len(duplicate_of) - duplicate_of.null_count,
        "rejects": dict(sorted(Counter(r["reason"] for r in rejects).items())),
    }
    io.write_metadata(out_dir, {
        "ingest": summary,
        "ingest_cache": {"files_read": n_read, "files_reused": len(files) - n_read},
        "ingest_seconds": round(time.perf_counter() - started, 3),
        "partition_by_month": partition_by_month,
    })
    return summary


def _ingest_extra(unit, hits, fresh: KeyedRows, cached_today, cached_latest, position, today) -> dict[str, list]:
    """Index columns of the new ingest cache: the day each file was normalized and its latest date."""
    from pipeline.ingest.run import latest_dates

    fresh_latest = iter(latest_dates(fresh))
    days, latest = [], []
    for f, hit in zip(unit, hits):
        if hit:
            p = position(f)
            days.append(cached_today[p])
            latest.append(cached_latest[p])
        else:
            days.append(today)
            latest.append(next(fresh_latest))
    return {"today": days, "latest": latest}


def _row_months(rows: pa.Table, articles: pa.Table) -> pa.Array:
    """The publish month of each row's article (rows carry article_id)."""
    import pyarrow.compute as pc

    from pipeline.ingest.run import publish_months

    months = publish_months(articles.column("published"), _month)
    return months.take(pc.index_in(rows.column("article_id"), value_set=articles.column("article_id").combine_chunks()))


# ---------------------------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def extraction_schemas() -> dict[str, pa.Schema]:
    """What extraction stores per article: the rows of every output table and the entities they use."""
    return {**{t: TABLES[t].schema for t in OUTPUT_TABLES}, ARTICLE_ENTITIES: TABLES["entities"].schema}


def extract_fingerprint(names: tuple[tuple[str, str], ...]) -> str:
    """Everything besides an article that decides its rows: extractor names and code, reference data, libraries."""
    return fingerprint(
        names,
        reference_fingerprint(),
        sources=("pipeline/extract", "pipeline/text", "pipeline/schema.py", "pipeline/reference.py"),
        packages=("simplemma", "spacy", "pycountry", "pyyaml"),
    )


def article_key(row: dict) -> str:
    """Cache key of one article: the values of it the extractors see (its id, text, date and language)."""
    return item_key(row["article_id"], row["content_hash"], row["published"], row["date_precision"], row["language"])


def extraction_rows(keys: list[str], results: list[ArticleExtraction]) -> KeyedRows:
    """Pure: per-article extraction results -> KeyedRows, each article's rows sorted like schema.to_arrow sorts them."""
    rows: dict[str, list[list[dict]]] = {}
    for t in OUTPUT_TABLES:
        sort_by = TABLES[t].sort_by
        rows[t] = [sorted(getattr(r, t), key=lambda row: tuple(row[k] for k in sort_by)) for r in results]
    rows[ARTICLE_ENTITIES] = [r.entities for r in results]
    return KeyedRows.from_item_rows(keys, rows, extraction_schemas())


def extract_chunk(args: tuple[list[ArticleInput], tuple, list[str]]) -> KeyedRows:
    """Pure (per chunk of articles): run every extractor; one item of rows per article."""
    articles, names, keys = args
    if not articles:  # every article of the chunk came from the cache: no knowledge base to load
        return extraction_rows([], [])
    ex = load_extractors(names)
    return extraction_rows(keys, [extract_article(a, ex) for a in articles])


@dataclass
class ArticleChunk:
    """Consecutive articles of the articles table and, for each, whether the cache has its rows."""

    inputs: list[ArticleInput]
    keys: list[str]
    canonical: list[bool]
    positions: list[int | None]  # cache position, None = extract

    @property
    def is_hit(self) -> list[bool]:
        return [p is not None for p in self.positions]

    def misses(self) -> tuple[list[ArticleInput], list[str]]:
        idx = [i for i, p in enumerate(self.positions) if p is None]
        return [self.inputs[i] for i in idx], [self.keys[i] for i in idx]


def plan_chunks(out_dir: Path, cache: RowCache) -> Iterator[ArticleChunk]:
    """Stream the articles table in chunks, looking each article up in the extraction cache.

    Only the bodies of cache misses are turned into Python strings (a hit's `body` is ""): nothing reads
    a hit's text, and the corpus's text is most of what a rebuild would otherwise decode."""
    meta = [c for c in ARTICLE_INPUT_COLUMNS if c != "body"]
    for batch in io.iter_batches(out_dir, "articles", columns=ARTICLE_INPUT_COLUMNS, batch_size=CHUNK_ARTICLES):
        rows = batch.select(meta).to_pylist()
        keys = [article_key(r) for r in rows]
        positions = [cache.position(k) for k in keys]
        miss = [i for i, p in enumerate(positions) if p is None]
        bodies = [""] * len(rows)
        if miss:
            for i, body in zip(miss, batch.column("body").take(pa.array(miss, pa.int64())).to_pylist()):
                bodies[i] = body
        yield ArticleChunk(
            inputs=[ArticleInput(r["article_id"], b, r["published"], r["date_precision"], r["language"]) for r, b in zip(rows, bodies)],
            keys=keys,
            canonical=[r["duplicate_of"] is None for r in rows],
            positions=positions,
        )


def iter_misses(out_dir: Path, cache: RowCache) -> Iterator[tuple[int, str]]:
    """(position in the articles table, article_id) of every article the cache lacks; bodies are not read."""
    columns = [c for c in ARTICLE_INPUT_COLUMNS if c not in ("body", "duplicate_of")]
    pos = 0
    for batch in io.iter_batches(out_dir, "articles", columns=columns, batch_size=10 * CHUNK_ARTICLES):
        for r in batch.to_pylist():
            if cache.position(article_key(r)) is None:
                yield pos, r["article_id"]
            pos += 1


def count_misses(out_dir: Path, cache: RowCache) -> int:
    if not len(cache):
        return io.count_rows(out_dir, "articles")
    return sum(1 for _ in iter_misses(out_dir, cache))


class ExtractionSink:
    """Consumes extraction rows in article order, whatever engine computed them: writes the output tables
    and the new cache, and aggregates entities and claim threads (so every engine writes the same tables)."""

    def __init__(self, out_dir: Path, writers: io.TableWriters, new_cache: RowCacheWriter, published: dict, partitioned: bool):
        self.out_dir, self.writers, self.new_cache = out_dir, writers, new_cache
        self.published, self.partitioned = published, partitioned
        self.entities: dict[str, dict] = {}
        self.surfaces: dict[str, set] = {}
        self.counts: Counter = Counter()
        self.article_counts: Counter = Counter()
        self.thread_batches: list[pa.Table] = []
        self.extracted = self.reused = 0

    def add(self, rows: KeyedRows, article_ids: list[str], canonical: list[bool], n_extracted: int) -> None:
        self.extracted += n_extracted
        self.reused += len(rows) - n_extracted
        self.new_cache.add(rows)
        months = np.array([_month(self.published.get(a)) for a in article_ids], dtype=object) if self.partitioned else None
        for t in OUTPUT_TABLES:
            parts = np.repeat(months, rows.counts[t]).tolist() if months is not None else None
            self.writers.write(t, rows.tables[t], parts)
        self._aggregate(rows, np.array(canonical, dtype=bool))

    def _aggregate(self, rows: KeyedRows, canonical: np.ndarray) -> None:
        ents = rows.tables[ARTICLE_ENTITIES]
        ids = ents.column("entity_id").to_pylist()
        new = [i for i, e in enumerate(ids) if e not in self.entities]
        if new:
            for row in ents.take(new).to_pylist():
                self.entities.setdefault(row["entity_id"], row)  # the first article's row wins, as in article order
        # Counts over canonical articles only, grouped in Arrow: a Python loop per mention costs more than extraction.
        mentions = rows.tables["mentions"].select(["article_id", "entity_id", "surface"])
        mentions = mentions.filter(pa.array(np.repeat(canonical, rows.counts["mentions"])))
        if mentions.num_rows:
            per_entity = mentions.group_by("entity_id").aggregate([("article_id", "count"), ("article_id", "count_distinct")])
            for eid, n, n_articles in zip(*(per_entity.column(c).to_pylist() for c in ("entity_id", "article_id_count", "article_id_count_distinct"))):
                self.counts[eid] += n
                self.article_counts[eid] += n_articles  # an article is in one chunk only, so per-chunk distinct counts add up
            pairs = mentions.group_by(["entity_id", "surface"]).aggregate([])
            for eid, surface in zip(pairs.column("entity_id").to_pylist(), pairs.column("surface").to_pylist()):
                self.surfaces.setdefault(eid, set()).add(surface)
        claims = rows.tables["claims"]
        if claims.num_rows:
            from pipeline.extract.claims.threads import THREAD_COLUMNS  # lazy: the claims package is slow to import

            self.thread_batches.append(claims.select(THREAD_COLUMNS).filter(pa.array(np.repeat(canonical, rows.counts["claims"]))))

    def finish(self) -> dict:
        self.writers.write("entities", to_arrow("entities", _entity_rows(self.entities, self.surfaces, self.counts, self.article_counts)))
        from pipeline.extract.claims.threads import THREAD_COLUMNS, claim_threads_table

        claims = pa.concat_tables(self.thread_batches) if self.thread_batches else TABLES["claims"].schema.empty_table().select(THREAD_COLUMNS)
        self.thread_batches.clear()
        self.writers.write("claim_threads", claim_threads_table(claims, self.published))
        return {t: self.writers.rows(t) for t in (*OUTPUT_TABLES, "entities", "claim_threads")}


def _entity_rows(entities: dict, surfaces: dict, counts: Counter, article_counts: Counter) -> list[dict]:
    rows = []
    for eid, e in entities.items():
        aliases = sorted(set(e.get("aliases") or []) | surfaces.get(eid, set()))
        rows.append({**e, "aliases": aliases, "n_mentions": counts.get(eid, 0), "n_articles": article_counts.get(eid, 0)})
    return rows


def _local_rows(chunks: Iterator[ArticleChunk], names: tuple, workers: int, pool_size: int | None = None) -> Iterator[tuple[ArticleChunk, KeyedRows, int]]:
    """Local engine: the cache misses of each chunk go to the process pool; results come back in order.

    Chunks without misses never reach the pool, and the planner reads ahead past them until the pool has
    PREFETCH_PER_WORKER chunks of misses per worker: a rebuild's new articles are extracted (and the
    workers load the knowledge base) while this process streams the cached rows of the chunks before them.
    Read-ahead hit chunks hold keys and ids only, no text. `workers` 1 extracts in this process; else a pool
    of `pool_size` (default `workers`) processes does."""
    if workers <= 1:
        for chunk in chunks:
            inputs, keys = chunk.misses()
            yield chunk, extract_chunk((inputs, names, keys)), len(inputs)
        return
    import multiprocessing as mp

    empty = KeyedRows.empty(extraction_schemas())
    queued: deque = deque()  # (chunk, pending result or None)
    in_flight, source = 0, iter(chunks)
    pool_size = pool_size or workers
    with mp.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(pool_size) as pool:
        while True:
            while source is not None and in_flight < pool_size * PREFETCH_PER_WORKER:
                chunk = next(source, None)
                if chunk is None:
                    source = None
                    break
                inputs, keys = chunk.misses()
                if inputs:
                    queued.append((chunk, pool.apply_async(extract_chunk, ((inputs, names, keys),))))
                    in_flight += 1
                else:
                    queued.append((chunk, None))
            if not queued:
                return
            chunk, pending = queued.popleft()
            if pending is None:
                yield chunk, empty, 0
                continue
            in_flight -= 1
            fresh = pending.get()
            yield chunk, fresh, len(fresh)


def run_extract(out_dir: Path, workers: int = 1, names: dict | None = None, partition_by_month: bool | None = None, miss_rows=None) -> dict:
    """articles -> entities, mentions, claims, quantities, time_expressions, claim_threads.

    Articles whose key is in the extraction cache (same text, date, extractors, code and reference data)
    reuse their rows; the others are extracted by the local process pool, or by `miss_rows` when an
    engine (Spark) computes them: a function (chunks, names, cache) -> iterator of (chunk, rows, n extracted).
    `partition_by_month` None follows the layout of the articles table.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    names_t = tuple((names or DEFAULT_EXTRACTORS).items())
    if partition_by_month is None:
        partition_by_month = io.table_path(out_dir, "articles").is_dir()
    schemas = extraction_schemas()
    fp = extract_fingerprint(names_t)
    total = io.count_rows(out_dir, "articles")
    published = {
        r["article_id"]: r["published"] for r in io.read_table(out_dir, "articles", columns=["article_id", "published"]).to_pylist()
    }
    cache = RowCache(_cache_dir(out_dir, "extract"), schemas, fp)
    pending = count_misses(out_dir, cache)
    pool_size = workers
    if not pending:
        workers = 1  # nothing to extract: no pool, no knowledge base to load
    elif workers > 1 and not miss_rows:
        if pending > workers * CHUNK_ARTICLES:
            load_extractors(names_t)  # before forking: every worker inherits the knowledge base instead of loading it
        else:
            # A few chunks to extract (a rebuild after adding articles): fewer workers (at least one: never this
            # process), each loading the knowledge base itself while this process streams the cached rows,
            # instead of everyone waiting for it here.
            pool_size = min(workers, -(-pending // CHUNK_ARTICLES))
    partitioned = OUTPUT_TABLES if partition_by_month else ()
    linked = () if partition_by_month else OUTPUT_TABLES  # single-file outputs double as the cache's files
    new_cache = RowCacheWriter(_cache_dir(out_dir, "extract"), schemas, fp, linked=linked)
    with cache_generation(cache, new_cache, out_dir, tuple(linked)):
        with io.TableWriters(out_dir, [*OUTPUT_TABLES, "entities", "claim_threads"], partitioned=partitioned) as writers:
            sink = ExtractionSink(out_dir, writers, new_cache, published, partition_by_month)
            chunks = plan_chunks(out_dir, cache)
            produced = miss_rows(chunks, names_t, cache) if miss_rows else _local_rows(chunks, names_t, workers, pool_size)
            bar = progress(produced, desc="extract", total=-(-total // CHUNK_ARTICLES) if total else 0, unit="chunk")
            for chunk, fresh, n_fresh in bar:
                old = cache.read([p for p in chunk.positions if p is not None])
                rows = interleave(chunk.is_hit, old, fresh)
                sink.add(rows, [a.article_id for a in chunk.inputs], chunk.canonical, n_fresh)
            summary = sink.finish()
    io.write_metadata(out_dir, {
        "extract": summary,
        "extract_cache": {"articles_extracted": sink.extracted, "articles_reused": sink.reused},
        "extract_seconds": round(time.perf_counter() - started, 3),
        "extractors": dict(names_t),
        "reference_fingerprint": reference_fingerprint(),
    })
    return {**summary, "articles_extracted": sink.extracted, "articles_reused": sink.reused}


def run_load(out_dir: Path, db_path: Path | None = None) -> dict:
    """All tables -> news.duckdb (built in a temp file, swapped in atomically; the previous file is updated
    in place when the same loader built it). _metadata.json records which of the two happened."""
    from pipeline.load.warehouse import build_warehouse

    started = time.perf_counter()
    info: dict = {}
    counts = build_warehouse(Path(out_dir), db_path, info=info)
    io.write_metadata(Path(out_dir), {"load_seconds": round(time.perf_counter() - started, 3), "load_mode": info})
    return counts
