"""The bundled corpus and curated data, installed as the package ``partnermap_data``.

Owns files only: the two Southwark papers (the demo corpus) and the curated YAML a
commissioner edits (organisations, services, strategies, the domain lexicon); see
README.md here. Imports nothing. Read it through ``graphmodel.paths.DATA_DIR`` (which
honours ``PARTNERMAP_DATA``), never by a path relative to a source file.
"""
