"""Text similarity between actions: TF-IDF vectors, candidate blocking, verification.

Cost: comparing every pair is quadratic (ECOSYSTEM.md: 387 s for 20k sentences with
token_set_ratio). Instead candidates are the pairs whose content-word sets are similar,
found by MinHash LSH (`candidate_pairs`), plus exact repeats. Prefix filtering was
measured first: complete, but in template-like plans even a sentence's rarest words are
common (7.2M raw pairs at 10k actions, growing quadratically). Candidates are then
scored by TF-IDF cosine (word 1-2grams + char_wb 3-5grams) and rapidfuzz token_set_ratio.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # TfidfVectorizer's default token_pattern


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction._stop_words import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _char_wb(word: str) -> list[str]:
    """scikit-learn's ``char_wb`` 3-5grams of one word (padded with spaces, short words once)."""
    w = f" {word} "
    out = []
    for n in range(3, 6):
        offset = 0
        out.append(w[:n])
        while offset + n < len(w):
            offset += 1
            out.append(w[offset:offset + n])
        if offset == 0:
            break
    return out


def _counts(docs: Iterable[list[str]], n_docs: int) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """(docs x features) term counts of already tokenised ``docs``, and the features."""
    vocab: dict[str, int] = {}
    indptr, cols = [0], []
    for toks in docs:
        cols.extend(vocab.setdefault(t, len(vocab)) for t in toks)
        indptr.append(len(cols))
    m = sparse.csr_matrix((np.ones(len(cols)), np.asarray(cols, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(n_docs, max(len(vocab), 1)))
    m.sum_duplicates()
    return m, vocab


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """TfidfVectorizer(sublinear_tf=True) of a count matrix: (1 + ln tf) * smooth idf, rows
    L2-normalised."""
    x = counts.tocsr(copy=True).astype(np.float64)
    x.eliminate_zeros()
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    return _unit_rows(x)


def _unit_rows(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """``x`` with every non-zero row scaled to length 1 (in place)."""
    per_row = np.diff(x.indptr)
    lengths = np.sqrt(np.bincount(np.repeat(np.arange(x.shape[0]), per_row), weights=x.data ** 2,
                                  minlength=x.shape[0]))
    lengths[lengths == 0] = 1.0
    x.data /= np.repeat(lengths, per_row)
    return x


def vectorise(texts: Sequence[str]) -> sparse.csr_matrix:
    """Unit-length rows: word 1-2gram and char_wb 3-5gram TF-IDF, equally weighted.

    The features and weights of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with
    ``analyzer="word", ngram_range=(1, 2), stop_words="english"`` and ``analyzer="char_wb",
    ngram_range=(3, 5)``, computed without its per-document Python analysers: char n-grams
    are listed once per distinct word (document counts = word counts @ word n-gram counts),
    which is what makes 100k-action corpora affordable.
    """
    norm = [normalise(t) for t in texts]
    stop = _stop_words()
    word_docs = []
    for t in norm:
        toks = [w for w in _TOKEN.findall(t) if w not in stop]
        word_docs.append(toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)])
    words, word_vocab = _counts(word_docs, len(norm))
    del word_docs
    by_word, distinct = _counts((t.split() for t in norm), len(norm))
    grams, gram_vocab = _counts((_char_wb(w) for w in distinct), max(len(distinct), 1))
    empty = sparse.csr_matrix((len(norm), 1))  # no features (TfidfVectorizer: empty vocabulary)
    blocks = [_tfidf(words) if word_vocab else empty,
              _tfidf(sparse.csr_matrix(by_word @ grams)) if gram_vocab else empty]
    del by_word, grams
    x = sparse.hstack(blocks, format="csr")
    return _unit_rows(x)


def blocking_keys(text: str) -> set[str]:
    """Content words and adjacent content-word pairs of ``text``."""
    words = content_words(text)
    keys = set(words)
    keys.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return keys


#: MinHash LSH shape: ``BANDS`` bands of ``ROWS`` hashes. A pair with word-set Jaccard j
#: becomes a candidate with probability 1 - (1 - j**ROWS)**BANDS: 0.97 at j = 0.64 (the
#: least similar planted rewording of the benchmark), 0.26 at 0.4, 0.01 at 0.2.
ROWS, BANDS = 5, 30
ESTIMATE_HASHES = 48
_PRIME = (1 << 61) - 1


def _word_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    indptr, cols = [0], []
    for t in texts:
        cols.extend(sorted({vocab.setdefault(w, len(vocab)) for w in content_words(t)}))
        indptr.append(len(cols))
    return sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64),
                              np.asarray(indptr, dtype=np.int64)), shape=(len(texts), max(len(vocab), 1)))


def minhash(b: sparse.csr_matrix, n_hashes: int, seed: int = 7) -> np.ndarray:
    """(texts x n_hashes) MinHash signatures of the word sets in the rows of ``b``."""
    rng = np.random.default_rng(seed)
    n_words = b.shape[1]
    mult = rng.integers(1, _PRIME, n_hashes, dtype=np.uint64)
    add = rng.integers(0, _PRIME, n_hashes, dtype=np.uint64)
    ids = np.arange(n_words, dtype=np.uint64)[:, None]
    word_hash = ((ids * mult + add) % np.uint64(_PRIME)).astype(np.uint64)  # words x hashes
    sig = np.full((b.shape[0], n_hashes), np.iinfo(np.uint64).max, dtype=np.uint64)
    step = 5000  # rows at a time: (words of the rows x hashes) stays small
    for r0 in range(0, b.shape[0], step):
        chunk = b[r0:r0 + step]
        nonempty = np.flatnonzero(np.diff(chunk.indptr))
        if len(nonempty):
            sig[r0 + nonempty] = np.minimum.reduceat(word_hash[chunk.indices], chunk.indptr[nonempty],
                                                     axis=0)
    return sig


def rare_key_pairs(texts: Sequence[str], *, cap: int = 50, min_shared: int = 2) -> set[tuple[int, int]]:
    """Pairs (i < j) sharing ``min_shared`` rare keys (content words and adjacent word pairs
    found in at most ``cap`` texts); texts with fewer keys need fewer.

    Finds short rewordings with little word overlap while keys are rare; in a large
    corpus of template-like plans every key becomes common and this finds little (MinHash
    LSH in `candidate_pairs` covers that).
    """
    n = len(texts)
    pairs: set[tuple[int, int]] = set()
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
    b = b[:, np.flatnonzero(df <= cap)]
    shared = sparse.triu(b @ b.T, k=1).tocoo()
    nkeys = np.asarray(b.sum(axis=1)).ravel()
    need = np.maximum(np.minimum(np.minimum(nkeys[shared.row], nkeys[shared.col]), min_shared), 1)
    ok = shared.data >= need
    pairs.update(zip(shared.row[ok].tolist(), shared.col[ok].tolist(), strict=True))
    return pairs


def candidate_pairs(texts: Sequence[str], *, threshold: float = 0.5) -> set[tuple[int, int]]:
    """Pairs (i < j) worth scoring (`candidate_array` as a set of tuples)."""
    ii, jj = candidate_array(texts, threshold=threshold)
    return set(zip(ii.tolist(), jj.tolist(), strict=True))


def _pair_codes(pairs: set[tuple[int, int]], n: int) -> np.ndarray:
    return np.fromiter((i * n + j for i, j in pairs), dtype=np.int64, count=len(pairs))


def _bucket_pairs(order: np.ndarray, starts: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair inside each bucket ``order[start:start + size]``, vectorised per bucket size."""
    ii_parts, jj_parts = [], []
    for s in np.unique(size[size >= 2]):
        at = starts[size == s]
        members = np.sort(order[at[:, None] + np.arange(s)], axis=1)
        a_idx, b_idx = np.triu_indices(int(s), k=1)
        ii_parts.append(members[:, a_idx].ravel())
        jj_parts.append(members[:, b_idx].ravel())
    if not ii_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(ii_parts), np.concatenate(jj_parts)


def candidate_array(texts: Sequence[str], *, threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) worth scoring, as two index arrays: exact repeats, pairs sharing rare keys
    (`rare_key_pairs`), and pairs of similar content-word sets.

    Similar sets are found by MinHash LSH (`ROWS` x `BANDS`): texts that agree on every
    hash of one band share a bucket. Cost grows with the corpus plus the number of
    similar pairs, not with all pairs. LSH candidates whose signatures agree on fewer
    than ``threshold`` of the hashes (estimated Jaccard) are dropped before scoring.
    """
    n = len(texts)
    pairs: set[tuple[int, int]] = set()
    by_text: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        by_text.setdefault(normalise(t), []).append(i)
    for same in by_text.values():  # a star is enough to connect repeats into one group
        pairs.update((same[0], k) for k in same[1:])
    if n >= 2:
        pairs |= rare_key_pairs(texts)
    fixed = _pair_codes(pairs, n)
    if n < 2:
        return fixed // max(n, 1), fixed % max(n, 1)
    b = _word_matrix(texts)
    sig = minhash(b, ROWS * BANDS)
    has_words = np.diff(b.indptr) > 0
    ii_parts, jj_parts = [], []
    for band in range(BANDS):
        block = np.ascontiguousarray(sig[:, band * ROWS:(band + 1) * ROWS])
        key = block.view(np.dtype((np.void, block.dtype.itemsize * ROWS))).ravel()
        order = np.argsort(key, kind="stable")
        order = order[has_words[order]]
        sk = key[order]
        bounds = np.flatnonzero(sk[1:] != sk[:-1]) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(order)]))
        size = ends - starts
        bi, bj = _bucket_pairs(order, starts, size)
        ii_parts.append(bi)
        jj_parts.append(bj)
    if not ii_parts:
        return fixed // n, fixed % n
    code = np.unique(np.concatenate(ii_parts) * n + np.concatenate(jj_parts))
    ii, jj = code // n, code % n
    agree = np.zeros(len(ii))
    est = sig[:, :ESTIMATE_HASHES]  # enough hashes to estimate Jaccard within about 0.07
    step = 200000  # pairs at a time, to bound memory
    for s0 in range(0, len(ii), step):
        agree[s0:s0 + step] = (est[ii[s0:s0 + step]] == est[jj[s0:s0 + step]]).mean(axis=1)
    ok = agree >= threshold
    code = np.union1d(code[ok], fixed)
    return code // n, code % n


def score_pairs(texts: Sequence[str], pairs: set[tuple[int, int]], x: sparse.csr_matrix | None = None,
                *, floor: float = 0.25) -> list[Scored]:
    """Cosine and token-set similarity of each candidate pair with cosine >= ``floor``."""
    if not pairs:
        return []
    x = vectorise(texts) if x is None else x
    code = np.sort(_pair_codes(pairs, len(texts)))
    norm = [normalise(t) for t in texts]
    ii, jj, cos, ts = score_array(norm, code // len(texts), code % len(texts), x, floor=floor)
    return [Scored(i, j, c, t) for i, j, c, t in
            zip(ii.tolist(), jj.tolist(), cos.tolist(), ts.tolist(), strict=True)]


def score_array(norm: Sequence[str], ii: np.ndarray, jj: np.ndarray, x: sparse.csr_matrix,
                *, floor: float = 0.25) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine, token_set) of the pairs ``ii[k], jj[k]`` with cosine >= ``floor``, both
    rounded to 4 places; ``norm`` are the `normalise`d texts of the rows of ``x``.

    Cosines are row-wise dot products of unit rows, in batches; token_set_ratio runs in
    rapidfuzz's C loop (``cpdist``) and only for pairs above the cosine floor.
    """
    from rapidfuzz.process import cpdist

    cos = np.zeros(len(ii))
    step = 20000  # pairs at a time, to bound memory
    for s in range(0, len(ii), step):
        cos[s:s + step] = np.asarray(x[ii[s:s + step]].multiply(x[jj[s:s + step]]).sum(axis=1)).ravel()
    keep = cos >= floor
    ii, jj, cos = ii[keep], jj[keep], cos[keep]
    ts = np.zeros(len(ii))
    if len(ii):
        ts = cpdist([norm[i] for i in ii.tolist()], [norm[j] for j in jj.tolist()],
                    scorer=fuzz.token_set_ratio, dtype=np.float64, workers=-1) / 100.0
    return ii, jj, np.round(np.minimum(cos, 1.0), 4), np.round(ts, 4)


def shared_words(a: str, b: str, limit: int = 8) -> tuple[str, ...]:
    """Content words two texts share, in the order of the first."""
    other = set(content_words(b))
    seen: list[str] = []
    for w in content_words(a):
        if w in other and w not in seen:
            seen.append(w)
    return tuple(seen[:limit])
