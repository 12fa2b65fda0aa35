"""Text similarity between actions: TF-IDF vectors, candidate blocking, verification.

Cost: comparing every pair is quadratic (ECOSYSTEM.md: 387 s for 20k sentences with
token_set_ratio). Instead candidates are the pairs whose content-word sets are similar,
found by MinHash LSH and kept at an exact Jaccard of 0.5, plus pairs sharing rare keys
that overlap enough, plus exact repeats (`candidate_strings`, `candidate_array`). Prefix
filtering was measured first: complete, but in template-like plans even a sentence's
rarest words are common (7.2M raw pairs at 10k actions, growing quadratically).
Candidates are then scored by TF-IDF cosine (word 1-2grams + char_wb 3-5grams) and
rapidfuzz token_set_ratio. Everything per pair or per token is numpy/scipy or rapidfuzz;
Python loops run once per text or per distinct word (100k actions: ~19 s, of which
TF-IDF ~8 s and candidates ~5 s run side by side in two threads).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

from ._base import STOPWORDS, content_words, normalise
from ._stopwords import ENGLISH_STOP_WORDS


@dataclass(frozen=True, slots=True)
class Scored:
    i: int
    j: int
    cosine: float
    token_set: float


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # TfidfVectorizer's default token_pattern


def _char_wb(word: str) -> list[str]:
    """scikit-learn's ``char_wb`` 3-5grams of one word (padded with spaces, short words once)."""
    w = f" {word} "
    out = []
    for n in range(3, 6):
        offset = 0
        out.append(w[:n])
        while offset + n < len(w):
            offset += 1
            out.append(w[offset : offset + n])
        if offset == 0:
            break
    return out


def _matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """(rows x cols) counts of the (row, col) occurrences, as float64 (canonical CSR)."""
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(shape[0], max(shape[1], 1)))
    m.sum_duplicates()
    return m


def _ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, offset) of each item when item ``k`` owns ``counts[k]`` consecutive slots."""
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    return owner, np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """TfidfVectorizer(sublinear_tf=True) of a float64 count matrix, in place: (1 + ln tf) *
    smooth idf, rows L2-normalised."""
    x = counts.tocsr()
    x.eliminate_zeros()
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    for s in _slices(len(x.data)):  # in slices: no temporary as large as the matrix
        d = x.data[s]
        np.log(d, out=d)
        d += 1.0
        d *= idf[x.indices[s]]
    return _unit_rows(x)


def _unit_rows(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """``x`` with every non-zero row scaled to length 1 (in place)."""
    # squares summed along each row in storage order (CSR mat-vec), as a bincount would
    squares = sparse.csr_matrix((x.data**2, x.indices, x.indptr), shape=x.shape)
    lengths = np.sqrt(squares @ np.ones(x.shape[1]))
    del squares
    lengths[lengths == 0] = 1.0
    per_row = np.diff(x.indptr)
    step = max(1, (1 << 22) // max(int(per_row.mean()) if len(per_row) else 1, 1))
    for r0 in range(0, x.shape[0], step):  # rows in slices: no temporary as large as the matrix
        a, b = x.indptr[r0], x.indptr[min(r0 + step, x.shape[0])]
        x.data[a:b] /= np.repeat(lengths[r0 : r0 + step], per_row[r0 : r0 + step])
    return x


def _slices(n: int, step: int = 1 << 22) -> list[slice]:
    return [slice(s, s + step) for s in range(0, n, step)]


def vectorise(texts: Sequence[str], *, normalised: Sequence[str] | None = None) -> sparse.csr_matrix:
    """Unit-length rows: word 1-2gram and char_wb 3-5gram TF-IDF, equally weighted.

    The features and weights of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with
    ``analyzer="word", ngram_range=(1, 2), stop_words="english"`` and ``analyzer="char_wb",
    ngram_range=(3, 5)``, computed without its per-document Python analysers: each
    distinct word is tokenised and cut into char n-grams once, word pairs are numbered
    in numpy, and document counts are products of sparse matrices (char n-grams = word
    counts @ n-grams of each word). That is what makes 100k-action corpora affordable.
    ``normalised``: the `normalise`d texts, when the caller has them already.
    """
    norm = [normalise(t) for t in texts] if normalised is None else list(normalised)
    n = len(norm)
    # words of the normalised texts (single spaces, none leading or trailing), numbered
    occurrences = " ".join(norm).split()
    lengths = np.fromiter((t.count(" ") + 1 if t else 0 for t in norm), dtype=np.int64, count=n)
    index = {w: k for k, w in enumerate(dict.fromkeys(occurrences))}
    distinct = list(index)
    wid = np.fromiter(map(index.__getitem__, occurrences), dtype=np.int64, count=len(occurrences))
    del occurrences
    row = np.repeat(np.arange(n, dtype=np.int64), lengths)
    by_word = _matrix(row, wid, (n, len(distinct)))
    # word features: TfidfVectorizer's tokens of each distinct word (stop words dropped), then
    # adjacent tokens of one text as pairs
    stop = ENGLISH_STOP_WORDS
    tokens: dict[str, int] = {}
    per_word = [
        [tokens.setdefault(t, len(tokens)) for t in _TOKEN.findall(w) if t not in stop] for w in distinct
    ]
    n_tok = np.fromiter((len(p) for p in per_word), dtype=np.int64, count=len(per_word))
    tok_of = np.fromiter(itertools.chain.from_iterable(per_word), dtype=np.int64, count=int(n_tok.sum()))
    start = np.cumsum(n_tok) - n_tok
    occ, off = _ragged(n_tok[wid])
    tok, tok_row = tok_of[start[wid[occ]] + off], row[occ]
    inner = np.flatnonzero(tok_row[1:] == tok_row[:-1])
    pair = tok[inner] * max(len(tokens), 1) + tok[inner + 1]
    pairs = _sorted_unique(pair)
    words = _matrix(
        np.concatenate((tok_row, tok_row[inner])),
        np.concatenate((tok, len(tokens) + np.searchsorted(pairs, pair))),
        (n, len(tokens) + len(pairs)),
    )
    del tok, tok_row, inner, pair
    # char_wb n-grams of each distinct word
    grams: dict[str, int] = {}
    per_gram = [[grams.setdefault(g, len(grams)) for g in _char_wb(w)] for w in distinct]
    n_gram = np.fromiter((len(p) for p in per_gram), dtype=np.int64, count=len(per_gram))
    gram_of = _matrix(
        np.repeat(np.arange(len(distinct), dtype=np.int64), n_gram),
        np.fromiter(itertools.chain.from_iterable(per_gram), dtype=np.int64, count=int(n_gram.sum())),
        (max(len(distinct), 1), len(grams)),
    )
    empty = sparse.csr_matrix((n, 1))  # no features (TfidfVectorizer: empty vocabulary)
    blocks = [
        _tfidf(words) if tokens else empty,
        _tfidf(sparse.csr_matrix(by_word @ gram_of)) if grams else empty,
    ]
    del by_word, gram_of, words
    x = sparse.hstack(blocks, format="csr")
    return _unit_rows(x)


def blocking_keys(text: str) -> set[str]:
    """Content words and adjacent content-word pairs of ``text`` (the columns of `key_matrix`)."""
    words = content_words(text)
    keys = set(words)
    keys.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return keys


def is_content_word(w: str) -> bool:
    """A word `key_matrix` keeps: three letters or more, not a stopword."""
    return len(w) >= 3 and w not in STOPWORDS


def word_occurrences(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Every word of ``texts`` (split on white space) in order, and the text each is in."""
    split = [t.split() for t in texts]
    counts = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    occurrences = list(itertools.chain.from_iterable(split))
    return occurrences, np.repeat(np.arange(len(split), dtype=np.int64), counts)


def key_matrix(norm: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """(texts x keys) 0/1 matrix of the `blocking_keys` of already `normalise`d texts, and
    the single words, which are its first columns; word pairs are numbered in numpy,
    without building their strings."""
    # content words numbered in order of first occurrence; each distinct word is judged once
    occurrences, row = word_occurrences(norm)
    vocab: dict[str, int] = {}
    code = {
        w: vocab.setdefault(w, len(vocab)) if is_content_word(w) else -1 for w in dict.fromkeys(occurrences)
    }
    ids = np.fromiter(map(code.__getitem__, occurrences), dtype=np.int64, count=len(occurrences))
    del occurrences, code
    content = ids >= 0
    flat, row = ids[content], row[content]
    n_words = len(vocab)
    inner = np.flatnonzero(row[1:] == row[:-1])  # word k and k + 1 are in one text
    bigram = flat[inner] * max(n_words, 1) + flat[inner + 1]
    distinct = _sorted_unique(bigram)
    rows = np.concatenate((row, row[inner]))
    cols = np.concatenate((flat, n_words + np.searchsorted(distinct, bigram)))
    b = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(norm), max(n_words + len(distinct), 1)),
    )
    b.sum_duplicates()
    b.data[:] = 1.0
    return b, list(vocab)


#: MinHash LSH shape: ``BANDS`` bands of ``ROWS`` hashes. A pair with word-set Jaccard j
#: becomes a candidate with probability 1 - (1 - j**ROWS)**BANDS: 0.97 at j = 0.64 (the
#: least similar planted rewording of the benchmark), 0.26 at 0.4, 0.01 at 0.2.
ROWS, BANDS = 5, 30
ESTIMATE_HASHES = 48
ESTIMATE_MARGIN = 0.15  # about two standard deviations of a 48-hash estimate
#: Rare-key pairs are kept when their content-word Jaccard reaches this: every planted
#: rewording they find is at 0.36 or more; below it they are same-topic pairs that cost
#: most of the scoring at 100k actions and are never duplicates.
RARE_MIN_JACCARD = 0.3


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser over a uint64 array (wrapping arithmetic is the point)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def word_ranks(words: Sequence[str], n_hashes: int, seed: int = 7) -> np.ndarray:
    """(words x n_hashes) uint32: for each of ``n_hashes`` hash functions, the rank of each
    word's hash among ``words``.

    A word's hashes depend on the word alone (blake2b, then splitmix64 per function), so
    whether two texts become candidates depends on those two texts only, not on the rest
    of the corpus. Ranks keep the order of the hashes (a set's minimum is the same word)
    in half the memory.
    """
    import hashlib

    base = np.fromiter(
        (int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little") for w in words),
        dtype=np.uint64,
        count=len(words),
    )
    salts = _mix64(np.arange(1, n_hashes + 1, dtype=np.uint64) + np.uint64(seed) * np.uint64(1 << 32))
    order = np.argsort(_mix64(base[:, None] ^ salts[None, :]), axis=0, kind="stable")
    ranks = np.empty(order.shape, dtype=np.uint32)
    np.put_along_axis(ranks, order, np.arange(len(words), dtype=np.uint32)[:, None], axis=0)
    return ranks


def minhash(b: sparse.csr_matrix, ranks: np.ndarray) -> np.ndarray:
    """(texts x hashes) MinHash signatures of the word sets in the rows of ``b``; ``ranks``
    are the `word_ranks` of its columns. Rows without words get the largest value."""
    sig = np.full((b.shape[0], ranks.shape[1]), np.iinfo(ranks.dtype).max, dtype=ranks.dtype)
    step = 10000  # rows at a time: (words of the rows x hashes) stays small
    for r0 in range(0, b.shape[0], step):
        chunk = b[r0 : r0 + step]
        nonempty = np.flatnonzero(np.diff(chunk.indptr))
        if len(nonempty):
            sig[r0 + nonempty] = np.minimum.reduceat(ranks[chunk.indices], chunk.indptr[nonempty], axis=0)
    return sig


def _pair_codes(pairs: set[tuple[int, int]], n: int) -> np.ndarray:
    return np.fromiter((i * n + j for i, j in pairs), dtype=np.int64, count=len(pairs))


def _sorted_unique(code: np.ndarray) -> np.ndarray:
    """``np.unique`` of int64 codes by sorting (numpy's hash-based unique is slower here)."""
    code = np.sort(code)
    return code[np.concatenate(([True], code[1:] != code[:-1]))] if len(code) else code


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, starts, sizes): ``order`` sorts ``keys``; runs of equal keys start at ``starts``."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    starts = (
        np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
        if len(sk)
        else np.zeros(0, dtype=np.int64)
    )
    return order, starts, np.diff(np.concatenate((starts, [len(sk)])))


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


PairMask = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _lsh(
    words: sparse.csr_matrix,
    vocab: Sequence[str],
    threshold: float,
    keep: PairMask | None,
) -> tuple[np.ndarray, np.ndarray]:
    """LSH pairs of the word-set rows of ``words`` (see `lsh_pairs`)."""
    n = words.shape[0]
    ranks = word_ranks(vocab, ROWS * BANDS)
    if len(vocab) < 1 << 16:  # ranks are below the vocabulary size: the same values in half the memory
        ranks = ranks.astype(np.uint16)
    sig = minhash(words, ranks)  # rows without words (never paired) hold the dtype's maximum
    has_words = np.flatnonzero(np.diff(words.indptr) > 0)
    sig_w = sig[has_words]
    codes = []
    for band in range(BANDS):
        block = sig_w[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        key = np.zeros(len(block), dtype=np.uint64)
        for c in range(ROWS):  # one 64-bit key per band (two bands collide with odds ~2**-64)
            key = _mix64(key ^ block[:, c])
        bi, bj = _bucket_pairs(*_groups(key))
        codes.append(has_words[bi] * n + has_words[bj])
    code = _sorted_unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    ii, jj = code // n, code % n
    if keep is not None:
        ok = keep(ii, jj)
        ii, jj = ii[ok], jj[ok]
    est = np.ascontiguousarray(sig[:, :ESTIMATE_HASHES])  # estimates Jaccard within about 0.07
    agree = np.zeros(len(ii))
    step = 200000  # pairs at a time, to bound memory
    for s0 in range(0, len(ii), step):
        same = est[ii[s0 : s0 + step]] == est[jj[s0 : s0 + step]]
        agree[s0 : s0 + step] = np.count_nonzero(same, axis=1) / ESTIMATE_HASHES  # the mean, exactly
    # the estimate only thins the pairs cheaply (with a margin for its error); the exact
    # Jaccard of the surviving pairs decides
    ok = agree >= threshold - ESTIMATE_MARGIN
    ii, jj = ii[ok], jj[ok]
    return _jaccard_at_least(words, ii, jj, threshold)


def _jaccard_at_least(
    words: sparse.csr_matrix,
    ii: np.ndarray,
    jj: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of rows of the 0/1 matrix ``words`` whose Jaccard similarity is >= ``threshold``."""
    inter = np.zeros(len(ii))
    step = 200000  # pairs at a time, to bound memory
    for s0 in range(0, len(ii), step):
        sl = slice(s0, s0 + step)
        inter[sl] = np.asarray(words[ii[sl]].multiply(words[jj[sl]]).sum(axis=1)).ravel()
    size = np.diff(words.indptr)
    ok = inter >= threshold * np.maximum(size[ii] + size[jj] - inter, 1) - 1e-9
    return ii[ok], jj[ok]


def _rare(keys: sparse.csr_matrix, cap: int, min_shared: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows of ``keys`` sharing enough rare keys (see `rare_key_pairs`)."""
    df = np.bincount(keys.indices, minlength=keys.shape[1])
    b = keys[:, np.flatnonzero(df <= cap)].tocsr()
    shared = sparse.triu(b @ b.T, k=1).tocoo()
    nkeys = np.diff(b.indptr)
    need = np.maximum(np.minimum(np.minimum(nkeys[shared.row], nkeys[shared.col]), min_shared), 1)
    ok = shared.data >= need
    return shared.row[ok].astype(np.int64), shared.col[ok].astype(np.int64)


def rare_key_pairs(texts: Sequence[str], *, cap: int = 50, min_shared: int = 2) -> set[tuple[int, int]]:
    """Pairs (i < j) sharing ``min_shared`` rare keys (`blocking_keys` found in at most
    ``cap`` texts); texts with fewer keys need fewer.

    Finds short rewordings with little word overlap while keys are rare; in a large
    corpus of template-like plans every key becomes common and this finds little (MinHash
    LSH in `lsh_pairs` covers that).
    """
    if len(texts) < 2:
        return set()
    ii, jj = _rare(key_matrix([normalise(t) for t in texts])[0], cap, min_shared)
    return set(zip(ii.tolist(), jj.tolist(), strict=True))


def lsh_pairs(texts: Sequence[str], *, threshold: float = 0.5) -> set[tuple[int, int]]:
    """Pairs (i < j) whose content-word sets are similar: MinHash LSH (`ROWS` x `BANDS`),
    keeping pairs whose signatures agree on at least ``threshold`` of `ESTIMATE_HASHES`
    hashes (estimated Jaccard)."""
    ii, jj = candidate_strings([normalise(t) for t in texts], threshold=threshold, rare=False)
    return set(zip(ii.tolist(), jj.tolist(), strict=True))


def candidate_strings(
    norm: Sequence[str], *, threshold: float = 0.5, rare: bool = True, keep: PairMask | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of distinct `normalise`d strings worth scoring: similar content-word
    sets (MinHash LSH, `ROWS` x `BANDS`; pairs agreeing on fewer than ``threshold`` of
    `ESTIMATE_HASHES` hashes dropped) and, with ``rare``, pairs sharing rare keys whose
    word sets overlap (`RARE_MIN_JACCARD`). ``keep(ii, jj)`` masks the pairs a caller wants
    at all (checked before any estimate).

    Each string's words are hashed on their own, so whether an LSH pair is found depends
    only on its two strings. Cost grows with the strings plus bucket collisions, not with
    all pairs. Texts without content words pair with nothing here.
    """
    empty = np.zeros(0, dtype=np.int64)
    if len(norm) < 2:
        return empty, empty
    keys, vocab = key_matrix(norm)
    if not vocab:
        return empty, empty
    words = keys[:, : len(vocab)].tocsr()
    li, lj = _lsh(words, vocab, threshold, keep)
    if not rare:
        return li, lj
    n = len(norm)
    ri, rj = _rare(keys, 50, 2)
    if keep is not None:
        ok = keep(ri, rj)
        ri, rj = ri[ok], rj[ok]
    ri, rj = _jaccard_at_least(words, ri, rj, RARE_MIN_JACCARD)
    code = np.union1d(li * n + lj, ri * n + rj)
    return code // n, code % n


def candidate_pairs(texts: Sequence[str], *, threshold: float = 0.5) -> set[tuple[int, int]]:
    """Pairs (i < j) worth scoring (`candidate_array` as a set of tuples)."""
    ii, jj = candidate_array(texts, threshold=threshold)
    return set(zip(ii.tolist(), jj.tolist(), strict=True))


def candidate_array(texts: Sequence[str], *, threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) worth scoring, as two index arrays: exact repeats (after `normalise`)
    and the `candidate_strings` pairs of their distinct strings."""
    norm = [normalise(t) for t in texts]
    distinct = list(dict.fromkeys(norm))
    where = {t: k for k, t in enumerate(distinct)}
    sid = np.fromiter((where[t] for t in norm), dtype=np.int64, count=len(norm))
    si, sj = candidate_strings(distinct, threshold=threshold)
    return expand_pairs(sid, si, sj, all_repeats=has_content_words(distinct))


def has_content_words(norm: Sequence[str]) -> np.ndarray:
    """Whether each `normalise`d text has a content word (a word `key_matrix` keeps)."""
    return np.fromiter(
        (any(len(w) >= 3 and w not in STOPWORDS for w in t.split()) for t in norm),
        dtype=bool,
        count=len(norm),
    )


def expand_pairs(
    sid: np.ndarray, si: np.ndarray, sj: np.ndarray, *, all_repeats: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Item pairs (i < j) whose strings (``sid[i]``) are a string pair ``(si[k], sj[k])``, or
    are one string: every pair of its items where ``all_repeats[string]`` (as LSH would put
    them in one bucket), else a star from its first item (enough to join them in a group)."""
    n = len(sid)
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty
    order, starts, sizes = _groups(sid)
    first = np.full(int(sid.max()) + 1, -1, dtype=np.int64)
    count = np.zeros(len(first), dtype=np.int64)
    first[sid[order[starts]]] = starts
    count[sid[order[starts]]] = sizes
    si, sj = si[si < len(first)], sj[si < len(first)]
    live = sj < len(first)
    si, sj = si[live], sj[live]
    ci, cj = count[si], count[sj]
    live = (ci > 0) & (cj > 0)
    si, sj, ci, cj = si[live], sj[live], ci[live], cj[live]
    per = ci * cj  # every item of si with every item of sj
    pair = np.repeat(np.arange(len(si)), per)
    k = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
    parts = [(order[first[si[pair]] + k // cj[pair]], order[first[sj[pair]] + k % cj[pair]])]
    rep = sizes >= 2
    full = rep & all_repeats[sid[order[starts]]]
    parts.append(_bucket_pairs(order, starts[full], sizes[full]))
    at, sz = starts[rep & ~full], sizes[rep & ~full] - 1
    off = np.arange(int(sz.sum())) - np.repeat(np.cumsum(sz) - sz, sz)
    parts.append((np.repeat(order[at], sz), order[np.repeat(at, sz) + 1 + off]))
    a = np.concatenate([p[0] for p in parts]).astype(np.int64)
    b = np.concatenate([p[1] for p in parts]).astype(np.int64)
    code = _sorted_unique(np.minimum(a, b) * n + np.maximum(a, b))
    return code // n, code % n


def score_pairs(
    texts: Sequence[str],
    pairs: set[tuple[int, int]],
    x: sparse.csr_matrix | None = None,
    *,
    floor: float = 0.25,
) -> list[Scored]:
    """Cosine and token-set similarity of each candidate pair with cosine >= ``floor``."""
    if not pairs:
        return []
    x = vectorise(texts) if x is None else x
    code = np.sort(_pair_codes(pairs, len(texts)))
    norm = [normalise(t) for t in texts]
    ii, jj, cos, ts = score_array(norm, code // len(texts), code % len(texts), x, floor=floor)
    return [
        Scored(i, j, c, t)
        for i, j, c, t in zip(ii.tolist(), jj.tolist(), cos.tolist(), ts.tolist(), strict=True)
    ]


def score_array(
    norm: Sequence[str], ii: np.ndarray, jj: np.ndarray, x: sparse.csr_matrix, *, floor: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine, token_set) of the pairs ``ii[k], jj[k]`` with cosine >= ``floor``, both
    rounded to 4 places; ``norm`` are the `normalise`d texts of the rows of ``x``.

    Cosines are row-wise dot products of unit rows, in batches on two threads; token_set_ratio runs in
    rapidfuzz's C loop (``cpdist``) and only for pairs above the cosine floor.
    """
    from concurrent.futures import ThreadPoolExecutor

    from rapidfuzz.process import cpdist

    cos = np.zeros(len(ii))

    def batch(s: int) -> None:
        cos[s : s + step] = np.asarray(x[ii[s : s + step]].multiply(x[jj[s : s + step]]).sum(axis=1)).ravel()

    step = 20000  # pairs at a time, to bound memory; two threads (scipy releases the GIL)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(batch, range(0, len(ii), step)))
    keep = cos >= floor
    ii, jj, cos = ii[keep], jj[keep], cos[keep]
    ts = np.zeros(len(ii))
    if len(ii):
        ts = (
            cpdist(
                [norm[i] for i in ii.tolist()],
                [norm[j] for j in jj.tolist()],
                scorer=fuzz.token_set_ratio,
                dtype=np.float64,
                workers=-1,
            )
            / 100.0
        )
    return ii, jj, np.round(np.minimum(cos, 1.0), 4), np.round(ts, 4)


def shared_words(a: str, b: str, limit: int = 8) -> tuple[str, ...]:
    """Content words two texts share, in the order of the first."""
    other = set(content_words(b))
    seen: list[str] = []
    for w in content_words(a):
        if w in other and w not in seen:
            seen.append(w)
    return tuple(seen[:limit])
