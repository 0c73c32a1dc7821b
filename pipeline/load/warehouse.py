"""Build news.duckdb from the Parquet tables (in full, or by updating the previous file): typed tables, views, macros, comments, full-text index; swapped in atomically."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline import io
from pipeline.config import DB_NAME
from pipeline.errors import ValidationError
from pipeline.load.catalog import MACROS, VIEWS, Macro, View, warehouse_table_name
from pipeline.load.fts import create_article_index
from pipeline.load.fts_update import update_article_index
from pipeline.load.incremental import StaleWarehouseError, check_load_state, update_tables, write_load_state
from pipeline.load.sqltext import quote_identifier, quote_literal
from pipeline.schema import TABLES, Table

log = logging.getLogger(__name__)

LOAD_MODES = ("auto", "full", "incremental")
_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
}


class WarehouseBuildError(ValidationError):
    """A Parquet table cannot be loaded into news.duckdb (missing required column)."""


def duckdb_type(arrow_type: pa.DataType) -> str:
    """DuckDB type of a column declared in schema.py."""
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return duckdb_type(arrow_type.value_type) + "[]"
    if arrow_type in _DUCKDB_TYPES:
        return _DUCKDB_TYPES[arrow_type]
    raise TypeError(f"no DuckDB type for Arrow type {arrow_type}")


def build_warehouse(out_dir: Path, db_path: Path | None = None, mode: str = "auto", info: dict | None = None) -> dict[str, int]:
    """Load every table of out_dir into a new database file, then rename it over db_path.

    mode "auto" starts from a copy of the previous db_path and rewrites only what changed when
    that file was built by the same loader (see incremental.py), else loads everything; "full"
    always loads everything; "incremental" raises StaleWarehouseError instead of loading in full.
    Either way the new file is complete before the rename: readers holding the old file keep
    reading it (the rename swaps the directory entry, not the inode). A table whose Parquet file
    does not exist yet is created empty, so views always bind. Returns the number of rows per table;
    `info`, when given, receives how the file was built ("mode": "incremental" or "full", and "reason").
    """
    info = {} if info is None else info
    if mode not in LOAD_MODES:
        raise ValueError(f"mode must be one of {LOAD_MODES}, not {mode!r}")
    out_dir = Path(out_dir)
    db_path = Path(db_path or out_dir / DB_NAME)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(tmp)  # duckdb must create the file itself
    try:
        counts = None
        if mode != "full":
            try:
                counts = _update_copy(db_path, tmp, out_dir)
            except StaleWarehouseError as exc:
                if mode == "incremental":
                    raise
                log.info("full load of %s: the previous file cannot be updated (%s)", db_path, exc)
                info["reason"] = f"previous file not updatable: {exc}"
                _remove_db_files(tmp)
        else:
            info["reason"] = "full load asked for"
        if counts is None:
            counts = _load_new(tmp, out_dir)
            info["mode"] = "full"
        else:
            info["mode"] = "incremental"
        # A WAL left next to the old file by a crashed writer would be replayed onto the new one.
        Path(str(db_path) + ".wal").unlink(missing_ok=True)
        os.replace(tmp, db_path)
    finally:
        _remove_db_files(tmp)
    return counts


def _load_new(tmp: str, out_dir: Path) -> dict[str, int]:
    con = _connect(tmp)
    try:
        # One transaction: a hundred COMMENT statements would otherwise each commit to disk.
        con.execute("BEGIN")
        create_tables(con)
        # The pragma on the still empty table sets up the index's tables and macros in no time; indexing
        # every article the way the incremental load does takes half the time of the pragma (fts_update.py).
        create_article_index(con)  # before the macros: search_articles binds to its match_bm25
        for name in TABLES:
            source = parquet_select(con, out_dir, TABLES[name])
            if source is not None:
                con.execute(f"INSERT INTO {quote_identifier(warehouse_table_name(name))} {source}")
        update_article_index(con, warehouse_table_name("articles"))
        create_views_and_macros(con)
        write_load_state(con)  # last: it records a digest of everything created above
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return _row_counts(con)
    finally:
        con.close()


def _update_copy(db_path: Path, tmp: str, out_dir: Path) -> dict[str, int]:
    """Copy the previous database to tmp and apply the Parquet tables' changes; StaleWarehouseError if it cannot be."""
    if not db_path.is_file():
        raise StaleWarehouseError("there is none")
    if Path(str(db_path) + ".wal").exists():
        raise StaleWarehouseError("a write-ahead log next to it was not checkpointed")
    try:
        shutil.copyfile(db_path, tmp)
        con = _connect(tmp)
    except (OSError, duckdb.Error) as exc:
        raise StaleWarehouseError(f"it cannot be opened: {exc}") from exc
    try:
        check_load_state(con)
        con.execute("BEGIN")
        sources = {name: parquet_select(con, out_dir, TABLES[name]) for name in TABLES}
        replaced = update_tables(con, sources)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        log.info("incremental load: key groups replaced per table %s", replaced)
        return _row_counts(con)
    except duckdb.Error as exc:
        raise StaleWarehouseError(f"updating it failed: {exc}") from exc
    finally:
        con.close()


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path)
    con.execute("SET enable_progress_bar = false")  # the CLI prints its own summary
    # Spill files next to the temp database, removed below, never in the user's cwd.
    con.execute(f"SET temp_directory = {quote_literal(path + '.spill')}")
    return con


def _row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        name: con.execute(f"SELECT count(*) FROM {quote_identifier(warehouse_table_name(name))}").fetchone()[0]
        for name in TABLES
    }


def _remove_db_files(path: str) -> None:
    Path(path).unlink(missing_ok=True)
    Path(path + ".wal").unlink(missing_ok=True)
    shutil.rmtree(path + ".spill", ignore_errors=True)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Empty tables, full-text index, views and macros with their comments (what the data dictionary describes)."""
    create_tables(con)
    create_article_index(con)
    create_views_and_macros(con)


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """One typed table per contract table, with NOT NULL where schema.py says so, and comments."""
    for table in TABLES.values():
        name = quote_identifier(warehouse_table_name(table.name))
        cols = ", ".join(
            f"{quote_identifier(c.name)} {duckdb_type(c.type)}{'' if c.nullable else ' NOT NULL'}" for c in table.columns
        )
        con.execute(f"CREATE TABLE {name} ({cols})")
        con.execute(f"COMMENT ON TABLE {name} IS {quote_literal(table.doc)}")
        for c in table.columns:
            con.execute(f"COMMENT ON COLUMN {name}.{quote_identifier(c.name)} IS {quote_literal(c.doc)}")


def create_views_and_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Scalar macros first (the views use them), then views, then the table macros (they use views)."""
    for macro in MACROS:
        if macro.kind == "scalar":
            _create_macro(con, macro)
    for view in VIEWS:
        _create_view(con, view)
    for macro in MACROS:
        if macro.kind == "table":
            _create_macro(con, macro)


def parquet_select(con: duckdb.DuckDBPyConnection, out_dir: Path, table: Table) -> str | None:
    """SELECT of the table's Parquet rows, typed and in contract column order; None if there is no file.

    Columns added to schema.py after the file was written read as NULL; a missing NOT NULL column
    raises WarehouseBuildError.
    """
    path = io.table_path(out_dir, table.name)
    if not path.exists():
        return None
    # A folder holds hive-style partitions (<key>=<value>/part-N.parquet); DuckDB reads them as one
    # table, streaming. A single file is read without hive parsing, so that a `key=value` folder in
    # the output path cannot add or override columns.
    partitioned = path.is_dir()
    # Explicit file names, not a glob: a folder name with * ? [ ] must not change what is read.
    files = sorted(str(p) for p in path.rglob("*.parquet")) if partitioned else [str(path)]
    if not files:
        return None
    # File names as literals, not a prepared parameter: the first parameter a process binds costs
    # half a second (duckdb imports pandas to convert it), as much as an incremental load.
    listed = ", ".join(quote_literal(f) for f in files)
    reader = f"read_parquet([{listed}], hive_partitioning = {str(partitioned).lower()}, union_by_name = true)"
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()}
    required = [c.name for c in table.columns if c.name not in present and not c.nullable]
    if required:
        raise WarehouseBuildError(f"{path} has no column(s) {', '.join(required)}: rebuild it with `make all`")
    select = ", ".join(
        f"CAST({quote_identifier(c.name) if c.name in present else 'NULL'} AS {duckdb_type(c.type)}) AS {quote_identifier(c.name)}"
        for c in table.columns
    )
    return f"SELECT {select} FROM {reader}"


def _create_view(con: duckdb.DuckDBPyConnection, view: View) -> None:
    name = quote_identifier(view.name)
    con.execute(f"CREATE VIEW {name} AS {view.sql}")
    con.execute(f"COMMENT ON VIEW {name} IS {quote_literal(view.doc)}")
    for col, doc in view.columns:
        con.execute(f"COMMENT ON COLUMN {name}.{quote_identifier(col)} IS {quote_literal(doc)}")


def _create_macro(con: duckdb.DuckDBPyConnection, macro: Macro) -> None:
    name = quote_identifier(macro.name)
    body = f"TABLE {macro.sql}" if macro.kind == "table" else f"({macro.sql})"
    con.execute(f"CREATE MACRO {name}({', '.join(macro.params)}) AS {body}")
    kind = "MACRO TABLE" if macro.kind == "table" else "MACRO"
    con.execute(f"COMMENT ON {kind} {name} IS {quote_literal(macro.doc)}")
