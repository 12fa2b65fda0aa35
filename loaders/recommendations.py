"""Loader stub (replaced in the loaders issue)."""

from __future__ import annotations

from graphmodel.schema import LoadResult

from .text import TextDocument


def load(doc: TextDocument) -> LoadResult:
    return LoadResult(doc.name, "recommendations")
