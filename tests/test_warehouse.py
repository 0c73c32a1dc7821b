"""news.duckdb on a tiny hand-made corpus: typed tables, exact rows of every view and macro, comments, search, docs."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, write_tiny_tables
from pipeline.cli import main
from pipeline.docs import render_data_dictionary
from pipeline.load.catalog import MACROS, VIEWS, warehouse_table_name
from pipeline.load.query import connect_readonly, run_sql
from pipeline.load.queries import NOTEBOOK_QUERIES
from pipeline.load.timing import MACRO_CALLS, time_notebook_queries
from pipeline.load.warehouse import WarehouseBuildError, build_warehouse, duckdb_type
from pipeline.schema import TABLES

D = dt.date


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = connect_readonly(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------- tables

def test_every_contract_table_is_typed_as_in_schema(tiny_db):
    con = connect_readonly(tiny_db)
    try:
        for table in TABLES.values():
            cols = con.execute(
                "SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
                "WHERE database_name = 'news' AND table_name = ? ORDER BY column_index",
                [warehouse_table_name(table.name)],
            ).fetchall()
            assert cols == [(c.name, duckdb_type(c.type), c.nullable) for c in table.columns], table.name
    finally:
        con.close()


def test_build_returns_row_counts_and_leaves_no_temp_files(tiny_out):
    counts = build_warehouse(tiny_out)
    assert counts == {"articles": 4, "rejects": 1, "sentences": 7, "entities": 4, "mentions": 11, "claims": 3,
                      "quantities": 3, "time_expressions": 0, "claim_threads": 2}
    assert sorted(p.name for p in tiny_out.iterdir() if "duckdb" in p.name) == ["news.duckdb"]


def test_missing_parquet_tables_load_as_empty_tables(tmp_path):
    write_tiny_tables(tmp_path, articles=("a_D",))
    for name in ("mentions", "claims", "claim_threads"):
        (tmp_path / f"{name}.parquet").unlink()
    counts = build_warehouse(tmp_path)
    assert counts["mentions"] == counts["claims"] == counts["claim_threads"] == 0
    assert rows(tmp_path / "news.duckdb", "SELECT count(*) FROM top_entities") == [(0,)]


def test_partitioned_tables_and_paths_with_quotes_load(tmp_path):
    out = write_tiny_tables(tmp_path / "it's [odd] dir")
    mentions = pq.read_table(out / "mentions.parquet")
    (out / "mentions.parquet").unlink()
    for month in ("2025-01", "2025-02"):
        part = out / "mentions" / f"month={month}"
        part.mkdir(parents=True)
        half = mentions.slice(0, 6) if month == "2025-01" else mentions.slice(6)
        pq.write_table(half.append_column("month", pa.array([month] * half.num_rows)), part / "part-00000.parquet")
    counts = build_warehouse(out)
    assert counts["mentions"] == 11
    db = out / "news.duckdb"
    assert [c[0] for c in rows(db, "DESCRIBE mentions")] == TABLES["mentions"].column_names  # no hive column
    assert run_sql(db, "SELECT count(*) FROM mentions")[1] == [(11,)]


def test_a_column_added_to_the_schema_later_loads_as_null_but_a_required_one_fails(tmp_path):
    out = write_tiny_tables(tmp_path / "t")
    pq.write_table(pq.read_table(out / "articles.parquet").drop_columns(["url"]), out / "articles.parquet")
    build_warehouse(out)
    assert rows(out / "news.duckdb", "SELECT count(*) FROM articles WHERE url IS NULL") == [(4,)]
    pq.write_table(pq.read_table(out / "articles.parquet").drop_columns(["body"]), out / "articles.parquet")
    before = (out / "news.duckdb").read_bytes()
    with pytest.raises(WarehouseBuildError, match="body"):
        build_warehouse(out)
    assert (out / "news.duckdb").read_bytes() == before  # the previous database is untouched
    assert sorted(p.name for p in out.iterdir() if "duckdb" in p.name) == ["news.duckdb"]


# ---------------------------------------------------------------- views: exact rows

def test_unique_articles_excludes_duplicates_and_labels_date_precision(tiny_db):
    assert rows(tiny_db, "SELECT article_id, published, date_precision, period, month, year FROM unique_articles ORDER BY article_id") == [
        ("a_A", D(2025, 1, 15), "day", "2025-01-15", D(2025, 1, 1), 2025),
        ("a_B", D(2025, 2, 1), "month", "2025-02", D(2025, 2, 1), 2025),
        ("a_D", None, "unknown", "unknown", None, None),
    ]


def test_entity_mentions_by_month_keeps_undated_apart(tiny_db):
    assert rows(tiny_db, "SELECT name, month, period, period_precision, n_mentions, n_articles FROM entity_mentions_by_month ORDER BY name, month NULLS LAST") == [
        ("Ferrari", D(2025, 2, 1), "2025-02", "month", 2, 1),
        ("Ford", D(2025, 1, 1), "2025-01", "month", 2, 1),
        ("Ford", D(2025, 2, 1), "2025-02", "month", 1, 1),
        ("Jim Farley", D(2025, 2, 1), "2025-02", "month", 1, 1),
        ("Xiaomi", D(2025, 1, 1), "2025-01", "month", 1, 1),
        ("Xiaomi", None, "unknown", "unknown", 1, 1),
    ]


def test_top_entities_counts_without_duplicates(tiny_db):
    assert rows(tiny_db, "SELECT name, type, n_mentions, n_articles, rank, rank_in_type, first_period, last_period FROM top_entities") == [
        ("Ford", "ORG", 3, 2, 1, 1, "2025-01-15", "2025-02"),
        ("Ferrari", "ORG", 2, 1, 2, 2, "2025-02", "2025-02"),
        ("Xiaomi", "ORG", 2, 2, 2, 2, "2025-01-15", "2025-01-15"),
        ("Jim Farley", "PER", 1, 1, 4, 1, "2025-02", "2025-02"),
    ]


def test_entity_cooccurrence_at_article_and_sentence_level(tiny_db):
    got = rows(tiny_db, "SELECT level, name_a, name_b, n_together FROM entity_cooccurrence ORDER BY level, entity_a, entity_b")
    pairs = [("Jim Farley", "Ferrari", 1), ("Jim Farley", "Ford", 1), ("Ferrari", "Ford", 1), ("Ford", "Xiaomi", 1)]
    assert got == [("article", *p) for p in pairs] + [("sentence", *p) for p in pairs]


def test_claims_timeline_and_claim_threads(tiny_db):
    assert rows(tiny_db, "SELECT claim_id, period, modality, speaker, subject_names FROM claims_timeline ORDER BY claim_id") == [
        ("a_A:0", "2025-01-15", "rumor", None, ["Ford", "Xiaomi"]),
        ("a_B:0", "2025-02", "fact", "Jim Farley", ["Ferrari", "Ford"]),
    ]
    assert rows(tiny_db, "SELECT thread_id, position, period, date_precision, modality, thread_size, entity_names, text FROM claim_threads ORDER BY position") == [
        ("t_1", 0, "2025-01-15", "day", "rumor", 2, ["Ford"], "Ford avrebbe avviato contatti con Xiaomi."),
        ("t_1", 1, "2025-02", "month", "fact", 2, ["Ford"], "Jim Farley ha confermato che Ford lavora con Ferrari."),
    ]
    # The contract columns of claim_threads are all there, under the contract name.
    cols = [c[0] for c in rows(tiny_db, "DESCRIBE claim_threads")]
    assert cols[: len(TABLES["claim_threads"].columns)] == TABLES["claim_threads"].column_names


def test_quantities_by_entity(tiny_db):
    assert rows(tiny_db, "SELECT name, unit, counted, n_quantities, min_value, max_value, largest_surface FROM quantities_by_entity ORDER BY name") == [
        ("Ferrari", "EUR", None, 1, 2e9, 2e9, "2 miliardi di euro"),
        ("Ford", "count", "auto", 1, 10000.0, 10000.0, "10 mila auto"),
    ]


# ---------------------------------------------------------------- macros

def test_mentions_of_matches_names_aliases_and_case(tiny_db):
    got = rows(tiny_db, "SELECT article_id, period, surface, sentence FROM mentions_of('ford')")
    assert got == [
        ("a_A", "2025-01-15", "Ford", "Ford avrebbe avviato contatti con Xiaomi."),
        ("a_A", "2025-01-15", "Ford", "Ford venderà 10 mila auto con batterie nuove."),
        ("a_B", "2025-02", "Ford", "Jim Farley ha confermato che Ford lavora con Ferrari."),
    ]
    assert [r[0] for r in rows(tiny_db, "SELECT article_id FROM mentions_of(?)", ["Xiaomi Corp"])] == ["a_A", "a_D"]
    assert rows(tiny_db, "SELECT matched_by FROM find_entities('XIAOMI')") == [("name",)]
    assert rows(tiny_db, "SELECT count(*) FROM mentions_of('nobody')") == [(0,)]


def test_claims_said_by_quantities_timeline_and_cooccurring(tiny_db):
    assert rows(tiny_db, "SELECT claim_id FROM claims_about('Xiaomi')") == [("a_A:0",)]
    assert rows(tiny_db, "SELECT claim_id FROM claims_about('Ford')") == [("a_A:0",), ("a_B:0",)]
    assert rows(tiny_db, "SELECT claim_id FROM said_by('Farley')") == [("a_B:0",)]
    assert rows(tiny_db, "SELECT name, surface, value, unit FROM quantities_of('ferrari')") == [("Ferrari", "2 miliardi di euro", 2e9, "EUR")]
    assert rows(tiny_db, "SELECT period, n_mentions FROM entity_timeline('Ford')") == [("2025-01", 2), ("2025-02", 1)]
    assert rows(tiny_db, "SELECT name, n_together FROM cooccurring_with('Ford')") == [("Ferrari", 1), ("Jim Farley", 1), ("Xiaomi", 1)]
    assert rows(tiny_db, "SELECT level, name FROM cooccurring_with('Xiaomi', scope := 'sentence')") == [("sentence", "Ford")]
    with pytest.raises(duckdb.Error, match="scope"):
        rows(tiny_db, "SELECT * FROM cooccurring_with('Ford', scope := 'paragraph')")


def test_scalar_macros_label_periods(tiny_db):
    assert rows(tiny_db, "SELECT date_period(DATE '2024-12-01', 'month'), month_period(DATE '2024-12-09', 'day'), period_month(DATE '2024-01-01', 'year'), date_period(NULL, 'day')") == [
        ("2024-12", "2024-12", None, "unknown")
    ]


def test_full_text_search_uses_the_italian_stemmer_and_skips_duplicates(tiny_db):
    assert [r[0] for r in rows(tiny_db, "SELECT article_id FROM search_articles('batteria')")] == ["a_A"]
    assert [r[0] for r in rows(tiny_db, "SELECT article_id FROM search_articles('BERLINE elettriche')")] == ["a_D"]
    assert rows(tiny_db, "SELECT count(*) FROM search_articles('della')") == [(0,)]  # a stop word


def test_query_values_are_parameters_not_sql(tiny_db):
    hostile = "x'); DROP TABLE articles; --"
    assert rows(tiny_db, "SELECT count(*) FROM mentions_of(?)", [hostile]) == [(0,)]
    assert rows(tiny_db, "SELECT count(*) FROM search_articles(?)", [hostile]) == [(0,)]
    assert rows(tiny_db, "SELECT count(*) FROM articles") == [(4,)]


# ---------------------------------------------------------------- comments and docs

def test_every_table_view_column_and_macro_has_a_comment(tiny_db):
    con = connect_readonly(tiny_db)
    try:
        for table in TABLES.values():
            name = warehouse_table_name(table.name)
            assert con.execute("SELECT comment FROM duckdb_tables() WHERE database_name = 'news' AND table_name = ?", [name]).fetchone() == (table.doc,)
            comments = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'news' AND table_name = ?", [name]).fetchall())
            assert comments == {c.name: c.doc for c in table.columns}, table.name
        for view in VIEWS:
            assert con.execute("SELECT comment FROM duckdb_views() WHERE database_name = 'news' AND view_name = ?", [view.name]).fetchone() == (view.doc,)
            comments = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'news' AND table_name = ?", [view.name]).fetchall())
            # The documented columns are exactly the view's columns, in order: docs cannot drift from SQL.
            assert list(comments) == [c for c, _ in view.columns], view.name
            assert comments == dict(view.columns), view.name
        for macro in MACROS:
            got = con.execute("SELECT DISTINCT comment FROM duckdb_functions() WHERE database_name = 'news' AND function_name = ?", [macro.name]).fetchall()
            assert got == [(macro.doc,)], macro.name
    finally:
        con.close()


def test_data_dictionary_documents_every_table_column_view_and_macro():
    text = render_data_dictionary()
    for table in TABLES.values():
        assert f"### `{table.name}`" in text and table.doc in text
        for c in table.columns:
            assert f"| `{c.name}` | {duckdb_type(c.type)} |" in text, (table.name, c.name)
    for view in VIEWS:
        assert f"### `{view.name}`" in text
    for macro in MACROS:
        assert f"`{macro.signature}`" in text


def test_committed_data_dictionary_is_up_to_date():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render_data_dictionary(), "docs/data-dictionary.md is stale: run `make docs`"


def test_docs_command_writes_the_file(tmp_path, capsys):
    assert main(["docs", "--path", str(tmp_path / "dd.md")]) == 0
    assert (tmp_path / "dd.md").read_text(encoding="utf-8") == render_data_dictionary()


# ---------------------------------------------------------------- sql command, timings, notebook SQL

def test_sql_command_prints_a_table(tiny_db, capsys):
    assert main(["sql", "SELECT name, n_mentions FROM top_entities LIMIT 2", "--db", str(tiny_db)]) == 0
    out = capsys.readouterr().out
    assert "name" in out and "Ford" in out and "(2 rows)" in out


def test_time_notebook_queries_runs_every_query_and_macro(tiny_db):
    timings = time_notebook_queries(tiny_db)
    expected = {f"{nb}/{q}" for nb, qs in NOTEBOOK_QUERIES.items() for q in qs} | {f"macro/{m}" for m in MACRO_CALLS}
    assert expected <= set(timings)
    assert all(isinstance(s, float) and s >= 0 for s in timings.values())


def test_notebook_queries_return_small_results(tiny_db):
    con = connect_readonly(tiny_db)
    try:
        for nb, queries in NOTEBOOK_QUERIES.items():
            for name, q in queries.items():
                assert len(con.execute(q.sql, q.params()).fetchall()) <= 1000, f"{nb}/{name}"
    finally:
        con.close()


def test_connect_readonly_refuses_writes(tiny_db):
    con = connect_readonly(tiny_db)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE news.main.x (a INTEGER)")
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM articles")
    finally:
        con.close()


def test_sample_tables_respect_offsets(tmp_path):
    from pipeline import io
    from pipeline.load.sample_tables import write_sample_tables

    write_sample_tables(tmp_path, n_articles=40, seed=3)
    bodies = {a["article_id"]: a["body"] for a in io.read_table(tmp_path, "articles").to_pylist()}
    for table in ("mentions", "quantities"):
        for r in io.read_table(tmp_path, table).to_pylist():
            assert bodies[r["article_id"]][r["start"]:r["end"]] == r["surface"]
