"""py3langid's language identifier with its byte-by-byte automaton walk done in numpy (same features, same scores).

py3langid counts its n-gram features by walking an Aho-Corasick automaton over the text's bytes in a Python
loop (~1.5 ms per 1000-character sample). In such an automaton the state after a byte is the longest suffix
of the text read so far that is a node of the n-gram trie, so it depends only on the last `depth` bytes
(the trie's height): every position's state is the walk from the root over the `depth` bytes ending there,
which numpy does for all positions at once in `depth` steps.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from py3langid.langid import MODEL_FILE, RAW_FLOOR, LanguageIdentifier

# Height of the trie of py3langid's bundled model (its longest feature, in bytes); tests check it with
# `trie_depth`, which takes ~1 s, too long to run in every worker. A larger window is still exact, only slower.
MODEL_TRIE_DEPTH = 6


class FastLanguageIdentifier(LanguageIdentifier):
    """A py3langid LanguageIdentifier whose feature counting (`_raw_score`) runs in numpy."""

    __slots__ = ["_next", "_row_base", "_output", "_depth", "_ptc32"]

    def __init__(self, *args, depth: int = MODEL_TRIE_DEPTH, **kwargs):
        super().__init__(*args, **kwargs)
        self._next = np.frombuffer(self.tk_nextmove, dtype=np.dtype(self.tk_nextmove.typecode))  # a view, no copy
        self._row_base = np.asarray(self.tk_row, dtype=np.int64) << 8
        self._output = np.asarray(self.tk_output, dtype=np.int64)
        self._depth = depth
        # numpy casts the float16 rows to float32 before every product anyway: cast the table once (exact)
        self._ptc32 = np.asarray(self.nb_ptc, dtype=np.float32)

    def feature_counts(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(feature ids in order of first occurrence, their counts): py3langid.visit_counts as arrays."""
        states = walk_states(self._next, self._row_base, self._depth, data)
        features = self._output[states]
        features = features[features >= 0]
        ids, first, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        return ids[order], counts[order]

    def _raw_score(self, text):
        """py3langid's LanguageIdentifier._raw_score, with the counts from `feature_counts`."""
        ids, counts = self.feature_counts(text)
        if len(ids) and self.nb_ptc is self._full_model[0]:
            # py3langid's _sparse_score on the same features in the same (first-seen) order: the same float sums
            return np.log1p(counts.astype(np.float32)) @ self._ptc32[ids] + self.nb_pc
        if len(ids):  # restricted to some languages (set_languages)
            return self._sparse_score(dict(zip(ids.tolist(), counts.tolist())), self.nb_ptc)
        fill = 0.0 if self._norm_probs else RAW_FLOOR
        return np.full(len(self.nb_classes), fill, dtype=np.float32)


def walk_states(next_state: np.ndarray, row_base: np.ndarray, depth: int, data: bytes) -> np.ndarray:
    """The automaton's state after each byte of `data`, computed from the last `depth` bytes before each."""
    letters = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
    n = len(letters)
    states = np.zeros(n, dtype=np.int64)
    for back in range(min(depth, n) - 1, -1, -1):  # position i reads byte i-back (when there is one)
        states[back:] = next_state[row_base[states[back:]] + letters[: n - back]]
    return states


def trie_depth(next_state: np.ndarray, row_base: np.ndarray) -> int:
    """Breadth-first distance from the root to the farthest state (in an Aho-Corasick automaton, the trie height)."""
    seen = np.zeros(len(row_base), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.unique(next_state[(row_base[frontier][:, None] + np.arange(256)).ravel()])
        reached = reached[~seen[reached]]
        if not len(reached):
            return max(depth, 1)
        seen[reached] = True
        frontier, depth = reached, depth + 1


@lru_cache(maxsize=1)
def language_identifier() -> FastLanguageIdentifier:
    """py3langid's bundled model with normalized probabilities, loaded once per process."""
    return FastLanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
