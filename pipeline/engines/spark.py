"""Spark engine: the same extraction functions on PySpark (mapInArrow), written through the local engine's sink."""
from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import io
from pipeline.cache import KeyedRows, RowCache
from pipeline.config import CACHE_DIR_NAME, CHUNK_ARTICLES
from pipeline.errors import BackendUnavailableError, EngineError
from pipeline.extract.run import ArticleInput
from pipeline.stages import ArticleChunk, extract_chunk, extraction_schemas, iter_misses, run_extract

POSITION = "_pos"
INPUT_COLUMNS = ["article_id", "body", "published", "date_precision", "language"]
# Rows of one Spark task: a few chunks, so that even a small corpus spreads over every core.
ARTICLES_PER_PARTITION = 4 * CHUNK_ARTICLES


def output_schema() -> pa.Schema:
    """One row per article: its position, id and, per table, the list of its rows (structs of that table's schema)."""
    fields = [pa.field(POSITION, pa.int64(), nullable=False), pa.field("article_id", pa.string(), nullable=False)]
    for t, schema in extraction_schemas().items():
        fields.append(pa.field(t, pa.list_(pa.struct(list(schema))), nullable=False))
    return pa.schema(fields)


def rows_to_nested(positions: list[int], article_ids: list[str], rows: KeyedRows) -> pa.RecordBatch:
    """KeyedRows of some articles -> one record batch of output_schema (pure)."""
    schema = output_schema()
    arrays = [pa.array(positions, pa.int64()), pa.array(article_ids, pa.string())]
    for t in extraction_schemas():
        struct_type = schema.field(t).type.value_type
        batches = rows.tables[t].combine_chunks().to_batches()
        struct = batches[0].to_struct_array().cast(struct_type) if batches and batches[0].num_rows else pa.array([], struct_type)
        offsets = pa.array(rows.offsets(t), pa.int32())
        arrays.append(pa.ListArray.from_arrays(offsets, struct, type=schema.field(t).type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def nested_to_rows(batch: pa.Table, keys: list[str]) -> KeyedRows:
    """Inverse of rows_to_nested for rows read back from Spark's output (pure)."""
    counts, tables = {}, {}
    for t, schema in extraction_schemas().items():
        col = batch.column(t).combine_chunks()
        counts[t] = np.asarray(col.value_lengths().fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
        flat = col.flatten()
        table = pa.Table.from_batches([pa.RecordBatch.from_struct_array(flat)]) if len(flat) else schema.empty_table()
        tables[t] = table.select(schema.names).cast(schema)
    return KeyedRows(list(keys), counts, tables)


def _extract_partition(names: tuple, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """mapInArrow function (runs in Spark's Python workers): articles -> nested extraction rows."""
    for batch in batches:
        cols = batch.to_pydict()
        inputs = [
            ArticleInput(a, b, p, d, lang)
            for a, b, p, d, lang in zip(cols["article_id"], cols["body"], cols["published"], cols["date_precision"], cols["language"])
        ]
        rows = extract_chunk((inputs, names, [""] * len(inputs)))
        yield rows_to_nested(cols[POSITION], cols["article_id"], rows)


def spark_session(workers: int):
    """A session tuned for short jobs (no UI, few shuffle partitions, Arrow batches of one chunk).

    Master: PIPELINE_SPARK_MASTER (e.g. spark://host:7077 or yarn) or local[workers]."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise BackendUnavailableError("the Spark engine needs pyspark: pip install -e '.[spark]'") from exc
    # Data crosses to Python as Arrow only (mapInArrow): pyspark's pandas-version warning does not apply.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    master = os.environ.get("PIPELINE_SPARK_MASTER") or f"local[{workers}]"
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no hostname lookup, no loopback warning
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(master)
        .appName("pipeline-extract")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(2, workers * 2)))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(CHUNK_ARTICLES))
        .config("spark.sql.adaptive.enabled", "false")  # keep the range partitioning we ask for
        .config("spark.driver.memory", os.environ.get("PIPELINE_SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _spark_rows(chunks: Iterator[ArticleChunk], names: tuple, cache: RowCache, *, spark, out_dir: Path, workers: int):
    """Run the cache misses through Spark in one job, then hand them to the sink chunk by chunk, in article order."""
    work_dir = Path(out_dir) / CACHE_DIR_NAME / f"spark-{os.getpid()}"
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    try:
        misses = list(iter_misses(out_dir, cache))  # (position, article_id): small, the bodies stay on disk
        result_dir = work_dir / "result"
        if misses:
            _run_job(spark, out_dir, work_dir, misses, names, workers)
        results = _RowStream(_read_in_order(result_dir) if misses else iter(()))
        for chunk in chunks:
            inputs, keys = chunk.misses()
            if not inputs:
                yield chunk, KeyedRows.empty(extraction_schemas()), 0
                continue
            batch = results.take(len(inputs))
            if batch.column("article_id").to_pylist() != [a.article_id for a in inputs]:
                raise EngineError("Spark returned other articles than asked; rerun with --engine local and report this")
            yield chunk, nested_to_rows(batch, keys), len(inputs)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _run_job(spark, out_dir: Path, work_dir: Path, misses: list[tuple[int, str]], names: tuple, workers: int) -> None:
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    worklist = work_dir / "worklist.parquet"
    pq.write_table(pa.table({POSITION: [p for p, _ in misses], "article_id": [a for _, a in misses]}), worklist)
    articles_path = io.table_path(out_dir, "articles")
    # recursiveFileLookup reads a partitioned folder without inferring the month column (not an input).
    articles = spark.read.option("recursiveFileLookup", "true").parquet(str(articles_path)).select(*INPUT_COLUMNS)
    work = spark.read.parquet(str(worklist))
    partitions = max(1, min(-(-len(misses) // ARTICLES_PER_PARTITION), workers * 8))
    # The articles table's order is the driver's; Spark's own file order is not (it packs splits by size),
    # so each article carries its driver position and the output is range-partitioned and sorted by it.
    df = articles.join(F.broadcast(work), "article_id").repartitionByRange(partitions, POSITION).sortWithinPartitions(POSITION)
    df = df.select(POSITION, *INPUT_COLUMNS)
    out = df.mapInArrow(partial(_extract_partition, names), from_arrow_schema(output_schema()))
    out.write.mode("overwrite").parquet(str(work_dir / "result"))


def _read_in_order(result_dir: Path) -> Iterator[pa.Table]:
    """Spark's part files in partition order (part-00000, part-00001, ...), checked to be sorted by position."""
    last = -1
    for path in sorted(result_dir.glob("part-*.parquet")):
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=CHUNK_ARTICLES):
            pos = batch.column(POSITION).to_numpy()
            if len(pos) and (pos[0] <= last or np.any(np.diff(pos) <= 0)):
                raise EngineError("Spark output is not in article order; rerun with --engine local and report this")
            last = int(pos[-1]) if len(pos) else last
            yield pa.Table.from_batches([batch])


class _RowStream:
    """Consecutive slices of a stream of tables: take(n) returns the next n rows."""

    def __init__(self, tables: Iterator[pa.Table]):
        self._tables, self._rest = tables, None

    def take(self, n: int) -> pa.Table:
        pieces = [self._rest] if self._rest is not None else []
        have = self._rest.num_rows if self._rest is not None else 0
        while have < n:
            t = next(self._tables, None)
            if t is None:
                raise EngineError(f"Spark returned fewer articles than asked ({have} < {n}); rerun with --engine local")
            pieces.append(t)
            have += t.num_rows
        table = pa.concat_tables(pieces)
        self._rest = table.slice(n)
        return table.slice(0, n)


def run_extract_spark(out_dir: Path, workers: int, names: dict | None = None, partition_by_month: bool | None = None, spark=None) -> dict:
    """`build --engine spark`: extraction on PySpark local[workers] (or the given session); same tables as local."""
    if spark is None:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()
    own = spark is None  # a session the caller (a notebook, a test) started is theirs to stop
    spark = spark or spark_session(workers)
    try:
        hook = partial(_spark_rows, spark=spark, out_dir=Path(out_dir), workers=workers)
        return run_extract(out_dir, workers, names, partition_by_month, miss_rows=hook)
    finally:
        if own:
            spark.stop()
