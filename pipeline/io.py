"""The only place that reads and writes Parquet (and the build's metadata file)."""
from __future__ import annotations

import bisect
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.config import METADATA_NAME, PARTITION_KEY, ROW_GROUP_BYTES, ROW_GROUP_ROWS
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
        os.chmod(tmp, 0o644)
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
    table = pq.ParquetFile(path).read(columns=columns) if path.is_file() else _dataset(path).to_table(columns=columns)
    schema = TABLES[name].schema
    if columns is None:
        return table.select(schema.names).cast(schema)
    return table


def iter_batches(out_dir: Path, name: str, columns: list[str] | None = None, batch_size: int = 1000) -> Iterator[pa.RecordBatch]:
    """Stream a table in record batches without loading it whole."""
    path = table_path(out_dir, name)
    if not path.exists():
        raise MissingInputError(f"{path} does not exist: run the stage that writes '{name}' first (e.g. `make all`).")
    if path.is_file():
        with pq.ParquetFile(path) as pf:
            yield from pf.iter_batches(columns=columns, batch_size=batch_size)
        return
    yield from _dataset(path).to_batches(columns=columns, batch_size=batch_size)


def count_rows(out_dir: Path, name: str) -> int:
    path = table_path(out_dir, name)
    if not path.exists():
        return 0
    return pq.ParquetFile(path).metadata.num_rows if path.is_file() else _dataset(path).count_rows()


def _dataset(folder: Path):
    """A folder of hive partitions as one dataset. pyarrow.dataset is imported here, not at module level:
    it imports pandas (1-3 s), which a single-file table never needs."""
    import pyarrow.dataset as ds

    return ds.dataset(folder, format="parquet", partitioning="hive")


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


class _FileWriter:
    """One Parquet file written in row groups of about ROW_GROUP_ROWS rows or `group_bytes` bytes, whichever comes first."""

    def __init__(self, path: Path, schema: pa.Schema, group_bytes: int):
        self.path, self.schema, self.group_bytes = Path(path), schema, group_bytes
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self.path, schema, **_WRITE_OPTS)
        self._buffer: list[pa.Table] = []
        self.buffered_rows = self.buffered_bytes = self.rows = 0

    def add(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self.buffered_rows += table.num_rows
        self.buffered_bytes += table.nbytes
        self.rows += table.num_rows
        if self.buffered_rows >= ROW_GROUP_ROWS or self.buffered_bytes >= self.group_bytes:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            # One write = one row group: small per-chunk tables are merged, not written as tiny groups.
            self._writer.write_table(pa.concat_tables(self._buffer), row_group_size=max(self.buffered_rows, 1))
        self._buffer.clear()
        self.buffered_rows = self.buffered_bytes = 0

    def close(self) -> None:
        self.flush()
        if not self.rows:
            self._writer.write_table(self.schema.empty_table())
        self._writer.close()
        _fsync(str(self.path))
        os.chmod(self.path, 0o644)  # mkstemp creates 0600; tables are meant to be shared

    def abort(self) -> None:
        try:
            self._writer.close()
        except Exception:  # noqa: BLE001 - closing a broken writer must not hide the original error
            pass


class _PartitionedWriter:
    """A table as hive partitions `<key>=<value>/part-00000.parquet`, buffers bounded by a shared byte budget."""

    def __init__(self, folder: Path, schema: pa.Schema, group_bytes: int, key: str):
        self.folder, self.schema, self.group_bytes, self.key = Path(folder), schema, group_bytes, key
        self.parts: dict[str, _FileWriter] = {}
        self.rows = 0

    def add(self, table: pa.Table, values: pa.Array) -> None:
        self.rows += table.num_rows
        for value in pc.unique(values).to_pylist():
            part = self.parts.get(value)
            if part is None:
                part = self.parts[value] = _FileWriter(self.folder / f"{self.key}={value}" / "part-00000.parquet", self.schema, self.group_bytes)
            part.add(table.filter(pc.equal(values, value)))
        # Many open partitions each holding a partial row group could add up: flush the biggest beyond the budget.
        while sum(p.buffered_bytes for p in self.parts.values()) > self.group_bytes:
            max(self.parts.values(), key=lambda p: p.buffered_bytes).flush()

    def close(self) -> None:
        for part in self.parts.values():
            part.close()

    def abort(self) -> None:
        for part in self.parts.values():
            part.abort()


class TableWriters:
    """Stream several tables at once into temp files; `commit()` renames them all into place.

    Used as a context manager: on an exception the temp files are removed and the previous
    tables stay untouched, so an interrupted stage never leaves half-written outputs.
    Tables named in `partitioned` are written as `<name>/month=YYYY-MM/part-00000.parquet`
    (`write(name, table, partitions=...)` gives each row's partition value).
    """

    def __init__(
        self,
        out_dir: Path,
        names: Iterable[str],
        schemas: dict[str, pa.Schema] | None = None,
        partitioned: Iterable[str] = (),
        group_bytes: int = ROW_GROUP_BYTES,
    ):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._schemas = {n: (schemas or {}).get(n) or TABLES[n].schema for n in names}
        self._tmp: dict[str, str] = {}
        self._writers: dict[str, _FileWriter | _PartitionedWriter] = {}
        self._closed = False
        partitioned = set(partitioned)
        for name in self._schemas:  # folders a killed build left behind (builds hold a lock on out_dir)
            for stale in [*self.out_dir.glob(f".{name}.*.parts.tmp"), *self.out_dir.glob(f".{name}.old-*")]:
                shutil.rmtree(stale, ignore_errors=True)
        for name, schema in self._schemas.items():
            if name in partitioned:
                tmp = tempfile.mkdtemp(prefix=f".{name}.", suffix=".parts.tmp", dir=self.out_dir)
                os.chmod(tmp, 0o755)
                self._writers[name] = _PartitionedWriter(Path(tmp), schema, group_bytes, PARTITION_KEY)
            else:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=self.out_dir)
                os.close(fd)
                self._writers[name] = _FileWriter(Path(tmp), schema, group_bytes)
            self._tmp[name] = tmp

    def write(self, name: str, table: pa.Table, partitions: pa.Array | list[str] | None = None) -> None:
        if not table.num_rows:
            return
        table = table.select(self._schemas[name].names).cast(self._schemas[name])
        writer = self._writers[name]
        if isinstance(writer, _PartitionedWriter):
            if partitions is None:
                raise ValueError(f"table '{name}' is partitioned: pass the partition value of every row")
            writer.add(table, pa.array(partitions, pa.string()))
        else:
            writer.add(table)

    def rows(self, name: str) -> int:
        return self._writers[name].rows

    def close(self) -> dict[str, Path]:
        """Finish every file in its temp location (for callers that read them back before `commit`)."""
        if not self._closed:
            for writer in self._writers.values():
                writer.close()
            self._closed = True
        return {name: Path(tmp) for name, tmp in self._tmp.items()}

    def commit(self) -> None:
        if not self._tmp:
            return
        self.close()
        for name, tmp in self._tmp.items():
            writer = self._writers[name]
            if isinstance(writer, _PartitionedWriter) and writer.rows:
                _swap_folder(Path(tmp), self.out_dir / name)
                (self.out_dir / f"{name}.parquet").unlink(missing_ok=True)
                continue
            if isinstance(writer, _PartitionedWriter):  # no rows: an empty single file reads everywhere
                shutil.rmtree(tmp, ignore_errors=True)
                with pq.ParquetWriter(self.out_dir / f".{name}.empty.tmp", self._schemas[name], **_WRITE_OPTS) as w:
                    w.write_table(self._schemas[name].empty_table())
                tmp = str(self.out_dir / f".{name}.empty.tmp")
            folder = self.out_dir / name
            if folder.is_dir():
                shutil.rmtree(folder)
            os.replace(tmp, self.out_dir / f"{name}.parquet")
        self._tmp.clear()

    def abort(self) -> None:
        if not self._closed:
            for writer in self._writers.values():
                writer.abort()
        for tmp in self._tmp.values():
            if os.path.isdir(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                Path(tmp).unlink(missing_ok=True)
        self._tmp.clear()

    def __enter__(self) -> "TableWriters":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _swap_folder(new: Path, final: Path) -> None:
    """Put folder `new` at `final`; the old folder is renamed away first, so `final` is never half-written."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def swap_folder(new: Path, final: Path) -> None:
    """Public wrapper of the folder swap (the caches use it)."""
    _swap_folder(Path(new), Path(final))


class RangeReader:
    """Rows [start, stop) of one Parquet file; each row group is decoded once while reads move forward."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.schema = schema
        self._file = pq.ParquetFile(path)
        md = self._file.metadata
        sizes = [md.row_group(i).num_rows for i in range(md.num_row_groups)]
        self._starts = [0]
        for n in sizes:
            self._starts.append(self._starts[-1] + n)
        self._groups: dict[int, pa.Table] = {}

    @property
    def num_rows(self) -> int:
        return self._starts[-1]

    def _group(self, i: int) -> pa.Table:
        table = self._groups.get(i)
        if table is None:
            if len(self._groups) >= 2:  # keep the last two groups: enough for forward reads, bounded memory
                self._groups.pop(next(iter(self._groups)))
            table = self._groups[i] = self._file.read_row_group(i).cast(self.schema)
        return table

    def read(self, start: int, stop: int) -> pa.Table:
        pieces = []
        g = bisect.bisect_right(self._starts, start) - 1
        while start < stop:
            table, first = self._group(g), self._starts[g]
            take = min(stop, first + table.num_rows) - start
            pieces.append(table.slice(start - first, take))
            start += take
            g += 1
        return pa.concat_tables(pieces) if pieces else self.schema.empty_table()

    def close(self) -> None:
        self._groups.clear()
        self._file.close()
