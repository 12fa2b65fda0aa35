"""Printing the load report (table or JSON)."""

from __future__ import annotations

import json
import sys

from .ingest import LoadReport
from .output import Fmt, render


def _date(doc: dict[str, object]) -> str:
    """A document's date as the report shows it: ISO, "2024-10 (month)" for a day-less
    date, "(file)" when it came from the file's metadata rather than the paper's words."""
    iso = doc.get("meeting_date")
    if not iso:
        return ""
    text = str(iso)[:7] + " (month)" if doc.get("date_precision") == "month" else str(iso)
    return text + (" (file)" if doc.get("date_source") == "metadata" else "")


def print_load_report(report: LoadReport, fmt: Fmt) -> None:
    """The load report: JSON object with --format json, else a short summary and tables."""
    data = report.to_dict()
    if fmt is Fmt.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    docs = [
        {
            "document": d["document"],
            "rows_read": d["rows_read"],
            "rows_accounted": d["rows_accounted"],
            "area": d.get("area") or "-",
            "loaders": ", ".join(sorted(k for k, v in d["loaders"].items() if v["records"])),
        }
        for d in data["documents"]
    ]
    render(docs, fmt, title="documents loaded")
    papers = [
        {
            "document": d["document"],
            "title": d.get("title") or "",
            "body": d.get("body") or "",
            "date": _date(d),
        }
        for d in data["documents"]
        if d.get("title") or d.get("body") or d.get("meeting_date")
    ]
    if papers:
        render(papers, fmt, title="what each paper says it is")
    counts = [{"kind": k, "nodes": v} for k, v in data["counts"].get("nodes", {}).items()]
    render(counts, fmt, title="nodes by kind")
    ecounts = [{"kind": k, "edges": v} for k, v in data["counts"].get("edges", {}).items()]
    render(ecounts, fmt, title="edges by kind")
    if fmt is Fmt.table:
        print(
            f"rows read {data['rows_read']}, accounted {data['rows_accounted']}; "
            f"{len(data['rejects'])} rejected, {len(data['warnings'])} warnings, "
            f"{len(data['unresolved'])} unresolved names, {len(data['skipped'])} files skipped"
        )
    for key, title in (
        ("rejects", "rejected rows"),
        ("warnings", "data-quality warnings"),
        ("unresolved", "unresolved names"),
        ("new_bodies", "new bodies (not in data/: confirm or merge them there)"),
        ("skipped", "files skipped"),
    ):
        if data[key]:
            render(data[key], fmt, title=title)
