"""Text similarity between actions: TF-IDF vectors, candidate blocking, verification.

Cost: comparing every pair is quadratic (ECOSYSTEM.md: 387 s for 20k sentences with
token_set_ratio). Instead candidates are pairs that share at least ``min_shared``
*rare* keys (content words and adjacent word pairs whose document frequency is at
most ``cap``): each text has O(words) keys and each key at most ``cap`` texts, so the
candidate count grows linearly with the corpus. Exact repeats (same normalised text)
are paired separately because their keys may all be common. Candidates are then
scored by TF-IDF cosine (word 1-2grams + char_wb 3-5grams) and rapidfuzz
token_set_ratio.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

from ._base import content_words, normalise


@dataclass(frozen=True, slots=True)
class Scored:
    i: int
    j: int
    cosine: float
    token_set: float


def vectorise(texts: Sequence[str]) -> sparse.csr_matrix:
    """Unit-length rows: word 1-2gram and char_wb 3-5gram TF-IDF, equally weighted."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    norm = [normalise(t) for t in texts]
    blocks = []
    for kwargs in ({"analyzer": "word", "ngram_range": (1, 2), "stop_words": "english",
                    "token_pattern": r"(?u)\b\w\w+\b"},
                   {"analyzer": "char_wb", "ngram_range": (3, 5)}):
        vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float64, **kwargs)
        try:
            blocks.append(vec.fit_transform(norm))
        except ValueError:  # empty vocabulary (only stopwords or empty texts)
            blocks.append(sparse.csr_matrix((len(norm), 1)))
    x = sparse.hstack(blocks, format="csr")
    lengths = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / lengths) @ x)


def blocking_keys(text: str) -> set[str]:
    """Content words and adjacent content-word pairs of ``text``."""
    words = content_words(text)
    keys = set(words)
    keys.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return keys


def candidate_pairs(texts: Sequence[str], *, cap: int = 50, min_shared: int = 2) -> set[tuple[int, int]]:
    """Pairs (i < j) worth scoring: exact repeats, or texts sharing ``min_shared`` rare keys.

    Texts with fewer than ``min_shared`` keys need only one shared key.
    """
    n = len(texts)
    pairs: set[tuple[int, int]] = set()
    by_text: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        by_text.setdefault(normalise(t), []).append(i)
    for same in by_text.values():  # a star is enough to connect repeats into one group
        pairs.update((same[0], k) for k in same[1:])
    key_sets = [blocking_keys(t) for t in texts]
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, keys in enumerate(key_sets):
        for k in keys:
            rows.append(i)
            cols.append(vocab.setdefault(k, len(vocab)))
    if not vocab:
        return pairs
    b = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n, len(vocab)))
    df = np.asarray(b.sum(axis=0)).ravel()
    rare = np.flatnonzero(df <= cap)
    b = b[:, rare]
    shared = sparse.triu(b @ b.T, k=1).tocoo()
    nkeys = np.asarray(b.sum(axis=1)).ravel()
    for i, j, c in zip(shared.row, shared.col, shared.data, strict=True):
        need = min(min_shared, int(nkeys[i]), int(nkeys[j]))
        if c >= max(need, 1):
            pairs.add((int(i), int(j)))
    return pairs


def score_pairs(texts: Sequence[str], pairs: set[tuple[int, int]], x: sparse.csr_matrix | None = None,
                *, floor: float = 0.25) -> list[Scored]:
    """Cosine and token-set similarity of each candidate pair with cosine >= ``floor``."""
    if not pairs:
        return []
    x = vectorise(texts) if x is None else x
    ordered = sorted(pairs)
    ii = np.fromiter((p[0] for p in ordered), dtype=np.int64, count=len(ordered))
    jj = np.fromiter((p[1] for p in ordered), dtype=np.int64, count=len(ordered))
    cos = np.zeros(len(ordered))
    step = 20000  # rows at a time, to bound memory
    for s in range(0, len(ordered), step):
        cos[s:s + step] = np.asarray(x[ii[s:s + step]].multiply(x[jj[s:s + step]]).sum(axis=1)).ravel()
    norm = [normalise(t) for t in texts]
    out = []
    for i, j, c in zip(ii, jj, cos, strict=True):
        if c < floor:
            continue
        ts = fuzz.token_set_ratio(norm[i], norm[j]) / 100.0
        out.append(Scored(int(i), int(j), round(min(float(c), 1.0), 4), round(ts, 4)))
    return out


def shared_words(a: str, b: str, limit: int = 8) -> tuple[str, ...]:
    """Content words two texts share, in the order of the first."""
    other = set(content_words(b))
    seen: list[str] = []
    for w in content_words(a):
        if w in other and w not in seen:
            seen.append(w)
    return tuple(seen[:limit])
