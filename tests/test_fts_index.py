"""The BM25 index the loader builds (fts_update.py) is the index PRAGMA create_fts_index builds."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.load.fts import create_article_index, load_fts_extension
from pipeline.load.fts_update import _TOKENIZE, update_article_index
from test_warehouse_incremental import assert_same, snapshot

HOSTILE = [
    "", "   ", "Perché l'Über-Straße costa 1.500€?", "ÉLAN, naïve; façade — Œuvre/ß", "Tab\tnew\nline\r\nend",
    "--leading and trailing--", "ąčęėįšųūž ĄČĘ", "emoji 🚗 e-mobility #EV2030", "x" * 300, "2024-12-05T10:00",
    "Ĳssel İstanbul ǅ", "中文 テスト 한국어", "a'b’c“d”e«f»g",
]


def reindexed(db: Path, copy: Path, reindex) -> Path:
    """A copy of `db` whose article index `reindex(con)` has built again."""
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    try:
        reindex(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return copy


def test_the_full_load_index_equals_the_pragmas(built_seeds, tmp_path):
    db = built_seeds / "news.duckdb"
    # overwrite=1: the pragma indexes every article itself
    want = snapshot(reindexed(db, tmp_path / "pragma.duckdb", create_article_index))
    assert want["fts_stats"][0][0] == len(want["articles"]) > 0
    assert_same(snapshot(db), want)


@pytest.mark.parametrize("text", HOSTILE)
def test_one_regex_split_gives_the_words_of_the_pragmas_tokenize_macro(built_seeds, text):
    con = duckdb.connect(str(built_seeds / "news.duckdb"), read_only=True)
    try:
        load_fts_extension(con)
        macro = con.execute("SELECT list_filter(fts_main_articles.tokenize(?), w -> len(w) > 0)", [text]).fetchone()[0]
        ours = con.execute(f"SELECT list_filter({_TOKENIZE.format('?')}, w -> len(w) > 0)", [text]).fetchone()[0]
    finally:
        con.close()
    assert ours == macro


def test_indexing_in_batches_gives_the_same_index(built_seeds, tmp_path):
    db = built_seeds / "news.duckdb"
    # every article out and in again, two at a time: docids and df built up over three passes
    got = snapshot(reindexed(db, tmp_path / "batched.duckdb", lambda con: update_article_index(con, "articles", batch_docs=2)))
    want = snapshot(db)
    assert len(want["articles"]) > 2
    assert_same(got, want)
