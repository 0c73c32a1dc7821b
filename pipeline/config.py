"""Paths and settings in one place."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REFERENCE_DIR = Path(os.environ.get("PIPELINE_REFERENCE_DIR", DATA_DIR / "reference"))
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
DOCS_DIR = PROJECT_ROOT / "docs"

DB_NAME = "news.duckdb"
CACHE_DIR_NAME = ".cache"
LOCK_NAME = ".build.lock"
METADATA_NAME = "_metadata.json"

# Inputs larger than this are rejected as `oversized` (bytes); a JSONL/CSV file is read record by record.
MAX_FILE_BYTES = int(os.environ.get("PIPELINE_MAX_FILE_BYTES", 10 * 1024 * 1024))
MAX_ARTICLE_CHARS = 500_000
# Parquet row-group size for streamed writes: at most this many rows or (uncompressed) bytes per group,
# so a writer buffers at most one group and memory stays flat in corpus size.
ROW_GROUP_ROWS = 50_000
ROW_GROUP_BYTES = 64 * 1024 * 1024
# Cache files are read back by row range: smaller groups keep such reads cheap.
CACHE_GROUP_BYTES = 8 * 1024 * 1024
# Hive partition column of `build --partition-by-month` (`<table>/month=YYYY-MM/part-00000.parquet`).
PARTITION_KEY = "month"
UNKNOWN_MONTH = "unknown"
# Articles per worker task in the local engine.
CHUNK_ARTICLES = 200

DEFAULT_EXTRACTORS = {
    "entities": "entities.kb_rules.v1",
    "claims": "claims.rules.v1",
    "quantities": "quantities.rules.v1",
    "timex": "timex.rules.v1",
}
