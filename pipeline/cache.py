"""Keyed row cache: the rows each item (a raw file, an article) produced, reused by the next build when its key is unchanged."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import io
from pipeline.config import CACHE_GROUP_BYTES, PROJECT_ROOT

CACHE_FORMAT = 1
INDEX_NAME = "index.parquet"
MANIFEST_NAME = "manifest.json"


@dataclass
class KeyedRows:
    """Rows of several tables for consecutive items; the rows of one item are contiguous, in item order."""

    keys: list[str]
    counts: dict[str, np.ndarray]  # table -> rows per item
    tables: dict[str, pa.Table]

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def from_item_rows(cls, keys: list[str], rows: dict[str, list[list[dict]]], schemas: dict[str, pa.Schema]) -> "KeyedRows":
        """Per table, one list of row dicts per item -> one Arrow table per table plus the per-item counts."""
        counts = {t: np.fromiter((len(r) for r in rows[t]), dtype=np.int64, count=len(keys)) for t in schemas}
        tables = {}
        for t, schema in schemas.items():
            flat = [row for item in rows[t] for row in item]
            tables[t] = pa.Table.from_pylist(flat, schema=schema) if flat else schema.empty_table()
        return cls(list(keys), counts, tables)

    @classmethod
    def empty(cls, schemas: dict[str, pa.Schema]) -> "KeyedRows":
        return cls([], {t: np.zeros(0, np.int64) for t in schemas}, {t: s.empty_table() for t, s in schemas.items()})

    def offsets(self, table: str) -> np.ndarray:
        return np.concatenate(([0], np.cumsum(self.counts[table])))

    def item_ids(self, table: str) -> np.ndarray:
        """For every row of `table`, the index of the item it belongs to."""
        return np.repeat(np.arange(len(self.keys)), self.counts[table])


def interleave(is_hit: Sequence[bool], hits: KeyedRows, misses: KeyedRows) -> KeyedRows:
    """Items in build order from two ordered sources: hits (cache) where is_hit, misses (fresh) elsewhere."""
    if not len(misses):
        return hits
    if not len(hits):
        return misses
    runs: list[tuple[KeyedRows, int, int]] = []  # (source, first item, end item) in build order
    pos = {True: 0, False: 0}
    i, n = 0, len(is_hit)
    while i < n:
        j = i
        while j < n and is_hit[j] == is_hit[i]:
            j += 1
        src = hits if is_hit[i] else misses
        runs.append((src, pos[is_hit[i]], pos[is_hit[i]] + j - i))
        pos[is_hit[i]] += j - i
        i = j
    keys = [k for src, a, b in runs for k in src.keys[a:b]]
    counts, tables = {}, {}
    for t in hits.tables:
        counts[t] = np.concatenate([src.counts[t][a:b] for src, a, b in runs])
        pieces = []
        for src, a, b in runs:
            off = src.offsets(t)
            pieces.append(src.tables[t].slice(off[a], off[b] - off[a]))
        tables[t] = pa.concat_tables(pieces)
    return KeyedRows(keys, counts, tables)


def fingerprint(*parts: object, sources: Iterable[str] = (), packages: Iterable[str] = ()) -> str:
    """sha256 over values, the source files under the given package folders and package versions.

    Source files are part of a cache key because extractors change during development without a
    new registered name: a cache keyed on the name alone would serve rows from the old code.
    """
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode())
        h.update(b"\0")
    for folder in sources:
        root = PROJECT_ROOT / folder
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                h.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                h.update(path.read_bytes())
    for name in packages:
        try:
            h.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}==none".encode())
    return h.hexdigest()[:32]


def item_key(*parts: object) -> str:
    """A 128-bit hex key from the values that decide an item's rows."""
    return hashlib.blake2b("\x1f".join("" if p is None else str(p) for p in parts).encode(), digest_size=16).hexdigest()


class RowCache:
    """Read side: the cache folder of the previous build (empty when absent, stale or of another format)."""

    def __init__(self, folder: Path, schemas: dict[str, pa.Schema], fingerprint_: str):
        self.folder, self.schemas = Path(folder), schemas
        self.keys: list[str] = []
        self._pos: dict[str, int] = {}
        self._starts: dict[str, np.ndarray] = {}
        self._counts: dict[str, np.ndarray] = {}
        self._readers: dict[str, io.RangeReader] = {}
        self._index: pa.Table | None = None
        if self._usable(fingerprint_):
            self._open()

    def _usable(self, fingerprint_: str) -> bool:
        try:
            manifest = json.loads((self.folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        same_schemas = manifest.get("schemas") == {t: s.to_string() for t, s in self.schemas.items()}
        return manifest.get("format") == CACHE_FORMAT and manifest.get("fingerprint") == fingerprint_ and same_schemas

    def _open(self) -> None:
        try:
            index = pq.ParquetFile(self.folder / INDEX_NAME).read()
            readers = {t: io.RangeReader(self.folder / f"{t}.parquet", s) for t, s in self.schemas.items()}
        except (OSError, pa.ArrowException):
            return  # a damaged cache is only a slower build
        for t, r in readers.items():
            counts = index.column(f"n_{t}").to_numpy().astype(np.int64)
            starts = np.concatenate(([0], np.cumsum(counts)))
            if starts[-1] != r.num_rows:
                return
            self._starts[t], self._counts[t] = starts, counts
        self._index, self._readers = index, readers
        self.keys = index.column("key").to_pylist()
        self._pos = {k: i for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def position(self, key: str) -> int | None:
        return self._pos.get(key)

    def column(self, name: str) -> list:
        """An extra index column (as written by RowCacheWriter.add(extra=...))."""
        return self._index.column(name).to_pylist() if self._index is not None else []

    def read(self, positions: Sequence[int]) -> KeyedRows:
        """Rows of the items at `positions` (cache order), returned in the order given."""
        if not len(positions):
            return KeyedRows.empty(self.schemas)
        runs, start = [], 0
        for i in range(1, len(positions) + 1):
            if i == len(positions) or positions[i] != positions[i - 1] + 1:
                runs.append((positions[start], positions[i - 1] + 1))
                start = i
        tables, counts = {}, {}
        for t, reader in self._readers.items():
            st = self._starts[t]
            tables[t] = pa.concat_tables([reader.read(int(st[a]), int(st[b])) for a, b in runs])
            counts[t] = self._counts[t][list(positions)]
        return KeyedRows([self.keys[p] for p in positions], counts, tables)

    def close(self) -> None:
        for r in self._readers.values():
            r.close()


class RowCacheWriter:
    """Write side: the cache of this build, in build order, swapped in by `publish()` once the stage succeeded."""

    def __init__(
        self,
        folder: Path,
        schemas: dict[str, pa.Schema],
        fingerprint_: str,
        extra: dict[str, pa.DataType] | None = None,
        linked: Iterable[str] = (),
    ):
        """`linked` tables are not written here: the stage writes the very same rows, in the same order, to
        its output file, which `publish(linked_files)` hard-links into the cache (one write instead of two)."""
        self.folder, self.schemas, self.fingerprint = Path(folder), schemas, fingerprint_
        self.linked = set(linked)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.folder.with_name(f".{self.folder.name}.new-{os.getpid()}")
        for stale in self.folder.parent.glob(f".{self.folder.name}.new-*"):  # left by a killed build (builds hold a lock)
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        written = [t for t in schemas if t not in self.linked]
        self._writers = io.TableWriters(self.tmp, written, schemas=schemas, group_bytes=CACHE_GROUP_BYTES)
        self._extra_types = extra or {}
        self._index: dict[str, list] = {"key": [], **{f"n_{t}": [] for t in schemas}, **{k: [] for k in self._extra_types}}
        self._finished = False

    def add(self, rows: KeyedRows, extra: dict[str, list] | None = None) -> None:
        for t in self.schemas:
            if t not in self.linked:
                self._writers.write(t, rows.tables[t])
            self._index[f"n_{t}"].extend(rows.counts[t].tolist())
        self._index["key"].extend(rows.keys)
        for k in self._extra_types:
            self._index[k].extend((extra or {}).get(k) or [None] * len(rows))

    def finish(self) -> dict[str, Path]:
        """Close the files (still in the temp folder): the stage may read them back before publishing."""
        if not self._finished:
            self._writers.commit()
            types = {"key": pa.string(), **{f"n_{t}": pa.int32() for t in self.schemas}, **self._extra_types}
            pq.write_table(pa.table({k: pa.array(v, types[k]) for k, v in self._index.items()}), self.tmp / INDEX_NAME)
            manifest = {"format": CACHE_FORMAT, "fingerprint": self.fingerprint, "schemas": {t: s.to_string() for t, s in self.schemas.items()}}
            (self.tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            self._finished = True
        return {t: self.tmp / f"{t}.parquet" for t in self.schemas}

    def publish(self, linked_files: dict[str, Path] | None = None) -> None:
        self.finish()
        for t in self.linked:
            _link_or_copy(Path(linked_files[t]), self.tmp / f"{t}.parquet")
        io.swap_folder(self.tmp, self.folder)

    def abort(self) -> None:
        if not self._finished:
            self._writers.abort()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _link_or_copy(src: Path, dst: Path) -> None:
    # A hard link shares the file: the next build replaces the output by rename (a new inode), never in place.
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
