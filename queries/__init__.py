"""Queries: the questions commissioners ask, answered from a store with evidence.

Each function takes ``source: Store | PartnerGraph`` and returns a list of frozen
result rows (``queries.results``); nothing here prints.
"""

from .alignment import alignment
from .coverage import coverage
from .dependencies import dependencies
from .duplicates import duplicate_actions
from .partners import partners
from .paths import path, search
from .timeline import due

__all__ = ["alignment", "coverage", "dependencies", "due", "duplicate_actions", "partners", "path", "search"]
