"""The graph schema, the typed graph, stable ids and the stores."""

from .errors import BackendError, DocumentParseError, InputError, PartnermapError, StoreError
from .graph import GraphValidationError, PartnerGraph
from .schema import Edge, EdgeKind, Node, NodeKind, Source
from .store import NetworkxStore, Store

__all__ = [
    "BackendError",
    "DocumentParseError",
    "Edge",
    "EdgeKind",
    "GraphValidationError",
    "InputError",
    "NetworkxStore",
    "Node",
    "NodeKind",
    "PartnerGraph",
    "PartnermapError",
    "Source",
    "Store",
    "StoreError",
]
