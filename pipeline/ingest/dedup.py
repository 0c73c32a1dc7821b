"""Exact (content hash) and near-duplicate (MinHash LSH over word shingles) detection."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE_WORDS = 5
# Estimated Jaccard similarity of word 5-shingles above which two articles are the same story
# republished (a few words edited, other boilerplate): ten edited words in a 500-word story still give ~0.8.
NEAR_DUP_THRESHOLD = 0.7
MIN_SHINGLES = 30  # shorter texts (under ~35 words) are compared by exact hash only
_WORD = re.compile(r"\w+")
_SEED = 1
_SCHEME = "affine32"


@dataclass(frozen=True)
class DedupKey:
    """What dedup needs of an article: id, hash, order (date, path) and its MinHash signature."""

    article_id: str
    content_hash: str
    published: dt.date | None
    source_path: str
    signature: np.ndarray | None


def minhash_signature(body: str) -> np.ndarray | None:
    """MinHash of the body's lowercased word 5-shingles; None when the text is too short."""
    words = _WORD.findall(body.lower())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(max(0, len(words) - SHINGLE_WORDS + 1))}
    if len(shingles) < MIN_SHINGLES:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
    m.update_batch(list(shingles))
    return m.hashvalues.copy()


@lru_cache(maxsize=1)
def _permutations():
    # datasketch derives the same permutations from the seed for every MinHash: build them once per process.
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def _order(k: DedupKey) -> tuple:
    return (k.published or dt.date.max, k.source_path)


def find_duplicates(keys: list[DedupKey]) -> dict[str, tuple[str, str]]:
    """Map article_id -> (article_id of the earliest copy, 'exact' | 'near') for every duplicate."""
    ordered = sorted(keys, key=_order)
    result: dict[str, tuple[str, str]] = {}
    first_by_hash: dict[str, str] = {}
    originals: list[DedupKey] = []
    for k in ordered:
        if k.content_hash in first_by_hash:
            result[k.article_id] = (first_by_hash[k.content_hash], "exact")
        else:
            first_by_hash[k.content_hash] = k.article_id
            originals.append(k)
    lsh = MinHashLSH(threshold=NEAR_DUP_THRESHOLD, num_perm=NUM_PERM)
    sigs: dict[str, LeanMinHash] = {}
    position = {k.article_id: i for i, k in enumerate(originals)}
    for k in originals:  # earliest first: a later copy points at the earliest similar original
        if k.signature is None:
            continue
        mh = LeanMinHash(seed=_SEED, hashvalues=k.signature, scheme=_SCHEME)
        best = None
        for cand in sorted(lsh.query(mh), key=position.__getitem__):
            sim = mh.jaccard(sigs[cand])
            if sim >= NEAR_DUP_THRESHOLD and (best is None or sim > best[1]):
                best = (cand, sim)
        if best is not None:
            root = result.get(best[0], (best[0], ""))[0]
            result[k.article_id] = (root, "near")
        sigs[k.article_id] = mh
        lsh.insert(k.article_id, mh)
    # exact copies of a near-duplicate point at the same earliest article
    for aid, (target, kind) in list(result.items()):
        if kind == "exact" and target in result:
            result[aid] = (result[target][0], "exact")
    return result
