"""The graph: schema, typed graph, stable ids, entity resolution, building, stores.

Owns: node and edge kinds and the records loaders produce (`schema`), the exception tree
(`errors`), `PartnerGraph` and its mutation counter (`graph`), stable ids (`ids`),
organisation / service / strategy resolution against the curated YAML (`resolve`), records
to graph (`build`, `addresses`), the stores (`store`: networkx JSON file; `neo4j_store`,
`cypher`, `dialect`, `bolt_batches`: Neo4j over Bolt), exports (`export`) and where the
bundled data lives (`paths`).

May import: the standard library, third-party libraries, and the bundled data (the
``partnermap_data`` package, by `importlib.resources`). Never `loaders`, `queries`, `viz`
or `cli`: they build on this package (what it needs from them is passed in, e.g.
``build_graph(..., areas_of_titles=...)``). tests/test_architecture.py checks this.

Nothing is imported here: ``import graphmodel.errors`` (every command's error mapping)
would otherwise pull networkx and filelock in through `graph` and `store`, and
``partnermap --help`` would wait for them. Import from the module that defines a name.
"""
