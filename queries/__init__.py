"""Queries: the questions commissioners ask, answered from a store with evidence."""
