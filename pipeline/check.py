"""Validate the processed tables: schema, offsets, referential integrity, duplicate ids (in DuckDB, any size)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.dataset as ds

from pipeline import io
from pipeline.errors import MissingInputError
from pipeline.schema import DATE_PRECISIONS, ENTITY_TYPES, MODALITIES, TABLES

# Tables whose rows carry [start, end) offsets into articles.body, and the column that must equal the span.
SPAN_TABLES = {"sentences": None, "mentions": "surface", "claims": "text", "quantities": "surface", "time_expressions": "surface"}
UNIQUE_KEYS = {
    "articles": ("article_id",),
    "sentences": ("article_id", "sentence_id"),
    "entities": ("entity_id",),
    "claims": ("claim_id",),
}
ALLOWED = {
    ("articles", "date_precision"): DATE_PRECISIONS,
    ("entities", "type"): ENTITY_TYPES,
    ("claims", "modality"): MODALITIES,
    ("time_expressions", "granularity"): ("year", "quarter", "month", "day"),
}
# (table, column) -> (target table, target column): every non-null value must exist in the target.
REFERENCES = {
    ("articles", "duplicate_of"): ("articles", "article_id"),
    ("sentences", "article_id"): ("articles", "article_id"),
    ("mentions", "article_id"): ("articles", "article_id"),
    ("mentions", "entity_id"): ("entities", "entity_id"),
    ("claims", "article_id"): ("articles", "article_id"),
    ("claims", "speaker_entity_id"): ("entities", "entity_id"),
    ("quantities", "article_id"): ("articles", "article_id"),
    ("quantities", "claim_id"): ("claims", "claim_id"),
    ("time_expressions", "article_id"): ("articles", "article_id"),
    ("time_expressions", "claim_id"): ("claims", "claim_id"),
    ("claim_threads", "claim_id"): ("claims", "claim_id"),
}
MAX_EXAMPLES = 3
SPAN_RULE = "offsets do not match articles.body"


@dataclass(frozen=True)
class Problem:
    """One broken rule, with up to MAX_EXAMPLES offending rows."""

    table: str
    rule: str
    count: int
    examples: tuple[str, ...] = ()


def check_tables(out_dir: Path) -> list[Problem]:
    """Every problem found in the tables of out_dir (empty list when all is well)."""
    out_dir = Path(out_dir)
    if not io.table_exists(out_dir, "articles"):
        raise MissingInputError(f"no articles table in {out_dir}: run `python -m pipeline build` first")
    con = duckdb.connect()
    try:
        columns = _register(con, out_dir)
        problems = list(_check_schema(out_dir))
        unique = _check_unique(con, columns)
        problems += unique
        problems += _check_allowed(con, columns)
        unique_articles = not any(p.table == "articles" and p.rule == "duplicate article_id" for p in unique)
        problems += _check_spans(con, columns, out_dir, unique_articles)
        problems += _check_references(con, columns)
    finally:
        con.close()
    return problems


def _register(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, set[str]]:
    """A view per existing table (paths go through the relational API, never into SQL text)."""
    columns = {}
    for name in TABLES:
        path = io.table_path(out_dir, name)
        if not path.exists():
            continue
        source = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        rel = con.read_parquet(source, hive_partitioning=path.is_dir(), union_by_name=True)
        rel.create_view(name)
        columns[name] = set(rel.columns)
    return columns


def _has(columns: dict[str, set[str]], table: str, *cols: str) -> bool:
    return table in columns and all(c in columns[table] for c in cols)


def _problem(con, table: str, rule: str, sql: str, params: list | None = None) -> list[Problem]:
    count, examples = con.execute(f"SELECT count(*), list(x)[1:{MAX_EXAMPLES}] FROM ({sql}) AS q(x)", params or []).fetchone()
    return [Problem(table, rule, count, tuple(map(str, examples or [])))] if count else []


def _check_schema(out_dir: Path) -> Iterator[Problem]:
    for name, spec in TABLES.items():
        if not io.table_exists(out_dir, name):
            yield Problem(name, "table missing", 1)
            continue
        got = ds.dataset(io.table_path(out_dir, name), format="parquet", partitioning="hive").schema
        missing = [c for c in spec.column_names if c not in got.names]
        if missing:
            yield Problem(name, "columns missing", len(missing), tuple(missing[:MAX_EXAMPLES]))
        wrong = [f"{c.name}: {got.field(c.name).type} != {c.type}" for c in spec.columns if c.name in got.names and not got.field(c.name).type.equals(c.type)]
        if wrong:
            yield Problem(name, "column types differ from schema.py", len(wrong), tuple(wrong[:MAX_EXAMPLES]))


def _check_unique(con, columns) -> list[Problem]:
    out = []
    for name, key in UNIQUE_KEYS.items():
        if _has(columns, name, *key):
            cols = ", ".join(f'"{k}"' for k in key)
            sql = f"SELECT concat_ws('/', {cols}) FROM \"{name}\" GROUP BY {cols} HAVING count(*) > 1"
            out += _problem(con, name, f"duplicate {'/'.join(key)}", sql)
    return out


def _check_allowed(con, columns) -> list[Problem]:
    out = []
    for (name, column), allowed in ALLOWED.items():
        if _has(columns, name, column):
            sql = f'SELECT coalesce("{column}", \'NULL\') FROM "{name}" WHERE "{column}" IS NULL OR NOT list_contains(?, "{column}")'
            out += _problem(con, name, f"{column} not in {allowed}", sql, [list(allowed)])
    return out


def _check_spans(con, columns, out_dir: Path | None = None, unique_articles: bool = False) -> list[Problem]:
    out = []
    if not _has(columns, "articles", "article_id", "body"):
        return out
    for name, text_col in SPAN_TABLES.items():
        if not _has(columns, name, "article_id", "start", "end"):
            continue
        text_col = text_col if text_col and _has(columns, name, text_col) else None
        found = _walk_spans(out_dir, name, text_col) if out_dir is not None and unique_articles else None
        if found is not None:
            count, examples = found
            out += [Problem(name, SPAN_RULE, count, tuple(examples))] if count else []
            continue
        # DuckDB's length/substring count code points, as Python str indices do.
        same_text = f' AND substring(a.body, t.start + 1, t."end" - t.start) = t."{text_col}"' if text_col else ""
        sql = (
            f"SELECT t.article_id || '[' || t.start || ':' || t.\"end\" || ']' FROM \"{name}\" t JOIN articles a USING (article_id) "
            f'WHERE NOT (t.start >= 0 AND t.start < t."end" AND t."end" <= length(a.body){same_text})'
        )
        out += _problem(con, name, SPAN_RULE, sql)
    return out


def _walk_spans(out_dir: Path, name: str, text_col: str | None) -> tuple[int, list[str]] | None:
    """The span rule in one streaming pass: the extraction tables are written in the order of the articles
    table, so both are read side by side and each span is compared with Python's own slice (DuckDB's
    substring scans a non-ASCII body from its start for every row). None when a row's article is not
    where the order says (out of order, or missing): the caller then runs the SQL form on the whole table."""
    articles = io.iter_batches(out_dir, "articles", columns=["article_id", "body"], batch_size=2000)
    pending: list[tuple[str, str]] = []
    aid, body = None, ""
    count, examples = 0, []
    cols = ["article_id", "start", "end"] + ([text_col] if text_col else [])
    for batch in io.iter_batches(out_dir, name, columns=cols, batch_size=50_000):
        if batch.num_rows == 0:
            continue
        if batch.column("start").null_count or batch.column("end").null_count:
            return None
        ids = batch.column("article_id").to_pylist()
        starts, ends = batch.column("start").to_pylist(), batch.column("end").to_pylist()
        texts = batch.column(text_col).to_pylist() if text_col else None
        cuts = [0] + [i for i in range(1, len(ids)) if ids[i] != ids[i - 1]] + [len(ids)]
        for lo, hi in zip(cuts, cuts[1:]):  # one run of rows of the same article
            while ids[lo] != aid:
                if not pending:
                    nxt = next(articles, None)
                    if nxt is None:
                        return None
                    pending = list(zip(nxt.column("article_id").to_pylist(), nxt.column("body").to_pylist()))
                    pending.reverse()
                aid, body = pending.pop()
            n = len(body)
            spans = list(zip(starts[lo:hi], ends[lo:hi]))
            ok = [0 <= a < b <= n for a, b in spans]
            if texts is not None:
                ok = [good and body[a:b] == text for good, (a, b), text in zip(ok, spans, texts[lo:hi])]
            if False in ok:
                bad = [i for i, good in enumerate(ok) if not good]
                count += len(bad)
                examples += [f"{aid}[{spans[i][0]}:{spans[i][1]}]" for i in bad[: MAX_EXAMPLES - len(examples)]]
    return count, examples


def _check_references(con, columns) -> list[Problem]:
    out = []
    for (name, column), (target, tcol) in REFERENCES.items():
        if not _has(columns, name, column):
            continue
        if not _has(columns, target, tcol):
            sql = f'SELECT "{column}" FROM "{name}" WHERE "{column}" IS NOT NULL'
        else:
            sql = f'SELECT t."{column}" FROM "{name}" t ANTI JOIN "{target}" r ON t."{column}" = r."{tcol}" WHERE t."{column}" IS NOT NULL'
        out += _problem(con, name, f"{column} points to a missing row", sql)
    if _has(columns, "claims", "subject_entity_ids") and _has(columns, "entities", "entity_id"):
        sql = 'SELECT e FROM (SELECT unnest(subject_entity_ids) AS e FROM claims) ANTI JOIN entities r ON e = r.entity_id'
        out += _problem(con, "claims", "subject_entity_ids point to missing entities", sql)
    return out


def format_report(problems: list[Problem]) -> str:
    """One line per problem, or a one-line all-clear."""
    if not problems:
        return "check: all tables match the contract (schema, offsets, ids, references)"
    lines = [f"check: {len(problems)} problem(s) found"]
    for p in problems:
        ex = f" e.g. {', '.join(p.examples)}" if p.examples else ""
        lines.append(f"  {p.table}: {p.rule} ({p.count}){ex}")
    return "\n".join(lines)
