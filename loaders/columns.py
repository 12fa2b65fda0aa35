"""One vocabulary of column roles (``data/columns.yaml``) for every table partnermap reads.

A header cell is matched to a role on its normalised words ("Owner(s)" = "owners",
"Lead (organisation)" = "lead", "&" = "and"), then on those words without spaces
("Timescal e" = "timescale"), then when a listed name makes up most of its words
("Lead officer / organisation"), then fuzzily (rapidfuzz: typos such as
"Responsibilty"). Columns that match nothing are returned as unrecognised, so the
caller keeps their cells (as action props) instead of dropping them. A user's own
mapping (``--columns action=Description,lead=Which partners``) wins over the vocabulary.

Examples
--------
>>> role_of("Led by"), role_of("Timescal e"), role_of("Shared Outcome")
('lead', 'due', 'priority')
>>> cols = match_columns(["What we have committed to", "Led by", "Colour"])
>>> cols.roles, cols.unrecognised
({'action': 0, 'lead': 1}, {2: 'Colour'})
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from graphmodel.errors import InputError
from graphmodel.paths import DATA_DIR

VOCABULARY_FILE = "columns.yaml"
#: Fuzzy matches below this score (rapidfuzz ratio, 0-100) name no column.
FUZZY_CUTOFF = 90
#: A header cell of more words than this is text, not a column name.
MAX_HEADER_WORDS = 8

_PARENS = re.compile(r"\([^)]*\)")
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 14)
def normalise(header: str) -> str:
    """Lower-case words of a header cell, brackets and punctuation removed.

    >>> normalise("Owner(s)"), normalise("Lead (organisation)"), normalise("R.A.G. & Status")
    ('owners', 'lead', 'r a g and status')
    """
    text = re.sub(r"\(s\)", "s", header, flags=re.I)
    text = _PARENS.sub(" ", text).replace("&", " and ").replace("_", " ").casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True, slots=True, eq=False)
class Vocabulary:
    """Header names by role, as read from ``data/columns.yaml``."""

    names: Mapping[str, tuple[str, ...]]
    _role_of: dict[str, str] = field(default_factory=dict, repr=False)
    _squashed: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for role, names in self.names.items():
            for name in names:
                key = normalise(name)
                self._role_of.setdefault(key, role)
                self._squashed.setdefault(key.replace(" ", ""), role)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.names)

    @classmethod
    def from_file(cls, path: Path) -> Vocabulary:
        """Read a vocabulary file; a broken file is a one-line `InputError`."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"cannot read the column vocabulary {path}: {exc}") from None
        roles = data.get("roles") if isinstance(data, dict) else None
        if not isinstance(roles, dict) or not all(isinstance(v, list) for v in roles.values()):
            raise InputError(f"{path}: expected 'roles:' mapping each role to a list of header names")
        return cls({str(r): tuple(str(n) for n in names) for r, names in roles.items()})

    def role_of(self, header: str) -> str | None:
        """The role ``header`` names, or None."""
        return _role_of(self, header)


@lru_cache(maxsize=1 << 14)
def _role_of(vocab: Vocabulary, header: str) -> str | None:
    key = normalise(header)
    if not key:
        return None
    words = key.split()
    if len(words) > MAX_HEADER_WORDS:
        return None
    found = vocab._role_of.get(key)
    if found:
        return found
    singular = " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)
    found = vocab._role_of.get(singular) or vocab._squashed.get(key.replace(" ", ""))
    if found:
        return found
    # a listed name making up most of the words: "lead officer organisation"
    best: tuple[int, str] | None = None
    for n in range(len(words) - 1, 0, -1):
        if 2 * n < len(words):
            break
        for i in range(len(words) - n + 1):
            role = vocab._role_of.get(" ".join(words[i : i + n]))
            if role and (best is None or n > best[0]):
                best = (n, role)
        if best:
            return best[1]
    found = _head_role(vocab, words)
    if found:
        return found
    if len(key) >= 5:
        hit = process.extractOne(key, vocab._role_of.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit:
            return vocab._role_of[hit[0]]
    return None


#: Words that end a column name's head and start a qualifier ("Timescale for delivery").
_PREPOSITIONS = frozenset({"of", "for", "by", "to", "in", "on", "from", "with"})


#: Head words that name a column whatever qualifies them. Words that also end ordinary
#: cell text ("Serious Violence Duty Plan", "Early intervention") are left out, so a
#: data row never reads as a header.
_HEADS = frozenset(
    {
        "action", "actions", "lead", "leads", "owner", "owners", "responsible", "partners",
        "timescale", "timescales", "timeframe", "deadline", "status", "rag", "progress",
        "priority", "priorities", "objective", "indicator", "indicators", "measure", "measures",
    }
)  # fmt: skip


def _head_role(vocab: Vocabulary, words: list[str]) -> str | None:
    """The role of a header's head word, when the rest only qualifies it.

    English column names put the head last ("West Sussex Action", "Who is responsible",
    "National strategy priority") or first, before a preposition ("Timescale for
    delivery"). The head must be one of `_HEADS`, and a head-last name must hold no
    preposition ("Number of actions" counts actions; it is no action column).

    >>> v = vocabulary()
    >>> _head_role(v, ["west", "sussex", "action"]), _head_role(v, ["who", "is", "responsible"])
    ('action', 'lead')
    >>> _head_role(v, ["timescale", "for", "delivery"]), _head_role(v, ["number", "of", "actions"])
    ('due', None)
    """
    if len(words) < 2:
        return None
    cut = next((i for i, w in enumerate(words) if w in _PREPOSITIONS), None)
    head = words[-1] if cut is None else words[0] if cut == 1 else ""
    return vocab._role_of.get(head) if head in _HEADS else None


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary (``data/columns.yaml``)."""
    return Vocabulary.from_file(DATA_DIR / VOCABULARY_FILE)


@lru_cache(maxsize=1)
def _describing() -> frozenset[str]:
    data = yaml.safe_load((DATA_DIR / VOCABULARY_FILE).read_text(encoding="utf-8")) or {}
    names = data.get("describes") if isinstance(data, dict) else None
    return frozenset(normalise(str(n)) for n in names or [])


def describes_action(header: str, text_role: str = "action") -> bool:
    """Whether a column of no role says more about the action (``describes:`` in
    ``data/columns.yaml``: "Impact/ outputs", "Details"), or is a second column of the
    action's own role ("Description" beside "Action").

    >>> describes_action("Impact/ outputs"), describes_action("Description"), describes_action("Colour")
    (True, True, False)
    """
    key = normalise(header)
    return key in _describing() or role_of(header) == text_role


def role_of(header: str) -> str | None:
    """The role a header cell names in the bundled vocabulary, or None."""
    return vocabulary().role_of(header)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column holds which role, and the named columns that hold none."""

    roles: dict[str, int]
    unrecognised: dict[int, str]

    def index(self, role: str) -> int | None:
        return self.roles.get(role)


def match_columns(
    headers: Sequence[str],
    *,
    user: Mapping[str, str] | None = None,
    vocab: Vocabulary | None = None,
) -> ColumnMap:
    """Roles of ``headers`` (first column wins a role), and the unrecognised ones.

    ``user`` maps role -> header text (``--columns``); it is applied first, matched on
    normalised words, and a header it names takes no other role.
    """
    vocab = vocab or vocabulary()
    roles: dict[str, int] = {}
    taken: set[int] = set()
    keys = [normalise(h or "") for h in headers]
    for role, name in (user or {}).items():
        want = normalise(name)
        for i, key in enumerate(keys):
            if key and key == want and i not in taken:
                roles[role] = i
                taken.add(i)
                break
    for i, header in enumerate(headers):
        if i in taken or not keys[i]:
            continue
        named = vocab.role_of(header)
        if named and named not in roles:
            roles[named] = i
            taken.add(i)
    unrecognised = {i: " ".join(str(h).split()) for i, h in enumerate(headers) if i not in taken and keys[i]}
    return ColumnMap(roles, unrecognised)


def parse_columns_option(text: str | None, *, vocab: Vocabulary | None = None) -> dict[str, str]:
    """``"action=Description,lead=Which partners"`` -> ``{"action": "Description", ...}``.

    A role not in the vocabulary, or an item without ``=``, is a one-line `InputError`.
    """
    if not text or not text.strip():
        return {}
    vocab = vocab or vocabulary()
    out: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        role, sep, header = item.partition("=")
        role, header = role.strip().lower(), header.strip().strip("\"'").strip()
        if not sep or not role or not header:
            raise InputError(f"--columns: expected role=Header, got {item.strip()!r}")
        if role not in vocab.roles:
            raise InputError(f"--columns: unknown role {role!r}; roles are {', '.join(vocab.roles)}")
        out[role] = header
    return out
