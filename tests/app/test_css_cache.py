"""Parsed CSS kept from one start to the next (tui.ui.csscache): a start from kept rules parses
none of them and draws the very screen a start that parsed them draws; a damaged file only means
parsing again (and keeping them anew)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from textual.css import stylesheet as stylesheet_module

from pilot import SIZE, ready

from conftest import copy_samples
from tui.ui.app import ZipinApp


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Where each CSS text Textual parses from this test on was read from."""
    seen: list[str] = []
    real = stylesheet_module.parse

    def counting(scope, css, read_from, *args, **kwargs):
        seen.append(str(read_from))
        return real(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting)
    return seen


async def _start(folder: Path, app_class: type[ZipinApp] = ZipinApp) -> tuple[list, frozenset]:
    """One start to the first project: the screen drawn (each segment's text and style), the keys
    of the rules csscache handed over."""
    app = app_class(folder)
    given = app._css_given  # as csscache.fill handed them over
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert main.current is not None
        update = app.screen._compositor.render_full_update()
        drawn = [[(seg.text, str(seg.style)) for strip in line for seg in strip] for line in update.strips]
    return drawn, given


async def test_a_start_from_kept_css_parses_none_and_draws_the_same(tmp_path, monkeypatch, parses):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ZIPIN_CACHE_DIR", str(cache))
    folder = copy_samples(tmp_path / "2023")
    first, given = await _start(folder)
    assert not given and parses  # nothing kept yet: parsed
    assert len(list(cache.glob("css-*.pickle"))) == 1  # and kept
    parses.clear()
    second, given = await _start(folder)
    assert given and parses == []  # every rule handed over, none parsed
    assert second == first
    assert any(style != "" for line in second for _text, style in line)  # styles compared


@pytest.mark.parametrize("damaged", [b"\x80\x05not a pickle", pickle.dumps(["not", "rules"]),
                                     pickle.dumps({("css",): "not a list of rules"})])
async def test_a_damaged_kept_file_means_parsing_and_keeping_anew(tmp_path, monkeypatch, parses,
                                                                damaged):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ZIPIN_CACHE_DIR", str(cache))
    folder = copy_samples(tmp_path / "2023")
    first, _given = await _start(folder)
    [kept] = cache.glob("css-*.pickle")
    kept.write_bytes(damaged)
    parses.clear()
    second, given = await _start(folder)
    assert not given and parses and second == first
    parses.clear()
    third, given = await _start(folder)  # the file was written again
    assert given and parses == [] and third == first


async def test_css_edited_since_it_was_kept_is_parsed_and_its_old_rules_dropped(tmp_path, monkeypatch,
                                                                              parses):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ZIPIN_CACHE_DIR", str(cache))
    folder = copy_samples(tmp_path / "2023")
    tcss = tmp_path / "app.tcss"
    tcss.write_text(Path(ZipinApp.CSS_PATH).read_text(encoding="utf-8"), encoding="utf-8")

    class Edited(ZipinApp):
        CSS_PATH = tcss

    await _start(folder, Edited)
    edited = tcss.read_text(encoding="utf-8") + "\n#edit-status { text-style: italic; }\n"
    tcss.write_text(edited, encoding="utf-8")
    parses.clear()
    await _start(folder, Edited)
    assert parses == [str((str(tcss), ""))]  # the edited file alone
    [kept] = cache.glob("css-*.pickle")
    texts = [key[0] for key in pickle.loads(kept.read_bytes()) if key[1] == (str(tcss), "")]
    assert texts == [edited]  # the rules of the text before are gone from the file
