"""Incremental builds: the ingest and extraction caches reuse unchanged inputs and give the tables of a fresh build."""
import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import seeds_plus_synthetic
from pipeline import io, stages
from pipeline.cache import KeyedRows, fingerprint, interleave
from pipeline.config import CACHE_DIR_NAME
from pipeline.engines.local import PREFETCH_PER_WORKER, map_ordered
from pipeline.ingest.run import still_valid
from pipeline.schema import TABLES

TODAY = dt.date(2026, 11, 1)
NEW_ARTICLE = (
    " date 2025-03-03 Stellantis avrebbe avviato trattative con Leapmotor per produrre in Italia un nuovo SUV elettrico. "
    "L’accordo potrebbe valere 1,5 miliardi di euro, secondo indiscrezioni del Financial Times.\n\n"
    "«Non c’è alcuna trattativa», ha detto un portavoce.\n"
)


@pytest.fixture(autouse=True)
def pinned_fingerprints(monkeypatch):
    """Other work on the extractors' source must not invalidate the cache between two builds of one test."""
    ingest_fp, extract_fp = stages.ingest_fingerprint(), stages.extract_fingerprint(tuple(stages.DEFAULT_EXTRACTORS.items()))
    monkeypatch.setattr(stages, "ingest_fingerprint", lambda: ingest_fp)
    monkeypatch.setattr(stages, "extract_fingerprint", lambda names: extract_fp)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The five seed articles plus a small synthetic corpus (txt, jsonl, csv, html, duplicates)."""
    return seeds_plus_synthetic(tmp_path_factory.mktemp("raw"), 25, 11)


@pytest.fixture
def raw(corpus, tmp_path) -> Path:
    copy = tmp_path / "raw"
    shutil.copytree(corpus, copy)
    return copy


def build(raw: Path, out: Path, today: dt.date = TODAY, **kw) -> dict:
    stages.run_ingest(raw, out, workers=1, today=today, **kw)
    stages.run_extract(out, workers=1)
    return io.read_metadata(out)


def tables(out: Path, sort: bool = True) -> dict[str, list[dict]]:
    got = {}
    for name, t in TABLES.items():
        table = io.read_table(out, name)
        if sort and table.num_rows:
            table = table.sort_by([(k, "ascending") for k in t.sort_by])
        got[name] = table.to_pylist()
    return got


def test_second_build_reuses_every_file_and_article(raw, tmp_path):
    out = tmp_path / "out"
    first = build(raw, out)
    before = tables(out, sort=False)
    second = build(raw, out)
    n_files, n_articles = first["ingest"]["files"], first["ingest"]["articles"]
    assert first["ingest_cache"] == {"files_read": n_files, "files_reused": 0}
    assert first["extract_cache"] == {"articles_extracted": n_articles, "articles_reused": 0}
    assert second["ingest_cache"] == {"files_read": 0, "files_reused": n_files}
    assert second["extract_cache"] == {"articles_extracted": 0, "articles_reused": n_articles}
    assert tables(out, sort=False) == before  # same rows in the same order


def test_an_added_article_is_the_only_one_extracted(raw, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    first = build(raw, out)
    (raw / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    meta = build(raw, out)
    assert meta["ingest_cache"] == {"files_read": 1, "files_reused": first["ingest"]["files"]}
    assert meta["extract_cache"] == {"articles_extracted": 1, "articles_reused": first["ingest"]["articles"]}
    build(raw, fresh)
    assert tables(out) == tables(fresh)


def test_changed_and_deleted_files(raw, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    first = build(raw, out)
    seeds = sorted(raw.glob("0*.txt"))
    seeds[0].write_text(seeds[0].read_text(encoding="utf-8") + "\nFord ha confermato i risultati del trimestre.\n", encoding="utf-8")
    seeds[1].unlink()
    meta = build(raw, out)
    assert meta["ingest_cache"] == {"files_read": 1, "files_reused": first["ingest"]["files"] - 2}
    assert meta["extract_cache"] == {"articles_extracted": 1, "articles_reused": first["ingest"]["articles"] - 2}
    build(raw, fresh)
    assert tables(out) == tables(fresh)


def test_other_extractors_or_reference_data_reextract_everything(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build(raw, out)
    monkeypatch.setattr(stages, "extract_fingerprint", lambda names: "another knowledge base")
    meta = build(raw, out)
    assert meta["ingest_cache"]["files_read"] == 0
    assert meta["extract_cache"] == {"articles_extracted": first["ingest"]["articles"], "articles_reused": 0}


def test_a_damaged_cache_only_costs_time(raw, tmp_path):
    out = tmp_path / "out"
    build(raw, out)
    before = tables(out)
    (out / CACHE_DIR_NAME / "extract" / "index.parquet").unlink()
    (out / CACHE_DIR_NAME / "ingest" / "articles.parquet").write_bytes(b"not parquet")
    meta = build(raw, out)
    assert meta["ingest_cache"]["files_reused"] == 0
    assert meta["extract_cache"]["articles_reused"] == 0
    assert tables(out) == before


def test_a_file_dated_after_the_cached_day_is_normalized_again(raw, tmp_path):
    out = tmp_path / "out"
    (raw / "zz_future.txt").write_text(NEW_ARTICLE.replace("2025-03-03", "2030-06-01"), encoding="utf-8")
    build(raw, out, today=dt.date(2030, 5, 1))
    flags = {a["source_path"]: a["flags"] for a in io.read_table(out, "articles").to_pylist()}
    assert "future_date" in flags["zz_future.txt"]
    meta = build(raw, out, today=dt.date(2030, 7, 1))
    assert meta["ingest_cache"]["files_read"] == 1
    flags = {a["source_path"]: a["flags"] for a in io.read_table(out, "articles").to_pylist()}
    assert "future_date" not in flags["zz_future.txt"]


def test_still_valid_only_when_no_date_falls_between_the_two_days():
    d = dt.date
    assert still_valid(None, d(2025, 1, 1), d(2026, 1, 1))
    assert still_valid(d(2024, 5, 1), d(2025, 1, 1), d(2026, 1, 1))
    assert not still_valid(d(2025, 6, 1), d(2025, 1, 1), d(2026, 1, 1))  # was future, is past now
    assert not still_valid(d(2025, 6, 1), d(2026, 1, 1), d(2025, 1, 1))  # clock went back
    assert not still_valid(d(2024, 5, 1), None, d(2025, 1, 1))


def test_partitioned_build_has_the_same_rows_and_reads_in_duckdb(raw, tmp_path):
    flat, parts = tmp_path / "flat", tmp_path / "parts"
    build(raw, flat)
    build(raw, parts, partition_by_month=True)
    for name in ("articles", "sentences", "mentions", "claims", "quantities", "time_expressions"):
        assert io.table_path(parts, name).is_dir(), name
        assert sorted(p.name for p in (parts / name).iterdir())[0].startswith("month=")
    assert io.table_path(parts, "entities").name == "entities.parquet"
    assert tables(parts) == tables(flat)
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parts}/mentions/**/*.parquet', hive_partitioning = true)").fetchone()[0]
    assert n == len(tables(flat)["mentions"])
    unknown = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parts}/articles/**/*.parquet', hive_partitioning = true) WHERE month = 'unknown'").fetchone()[0]
    assert unknown == sum(a["published"] is None for a in tables(flat)["articles"])
    # the next flat build replaces the folders by single files
    build(raw, parts)
    assert not (parts / "articles").exists() and (parts / "articles.parquet").exists()


def _rows(keys, counts, values):
    schema = pa.schema([("v", pa.int64())])
    return KeyedRows(keys, {"t": np.array(counts)}, {"t": pa.table({"v": values}, schema=schema)})


def test_interleave_keeps_build_order():
    hits = _rows(["a", "c"], [2, 0], [1, 2])
    misses = _rows(["b", "d"], [1, 2], [10, 20, 21])
    got = interleave([True, False, True, False], hits, misses)
    assert got.keys == ["a", "b", "c", "d"]
    assert got.counts["t"].tolist() == [2, 1, 0, 2]
    assert got.tables["t"].column("v").to_pylist() == [1, 2, 10, 20, 21]


def test_range_reader_reads_across_row_groups(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"v": list(range(10))}), path, row_group_size=3)
    reader = io.RangeReader(path, pa.schema([("v", pa.int64())]))
    assert reader.read(2, 8).column("v").to_pylist() == [2, 3, 4, 5, 6, 7]
    assert reader.read(0, 1).column("v").to_pylist() == [0]  # backwards works too
    assert reader.read(5, 5).num_rows == 0


def test_fingerprint_changes_with_its_inputs():
    assert fingerprint("kb-1") == fingerprint("kb-1")
    assert fingerprint("kb-1") != fingerprint("kb-2")
    assert fingerprint("x", sources=("pipeline/cache.py",)) != fingerprint("x")


def _square(x: int) -> int:
    return x * x


def test_map_ordered_is_ordered_and_reads_its_input_lazily():
    pulled = []

    def items():
        for i in range(100):
            pulled.append(i)
            yield i

    results = map_ordered(_square, items(), workers=2)
    assert next(results) == 0
    assert len(pulled) <= 2 * PREFETCH_PER_WORKER + 1  # not the whole input
    assert list(results) == [i * i for i in range(1, 100)]


def test_added_articles_are_extracted_by_a_pool_while_cached_chunks_stream(raw, tmp_path, monkeypatch):
    """With workers, a rebuild's few misses go to a small pool (its worker loads the knowledge base, not this
    process) ahead of the cached chunks before them; the tables are a fresh build's."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    first = build(raw, out)
    monkeypatch.setattr(stages, "CHUNK_ARTICLES", 4)  # several chunks even on the small corpus
    (raw / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    stages.run_ingest(raw, out, workers=1, today=TODAY)
    preloaded, load = [], stages.load_extractors
    monkeypatch.setattr(stages, "load_extractors", lambda names: preloaded.append(os.getpid()) or load(names))
    pools = []
    local_rows = stages._local_rows
    monkeypatch.setattr(stages, "_local_rows", lambda chunks, names, workers, pool_size=None: pools.append((workers, pool_size)) or local_rows(chunks, names, workers, pool_size))
    stages.run_extract(out, workers=2)
    assert io.read_metadata(out)["extract_cache"] == {"articles_extracted": 1, "articles_reused": first["ingest"]["articles"]}
    assert os.getpid() not in preloaded and pools == [(2, 1)]  # loaded by the worker only
    build(raw, fresh)
    assert tables(out, sort=False) == tables(fresh, sort=False)


def _fake_chunk(i: int, miss: bool) -> stages.ArticleChunk:
    from pipeline.extract.run import ArticleInput

    return stages.ArticleChunk([ArticleInput(f"a{i}", "")], [f"k{i}"], [True], [None if miss else i])


def test_local_rows_sends_misses_ahead_of_the_cached_chunks(monkeypatch):
    pulled = []
    monkeypatch.setattr(stages, "extract_chunk", _extract_stub)

    def chunks():
        for i in range(10):
            pulled.append(i)
            yield _fake_chunk(i, miss=i == 9)

    rows = stages._local_rows(chunks(), (), workers=2, pool_size=1)
    chunk, got, n = next(rows)
    assert pulled == list(range(10))  # read ahead to the chunk with a miss before yielding the first
    assert (chunk.keys, n) == (["k0"], 0)
    rest = list(rows)
    assert [c.keys[0] for c, _, _ in rest] == [f"k{i}" for i in range(1, 10)]
    assert [n for _, _, n in rest] == [0] * 8 + [1]
    assert rest[-1][1].keys == ["k9"]


def _extract_stub(args):
    inputs, names, keys = args
    return stages.extraction_rows(keys, [stages.ArticleExtraction(a.article_id, [], [], [], [], []) for a in inputs])
