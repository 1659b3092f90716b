"""Parsed CSS kept from one start to the next.

Textual parses app.tcss and the DEFAULT_CSS of every widget class at each start: 10-12 ms of the
CPU time to the first frame of 12 projects (measured; the whole start is ~200 ms). The rules it
made are kept in the user's cache folder ($ZIPIN_CACHE_DIR, else the platform's: ~/.cache/zipin
on Linux) and handed back to the stylesheet before it parses: the next start parses none of them.

How: Textual 8.2.8's Stylesheet keeps the rules it parsed in `_parse_cache`, keyed by the CSS
text itself, where it was read from, default or not, tie breaker and scope; it is cleared when the
CSS variables (the theme) change. That is a private attribute: textual is pinned, and the tests
check that it is there and that a start from kept rules draws the same screen as one that parsed.
A kept file is named by what else the rules depend on (the variables, Textual's files as
installed, Python's version); CSS that changed is a different key in it and is parsed. Anything
unexpected (no such attribute, no cache folder, a file unreadable or damaged) means parsing as
before.

The file is a pickle, so it is only ever read from the user's own cache folder, never from a
project folder (those are shared with colleagues).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import textual
from textual.css.stylesheet import Stylesheet

FORMAT = 1  # of the kept file


def cache_folder() -> Path:
    folder = os.environ.get("ZIPIN_CACHE_DIR")
    if folder:
        return Path(folder)
    from platformdirs import user_cache_path

    return user_cache_path("zipin", appauthor=False)


def _textual_files() -> list[tuple[str, int, int]]:
    """Textual as installed: its files that make and hold the rules, each with its size and
    modification time (an upgrade or a reinstall writes them anew). Not `textual.__version__`:
    asking it reads the package's metadata, 9 ms."""
    from textual.css import styles

    out = []
    for module in (textual, styles, sys.modules[Stylesheet.__module__]):
        file = module.__file__ or ""
        stat = os.stat(file)
        out.append((file, stat.st_size, stat.st_mtime_ns))
    return out


def kept_file(stylesheet: Stylesheet) -> Path:
    variables = sorted(stylesheet._variables.items())
    made_by = repr((FORMAT, _textual_files(), sys.version, variables)).encode()
    return cache_folder() / f"css-{hashlib.sha256(made_by).hexdigest()[:20]}.pickle"


def fill(stylesheet: Stylesheet) -> frozenset:
    """Hand the stylesheet the rules kept for its variables; the keys it was given. Never raises:
    no file, an unreadable or damaged one, another Textual's stylesheet: nothing given."""
    collecting = gc.isenabled()
    gc.disable()  # some 20,000 objects, all kept: collections meanwhile doubled the time
    try:
        cache = stylesheet._parse_cache
        kept = pickle.loads(kept_file(stylesheet).read_bytes())
        if not isinstance(kept, dict) or len(kept) > cache.maxsize or not all(
                isinstance(key, tuple) and isinstance(rules, list) for key, rules in kept.items()):
            return frozenset()
        for key, rules in kept.items():
            cache[key] = rules
        return frozenset(kept)
    except Exception:
        return frozenset()
    finally:
        if collecting:
            gc.enable()


def keep(stylesheet: Stylesheet, given: frozenset) -> frozenset:
    """Write the stylesheet's parsed rules for the next start when they are not the ones it was
    `given`; the keys of the rules kept now. Never raises: a start that can't keep them parses
    next time."""
    cache = getattr(stylesheet, "_parse_cache", None)
    try:
        if cache is None:
            return given
        # Not the rules of CSS that changed since they were kept (an edited app.tcss, a widget's
        # DEFAULT_CSS after an upgrade): same place, other text. Those of places not read this
        # time (a dialog not opened) stay.
        source = stylesheet.source
        kept = {key: cache[key] for key in cache.keys()
                if key[1] not in source or source[key[1]].content == key[0]}
        if set(kept) == given:
            return given
        path = kept_file(stylesheet)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        # A temp file renamed over the old one: a start reading it meanwhile sees one whole file.
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".css-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return frozenset(kept)
    except Exception:
        return given
