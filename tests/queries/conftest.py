"""Fixtures for query tests: synthetic graphs with planted answers (see graphs.py)."""

from __future__ import annotations

import pytest
from graphs import KC, KC_ACTIONS, MH, MH_ACTIONS, build

from graphmodel.graph import PartnerGraph


@pytest.fixture()
def two_plans() -> PartnerGraph:
    """A knife-crime plan and a mental-health strategy with planted dependencies and duplicates."""
    return build({KC: KC_ACTIONS, MH: MH_ACTIONS})
