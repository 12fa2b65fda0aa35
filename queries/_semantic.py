"""Meaning as well as words: static sentence embeddings from ``wordllama`` (offline).

The wordllama wheel ships its 256-dimension weights and tokenizer, so nothing is
downloaded at run time. Its loader looks for the tokenizer under ``wordllama/tokenizer/``
while the wheel has ``wordllama/tokenizers/``: a plain ``WordLlama.load()`` tries the
network. Loading from the package folder with downloads disabled works offline
(ECOSYSTEM.md). Embedding 100k short sentences takes about 4 s on two cores.

Cosines of these embeddings are not probabilities: they are combined with lexical
evidence and thresholded on pairs labelled by reading real papers (tests/labels/).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from graphmodel.errors import PartnermapError

MODEL = "wordllama l2_supercat_256"  # the model shipped in the wheel, as methods name it
BATCH = 20000  # texts per sparse product: bounds the token arrays


class SemanticModelError(PartnermapError):
    """The embedding model could not be loaded (a broken install, not bad input)."""


@lru_cache(maxsize=1)
def model() -> Any:
    """The wordllama model, loaded once per process from the installed wheel."""
    try:
        import wordllama
        from wordllama import WordLlama

        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except Exception as exc:  # any failure here means the wheel is not usable offline
        raise SemanticModelError(f"cannot load the wordllama model shipped in its wheel: {exc}") from None


#: The tokenizer's special tokens: it cuts them out of raw text before normalising, so a
#: text holding one is tokenised whole by the model's own tokenizer.
_SPECIAL = ("<s>", "</s>", "<unk>")
#: Where a word of the normalised text starts: a "▁" after any other character.
_PIECE = re.compile("(?<=[^\u2581])(?=\u2581)")
_PIECE_CACHE_MAX = 1 << 20


@lru_cache(maxsize=1)
def _piece_tokenizer() -> Any:
    """The model's tokenizer without its normaliser and padding: tokenises one "▁word" piece
    of an already normalised text."""
    own = model().tokenizer
    tok = type(own).from_str(own.to_str())  # a copy (wordllama's own `tokenizers.Tokenizer`)
    tok.normalizer = None
    tok.no_padding()
    tok.no_truncation()
    return tok


_pieces: dict[str, list[int]] = {}


def token_ids(texts: Sequence[str]) -> list[list[int]]:
    """The model's token ids of each text, as ``WordLlama.embed`` gets them, tokenising each
    distinct word once.

    The tokenizer (Llama 2 BPE) has no pre-tokeniser: it prepends "▁", turns spaces into
    "▁" and runs BPE over the whole text, which costs far more per text than per word and
    repeats the same words in every action. No token of its vocabulary has "▁" after another
    character (checked in tests), so no merge crosses the start of a "▁word": the BPE of a
    text is the BPE of its pieces, one after another.
    """
    tok = _piece_tokenizer()
    split = _PIECE.split
    per_text: list[list[str] | None] = []
    for t in texts:
        if any(s in t for s in _SPECIAL):
            per_text.append(None)
        elif "  " in t or t.startswith(" ") or "\u2581" in t:
            per_text.append(split("\u2581" + t.replace(" ", "\u2581")))
        else:  # the same pieces, without the regular expression
            per_text.append(["\u2581" + w for w in t.split(" ")] if t else [])
    new = [p for p in dict.fromkeys(p for ps in per_text if ps for p in ps) if p not in _pieces]
    if len(_pieces) + len(new) > _PIECE_CACHE_MAX:
        _pieces.clear()
        new = list(dict.fromkeys(p for ps in per_text if ps for p in ps))
    for p, enc in zip(new, tok.encode_batch(new, add_special_tokens=False), strict=True):
        _pieces[p] = enc.ids
    whole = [t for t, ps in zip(texts, per_text, strict=True) if ps is None]
    encoded = iter(model().tokenizer.encode_batch(whole, add_special_tokens=False) if whole else ())
    out = []
    for ps in per_text:
        if ps is None:
            enc = next(encoded)
            out.append([i for i, m in zip(enc.ids, enc.attention_mask, strict=True) if m])
        else:
            out.append([i for p in ps for i in _pieces[p]])
    return out


def embed(texts: Sequence[str]) -> np.ndarray:
    """(len(texts) x 256) float32 unit rows (a text with no known token: a zero row).

    ``WordLlama.embed``'s mean of token vectors, bit for bit (same float32 sums, token by
    token), as one sparse (texts x vocabulary) product instead of padded batches of 64.
    """
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    table = np.asarray(model().embedding, dtype=np.float32)
    x = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for s in range(0, len(texts), BATCH):
        ids = token_ids(texts[s : s + BATCH])
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        np.clip(flat, 0, table.shape[0] - 1, out=flat)
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        # not summed into counts: the product then adds each token's vector in text order
        counts = sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), flat, indptr), shape=(len(ids), table.shape[0])
        )
        part = np.asarray(counts @ table, dtype=np.float32)
        part /= np.maximum(lengths, 1).astype(np.float32)[:, None]
        x[s : s + len(ids)] = part
    lengths = np.linalg.norm(x, axis=1)
    lengths[lengths == 0] = 1.0
    x /= lengths[:, None]
    return x


def pair_cosines(x: np.ndarray, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
    """Cosine of rows ``ii[k]`` and ``jj[k]`` of unit rows ``x`` (clipped to 0..1, 4 places)."""
    out = np.zeros(len(ii), dtype=np.float64)
    step = 100000  # pairs at a time: bounds the two gathered (step x 256) blocks
    for s in range(0, len(ii), step):
        a, b = x[ii[s : s + step]], x[jj[s : s + step]]
        out[s : s + step] = np.einsum("ij,ij->i", a, b)
    return np.round(np.clip(out, 0.0, 1.0), 4)
