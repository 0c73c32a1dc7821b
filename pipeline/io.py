"""The only place that reads and writes Parquet (and the build's metadata file)."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from pipeline.config import METADATA_NAME, ROW_GROUP_ROWS
from pipeline.errors import MissingInputError
from pipeline.schema import TABLES, empty_table

# Parquet files are written without wall-clock metadata so that two builds are byte-comparable.
_WRITE_OPTS = dict(compression="zstd", use_dictionary=True, write_statistics=True, store_schema=True)


def table_path(out_dir: Path, name: str) -> Path:
    """Path of a table: `<out>/<name>.parquet`, or the `<out>/<name>/` folder of partitions."""
    folder = Path(out_dir) / name
    return folder if folder.is_dir() else Path(out_dir) / f"{name}.parquet"


def table_exists(out_dir: Path, name: str) -> bool:
    return table_path(out_dir, name).exists()


def _cast(name: str, table: pa.Table) -> pa.Table:
    schema = TABLES[name].schema
    return table.select(schema.names).cast(schema)


def write_table(out_dir: Path, name: str, table: pa.Table) -> Path:
    """Write one table atomically (temp file + rename) so readers never see half a file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_batches(out_dir, name, [_cast(name, table)])


def write_batches(out_dir: Path, name: str, batches: Iterable[pa.Table]) -> Path:
    """Stream tables (e.g. one per chunk of articles) into one Parquet file, atomically."""
    return _write_batches(Path(out_dir), name, (_cast(name, b) for b in batches))


def _write_batches(out_dir: Path, name: str, batches: Iterable[pa.Table]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{name}.parquet"
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=out_dir)
    os.close(fd)
    try:
        with pq.ParquetWriter(tmp, TABLES[name].schema, **_WRITE_OPTS) as writer:
            wrote = False
            for b in batches:
                if b.num_rows:
                    writer.write_table(b, row_group_size=ROW_GROUP_ROWS)
                    wrote = True
            if not wrote:
                writer.write_table(empty_table(name))
        _fsync(tmp)
        folder = out_dir / name
        if folder.is_dir():  # a previous partitioned build: replace it by the single file
            shutil.rmtree(folder)
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return final


def _fsync(path: str) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def read_table(out_dir: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """Read a whole table (small tables, tests); raise MissingInputError with a hint if absent."""
    path = table_path(out_dir, name)
    if not path.exists():
        raise MissingInputError(f"{path} does not exist: run the stage that writes '{name}' first (e.g. `make all`).")
    dataset = ds.dataset(path, format="parquet", partitioning="hive")
    table = dataset.to_table(columns=columns)
    schema = TABLES[name].schema
    if columns is None:
        return table.select(schema.names).cast(schema)
    return table


def iter_batches(out_dir: Path, name: str, columns: list[str] | None = None, batch_size: int = 1000) -> Iterator[pa.RecordBatch]:
    """Stream a table in record batches without loading it whole."""
    path = table_path(out_dir, name)
    if not path.exists():
        raise MissingInputError(f"{path} does not exist: run the stage that writes '{name}' first (e.g. `make all`).")
    dataset = ds.dataset(path, format="parquet", partitioning="hive")
    yield from dataset.to_batches(columns=columns, batch_size=batch_size)


def count_rows(out_dir: Path, name: str) -> int:
    path = table_path(out_dir, name)
    return ds.dataset(path, format="parquet", partitioning="hive").count_rows() if path.exists() else 0


def read_metadata(out_dir: Path) -> dict:
    p = Path(out_dir) / METADATA_NAME
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def write_metadata(out_dir: Path, update: dict) -> None:
    """Merge `update` into the build metadata file (extractor names, KB hash, counts), atomically."""
    meta = read_metadata(out_dir)
    meta.update(update)
    p = Path(out_dir) / METADATA_NAME
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, indent=1, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, p)


class TableWriters:
    """Stream several tables at once into temp files; `commit()` renames them all into place.

    Used as a context manager: on an exception the temp files are removed and the previous
    tables stay untouched, so an interrupted stage never leaves half-written outputs.
    """

    def __init__(self, out_dir: Path, names: Iterable[str]):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._tmp: dict[str, str] = {}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._rows: dict[str, int] = {}
        for name in names:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=self.out_dir)
            os.close(fd)
            self._tmp[name] = tmp
            self._writers[name] = pq.ParquetWriter(tmp, TABLES[name].schema, **_WRITE_OPTS)
            self._rows[name] = 0

    def write(self, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self._writers[name].write_table(_cast(name, table), row_group_size=ROW_GROUP_ROWS)
            self._rows[name] += table.num_rows

    def rows(self, name: str) -> int:
        return self._rows[name]

    def commit(self) -> None:
        for name, writer in self._writers.items():
            if not self._rows[name]:
                writer.write_table(empty_table(name))
            writer.close()
            _fsync(self._tmp[name])
        for name, tmp in self._tmp.items():
            folder = self.out_dir / name
            if folder.is_dir():
                shutil.rmtree(folder)
            os.replace(tmp, self.out_dir / f"{name}.parquet")
        self._tmp.clear()

    def abort(self) -> None:
        for writer in self._writers.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - closing a broken writer must not hide the original error
                pass
        for tmp in self._tmp.values():
            Path(tmp).unlink(missing_ok=True)
        self._tmp.clear()

    def __enter__(self) -> "TableWriters":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
