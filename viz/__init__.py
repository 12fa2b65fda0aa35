"""Views: graphs and query results as standalone, offline, interactive HTML.

Owns: the network views (`visdata`, `layout`, `render`: the only module that imports
pyvis) and the report site (`report`, `tables`, `templates/`).

May import: `queries`, `graphmodel` (and `loaders`, though nothing needs it) and
third-party libraries. Never `cli`. tests/test_architecture.py checks this.
"""
