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

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from graphmodel.errors import PartnermapError

MODEL = "wordllama l2_supercat_256"  # the model shipped in the wheel, as methods name it
BATCH = 4096  # texts per embedding call: bounds the token matrix


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


def embed(texts: Sequence[str]) -> np.ndarray:
    """(len(texts) x 256) float32 unit rows (a text with no known token: a zero row)."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    wl = model()
    parts = [
        np.asarray(wl.embed(list(texts[s : s + BATCH]), norm=False), dtype=np.float32)
        for s in range(0, len(texts), BATCH)
    ]
    x = np.concatenate(parts)
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
