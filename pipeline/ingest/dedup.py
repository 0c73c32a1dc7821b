"""Exact (content hash) and near-duplicate (MinHash LSH over word shingles) detection, vectorized over all articles.

The decisions are those of inserting the originals, earliest first, into a datasketch MinHashLSH and querying each
before inserting it; here the LSH buckets are exact groups of equal bands found by sorting, so a rebuild over
100,000 stored signatures costs a few numpy sorts instead of 100,000 Python inserts and queries.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest.minhash import NUM_PERM, SHINGLE_WORDS, minhash, sha1_hash32, word_shingles

# Estimated Jaccard similarity of word 5-shingles above which two articles are the same story
# republished (a few words edited, other boilerplate): ten edited words in a 500-word story still give ~0.8.
NEAR_DUP_THRESHOLD = 0.7
MIN_SHINGLES = 30  # shorter texts (under ~35 words) are compared by exact hash only
# The banding datasketch's MinHashLSH(threshold=0.7, num_perm=64) chooses (tests check it): 8 bands of 8 values.
LSH_BANDS, LSH_ROWS = 8, 8
EXACT, NEAR = "exact", "near"
_LAST_DAY = dt.date.max  # undated articles sort after every dated one
__all__ = ["SHINGLE_WORDS", "NUM_PERM", "DedupKey", "Duplicates", "find_duplicates", "find_duplicate_rows", "minhash_signature"]


@dataclass(frozen=True)
class DedupKey:
    """What dedup needs of an article: id, hash, order (date, path) and its MinHash signature."""

    article_id: str
    content_hash: str
    published: dt.date | None
    source_path: str
    signature: np.ndarray | None


@dataclass(frozen=True)
class Duplicates:
    """Per input row: the row index of the article it duplicates (-1 for none) and 'exact' / 'near' (None for none)."""

    target: np.ndarray
    kind: np.ndarray


def minhash_signature(body: str) -> np.ndarray | None:
    """uint32 MinHash of the body's lowercased word 5-shingles; None when the text is too short."""
    shingles = word_shingles(body, SHINGLE_WORDS)
    if len(shingles) < MIN_SHINGLES:
        return None
    return minhash(sha1_hash32(shingles))


def find_duplicates(keys: list[DedupKey]) -> dict[str, tuple[str, str]]:
    """Map article_id -> (article_id of the earliest copy, 'exact' | 'near') for every duplicate."""
    n = len(keys)
    signatures = np.zeros((n, NUM_PERM), dtype=np.uint32)
    has_signature = np.zeros(n, dtype=bool)
    for i, k in enumerate(keys):
        if k.signature is not None:
            signatures[i], has_signature[i] = k.signature, True
    dups = find_duplicate_rows(
        pa.array([k.content_hash for k in keys], pa.string()),
        pa.array([k.published for k in keys], pa.date32()),
        pa.array([k.source_path for k in keys], pa.string()),
        signatures,
        has_signature,
    )
    return {keys[i].article_id: (keys[t].article_id, kind) for i, (t, kind) in enumerate(zip(dups.target, dups.kind)) if t >= 0}


def find_duplicate_rows(
    content_hash: pa.Array, published: pa.Array, source_path: pa.Array, signatures: np.ndarray, has_signature: np.ndarray
) -> Duplicates:
    """Every row's duplicate decision: exact copies point at the earliest row with the same hash, near copies
    at the root of the earliest most similar original (order: publish date, unknown last, then source path)."""
    n = len(content_hash)
    target = np.full(n, -1, dtype=np.int64)
    kind = np.full(n, None, dtype=object)
    if n == 0:
        return Duplicates(target, kind)
    order = _build_order(published, source_path)  # rank -> row
    # exact: the first row (in build order) of each content hash is the original
    codes = pc.dictionary_encode(pa.chunked_array([content_hash]).combine_chunks().take(pa.array(order))).indices.to_numpy()
    first_rank = np.full(codes.max() + 1, n, dtype=np.int64)
    np.minimum.at(first_rank, codes, np.arange(n))
    exact_of = first_rank[codes]  # rank -> rank of the first copy
    is_exact = exact_of != np.arange(n)
    # near: originals with a signature, compared band by band
    near_root = _near_roots(signatures[order], has_signature[order] & ~is_exact)  # rank -> root rank or -1
    ranks = np.flatnonzero(near_root >= 0)
    target[order[ranks]], kind[order[ranks]] = order[near_root[ranks]], NEAR
    ranks = np.flatnonzero(is_exact)
    first = exact_of[ranks]
    root = np.where(near_root[first] >= 0, near_root[first], first)  # exact copies of a near copy point at its root
    target[order[ranks]], kind[order[ranks]] = order[root], EXACT
    return Duplicates(target, kind)


def _build_order(published: pa.Array, source_path: pa.Array) -> np.ndarray:
    """Row indices sorted by (published or date.max, source_path); Arrow compares strings as UTF-8 bytes,
    which orders them by code point as Python does."""
    dates = pc.fill_null(pa.chunked_array([published]).combine_chunks().cast(pa.date32()), pa.scalar(_LAST_DAY, pa.date32()))
    table = pa.table({"d": dates, "p": pa.chunked_array([source_path]).combine_chunks()})
    return pc.sort_indices(table, sort_keys=[("d", "ascending"), ("p", "ascending")]).to_numpy().astype(np.int64)


def _near_roots(signatures: np.ndarray, active: np.ndarray) -> np.ndarray:
    """For rows in build order: the earliest most similar earlier active row sharing an LSH band with
    estimated Jaccard >= NEAR_DUP_THRESHOLD, followed to its own root; -1 where there is none."""
    n = len(signatures)
    root = np.full(n, -1, dtype=np.int64)
    lo, hi = candidate_pairs(signatures, active)
    if not len(lo):
        return root
    sim = similarity(signatures, lo, hi)
    keep = sim >= NEAR_DUP_THRESHOLD
    lo, hi, sim = lo[keep], hi[keep], sim[keep]
    if not len(lo):
        return root
    pick = np.lexsort((lo, -sim, hi))  # per later row: highest similarity, then the earliest
    first = np.ones(len(pick), dtype=bool)
    first[1:] = hi[pick][1:] != hi[pick][:-1]
    best = dict(zip(hi[pick][first].tolist(), lo[pick][first].tolist()))
    for j in sorted(best):  # earlier rows are final first: a copy of a copy points at the first original
        b = best[j]
        root[j] = root[b] if root[b] >= 0 else b
    return root


def candidate_pairs(signatures: np.ndarray, active: np.ndarray, bands: int = LSH_BANDS, rows: int = LSH_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs (lo < hi) of active rows whose signatures agree on every value of at least one band."""
    idx = np.flatnonzero(active)
    if len(idx) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = []
    for band in range(bands):
        block = np.ascontiguousarray(signatures[idx, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, group = np.unique(keys, return_inverse=True)
        pairs.append(_pairs_within_groups(group.ravel()))
    lo, hi = np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
    code = np.unique(lo * len(idx) + hi)
    return idx[code // len(idx)], idx[code % len(idx)]


def _pairs_within_groups(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i < j) of positions with the same group id."""
    order = np.argsort(group, kind="stable")  # positions ascending within each group
    g = group[order]
    starts = np.flatnonzero(np.concatenate(([True], g[1:] != g[:-1])))
    size = np.diff(np.concatenate((starts, [len(g)])))
    group_start = np.repeat(starts, size)
    before = np.arange(len(g)) - group_start  # members of the group before each position
    total = int(before.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    later = np.repeat(np.arange(len(g)), before)
    offset = np.arange(total) - np.repeat(np.cumsum(before) - before, before)
    earlier = np.repeat(group_start, before) + offset
    return order[earlier], order[later]


def similarity(signatures: np.ndarray, lo: np.ndarray, hi: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Estimated Jaccard of each pair, computed as datasketch's MinHash.jaccard (equal values / permutations)."""
    out = np.empty(len(lo), dtype=np.float64)
    for s in range(0, len(lo), chunk):
        equal = signatures[lo[s : s + chunk]] == signatures[hi[s : s + chunk]]
        out[s : s + chunk] = np.count_nonzero(equal, axis=1) / float(signatures.shape[1])
    return out
