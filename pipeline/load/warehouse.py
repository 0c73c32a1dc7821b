"""Build news.duckdb from the Parquet tables: typed tables, built in a temp file and swapped in."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from pipeline import io
from pipeline.config import DB_NAME
from pipeline.schema import TABLES


def build_warehouse(out_dir: Path, db_path: Path | None = None) -> dict:
    """Create every table present in out_dir inside a new database file, then rename it into place."""
    out_dir = Path(out_dir)
    db_path = Path(db_path or out_dir / DB_NAME)
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(tmp)  # duckdb wants to create the file itself
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(tmp)
        try:
            for name in TABLES:
                if not io.table_exists(out_dir, name):
                    continue
                counts[name] = _load_table(con, out_dir, name)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        Path(tmp).unlink(missing_ok=True)
        Path(tmp + ".wal").unlink(missing_ok=True)
    return counts


def _load_table(con: duckdb.DuckDBPyConnection, out_dir: Path, name: str) -> int:
    arrow = io.read_table(out_dir, name)
    con.register("_incoming", arrow)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
    con.unregister("_incoming")
    return con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
