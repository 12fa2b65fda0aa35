"""Documents to store in one call: load, build, infer, merge, write, report.

Everything is read and built before the store is touched, so bad input leaves the
previous store exactly as it was.

This is the one module that composes the layers below it: `loaders` (files to records),
`graphmodel` (records to graph, stores) and `queries.infer` (inferred links). It lives in
`cli/`, the top layer, because it needs both `loaders` and `queries`, and `graphmodel`
may import neither (see DESIGN.md, "Flow"). The load and demo commands, the tests and the
benchmarks call `ingest` (or `read_paths` + `build`) from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graphmodel.build import BuildResult, DocumentInfo, build_graph, mark_loaded_strategies
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.paths import DATA_DIR
from graphmodel.schema import LoadResult, NodeKind
from graphmodel.store import Store
from loaders import (
    DOCUMENT_SUFFIXES,
    SUPPORTED,
    TEXT_SUFFIXES,
    expand_paths,
    load_model,
    load_path,
    load_text,
)
from loaders.area import area_with_basis, areas_of_titles, detect_area_with_basis
from loaders.document_meta import meta_of, workbook_meta
from loaders.limits import check_limits, not_regular
from loaders.readers import read_document
from loaders.text import read_text_document
from queries.infer import materialise


@dataclass(slots=True)
class LoadReport:
    """Everything a load did: per document rows read and accounted, rejects, warnings."""

    results: list[LoadResult] = field(default_factory=list)
    documents: list[DocumentInfo] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    new_bodies: list[dict[str, Any]] = field(default_factory=list)  # unverified bodies added

    @property
    def rows_read(self) -> int:
        return sum(r.rows_read for r in self.results)

    @property
    def rows_accounted(self) -> int:
        return sum(r.rows_accounted for r in self.results)

    def warnings(self) -> list[dict[str, Any]]:
        return [
            {"document": w.document, "line": w.line, "kind": w.kind, "message": w.message}
            for r in self.results
            for w in r.warnings
        ]

    def rejects(self) -> list[dict[str, Any]]:
        return [
            {"document": x.document, "line": x.line, "reason": x.reason, "text": x.text}
            for r in self.results
            for x in r.rejects
        ]

    def empty_documents(self) -> list[str]:
        """Documents from which nothing was interpreted (a "nothing-interpreted" warning),
        or whose every row read was rejected."""
        out = {w.document for r in self.results for w in r.warnings if w.kind == "nothing-interpreted"}
        per_doc: dict[str, list[int]] = {}
        for r in self.results:
            t = per_doc.setdefault(r.document, [0, 0])
            t[0] += r.rows_read
            t[1] += len(r.rejects)
        out |= {d for d, (read, rejected) in per_doc.items() if read and read == rejected}
        return sorted(out)

    def to_dict(self) -> dict[str, Any]:
        per_doc: dict[str, dict[str, Any]] = {}
        for r in self.results:
            d = per_doc.setdefault(
                r.document, {"document": r.document, "rows_read": 0, "rows_accounted": 0, "loaders": {}}
            )
            d["rows_read"] += r.rows_read
            d["rows_accounted"] += r.rows_accounted
            if r.rows_read or r.records:
                d["loaders"][r.loader] = {
                    "rows_read": r.rows_read,
                    "rows_loaded": r.rows_loaded,
                    "rows_structural": r.rows_structural,
                    "rows_rejected": len(r.rejects),
                    "records": len(r.records),
                }
        for doc in self.documents:  # every document names its area (or says it found none)
            if doc.name in per_doc:
                per_doc[doc.name]["area"] = doc.area
                per_doc[doc.name]["area_basis"] = doc.area_basis or "no area named in the text"
                for key in ("title", "body", "meeting_date", "date_precision", "date_source"):
                    per_doc[doc.name][key] = getattr(doc, key)  # what the paper says it is
        unresolved: dict[str, dict[str, Any]] = {}
        for u in self.unresolved:
            e = unresolved.setdefault(
                u["name"],
                {
                    "name": u["name"],
                    "occurrences": 0,
                    "first": f"{u['document']}:{u['line']}",
                    "reason": u.get("reason", "unknown"),
                },
            )
            e["occurrences"] += 1
        return {
            "documents": list(per_doc.values()),
            "skipped": self.skipped,
            "rows_read": self.rows_read,
            "rows_accounted": self.rows_accounted,
            "counts": self.counts,
            "rejects": self.rejects(),
            "warnings": self.warnings(),
            "unresolved": sorted(unresolved.values(), key=lambda e: e["name"]),
            "decisions": [asdict(d) for r in self.results for d in r.decisions],
            "new_bodies": sorted(self.new_bodies, key=lambda e: e["name"]),
        }


def read_paths(
    paths: Sequence[Path],
    *,
    area: str | None = None,
    progress: Callable[[Path], None] | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadReport:
    """Run the loaders over ``paths`` (directories expanded); nothing is built yet.

    Each document's area is found in its own text, unless ``area`` is given for all.

    ``columns`` maps column roles to the header names of the user's trackers/tables.
    """
    report = LoadReport()
    if not paths:
        raise InputError("no files given")
    if area is not None and not area.strip():
        raise InputError("--area needs the name of a place")
    check_limits()  # a bad PARTNERMAP_MAX_* setting is one sentence before any work
    for p in paths:
        if not p.exists():
            raise InputError(f"{p} does not exist")
        if p.is_dir():
            report.skipped.extend(_unread_in_folder(p))
    for f in expand_paths(paths):
        if progress:
            progress(f)
        if f.suffix.lower() in TEXT_SUFFIXES | DOCUMENT_SUFFIXES:
            if f.suffix.lower() in TEXT_SUFFIXES:
                doc = read_text_document(f)  # read once: loaders and the Document node share it
                results = load_text(doc, columns=columns)
                meta = meta_of(doc)
            else:  # PDF / DOCX / HTML: the loaders read its extracted lines and blocks
                model = read_document(f)  # kept for its headings and file metadata (title, date)
                doc, results = load_model(model, columns=columns)
                meta = meta_of(model)
            report.results.extend(results)
            found, basis = (area, "given with --area") if area else detect_area_with_basis(doc.lines)
            if found is None:
                found, basis = area_with_basis(results)
            report.documents.append(
                DocumentInfo(doc.name, doc.sha256, doc.encoding, len(doc.lines), found, basis, **meta.props())
            )
        else:
            results = load_path(f, columns=columns)
            report.results.extend(results)
            # no text lines of its own here: the area is read from what the loaders read
            found, basis = (area, "given with --area") if area else area_with_basis(results)
            dated = workbook_meta(f).props()  # a date in its title rows, else the workbook's own
            report.documents.append(DocumentInfo(f.name, _sha256(f), "binary", 0, found, basis, **dated))
    names = [d.name for d in report.documents]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"two files share the name {dupes[0]}; provenance cites file names, so rename one")
    return report


def _unread_in_folder(folder: Path) -> list[dict[str, str]]:
    """The files in ``folder`` that `expand_paths` leaves out, each with why: an unsupported
    type, or not a regular file (a FIFO or a device is listed, never opened). Hidden files
    are not listed."""
    out: list[dict[str, str]] = []
    for f in sorted(folder.rglob("*")):
        if f.name.startswith("."):
            continue
        try:
            kind = not_regular(f.stat().st_mode)
        except OSError as exc:  # a broken link, or no permission to look
            out.append({"file": str(f), "reason": f"cannot read it: {exc.strerror}"})
            continue
        if kind is not None:
            out.append({"file": str(f), "reason": kind})
        elif f.is_file() and f.suffix.lower() not in SUPPORTED:
            out.append({"file": str(f), "reason": f"unsupported file type {f.suffix or '(none)'}"})
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(report: LoadReport, *, infer: bool = True) -> BuildResult:
    """Build the graph of what `read_paths` read, with inferred links materialised
    (unless ``infer`` is false: the caller merges it first and infers once, after)."""
    result = build_graph(report.results, report.documents, areas_of_titles=areas_of_titles)
    if infer:
        materialise(result.graph)
        result.graph.validate()
    report.unresolved = result.unresolved
    report.new_bodies = list(result.new_bodies.values())
    return result


def ingest(
    paths: Sequence[Path],
    store: Store,
    *,
    replace: bool = False,
    area: str | None = None,
    progress: Callable[[Path], None] | None = None,
    columns: Mapping[str, str] | None = None,
    check: Callable[[LoadReport], None] | None = None,
) -> LoadReport:
    """Load ``paths`` into ``store`` (merged by id, or afresh with ``replace``).

    ``check`` sees the report before anything is built or written (``load --strict``).
    Inference runs once, on the graph that is written: on the new documents alone
    when the store is new or replaced, else on old and new merged (links across them).
    """
    report = read_paths(paths, area=area, progress=progress, columns=columns)
    if check is not None:
        check(report)  # may raise before the store is touched
    with store.locked():  # read, merge and write as one step: a concurrent load is not lost
        old = None if replace or not store.exists() else store.read()
        if old is None or len(old) == 0:
            graph = build(report).graph
        else:
            graph = old
            graph.merge(build(report, infer=False).graph)
            mark_loaded_strategies(graph)  # a plan loaded after a paper that only named it
            materialise(graph)
            graph.validate()
        store.write(graph)
    report.counts = graph.counts()
    return report


def document_texts(graph: PartnerGraph, folders: Sequence[Path]) -> dict[str, list[str]]:
    """File name -> lines of every document of ``graph`` found in ``folders`` (or the bundled
    data), read as the loaders read it (text, PDF, Word, web page), for the report's document
    pages; a file whose content differs from what was loaded (another sha256) is left out
    rather than shown against the wrong line numbers."""
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"--docs {folder} is not a folder")
    wanted = {n.source.document: n.props.get("sha256") for n in graph.nodes(NodeKind.DOCUMENT)}
    found: dict[str, list[str]] = {}
    for folder in [*folders, DATA_DIR]:
        for name, sha in wanted.items():
            path = folder / name
            suffix = path.suffix.lower()
            if name in found or suffix not in TEXT_SUFFIXES | DOCUMENT_SUFFIXES or not path.is_file():
                continue
            if suffix in TEXT_SUFFIXES:
                text = read_text_document(path)
                digest, lines = text.sha256, text.lines
            else:
                model = read_document(path)
                digest, lines = model.sha256, model.lines
            if sha and digest != sha:
                continue
            found[name] = list(lines)
    return found
