"""The partnermap command line: a thin Typer layer over the library.

Owns: the commands (`main`; `query`, `neo4j_cmd`, `viz_cmd` add theirs; `state` holds what
they share), output formats (`output`, `report`), the demo (`demo`), and `ingest`: the
one composition of a load (loaders -> graphmodel.build -> queries.infer -> store), which
lives here because it needs both `loaders` and `queries` and `graphmodel` may import
neither.

May import: every package (`viz`, `queries`, `loaders`, `graphmodel`). Nothing imports
`cli` but the tests and benchmarks. tests/test_architecture.py checks this.
"""
