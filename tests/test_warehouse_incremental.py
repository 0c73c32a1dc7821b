"""Incremental loads: updating the previous news.duckdb gives the tables and search scores of a full load, or falls back to one."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import seeds_plus_synthetic, write_tiny_tables
from pipeline import io, stages
from pipeline.load import incremental
from pipeline.load.catalog import warehouse_table_name
from pipeline.load.incremental import StaleWarehouseError, check_load_state
from pipeline.load.query import connect_readonly
from pipeline.load.warehouse import build_warehouse
from pipeline.schema import TABLES

TODAY = dt.date(2026, 11, 1)
QUERIES = ("Ford", "batterie auto", "Xiaomi berlina elettrica", "accordo Ferrari euro", "Stellantis", "vendite", "mercato auto elettriche")


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted on all columns), the BM25 statistics and the results of a few searches."""
    con = connect_readonly(db)
    try:
        got = {name: con.execute(f'SELECT * FROM "{warehouse_table_name(name)}" ORDER BY ALL').fetchall() for name in TABLES}
        # docid/termid numbering may differ; what BM25 reads from the index may not.
        got["fts_docs"] = con.execute("SELECT name, len FROM fts_main_articles.docs ORDER BY ALL").fetchall()
        got["fts_dict"] = con.execute("SELECT term, df FROM fts_main_articles.dict ORDER BY ALL").fetchall()
        got["fts_terms"] = con.execute(
            "SELECT d.name, t.fieldid, w.term, count(*) FROM fts_main_articles.terms t "
            "JOIN fts_main_articles.docs d USING (docid) JOIN fts_main_articles.dict w USING (termid) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        got["fts_stats"] = con.execute("SELECT * FROM fts_main_articles.stats").fetchall()
        for q in QUERIES:
            got[f"search {q}"] = dict(con.execute("SELECT article_id, score FROM search_articles(?)", [q]).fetchall())
        return got
    finally:
        con.close()


def assert_same_as_full_load(out: Path, tmp_path: Path) -> None:
    """Update out/news.duckdb incrementally (no fallback allowed) and compare it with a full load of the same tables."""
    build_warehouse(out, mode="incremental")
    full = tmp_path / "full.duckdb"
    build_warehouse(out, full, mode="full")
    assert_same(snapshot(out / "news.duckdb"), snapshot(full))
    assert any(snapshot(full)[f"search {q}"] for q in QUERIES)  # the searches compared something


def assert_same(got: dict, want: dict) -> None:
    """Snapshots equal: rows and index statistics exactly, search scores to 12 significant digits."""
    assert got.keys() == want.keys()
    for key in want:
        if key.startswith("search "):
            # Same articles, same scores up to the last bits: match_bm25 sums each document's term
            # scores in an order that follows the internal termid/docid numbering, so two full
            # loads of the same Parquet files already differ there. Every statistic BM25 reads
            # (docs.len, dict.df, terms, stats) is compared exactly under the fts_* keys.
            assert got[key].keys() == want[key].keys(), key
            assert got[key] == pytest.approx(want[key], rel=1e-12, abs=0), key
        else:
            assert got[key] == want[key], key


# ---------------------------------------------------------------- tiny hand-made tables

def test_adding_articles(tmp_path):
    out = write_tiny_tables(tmp_path / "out", ("a_A", "a_B"))
    build_warehouse(out)
    write_tiny_tables(out)
    assert_same_as_full_load(out, tmp_path)
    assert snapshot(out / "news.duckdb")["fts_stats"][0][0] == 4


def test_removing_articles(tmp_path):
    out = write_tiny_tables(tmp_path / "out")
    build_warehouse(out)
    for name in TABLES:
        (out / f"{name}.parquet").unlink()
    write_tiny_tables(out, ("a_B", "a_D"))
    assert_same_as_full_load(out, tmp_path)


def test_an_article_whose_duplicate_of_changes_is_replaced(tmp_path):
    out = write_tiny_tables(tmp_path / "out")
    build_warehouse(out)
    articles = io.read_table(out, "articles")
    is_c = pc.equal(articles["article_id"], "a_C")
    articles = articles.set_column(
        articles.schema.get_field_index("duplicate_of"), "duplicate_of", pc.if_else(is_c, None, articles["duplicate_of"])
    )
    io.write_table(out, "articles", articles)
    assert_same_as_full_load(out, tmp_path)
    assert "a_C" in snapshot(out / "news.duckdb")["search Xiaomi berlina elettrica"]


def test_a_changed_row_of_a_dependent_table_is_replaced(tmp_path):
    out = write_tiny_tables(tmp_path / "out")
    build_warehouse(out)
    claims = io.read_table(out, "claims")
    claims = claims.set_column(claims.schema.get_field_index("modality"), "modality", pc.replace_substring(claims["modality"], "rumor", "denial"))
    io.write_table(out, "claims", claims)
    (out / "time_expressions.parquet").unlink()  # a table that disappears loads as empty
    assert_same_as_full_load(out, tmp_path)


def test_nothing_changed_keeps_every_row(tmp_path):
    out = write_tiny_tables(tmp_path / "out")
    build_warehouse(out)
    before = snapshot(out / "news.duckdb")
    build_warehouse(out, mode="incremental")
    assert_same(snapshot(out / "news.duckdb"), before)


def test_partitioned_tables_update_too(tmp_path):
    out = write_tiny_tables(tmp_path / "out", ("a_A", "a_B", "a_D"))
    build_warehouse(out)
    write_tiny_tables(out)
    mentions = io.read_table(out, "mentions")
    (out / "mentions.parquet").unlink()
    for i, aid in enumerate(("a_A", "a_B", "a_C", "a_D")):
        part = out / "mentions" / f"article={aid}"
        part.mkdir(parents=True)
        pq.write_table(mentions.filter(pc.equal(mentions["article_id"], aid)), part / f"part-{i}.parquet")
    assert_same_as_full_load(out, tmp_path)


# ---------------------------------------------------------------- when the old file cannot be updated

def test_a_changed_loader_fingerprint_forces_a_full_load(tmp_path, monkeypatch):
    out = write_tiny_tables(tmp_path / "out", ("a_A", "a_B"))
    build_warehouse(out)
    monkeypatch.setattr(incremental, "LOADER_VERSION", incremental.LOADER_VERSION + 1)
    write_tiny_tables(out)
    with pytest.raises(StaleWarehouseError, match="another version"):
        build_warehouse(out, mode="incremental")
    build_warehouse(out)  # auto: falls back to a full load, which records the new fingerprint
    full = tmp_path / "full.duckdb"
    build_warehouse(out, full, mode="full")
    assert_same(snapshot(out / "news.duckdb"), snapshot(full))
    build_warehouse(out, mode="incremental")  # the next load can be incremental again


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_old_file_is_rebuilt_in_full(tmp_path, damage):
    out = write_tiny_tables(tmp_path / "out")
    build_warehouse(out)
    db = out / "news.duckdb"
    if damage == "garbage":
        db.write_bytes(b"not a database" * 1000)
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[: 3 * 4096 + 100])
    else:
        db.write_bytes(b"")
    with pytest.raises(StaleWarehouseError):
        build_warehouse(out, mode="incremental")
    assert build_warehouse(out)["articles"] == 4
    assert_same(snapshot(db), snapshot(_full(out, tmp_path)))
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".news")) == []  # no temp files left


def test_a_missing_old_file_or_a_wal_next_to_it_means_a_full_load(tmp_path):
    out = write_tiny_tables(tmp_path / "out")
    with pytest.raises(StaleWarehouseError, match="none"):
        build_warehouse(out, mode="incremental")
    build_warehouse(out)
    (out / "news.duckdb.wal").write_bytes(b"left by a crashed writer")
    with pytest.raises(StaleWarehouseError, match="write-ahead log"):
        build_warehouse(out, mode="incremental")
    build_warehouse(out)
    assert not (out / "news.duckdb.wal").exists()
    build_warehouse(out, mode="incremental")


def edited_by_hand_then_rebuilt(tmp_path: Path, sql: str, refusal: str) -> Path:
    """Build, run `sql` on news.duckdb by hand, check the incremental load refuses with `refusal`, then
    check that the default load falls back to a full one equal to a fresh build. Returns the out folder."""
    out = write_tiny_tables(tmp_path / "out")
    build_warehouse(out)
    con = duckdb.connect(str(out / "news.duckdb"))
    con.execute(sql)
    con.close()
    with pytest.raises(StaleWarehouseError, match=refusal):
        build_warehouse(out, mode="incremental")
    build_warehouse(out)
    assert_same(snapshot(out / "news.duckdb"), snapshot(_full(out, tmp_path)))
    return out


def test_an_object_added_by_hand_forces_a_full_load(tmp_path):
    out = edited_by_hand_then_rebuilt(tmp_path, "CREATE TABLE my_notes AS SELECT 1 AS x", "changed after the load")
    con = connect_readonly(out / "news.duckdb")
    try:
        check_load_state(con)
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'my_notes'").fetchone() == (0,)
    finally:
        con.close()


def _full(out: Path, tmp_path: Path) -> Path:
    full = tmp_path / "full.duckdb"
    build_warehouse(out, full, mode="full")
    return full


# ---------------------------------------------------------------- a real corpus through every stage

@pytest.fixture
def pinned_fingerprints(monkeypatch):
    """Other work on the extractors' source must not invalidate the caches between two builds of one test."""
    ingest_fp, extract_fp = stages.ingest_fingerprint(), stages.extract_fingerprint(tuple(stages.DEFAULT_EXTRACTORS.items()))
    monkeypatch.setattr(stages, "ingest_fingerprint", lambda: ingest_fp)
    monkeypatch.setattr(stages, "extract_fingerprint", lambda names: extract_fp)


@pytest.mark.slow
def test_corpus_with_articles_added_and_removed(tmp_path, pinned_fingerprints):
    from pipeline.synth import write_synthetic_corpus

    raw, out = seeds_plus_synthetic(_mkdir(tmp_path / "raw"), 20, 5), tmp_path / "out"
    stages.run_ingest(raw, out, workers=1, today=TODAY)
    stages.run_extract(out, workers=1)
    stages.run_load(out)
    before = snapshot(out / "news.duckdb")
    write_synthetic_corpus(3, 6, raw / "more", workers=1)
    for p in sorted(raw.glob("*.txt"))[:2]:
        p.unlink()
    stages.run_ingest(raw, out, workers=1, today=TODAY)
    stages.run_extract(out, workers=1)
    assert_same_as_full_load(out, tmp_path)
    after = snapshot(out / "news.duckdb")
    assert after["articles"] != before["articles"] and after["fts_stats"] != before["fts_stats"]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def test_rows_deleted_by_hand_force_a_full_load(tmp_path):
    edited_by_hand_then_rebuilt(tmp_path, "DELETE FROM mentions WHERE article_id = 'a_B'", "rows of mentions were changed")
