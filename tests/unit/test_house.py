"""The house rules of the package, read from its source (nothing is imported or run): no module in
tui/ over MAX_LINES lines, no import circle among the modules of tui/, and every module says what it
is for in its docstring. Each failure names the modules, so the message is the to-do list."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "tui"
MAX_LINES = 400


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its __init__.py)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the package that `name` imports, anywhere in it: at the top, inside a function
    (a lazy import still makes the circle, it only hides it) and under TYPE_CHECKING. `from a import
    b` counts `a` and, where `b` is a module, `a.b`; the package's own __init__ (`tui`) is left out,
    as every module imports it by being in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, one level up per dot after the first
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t in known and t not in (name, "tui")}
    return out


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without
    recursion), each sorted; a module in one can't be loaded, or read, without the others."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def test_the_circle_finder_finds_circles_and_only_them():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e", "d"}, "f": {"g"}, "g": {"f"}}
    assert circles(graph) == [["a", "b", "c"], ["f", "g"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_reads_every_kind_of_import(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("from __future__ import annotations\nimport tui.a\nfrom tui import b\n"
                      "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tui.c import X\n"
                      "def f():\n    from . import d\n    from .e import Y\n", encoding="utf-8")
    known = {n: source for n in ("tui", "tui.a", "tui.b", "tui.c", "tui.d", "tui.e", "tui.m")}
    assert imported("tui.m", source, known) == {"tui.a", "tui.b", "tui.c", "tui.d", "tui.e"}


def test_no_module_is_over_400_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: " + ", ".join(f"{m} ({n})" for m, n in sorted(long.items()))


def test_no_import_circle():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    assert "tui.store.codec" in graph["tui.store.recordfile"]  # the graph is read at all
    found = circles(graph)
    assert not found, "import circles: " + "; ".join(" ↔ ".join(c) for c in found)


def test_every_module_says_what_it_is_for():
    bare = [name for name, path in modules().items()
            if not (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").strip()]
    assert not bare, "no docstring: " + ", ".join(bare)


def test_only_screens_that_are_pushed_inherit_from_screen():
    """A Screen subclass is a screen the app shows (made or handed on somewhere, not only
    inherited from) and lives in tui/ui/screens: no part of a screen is a Screen mixin."""
    trees = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules().items()}
    screens = {"Screen", "ModalScreen"}
    where: dict[str, str] = {}
    grew = True
    while grew:  # subclasses of subclasses
        grew = False
        for name, tree in trees.items():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in where and any(
                        (b.value.id if isinstance(b, ast.Subscript) and isinstance(b.value, ast.Name)
                         else getattr(b, "id", "")) in screens for b in node.bases):
                    screens.add(node.name)
                    where[node.name] = name
                    grew = True
    used = set()  # names referred to other than as a base class: made, pushed, handed on
    for tree in trees.values():
        bases = {id(b) for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for b in node.bases}
        used |= {node.id for node in ast.walk(tree)
                 if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in bases}
    assert {"MainScreen", "HelpScreen", "PathDialog"} <= set(where)  # the walk finds them at all
    assert not [c for c, m in where.items() if not m.startswith("tui.ui.screens.")], where
    assert not [c for c in where if c not in used], "never shown: " + ", ".join(c for c in where if c not in used)
