"""Local engine: apply a pure function to chunks of work in worker processes, results in input order."""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Tasks submitted ahead per worker: enough to keep every worker busy while the parent writes results,
# few enough that the input is read lazily (Pool.imap would drain the whole input iterator up front).
PREFETCH_PER_WORKER = 3


def default_workers() -> int:
    """All cores unless PIPELINE_WORKERS says otherwise."""
    env = os.environ.get("PIPELINE_WORKERS")
    return max(1, int(env)) if env else max(1, os.cpu_count() or 1)


def map_ordered(fn: Callable[[T], R], items: Iterable[T], workers: int = 1) -> Iterator[R]:
    """fn over items, in order; in a process pool when workers > 1 (fn must be a module-level function).

    At most workers * PREFETCH_PER_WORKER items are in flight, so memory stays bounded however long
    `items` is. Processes are forked: each worker inherits what the parent already loaded (the
    extractors, the knowledge base) instead of loading it again.
    """
    if workers <= 1:
        for item in items:
            yield fn(item)
        return
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    gc.freeze()  # the objects loaded so far (the knowledge base) stay out of the workers' collections: fewer copied pages
    try:
        with ctx.Pool(workers) as pool:
            pending: deque = deque()
            for item in items:
                pending.append(pool.apply_async(fn, (item,)))
                if len(pending) >= workers * PREFETCH_PER_WORKER:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        gc.unfreeze()


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most `size` consecutive items."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
