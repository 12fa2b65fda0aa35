"""Views: graphs and query results as standalone, offline, interactive HTML."""
