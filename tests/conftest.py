"""The paths, fixtures and helpers every test shares (tests/unit, tests/app; tests/perf are
benchmarks, run by hand)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the checkout
SAMPLES = ROOT / "samples" / "2023"  # the twelve seed forms as records
OTHER = ROOT / "samples" / "other"  # other departments' forms, transcribed
GOLDEN = ROOT / "tests" / "golden"  # printed forms read by eye

# The ground truth (12 printed forms) is not in the repository: it lives in shared/ beside the
# checkout (CI copies it there), on this machine also in /work/shared, for a clone made elsewhere
# (the README's commands). The tests that read it skip, saying why, when it is in neither.
SEED_PATHS = [ROOT.parent / "shared" / "seed" / "2023-shanghai-cdpf-selfeval.txt",
              Path("/work/shared/seed/2023-shanghai-cdpf-selfeval.txt")]
SEED = next((p for p in SEED_PATHS if p.is_file()), SEED_PATHS[0])
NO_SEED = f"the seed text is in none of {', '.join(map(str, SEED_PATHS))}"


@pytest.fixture(autouse=True)
def no_blink(monkeypatch):
    """A steady cursor: snapshots and timings don't depend on the blink phase."""
    from textual.widgets import Input, TextArea  # here, so the core's tests never load Textual

    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


def tracked_records(source: Path = SAMPLES) -> list[Path]:
    """The *.toml files under `source` that git tracks (records, and profiles/ where a folder has
    its own): a `.zipin/` ledger or a stray file left there by a run of the app must not reach a
    test. Outside a git checkout, the visible *.toml files."""
    try:
        out = subprocess.run(["git", "-C", str(source), "ls-files", "-z", "--", "*.toml"],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(p for p in source.rglob("*.toml")
                      if not any(part.startswith(".") for part in p.relative_to(source).parts))
    return sorted(source / n for n in out.decode("utf-8").split("\0") if n)


def copy_samples(dest: Path, source: Path = SAMPLES) -> Path:
    """A copy of the tracked *.toml files of `source` (samples/2023 by default; only those) in a
    new folder `dest`: the one way tests get samples to work on, so they never write into the
    repo."""
    dest.mkdir(parents=True)
    for path in tracked_records(source):
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return dest


@pytest.fixture(scope="session")
def css_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory, monkeypatch, css_cache):
    """Each test its own (empty) settings folder: the user's real settings are never read or
    written, and a theme picked in one test is not the next one's. The parsed CSS the app keeps
    (tui.ui.csscache) goes to one folder for the whole run, not the user's: every app start after
    the first draws from kept rules, as a user's do."""
    monkeypatch.setenv("ZIPIN_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("ZIPIN_CACHE_DIR", str(css_cache))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of samples/2023 to work on."""
    return copy_samples(tmp_path / "2023")
