"""Read-only queries on news.duckdb for the `sql` command and the notebooks."""
from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.load.sqltext import quote_literal

MAX_CELL = 60
CATALOG = "news"


def connect_readonly(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to news.duckdb with full-text search loaded.

    The file is attached to a fresh in-memory database instead of opened directly: duckdb
    caches one database per path and process, so after a rebuild swapped in a new file a plain
    `duckdb.connect(path)` would keep returning the old one while any old connection lives.
    Attaching opens the current file every time; old connections keep reading the old file.
    Unqualified names resolve in the attached file (catalog "news"); `CREATE TEMP TABLE` still works
    as scratch. A cursor (`con.cursor()`, for another thread) starts in the in-memory catalog: run
    `USE news` on it first.
    """
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"database '{db_path}' does not exist: run `make all` first")
    con = duckdb.connect()
    try:
        _no_progress_bar(con)
        _load_fts(con)
        # ATTACH takes no prepared parameter: the path goes in as a quoted literal.
        con.execute(f"ATTACH {quote_literal(str(path.resolve()))} AS {CATALOG} (READ_ONLY)")
        con.execute(f"USE {CATALOG}")
    except BaseException:
        con.close()
        raise
    return con


def run_sql(db_path: Path, query: str, limit: int = 50, params: list | None = None) -> tuple[list[str], list[tuple]]:
    """Run one query read-only; return column names and at most `limit` rows."""
    con = connect_readonly(db_path)
    try:
        cur = con.execute(query, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchmany(limit) if columns else []
    finally:
        con.close()
    return columns, rows


def _no_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    # A progress bar would print into the `sql` command's result. In Jupyter, duckdb refuses the
    # setting unless ipywidgets is installed, and shows no bar without it: nothing to switch off.
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException:
        pass


def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
    try:
        from pipeline.load.fts import load_fts_extension

        load_fts_extension(con)
    except Exception:  # noqa: BLE001 - FTS is optional for plain queries; search_articles then says what is missing
        pass


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """A plain-text table, cells cut at MAX_CELL characters."""
    if not columns:
        return "(no result)"

    def cell(v) -> str:
        s = "NULL" if v is None else str(v).replace("\n", " ")
        return s if len(s) <= MAX_CELL else s[: MAX_CELL - 1] + "…"

    body = [[cell(v) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(c.ljust(w) for c, w in zip(columns, widths)), line]
    out += [" | ".join(v.ljust(w) for v, w in zip(r, widths)) for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
