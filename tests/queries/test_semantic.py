"""The fast embedding path gives wordllama's own embeddings, bit for bit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from queries import _semantic

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "data").glob("0*.txt"))


def _library_embed(texts: list[str]) -> np.ndarray:
    """``WordLlama.embed`` (padded batches of 64), scaled to unit rows as `embed` does."""
    x = np.asarray(_semantic.model().embed(texts, norm=False), dtype=np.float32)
    lengths = np.linalg.norm(x, axis=1)
    lengths[lengths == 0] = 1.0
    return x / lengths[:, None]


def test_no_token_joins_a_word_to_the_next() -> None:
    """Word-by-word tokenising is exact only if no vocabulary entry has "▁" (a space)
    after another character: then no BPE merge crosses the start of a word."""
    vocab = json.loads(_semantic.model().tokenizer.to_str())["model"]["vocab"]
    assert len(vocab) > 30000
    assert [t for t in vocab if "\u2581" in t.lstrip("\u2581")] == []


def test_embed_equals_the_library_on_the_seed_lines() -> None:
    lines = [ln for p in SEEDS for ln in p.read_text(encoding="utf-8", errors="replace").splitlines()]
    assert len(lines) > 1000
    odd = [
        "",
        " ",
        "  two  spaces  ",
        " leading space",
        "trailing space ",
        "\ttab and\nnewline",
        "a <s> special </s> token <unk>",
        "café – naïve ‘quotes’ 😀 ½",
        "\u2581already marked",
        "word\u2581glued",
        "GP  surgeries & CAMHS/IAPT (Tier-2)",
    ]
    texts = [*lines, *odd, " ".join(lines[:200])]
    ours = _semantic.embed(texts)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 256)
    assert np.array_equal(ours, _library_embed(texts))
    # the cache of word pieces does not change a second answer
    assert np.array_equal(_semantic.embed(odd), _library_embed(odd))
