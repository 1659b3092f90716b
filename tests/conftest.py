"""Fixtures shared by the app's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parents[1] / "samples" / "2023"


@pytest.fixture(autouse=True)
def no_blink(monkeypatch):
    """A steady cursor: snapshots and timings don't depend on the blink phase."""
    from textual.widgets import Input, TextArea  # here, so the core's tests never load Textual

    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of samples/2023 to work on: tests never write into the repo."""
    dest = tmp_path / "2023"
    shutil.copytree(SAMPLES, dest)
    return dest
