"""Read-only queries on news.duckdb for the `sql` command and the notebooks."""
from __future__ import annotations

from pathlib import Path

import duckdb

MAX_CELL = 60


def connect_readonly(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection (safe while a rebuild swaps in a new file)."""
    return duckdb.connect(str(db_path), read_only=True)


def run_sql(db_path: Path, query: str, limit: int = 50, params: list | None = None) -> tuple[list[str], list[tuple]]:
    """Run one query read-only; return column names and at most `limit` rows."""
    con = connect_readonly(db_path)
    try:
        _load_fts(con)
        cur = con.execute(query, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchmany(limit) if columns else []
    finally:
        con.close()
    return columns, rows


def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
    try:
        from pipeline.load.fts import load_fts_extension

        load_fts_extension(con)
    except Exception:  # noqa: BLE001 - FTS is optional for plain queries
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
