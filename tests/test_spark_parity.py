"""The Spark engine (local mode) writes the same tables as the local engine, on the seeds plus a synthetic corpus."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import seeds_plus_synthetic
from pipeline import io
from pipeline.config import CACHE_DIR_NAME, RAW_DIR
from pipeline.schema import EXTRACT_TABLES, TABLES
from pipeline.stages import run_extract, run_ingest

pytestmark = pytest.mark.slow
pyspark = pytest.importorskip("pyspark")

WORKERS = 2
TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module", autouse=True)
def pinned_fingerprint():
    """Work on the extractors' source during the run must not invalidate the cache between two builds."""
    from pipeline import stages

    fp = stages.extract_fingerprint(tuple(stages.DEFAULT_EXTRACTORS.items()))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stages, "extract_fingerprint", lambda names: fp)
        yield


@pytest.fixture(scope="module")
def spark():
    """One session for the module: starting the JVM is the slow part."""
    from pipeline.engines.spark import spark_session

    session = spark_session(WORKERS)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    raw = seeds_plus_synthetic(tmp_path_factory.mktemp("raw"), 200, 21)
    out = tmp_path_factory.mktemp("ingested")
    run_ingest(raw, out, workers=WORKERS, today=TODAY)
    return out


def _copy_ingest(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(CACHE_DIR_NAME, ".build.lock"))
    return dst


def sorted_rows(out: Path, name: str) -> list[dict]:
    table = io.read_table(out, name)
    if table.num_rows:
        table = table.sort_by([(k, "ascending") for k in TABLES[name].sort_by])
    return table.to_pylist()


@pytest.fixture(scope="module")
def both(ingested, spark, tmp_path_factory):
    from pipeline.engines.spark import run_extract_spark

    local = _copy_ingest(ingested, tmp_path_factory.mktemp("e") / "local")
    on_spark = _copy_ingest(ingested, tmp_path_factory.mktemp("e") / "spark")
    local_summary = run_extract(local, WORKERS)
    spark_summary = run_extract_spark(on_spark, WORKERS, spark=spark)
    return local, on_spark, local_summary, spark_summary


def test_same_counts(both):
    _, _, local_summary, spark_summary = both
    assert spark_summary == local_summary
    assert spark_summary["articles_reused"] == 0 and spark_summary["mentions"] > 0


@pytest.mark.parametrize("name", EXTRACT_TABLES)
def test_every_table_is_identical(both, name):
    local, on_spark, _, _ = both
    assert sorted_rows(on_spark, name) == sorted_rows(local, name)


def test_spark_rebuild_reuses_the_cache(both, spark):
    from pipeline.engines.spark import run_extract_spark

    _, on_spark, _, _ = both
    before = {name: sorted_rows(on_spark, name) for name in EXTRACT_TABLES}
    summary = run_extract_spark(on_spark, WORKERS, spark=spark)
    assert summary["articles_extracted"] == 0
    assert {name: sorted_rows(on_spark, name) for name in EXTRACT_TABLES} == before


def test_partitioned_articles_on_spark(spark, tmp_path):
    from pipeline.engines.spark import run_extract_spark

    local, on_spark = tmp_path / "local", tmp_path / "spark"
    for out in (local, on_spark):
        run_ingest(RAW_DIR, out, workers=1, today=TODAY, partition_by_month=True)
    run_extract(local, 1)
    run_extract_spark(on_spark, WORKERS, spark=spark)
    assert io.table_path(on_spark, "mentions").is_dir()
    for name in EXTRACT_TABLES:
        assert sorted_rows(on_spark, name) == sorted_rows(local, name), name
