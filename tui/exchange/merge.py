"""Three-way merge of one project record, field by field: what git's merge of two branches that
both changed a record comes down to (`zipin merge-driver`). Pure: dicts in, dicts out; no I/O, no
Textual.

It works on record dicts (`codec.record_to_dict`), not on the dataclasses, so every field a
record format has merges alike, including fields a later format adds:

- a table merges key by key;
- a list of tables (the indicators) matches each side's items to the base's by position and name
  (an item renamed in place is still the same item; one moved or with others inserted before it
  is found by its name), merges matched items field by field, keeps items either side added, and
  drops items a side deleted unless the other side changed them (a conflict);
- any other value (text, a decimal string, a number) is taken from the side that changed it.

A field both sides changed to different values is a conflict. The merge then gives two whole
records: `ours` (every conflict settled our way) and `theirs` (their way); they differ exactly in
the conflicting fields, so the bundle review screen can show them side by side and a person
chooses with a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MISSING = None  # a field a side lacks; record dicts never hold None as a value


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed differently: its path in the merged record (as
    `canonical.differences` names fields: ``indicators[2].actual``) and the three values (None:
    the side lacks it)."""

    path: str
    base: object
    ours: object
    theirs: object


@dataclass
class Merged:
    ours: dict                       # the merged record, conflicts settled our way
    theirs: dict                     # the same, conflicts settled their way
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_records(base: dict | None, ours: dict, theirs: dict) -> Merged:
    """Merge two edits (`ours`, `theirs`) of the record `base` (None when the two were made apart:
    then every field they don't agree on is a conflict)."""
    out = Merged({}, {})
    a, b = _merge(base, ours, theirs, "", out.conflicts)
    out.ours, out.theirs = a, b
    return out


def _merge(o, a, b, path: str, conflicts: list[Conflict]):
    """(our pick, their pick) of one value; the two differ only where a conflict was noted."""
    if a == b:
        return a, a
    if a == o:
        return b, b
    if b == o:
        return a, a
    if isinstance(a, dict) and isinstance(b, dict) and isinstance(o, (dict, type(None))):
        return _merge_tables(o or {}, a, b, path, conflicts)
    if _is_items(a) and _is_items(b) and (o is MISSING or _is_items(o)):
        return _merge_items(o or [], a, b, path, conflicts)
    conflicts.append(Conflict(path, o, a, b))
    return a, b


def _merge_tables(o: dict, a: dict, b: dict, path: str, conflicts: list[Conflict]):
    out_a, out_b = {}, {}
    for key in dict.fromkeys([*a, *b]):
        va, vb = _merge(o.get(key), a.get(key), b.get(key), f"{path}.{key}" if path else key,
                        conflicts)
        if va is not MISSING:
            out_a[key] = va
        if vb is not MISSING:
            out_b[key] = vb
    return out_a, out_b


def _is_items(value) -> bool:
    return isinstance(value, list) and all(isinstance(x, dict) for x in value)


def _name(item: dict):
    return item.get("name")


def match(base: list[dict], side: list[dict]) -> dict[int, int]:
    """{side index: base index}: the same position with the same name first, then the same name
    elsewhere (an item moved, or others inserted or deleted before it), then the same position
    (an item renamed in place). Each base item is matched at most once."""
    found: dict[int, int] = {}
    used: set[int] = set()
    for i in range(min(len(base), len(side))):
        if _name(side[i]) == _name(base[i]):
            found[i] = i
            used.add(i)
    for i, item in enumerate(side):
        if i in found:
            continue
        j = next((j for j, other in enumerate(base)
                  if j not in used and _name(other) == _name(item)), None)
        if j is not None:
            found[i] = j
            used.add(j)
    for i in range(min(len(base), len(side))):
        if i not in found and i not in used:
            found[i] = i
            used.add(i)
    return found


def _kept_order(m: dict[int, int]) -> list[int]:
    """The base indices of the items a side kept, in that side's order."""
    return [j for _i, j in sorted(m.items())]


def _moved(m: dict[int, int]) -> bool:
    order = _kept_order(m)
    return order != sorted(order)


def _merge_items(o: list[dict], a: list[dict], b: list[dict], path: str,
                 conflicts: list[Conflict]):
    ma, mb = match(o, a), match(o, b)
    a_of = {j: i for i, j in ma.items()}   # base index -> our index
    b_of = {j: i for i, j in mb.items()}   # base index -> their index
    # Items both added with the same name are one item (merged without a base: what they agree on
    # is kept, what they don't is a conflict).
    added_b = {_name(b[i]): i for i in range(len(b)) if i not in mb}
    pair_a: dict[int, int] = {}
    for i in range(len(a)):
        if i not in ma and (k := added_b.pop(_name(a[i]), None)) is not None:
            pair_a[i] = k

    # A slot is (base index, our index, their index), any of them None. The order is ours,
    # unless only they reordered the items both kept; both reordered: the list is one conflict.
    a_moved, b_moved = _moved(ma), _moved(mb)
    slots: list[tuple[int | None, int | None, int | None]]
    if a_moved and b_moved and _kept_order(ma) != _kept_order(mb):
        conflicts.append(Conflict(path, o, a, b))
        return a, b
    if b_moved and not a_moved:
        pair_b = {k: i for i, k in pair_a.items()}
        slots = [(mb.get(k), a_of.get(mb[k]) if k in mb else pair_b.get(k), k) for k in range(len(b))]
        rest_at, rest_map = 1, ma
    else:
        slots = [(ma.get(i), i, b_of.get(ma[i]) if i in ma else pair_a.get(i)) for i in range(len(a))]
        rest_at, rest_map = 2, mb
    # The other side's items not placed yet (its additions, and base items only it kept) go right
    # after the item that precedes them on that side.
    placed = {s[rest_at] for s in slots}
    for n_other in range(len(b) if rest_at == 2 else len(a)):
        if n_other in placed:
            continue
        slot = [rest_map.get(n_other), None, None]
        slot[rest_at] = n_other
        at = max((n + 1 for n, s in enumerate(slots)
                  if (x := s[rest_at]) is not None and x < n_other), default=0)
        while at < len(slots) and slots[at][0] is None and slots[at][rest_at] is None:
            at += 1  # after what the first side added there: its additions come first
        slots.insert(at, (slot[0], slot[1], slot[2]))

    out_a: list[dict] = []
    out_b: list[dict] = []
    for j, at_a, k in slots:
        base = o[j] if j is not None else None
        mine = a[at_a] if at_a is not None else None
        other = b[k] if k is not None else None
        where = f"{path}[{len(out_a) if mine is not None else len(out_b)}]"
        if mine is not None and other is not None:
            va, vb = _merge(base, mine, other, where, conflicts)
        elif base is None:  # added on one side only
            va = vb = mine if mine is not None else other
        elif (mine if mine is not None else other) == base:  # deleted on one side, unchanged on the other
            continue
        else:  # deleted on one side, changed on the other
            conflicts.append(Conflict(where, base, mine, other))
            va, vb = mine, other
        if va is not None:
            out_a.append(va)
        if vb is not None:
            out_b.append(vb)
    return out_a, out_b


# ---------------------------------------------------------------------------------------------
# choosing field by field between two versions of a record (a conflict's review)

def field_units(mine: dict, theirs: dict, prefix: str = "") -> list[tuple[str, object, object]]:
    """What a person can choose between two record dicts, field by field: (path, mine, theirs) for
    each value that differs, in record order. A table or list item only one side has is one unit
    (its whole value; None for the side that lacks it), so every choice gives a whole record.
    The top-level `format` is no choice: it follows from the fields."""
    out: list[tuple[str, object, object]] = []
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for key in dict.fromkeys([*mine, *theirs]):
            if not prefix and key == "format":
                continue
            path = f"{prefix}.{key}" if prefix else key
            a, b = mine.get(key), theirs.get(key)
            if a is not None and b is not None:
                out += field_units(a, b, path)
            elif a != b:
                out.append((path, a, b))
    elif _is_items(mine) and _is_items(theirs):
        for i in range(max(len(mine), len(theirs))):
            a = mine[i] if i < len(mine) else None
            b = theirs[i] if i < len(theirs) else None
            out += field_units(a, b, f"{prefix}[{i}]") if a is not None and b is not None \
                else [(f"{prefix}[{i}]", a, b)]
    elif mine != theirs:
        out.append((prefix, mine, theirs))
    return out


def take_fields(mine: dict, theirs: dict, paths, prefix: str = ""):
    """`mine` with the units at `paths` (as `field_units` names them) taken from `theirs`: a unit
    theirs lacks is dropped. Pure; the caller checks the result is a record."""
    if prefix in paths:
        return theirs
    if isinstance(mine, dict) and isinstance(theirs, dict):
        out = {}
        for key in dict.fromkeys([*mine, *theirs]):
            path = f"{prefix}.{key}" if prefix else key
            a, b = mine.get(key), theirs.get(key)
            value = take_fields(a, b, paths, path) if a is not None and b is not None \
                else b if path in paths else a
            if value is not None:
                out[key] = value
        return out
    if _is_items(mine) and _is_items(theirs):
        out_items = []
        for i in range(max(len(mine), len(theirs))):
            a = mine[i] if i < len(mine) else None
            b = theirs[i] if i < len(theirs) else None
            path = f"{prefix}[{i}]"
            value = take_fields(a, b, paths, path) if a is not None and b is not None \
                else b if path in paths else a
            if value is not None:
                out_items.append(value)
        return out_items
    return mine
