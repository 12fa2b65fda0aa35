"""Tables in plain text, for the text reader: tab-separated, Markdown pipe, aligned by
runs of spaces (``pdftotext -layout``), and flattened one cell per line.

Each finder takes the reader's cleaned lines (0-based list; furniture blanked) and an
index, and returns ``(table block, index after it)`` or None. Cells are kept as read:
continuation rows, merged cells and shifted cells are the interpreters' matter.
"""

from __future__ import annotations

import re
from collections import Counter

from .model import Block, BlockKind, Cell

Found = tuple[Block, int]

_GAP_SPLIT = re.compile(r"\S+(?: \S+)*")
_GAP = re.compile(r"\S {2,}\S")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~&'\"])")
_EMPH = re.compile(r"\*\*|__")

#: Words that name table columns (only to tell a header of one-cell-per-line fragments
#: from prose; column roles themselves are the interpreters' vocabulary).
_ROLE_WORDS = frozenset(
    "action actions agreed activity activities commitment commitments lead leads owner owners "
    "responsible timescale timescales timeframe deadline due date dates status rag progress update "
    "updates commentary priority priorities theme themes objective objectives outcome outcomes "
    "measure measures indicator indicators target targets actual rating milestone milestones "
    "partners recommendation recommendations response term definition abbreviation".split()
)
_REF_WORDS = frozenset("item number no ref reference id agenda".split())
_LEADISH = re.compile(
    r"\b(?:director|executive|chief|officer|manager|lead|head|chair|secretary|nursing|medical|ahps|"
    r"team|board|committee|council|trust|nhs|police|partnership|group|service)\b|\([A-Z]{2,4}\)",
    re.I,
)
_DUEISH = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|q[1-4]|ongoing|meeting|20\d\d)\b",
    re.I,
)


def _clean(text: str) -> str:
    if "\\" in text:  # each pattern only where its characters occur (most cells are plain)
        text = _MD_ESCAPE.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _EMPH.sub("", text)
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _pad(rows: list[list[Cell]], width: int) -> tuple[tuple[Cell, ...], ...]:
    out = []
    for r in rows:
        last = r[-1].line_end if r else 0
        out.append(tuple(r + [Cell("", last, last)] * (width - len(r))))
    return tuple(out)


def _table(header: list[Cell], rows: list[list[Cell]], start: int, end: int, style: str) -> Block:
    width = max([len(header)] + [len(r) for r in rows])
    key = [c.text.lower() for c in header]
    body = [r for r in rows if [c.text.lower() for c in r] != key]  # repeated page headers
    hdr = _pad([header], width) if header else ()
    return Block(BlockKind.TABLE, start, end, header=hdr, rows=_pad(body, width), style=style)


# ------------------------------------------------------------------------------ tab tables


def tab_table(lines: list[str], i: int) -> Found | None:
    """Tab-separated rows from line ``i``; a line without tabs directly under a row
    continues that row's last filled cell (a wrapped cell)."""
    if "\t" not in lines[i] or len([c for c in lines[i].split("\t") if c.strip()]) < 2:
        return None
    rows: list[list[Cell]] = []
    j, end, n = i, i, len(lines)
    while j < n:
        line = lines[j]
        if "\t" in line:
            rows.append([Cell(_clean(c), j + 1, j + 1) for c in line.split("\t")])
            end = j
        elif line.strip() and j == end + 1 and rows:
            row = rows[-1]
            k = max((x for x, c in enumerate(row) if c.text), default=0)
            c = row[k]
            row[k] = Cell((c.text + "\n" + _clean(line)).strip(), c.line_start, j + 1)
            end = j
        elif not line.strip():
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k < n and "\t" in lines[k] and k - j <= 2:
                j = k
                continue
            break
        else:
            break
        j += 1
    while rows and not any(c.text for c in rows[-1]):
        rows.pop()
    return _table(rows[0], rows[1:], i + 1, end + 1, "tab"), end + 1


# ----------------------------------------------------------------------------- pipe tables


def _pipe_cells(line: str, n: int) -> list[Cell]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    parts = re.split(r"(?<!\\)\|", body)
    return [Cell(_clean(p.replace("\\|", "|").replace("<br>", "\n")), n, n) for p in parts]


def pipe_table(lines: list[str], i: int) -> Found | None:
    """A Markdown pipe table from line ``i`` (header above the ``---`` line)."""
    if not lines[i].lstrip().startswith("|") or lines[i].count("|") < 3:
        return None
    j = i
    rows: list[list[Cell]] = []
    sep_at = None
    while j < len(lines) and lines[j].lstrip().startswith("|"):
        if _PIPE_SEP.match(lines[j]):
            sep_at = len(rows)
        else:
            rows.append(_pipe_cells(lines[j], j + 1))
        j += 1
    if not rows:
        return None
    nh = sep_at if sep_at else 1
    header = [
        Cell(" ".join(r[k].text for r in rows[:nh] if k < len(r)).strip(), i + 1, i + nh)
        for k in range(len(rows[0]))
    ]
    return _table(header, rows[nh:], i + 1, j, "pipe"), j


# -------------------------------------------------------------------------- aligned tables


def _chunks(line: str) -> list[tuple[int, str]]:
    """(start column, text) of each run of words separated by two or more spaces."""
    return [(m.start(), m.group()) for m in _GAP_SPLIT.finditer(line.expandtabs(8))]


def aligned_table(lines: list[str], i: int) -> Found | None:
    """Columns aligned by runs of spaces, from line ``i``: at least three lines with
    gaps, whose gaps line up into gutters blank on every such line."""
    if not _GAP.search(lines[i].strip()):
        return None
    run: list[int] = []
    j, n = i, len(lines)
    while j < n:
        line = lines[j]
        if not line.strip():
            if j + 1 < n and _GAP.search(lines[j + 1].strip()):
                j += 1
                continue
            break
        if not _GAP.search(line.strip()) and not line.startswith("    "):
            break
        run.append(j)
        j += 1
    gapped = [k for k in run if _GAP.search(lines[k].strip())]
    if len(gapped) < 3:
        return None
    width = max(len(lines[k].expandtabs(8)) for k in gapped)
    used = [0] * (width + 1)
    for k in gapped:
        for start, text in _chunks(lines[k]):
            for p in range(start, start + len(text)):
                used[p] += 1
    spans: list[tuple[int, int]] = []
    p = 0
    while p <= width:
        if used[p]:
            q = p
            while q <= width and used[q]:
                q += 1
            spans.append((p, q))
            p = q
        p += 1
    # a column starts at its span and runs to the next span (chunks that start in a gutter
    # belong to the column on their left)
    spans = [(a, spans[x + 1][0] if x + 1 < len(spans) else 10**6) for x, (a, _) in enumerate(spans)]
    if len(spans) < 2:
        return None
    rows: list[list[Cell]] = []
    multi = 0
    for k in run:
        cells = [""] * len(spans)
        for start, text in _chunks(lines[k]):
            col = next((x for x, (a, b) in enumerate(spans) if a <= start < b), len(spans) - 1)
            cells[col] = (cells[col] + " " + text).strip()
        multi += sum(1 for c in cells if c) >= 2
        rows.append([Cell(_clean(c), k + 1, k + 1) for c in cells])
    if multi < 3:
        return None
    return _table(rows[0], rows[1:], run[0] + 1, run[-1] + 1, "aligned"), run[-1] + 1


# ---------------------------------------------------------------- one cell per line (flat)


def _fragments(lines: list[str], i: int, limit: int) -> list[int]:
    """Indexes of the next ``limit`` non-blank lines from ``i``."""
    out: list[int] = []
    j = i
    while j < len(lines) and len(out) < limit:
        if lines[j].strip():
            out.append(j)
        j += 1
    return out


def _is_role(text: str) -> bool:
    return any(w in _ROLE_WORDS for w in _words(text))


def _shape(text: str) -> str:
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "9", text.lower()))


def _short(text: str) -> bool:
    """A column name: short, capitalised, no sentence end."""
    return 0 < len(text) <= 40 and len(text.split()) <= 5 and not text.endswith(".") and text[:1].isupper()


def flat_header(lines: list[str], i: int) -> list[int] | None:
    """Line indexes of a header of column names written one per line from ``i``."""
    frags = _fragments(lines, i, 12)
    if not frags or frags[0] != i:
        return None
    # the run of short lines from i (only those are read further: most lines end it at once)
    texts: list[str] = []
    for k in frags:
        text = _clean(lines[k])
        if not (_short(text) and "\t" not in lines[k] and "|" not in text):
            break
        texts.append(text)
    run = len(texts)
    first = next((x for x in range(min(run, 2)) if _is_role(texts[x])), None)
    if first is None or (first == 1 and not set(_words(texts[0])) & _REF_WORDS):
        return None
    end = first
    while end < run and _is_role(texts[end]):  # the column names, one after another
        end += 1
    if end - first < 3:
        return None
    # trailing words of a wrapped first column ("Agenda" ... "Item" "Number")
    while first == 1 and end < run and _words(texts[end]) and set(_words(texts[end])) <= _REF_WORDS:
        end += 1
    return frags[:end]


def flat_table(lines: list[str], i: int) -> Found | None:
    """A table flattened one cell per line: a header of column names, one per line,
    then the cells. Rows are cut at a repeated first-cell shape ("2025-26", "1", "A3")
    when the body has one, else every ``width`` cells; a repeated header is skipped."""
    head = flat_header(lines, i)
    if head is None:
        return None
    texts = [_clean(lines[k]) for k in head]
    roles = [x for x, t in enumerate(texts) if _is_role(t)]
    if roles[0] == 1 and len(texts) > roles[-1] + 1:  # first column wrapped below the others
        first = " ".join([texts[0], *texts[roles[-1] + 1 :]])
        texts = [first, *texts[1 : roles[-1] + 1]]
        head_cells = [Cell(first, head[0] + 1, head[-1] + 1)] + [
            Cell(t, k + 1, k + 1) for t, k in zip(texts[1:], head[1:], strict=False)
        ]
    else:
        head_cells = [Cell(t, k + 1, k + 1) for t, k in zip(texts, head, strict=False)]
    width = len(head_cells)
    body = _body_fragments(lines, head[-1] + 1, [t.lower() for t in texts])
    if not body:
        return None
    shapes = Counter(
        _shape(_clean(lines[k])) for k in body if len(_clean(lines[k])) <= 12 and re.search(r"\d", lines[k])
    )
    key = next((s for s, c in shapes.most_common() if c >= 2), None)
    # the key is the first column's: it opens the body (or follows one banner line)
    if key is not None and any(_shape(_clean(lines[k])) == key for k in body[: min(2, width - 1)]):
        rows = _keyed_rows(lines, body, key, head_cells)
    else:
        rows = [
            [Cell(_clean(lines[k]), k + 1, k + 1) for k in body[x : x + width]]
            for x in range(0, len(body), width)
        ]
    end = max(c.line_end for r in rows for c in r)
    return _table(head_cells, rows, head[0] + 1, end, "flat"), end


def _body_fragments(lines: list[str], j: int, header: list[str]) -> list[int]:
    out: list[int] = []
    n = len(lines)
    while j < n:
        raw = lines[j]
        text = _clean(raw)
        if not raw.strip():
            j += 1
            continue
        if raw.lstrip().startswith("#") or "\t" in raw or len(text.split()) > 40:
            break
        if raw.strip() and not text:  # an empty emphasis ("****"): the table has ended
            break
        if (
            text.lower() == header[0]
            and [_clean(lines[k]).lower() for k in _fragments(lines, j, len(header))] == header
        ):
            j = _fragments(lines, j, len(header))[-1] + 1  # header repeated on a new page
            continue
        out.append(j)
        j += 1
    return out


_BOLD_THEN_PLAIN = re.compile(r"^\s*\*\*(?P<bold>[^*]*[^*:\s])\s*\*\*(?P<colon>:?)\s*(?P<rest>[^*\s].*)$")
_LEAD_THEN_DUE = re.compile(
    r"^(?P<lead>.*\b(?:director|executive|officer|manager|lead|chair|secretary)\b(?:\s*\([A-Z]{2,4}\))?)"
    r"\s+(?P<due>(?:post[- ]*meeting|ongoing|immediate(?:ly)?|by\s.+|(?:end of\s+)?(?:"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+20\d\d)\s*)$",
    re.I,
)


def split_fragment(raw: str) -> list[str]:
    """One printed line of a flattened table may hold two cells: a bold run then plain
    text ("**Update **Non-Executive Post meeting") is cut after the bold run, and a role
    followed by a timescale ("Non-Executive Post meeting") between the two."""
    out: list[str] = []
    m = _BOLD_THEN_PLAIN.match(raw)
    if m:
        out.append(f"**{m['bold']}{m['colon']}**")
        raw = m["rest"]
    m = _LEAD_THEN_DUE.match(_clean(raw))
    out += [m["lead"], m["due"]] if m else [raw]
    return out


def _bold_label(raw: str) -> str:
    """The bold lead-in label of a fragment ("**Propose Closure: **Final ..." -> "propose closure")."""
    m = re.match(r"^\s*\*\*([^*]{2,40}?):\s*\*\*", raw)
    return m[1].strip().lower() if m else ""


def _keyed_rows(lines: list[str], body: list[int], key: str, header: list[Cell]) -> list[list[Cell]]:
    """Rows cut where a fragment has the key shape; fragments placed by their kind
    (reference, lead-like, date-like) and otherwise by width: a PDF's wrapped cells
    arrive interleaved, and a narrow column's fragments are short."""
    width = len(header)
    roles = [h.text.lower() for h in header]
    lead_col = next((x for x, r in enumerate(roles) if re.search(r"\b(lead|owner|responsible)\b", r)), None)
    due_col = next(
        (x for x, r in enumerate(roles) if re.search(r"\b(timescale|deadline|due|date|timeframe)\b", r)), None
    )
    groups: list[list[int]] = []
    for k in body:
        if _shape(_clean(lines[k])) == key or not groups:
            groups.append([])
        groups[-1].append(k)
    rows: list[list[Cell]] = []
    typical: dict[int, float] = {}  # column -> length of its fragment on the first printed line
    labels: dict[str, int] = {}  # bold lead-in label -> its column
    learning = True  # until the first keyed row's first printed line is placed
    for g in groups:
        parts: list[list[tuple[str, int]]] = [[] for _ in range(width)]
        keyed = _shape(_clean(lines[g[0]])) == key
        seq = 1
        pieces = [(piece, k) for k in g for piece in split_fragment(lines[k])]
        for pos, (raw, k) in enumerate(pieces):
            text = _clean(raw)
            if pos == 0 or _shape(text) == key or re.fullmatch(r"\(\d{1,4}\)", text):
                target = 0
            elif learning and keyed and seq < width:
                target, seq = seq, seq + 1  # the first printed line: one fragment per column
                typical[target] = float(len(text))
                if label := _bold_label(raw):
                    labels[label] = target
            elif pos == 1 and keyed:
                target = 1  # a row's first printed line starts in its first text column
            elif _bold_label(raw) in labels:
                target = labels[_bold_label(raw)]  # "**Propose Closure:**" goes where it went before
            elif lead_col is not None and len(text.split()) <= 4 and _LEADISH.search(text):
                target = lead_col
            elif due_col is not None and len(text.split()) <= 4 and _DUEISH.search(text):
                target = due_col
            else:
                free = [x for x in range(1, width) if x not in (lead_col, due_col)] or [width - 1]
                target = min(free, key=lambda x: abs(typical.get(x, 40.0) - len(text)))
            parts[target].append((text, k))
        learning = learning and not (keyed and typical)
        rows.append(
            [
                Cell("\n".join(t for t, _ in p), p[0][1] + 1, p[-1][1] + 1)
                if p
                else Cell("", g[0] + 1, g[0] + 1)
                for p in parts
            ]
        )
    return rows
