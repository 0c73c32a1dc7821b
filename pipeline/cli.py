"""Thin command line: resolve paths, call the stage runners, print a summary, map errors to exit codes."""
from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from pipeline import __version__
from pipeline.config import DB_NAME, LOCK_NAME, PROCESSED_DIR, RAW_DIR
from pipeline.errors import BuildLockedError, PipelineError, UsageError

EPILOG = "Tables and columns: docs/data-dictionary.md. Set PIPELINE_WORKERS to cap worker processes."


def _existing_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"raw folder '{value}' does not exist or is not a folder: pass --raw DIR with your articles (default {RAW_DIR})")
    return path


def _writable_dir(value: str) -> Path:
    path = Path(value)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder '{value}': {exc.strerror}; pass --out DIR somewhere writable") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"output folder '{value}' is not writable; pass --out DIR somewhere writable")
    return path


def _workers(value: str | None) -> int:
    from pipeline.engines.local import default_workers

    if value is None:
        return default_workers()
    if value == "all":
        return os.cpu_count() or 1
    try:
        n = int(value)
    except ValueError:
        raise UsageError(f"--workers takes a number or 'all', not '{value}'") from None
    if n < 1:
        raise UsageError("--workers must be at least 1")
    return n


def remove_stale_temp_files(out_dir: Path) -> int:
    """Delete temp files a killed build left behind (only ever called while holding the lock)."""
    n = 0
    for p in Path(out_dir).glob(".*.tmp*"):
        if p.is_file():
            p.unlink(missing_ok=True)
            n += 1
    return n


@contextmanager
def build_lock(out_dir: Path):
    """One build per output folder at a time (an advisory lock the OS drops if the process dies)."""
    lock_path = Path(out_dir) / LOCK_NAME
    fh = open(lock_path, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise BuildLockedError(f"another build is running on {out_dir} ({holder}); wait for it to finish or use another --out") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}")
    fh.flush()
    remove_stale_temp_files(out_dir)
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_ingest(args) -> int:
    from pipeline.stages import run_ingest

    raw, out = _existing_dir(args.raw), _writable_dir(args.out)
    with build_lock(out):
        s = run_ingest(raw, out, _workers(args.workers), partition_by_month=args.partition_by_month)
    _print_ingest(s, out)
    return 0


def _print_ingest(s: dict, out: Path | None = None) -> None:
    rejects = ", ".join(f"{k} {v}" for k, v in s["rejects"].items()) or "none"
    print(f"ingest: {s['files']} input files -> {s['articles']} articles ({s['duplicates']} duplicates); rejects: {rejects}")
    if out is not None and s["rejects"]:
        _print_reject_examples(out)


def _print_reject_examples(out: Path, limit: int = 8) -> None:
    from pipeline import io

    rows = io.read_table(out, "rejects").to_pylist()
    for r in rows[:limit]:
        print(f"  reject {r['reason']:<16} {r['source_path']}: {r['detail']}")
    if len(rows) > limit:
        print(f"  ... {len(rows) - limit} more: SELECT * FROM rejects")


def cmd_extract(args) -> int:
    from pipeline.config import DEFAULT_EXTRACTORS
    from pipeline.stages import run_extract

    out = _writable_dir(args.out)
    names = dict(DEFAULT_EXTRACTORS)
    if args.entities:
        names["entities"] = args.entities
    with build_lock(out):
        s = run_extract(out, _workers(args.workers), names)
    print("extract: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    return 0


def cmd_load(args) -> int:
    from pipeline import io
    from pipeline.stages import run_load

    out = _writable_dir(args.out)
    with build_lock(out):
        counts = run_load(out)
    mode = io.read_metadata(out).get("load_mode", {}).get("mode")
    how = {"incremental": " (updated in place)", "full": " (full load)"}.get(mode, "")
    print(f"load: {out / DB_NAME}{how} with " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_build(args) -> int:
    from pipeline.stages import run_extract, run_ingest, run_load

    raw, out = _existing_dir(args.raw), _writable_dir(args.out)
    workers = _workers(args.workers)
    t0 = time.perf_counter()
    with build_lock(out):
        s = run_ingest(raw, out, workers, partition_by_month=args.partition_by_month)
        _print_ingest(s, out)
        if args.engine == "spark":
            from pipeline.engines.spark import run_extract_spark

            e = run_extract_spark(out, workers)
        else:
            e = run_extract(out, workers)
        print("extract: " + ", ".join(f"{k} {v}" for k, v in e.items()))
        if not args.no_load:
            counts = run_load(out)
            print(f"load: {out / DB_NAME} ({sum(counts.values())} rows in {len(counts)} tables)")
    print(f"build: done in {time.perf_counter() - t0:.1f}s -> {out}")
    return 0


def cmd_sql(args) -> int:
    from pipeline.load.query import format_table, run_sql

    db = Path(args.db)
    if not db.exists():
        raise UsageError(f"database '{db}' does not exist: run `make all` first or pass --db PATH")
    columns, rows = run_sql(db, args.query, limit=args.limit)
    print(format_table(columns, rows))
    return 0


def cmd_check(args) -> int:
    from pipeline.check import check_tables, format_report

    problems = check_tables(Path(args.out))
    print(format_report(problems))
    return 1 if problems else 0


def cmd_candidates(args) -> int:
    from pipeline.extract.entities.candidates import format_candidates, list_candidates

    rows = list_candidates(Path(args.out), limit=args.limit, min_count=args.min_count)
    print(format_candidates(rows))
    return 0


def cmd_synth(args) -> int:
    from pipeline.synth import write_synthetic_corpus

    out = _writable_dir(args.out)
    s = write_synthetic_corpus(args.n, args.seed, out)
    print(f"synth: {s}")
    return 0


def cmd_docs(args) -> int:
    from pipeline.docs import write_data_dictionary

    path = write_data_dictionary(Path(args.path))
    print(f"docs: wrote {path}")
    return 0


def cmd_report(args) -> int:
    from pipeline.reports import write_report

    nb, db = Path(args.notebook), Path(args.db)
    if not nb.exists():
        raise UsageError(f"notebook '{nb}' does not exist")
    if not db.exists():
        raise UsageError(f"database '{db}' does not exist: run `make build` first")
    path = write_report(nb, Path(args.html), db)
    print(f"report: {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Italian auto-industry news -> Parquet tables (articles, entities, mentions, claims, quantities, time expressions) -> DuckDB.",
        epilog=EPILOG,
    )
    p.add_argument("--version", action="version", version=f"pipeline {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_, description=help_, epilog=EPILOG)
        sp.set_defaults(func=func)
        return sp

    def raw_out(sp, raw=True):
        if raw:
            sp.add_argument("--raw", default=str(RAW_DIR), help=f"folder of raw articles, read recursively (default {RAW_DIR})")
        sp.add_argument("--out", default=str(PROCESSED_DIR), help=f"folder for the Parquet tables and {DB_NAME} (default {PROCESSED_DIR})")

    def workers(sp):
        sp.add_argument("--workers", default=None, help="worker processes: a number or 'all' (default: all cores, or PIPELINE_WORKERS)")

    def partition(sp):
        sp.add_argument("--partition-by-month", action="store_true", help="write articles, sentences and the extraction tables as month=YYYY-MM/ folders (large corpora; DuckDB and Spark read them alike)")

    sp = add("build", cmd_build, "Run every stage: ingest, extract, load.")
    raw_out(sp)
    workers(sp)
    partition(sp)
    sp.add_argument("--engine", choices=["local", "spark"], default="local", help="where extraction runs: local processes or Spark (default local)")
    sp.add_argument("--no-load", action="store_true", help="stop after writing Parquet (skip the DuckDB file)")

    sp = add("ingest", cmd_ingest, "Read raw files -> articles, sentences, rejects.")
    raw_out(sp)
    workers(sp)
    partition(sp)

    sp = add("extract", cmd_extract, "articles -> entities, mentions, claims, quantities, time_expressions, claim_threads.")
    raw_out(sp, raw=False)
    workers(sp)
    sp.add_argument("--entities", default=None, help="entity extractor name (default entities.kb_rules.v1; e.g. entities.spacy_model.v1)")

    sp = add("load", cmd_load, f"Parquet tables -> {DB_NAME} (tables, views, macros, full-text index).")
    raw_out(sp, raw=False)

    sp = add("check", cmd_check, "Validate the processed tables (schema, offsets, integrity, duplicate ids); exit 1 on problems.")
    raw_out(sp, raw=False)

    sp = add("sql", cmd_sql, f"Run a SQL query on {DB_NAME} (read-only) and print the result table.")
    sp.add_argument("query", help="the SQL to run, e.g. \"SELECT * FROM top_entities LIMIT 10\"")
    sp.add_argument("--db", default=str(PROCESSED_DIR / DB_NAME), help="database file (default %(default)s)")
    sp.add_argument("--limit", type=int, default=50, help="rows to print at most (default 50)")

    ent = add("entities", None, "Entity tools.")
    ent_sub = ent.add_subparsers(dest="entities_command", metavar="SUBCOMMAND")
    sp = ent_sub.add_parser("candidates", help="List discovered entities by frequency with example contexts, to promote into the KB.", epilog=EPILOG)
    sp.set_defaults(func=cmd_candidates)
    raw_out(sp, raw=False)
    sp.add_argument("--limit", type=int, default=50, help="how many candidates (default 50)")
    sp.add_argument("--min-count", type=int, default=1, help="minimum number of mentions (default 1)")
    ent.set_defaults(func=lambda a: (ent.print_help(), 2)[1])

    sp = add("synth", cmd_synth, "Write a deterministic synthetic corpus of Italian auto-industry articles (all input formats).")
    sp.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    sp.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    sp.add_argument("--out", required=True, help="folder to write the raw files into")

    sp = add("report", cmd_report, "Execute a notebook with a real kernel against a database and write an HTML report.")
    sp.add_argument("--notebook", required=True, help="notebook to execute, e.g. notebooks/01-corpus-overview.ipynb")
    sp.add_argument("--html", required=True, help="HTML file to write, e.g. reports/01-corpus-overview.html")
    sp.add_argument("--db", default=str(PROCESSED_DIR / DB_NAME), help="database the notebook reads (default %(default)s)")

    sp = add("docs", cmd_docs, "Write the data dictionary (markdown) from schema.py.")
    sp.add_argument("--path", default="docs/data-dictionary.md", help="output file (default %(default)s)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: previous outputs are intact; run the command again to finish.", file=sys.stderr)
        return 130
