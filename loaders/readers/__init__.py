"""Readers: one module per file format, each producing the same `DocumentModel`.

Readers know only their format and the document model (``model.py``); they never
interpret blocks (that is the classifier's and interpreters' job) and never touch
graphs or stores. They may import ``graphmodel.errors``/``graphmodel.schema``.
"""
