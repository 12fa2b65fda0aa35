"""Areas and regions: which areas lie inside which, and area names used as name prefixes.

A curated body serves areas (``areas: [Lambeth]``, ``[London]``, ``[national]``); a
document belongs to one area. They agree when the body's area is the document's area or a
region containing it (`AreaTable.agrees`). The table is ``data/areas.yaml``; a document's
own area counts even when the table does not list it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: The area of a body that serves everywhere (NHS England, the Home Office, UKHSA, ...).
NATIONAL = "national"


def area_key(name: str) -> str:
    """Matching form of an area name: case, apostrophes, "&" and punctuation ignored.

    >>> area_key("Kingston-upon-Thames")
    'kingston upon thames'
    """
    s = name.casefold().replace("’", "").replace("'", "").replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


class AreaTable:
    """Regions and the areas inside them, and the other names of each area."""

    def __init__(
        self,
        regions: Mapping[str, Iterable[str]] | None = None,
        aliases: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self._names: dict[str, str] = {}  # key -> display name
        self._parents: dict[str, set[str]] = {}  # area key -> region keys directly containing it
        for region, members in (regions or {}).items():
            rk = self.add(str(region))
            for m in members or ():
                self._parents.setdefault(self.add(str(m)), set()).add(rk)
        self._forms_cache: tuple[int, dict[str, str]] | None = None
        self._aliases: dict[str, str] = {}  # alias key -> area key
        for area, names in (aliases or {}).items():
            ak = self.add(str(area))
            for n in names or ():
                self._aliases[area_key(str(n))] = ak

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AreaTable:
        """A table from the parsed ``data/areas.yaml``."""
        return cls(data.get("regions") or {}, data.get("aliases") or {})

    def add(self, name: str) -> str:
        """Know ``name`` as an area (a document's own area); return its key."""
        key = area_key(name)
        if key:
            self._names.setdefault(key, " ".join(name.split()))
        return key

    def name(self, area: str) -> str:
        """Display name of ``area`` (its alias resolved: "LBL" -> "Lambeth")."""
        key = area_key(area)
        key = self._aliases.get(key, key)
        return self._names.get(key, " ".join(area.split()))

    def within(self, area: str) -> set[str]:
        """Keys of ``area`` and of every region containing it."""
        key = area_key(area)
        key = self._aliases.get(key, key)
        out, todo = {key}, [key]
        while todo:
            for parent in self._parents.get(todo.pop(), ()):
                if parent not in out:
                    out.add(parent)
                    todo.append(parent)
        return out

    def agrees(self, body_areas: Iterable[str], area: str | None) -> bool:
        """True when a body serving ``body_areas`` serves a document of ``area``.

        >>> t = AreaTable({"London": ["Lambeth"]})
        >>> t.agrees(["London"], "Lambeth"), t.agrees(["Lambeth"], "Kent"), t.agrees(["national"], None)
        (True, False, True)
        """
        keys = {area_key(a) for a in body_areas}
        if NATIONAL in keys:
            return True
        if area is None:
            return False
        return bool(keys & self.within(area))

    def prefix_forms(self) -> dict[str, str]:
        """Name-prefix key ("london borough of lambeth", "lbl", "kent county") -> area name."""
        out: dict[str, str] = {}
        for key, name in self._names.items():
            if key == NATIONAL:
                continue
            for form in (
                key,
                f"london borough of {key}",
                f"royal borough of {key}",
                f"lb {key}",
                f"{key} county",
                f"{key} city",
                f"{key} borough",
                f"{key}s",
                f"city of {key}",
            ):
                out.setdefault(form, name)
        for alias, key in self._aliases.items():
            out.setdefault(alias, self._names[key])
        return out

    def split_prefix(self, key: str) -> tuple[str | None, str]:
        """(area, rest) when name key ``key`` starts with an area's name, else (None, key).

        The longest area form wins ("west sussex county public health" -> West Sussex).

        >>> AreaTable({"London": ["Lambeth"]}, {"Lambeth": ["LBL"]}).split_prefix("lbl cs and p")
        ('Lambeth', 'cs and p')
        """
        words = key.split()
        forms = self._forms()
        for n in range(min(len(words) - 1, 6), 0, -1):
            head = " ".join(words[:n])
            if head in forms:
                return forms[head], " ".join(words[n:])
        return None, key

    def _forms(self) -> dict[str, str]:
        size = len(self._names) + len(self._aliases)
        cached = self._forms_cache
        if cached is None or cached[0] != size:
            cached = (size, self.prefix_forms())
            self._forms_cache = cached
        return cached[1]

    def is_area(self, name: str) -> bool:
        """Whether ``name`` is a known area or an alias of one."""
        key = area_key(name)
        return key in self._names or key in self._aliases
