"""Exact and near-duplicate detection: duplicate_of points at the earliest copy."""
import datetime as dt

from pipeline.ingest.dedup import DedupKey, find_duplicates, minhash_signature

STORY = (
    "Xiaomi venderà le sue auto elettriche anche al di fuori della Cina a partire dal 2027, accompagnando il debutto "
    "internazionale con un piano di espansione commerciale senza precedenti. L'annuncio è stato dato nel corso del keynote "
    "da Xu Fei, vicepresidente e Chief Marketing Officer del colosso di Pechino, che ha tracciato un bilancio dei primi "
    "risultati della gamma. La berlina sportiva SU7 ha già superato quota 300.000 consegne in appena 15 mesi."
)
EDITED = STORY.replace("senza precedenti", "mai visto prima").replace("appena 15 mesi", "soli 15 mesi")
OTHER = "Stellantis e Leapmotor hanno firmato un accordo da 1,5 miliardi di euro per la distribuzione dei veicoli elettrici in Europa e in altri mercati."


def key(aid, body, date, path):
    import hashlib

    return DedupKey(aid, hashlib.sha256(body.encode()).hexdigest(), date, path, minhash_signature(body))


def test_exact_copy_points_to_earliest():
    keys = [key("b", STORY, dt.date(2025, 9, 25), "b.txt"), key("a", STORY, dt.date(2025, 9, 24), "z.txt")]
    assert find_duplicates(keys) == {"b": ("a", "exact")}


def test_near_duplicate_detected_and_unrelated_kept():
    keys = [key("orig", STORY, dt.date(2025, 9, 24), "a.txt"), key("copy", EDITED, dt.date(2025, 9, 26), "b.txt"), key("other", OTHER, None, "c.txt")]
    assert find_duplicates(keys) == {"copy": ("orig", "near")}


def test_unknown_dates_sort_after_known_then_by_path():
    keys = [key("x", STORY, None, "a.txt"), key("y", STORY, None, "b.txt"), key("z", STORY, dt.date(2020, 1, 1), "c.txt")]
    assert find_duplicates(keys) == {"x": ("z", "exact"), "y": ("z", "exact")}


def test_short_texts_only_exact():
    assert minhash_signature("Troppo breve.") is None


# ---------------------------------------------------------------- numpy MinHash and LSH == datasketch

import numpy as np  # noqa: E402
from datasketch import LeanMinHash, MinHash, MinHashLSH  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.ingest.dedup import LSH_BANDS, LSH_ROWS, MIN_SHINGLES, NEAR_DUP_THRESHOLD, NUM_PERM, candidate_pairs  # noqa: E402
from pipeline.ingest.minhash import minhash, sha1_hash32, word_shingles  # noqa: E402

WORDS = st.sampled_from("la casa di Maranello Ferrari venderà città perché 2027 SU7 l’auto è già x_y 1,5".split())


def _datasketch_signature(body: str):
    """The signature the first version computed with datasketch (the reference for the numpy one)."""
    import re

    words = re.findall(r"\w+", body.lower())
    shingles = {" ".join(words[i : i + 5]).encode() for i in range(max(0, len(words) - 4))}
    if len(shingles) < MIN_SHINGLES:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32")
    m.update_batch(list(shingles))
    return m.hashvalues


def test_word_shingles_exact_bytes():
    assert word_shingles("Uno, due tre quattro cinque sei!") == {b"uno due tre quattro cinque", b"due tre quattro cinque sei"}
    assert word_shingles("Città è già così") == set()
    assert word_shingles("Città è già così bella") == {"città è già così bella".encode()}


def test_sha1_hash32_matches_datasketch():
    from datasketch.hashfunc import sha1_hash32 as reference

    items = [b"", b"a", "città".encode(), b"x" * 1000]
    assert sha1_hash32(items).tolist() == [reference(x) for x in items]
    assert sha1_hash32(items).dtype == np.uint32


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=120), st.text(max_size=40))
def test_numpy_minhash_equals_datasketch(words, noise):
    body = " ".join(words) + noise
    ours, theirs = minhash_signature(body), _datasketch_signature(body)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert ours.dtype == np.uint32 and ours.tolist() == theirs.tolist()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.binary(max_size=30), min_size=1, max_size=50, unique=True))
def test_minhash_of_hashes_equals_datasketch(items):
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32")
    m.update_batch(items)
    assert minhash(sha1_hash32(items)).tolist() == m.hashvalues.tolist()


def test_lsh_banding_is_datasketchs():
    lsh = MinHashLSH(threshold=NEAR_DUP_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)


def _random_signatures(seed: int, n: int) -> np.ndarray:
    """Signatures in families that share whole bands, so that every band collides somewhere."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 4, size=(n, NUM_PERM), dtype=np.uint32)  # 4 values: bands rarely equal by chance
    family = rng.integers(0, max(1, n // 4), size=n)
    shared = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint32)[family]
    take = rng.random((n, LSH_BANDS)) < 0.5
    mask = np.repeat(take, LSH_ROWS, axis=1)
    return np.where(mask, shared, base)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 60))
def test_candidate_pairs_equal_datasketch_lsh(seed, n):
    sigs = _random_signatures(seed, n)
    active = np.random.default_rng(seed + 1).random(n) < 0.9
    lo, hi = candidate_pairs(sigs, active)
    lsh = MinHashLSH(threshold=NEAR_DUP_THRESHOLD, num_perm=NUM_PERM)
    expected = set()
    for j in np.flatnonzero(active):
        mh = LeanMinHash(seed=1, hashvalues=sigs[j], scheme="affine32")
        expected |= {(i, int(j)) for i in lsh.query(mh)}
        lsh.insert(int(j), mh)
    assert set(zip(lo.tolist(), hi.tolist())) == expected
    assert (lo < hi).all()


def _reference_find_duplicates(keys):
    """The first, datasketch-based implementation: insert originals earliest first, query each before inserting."""
    ordered = sorted(keys, key=lambda k: (k.published or dt.date.max, k.source_path))
    result, first_by_hash, originals = {}, {}, []
    for k in ordered:
        if k.content_hash in first_by_hash:
            result[k.article_id] = (first_by_hash[k.content_hash], "exact")
        else:
            first_by_hash[k.content_hash] = k.article_id
            originals.append(k)
    lsh = MinHashLSH(threshold=NEAR_DUP_THRESHOLD, num_perm=NUM_PERM)
    sigs, position = {}, {k.article_id: i for i, k in enumerate(originals)}
    for k in originals:
        if k.signature is None:
            continue
        mh = LeanMinHash(seed=1, hashvalues=k.signature, scheme="affine32")
        best = None
        for cand in sorted(lsh.query(mh), key=position.__getitem__):
            sim = mh.jaccard(sigs[cand])
            if sim >= NEAR_DUP_THRESHOLD and (best is None or sim > best[1]):
                best = (cand, sim)
        if best is not None:
            result[k.article_id] = (result.get(best[0], (best[0], ""))[0], "near")
        sigs[k.article_id] = mh
        lsh.insert(k.article_id, mh)
    for aid, (target, kind) in list(result.items()):
        if kind == "exact" and target in result:
            result[aid] = (result[target][0], "exact")
    return result


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 50))
def test_find_duplicates_equals_datasketch_reference(seed, n):
    rng = np.random.default_rng(seed)
    sigs = _random_signatures(seed, n)
    # near-identical signatures (similarity around the threshold) and exact copies (same hash)
    for i in range(n):
        if rng.random() < 0.4 and i:
            src = int(rng.integers(0, i))
            flip = rng.random(NUM_PERM) < rng.choice([0.1, 0.28, 0.3, 0.32, 0.5])
            sigs[i] = np.where(flip, sigs[i], sigs[src])
    hashes = [f"h{int(h)}" for h in rng.integers(0, max(1, n), size=n)]
    dates = [None if rng.random() < 0.2 else dt.date(2025, 1, 1) + dt.timedelta(days=int(rng.integers(0, 5))) for _ in range(n)]
    paths = [f"p{int(rng.integers(0, 10**6))}_{i}.txt" for i in range(n)]
    keys = [DedupKey(f"a{i}", hashes[i], dates[i], paths[i], None if rng.random() < 0.1 else sigs[i]) for i in range(n)]
    # the same hash must mean the same signature (the same body)
    by_hash = {}
    keys = [DedupKey(k.article_id, k.content_hash, k.published, k.source_path, by_hash.setdefault(k.content_hash, k.signature)) for k in keys]
    assert find_duplicates(keys) == _reference_find_duplicates(keys)


def test_find_duplicates_on_real_bodies_equals_reference():
    bodies = [STORY, EDITED, OTHER, STORY, EDITED.replace("Xu Fei", "il manager"), OTHER + " Fine."]
    keys = [key(f"a{i}", b, dt.date(2025, 9, 20 + i % 3), f"{i}.txt") for i, b in enumerate(bodies)]
    assert find_duplicates(keys) == _reference_find_duplicates(keys)


# ---------------------------------------------------------------- the columnar entry points run_ingest uses

import pyarrow as pa  # noqa: E402

from pipeline.ingest.run import SIGNATURE_COLUMN, duplicate_columns, publish_months, signature_matrix  # noqa: E402


def test_signature_matrix_round_trip_with_nulls():
    sigs = [np.arange(NUM_PERM, dtype=np.uint32), None, np.full(NUM_PERM, 7, dtype=np.uint32)]
    column = pa.chunked_array([pa.array([s.tobytes() if s is not None else None for s in sigs[:2]], pa.binary()), pa.array([sigs[2].tobytes()], pa.binary())])
    matrix, has = signature_matrix(column)
    assert has.tolist() == [True, False, True]
    assert matrix[0].tolist() == sigs[0].tolist() and matrix[1].tolist() == [0] * NUM_PERM and matrix[2].tolist() == sigs[2].tolist()


def test_duplicate_columns_exact_rows():
    bodies = {"orig": STORY, "copy": EDITED, "twin": STORY, "other": OTHER}
    dates = {"orig": dt.date(2025, 9, 24), "copy": dt.date(2025, 9, 26), "twin": dt.date(2025, 9, 27), "other": None}
    keys = [key(a, bodies[a], dates[a], f"{a}.txt") for a in ["copy", "other", "orig", "twin"]]
    table = pa.table({
        "article_id": [k.article_id for k in keys],
        "content_hash": [k.content_hash for k in keys],
        "published": pa.array([k.published for k in keys], pa.date32()),
        "source_path": [k.source_path for k in keys],
        SIGNATURE_COLUMN: pa.array([None if k.signature is None else k.signature.tobytes() for k in keys], pa.binary()),
    })
    duplicate_of, kind = duplicate_columns(table)
    assert duplicate_of.to_pylist() == ["orig", None, None, "orig"]
    assert kind.to_pylist() == ["near", None, None, "exact"]


def test_publish_months_per_distinct_date():
    published = pa.chunked_array([pa.array([dt.date(2025, 1, 3), None, dt.date(2024, 12, 1)], pa.date32()), pa.array([dt.date(2025, 1, 9)], pa.date32())])
    label = lambda d: f"{d:%Y-%m}" if d else "unknown"  # noqa: E731
    assert publish_months(published, label).to_pylist() == ["2025-01", "unknown", "2024-12", "2025-01"]
