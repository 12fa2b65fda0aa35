"""Benchmarks: a synthetic corpus generator with known answers, and the timing harness.

``python -m benchmarks.generate --actions N --out DIR`` writes council papers and trackers;
``python -m benchmarks.run --actions N --json`` times the pipeline on them and scores the
duplicate and dependency inference against the planted answers.
"""
