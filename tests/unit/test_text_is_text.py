"""Text is text: markup, HTML and terminal escapes in a record are kept exactly and never acted on.

A project name such as ``[bold]``, ``[/x]``, ``<script>alert(1)</script>`` or ``\\x1b[31m`` round-trips
through storage (and bundles) unchanged, and `zipin check` prints it as it is, with control
characters shown escaped: no escape sequence from the data reaches the terminal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, UTC
from pathlib import Path

import pytest

from tui.store import recordfile, saving
from tui.core.rules import load_rules
from tui.core.validation import ERROR, assess
from conftest import ROOT

SAMPLE = sorted((ROOT / "samples" / "2023").glob("*.toml"))[0]

ESC = "\x1b[31m红色\x1b[0m"
NASTY = {
    "name": "[bold]项目[/bold] [/x] " + ESC,
    "department": "<script>alert(1)</script>",
    "implementer": "[link=https://example.invalid]点我[/link] \u202e反向\u202c",
    "expected": "第一行 [red]\n第二行 <b>粗</b> \x1b]0;标题\x07 \x9b31m",
    "achieved": "[/]\r多余的回车 \x1b[2J清屏 \\[转义] ${HOME} %s {0}",
}
REASON = "[/x] <i>原因</i> \x1b[1m加粗\x1b[0m\n换行"


def nasty_project():
    project = recordfile.load(SAMPLE).project
    project = replace(project, **NASTY)
    first = replace(project.indicators[0], name="[bold]指标[/bold] \x1b[4m", reason=REASON)
    return replace(project, indicators=(first, *project.indicators[1:]))


@pytest.fixture
def record(tmp_path) -> Path:
    path = tmp_path / "项目.toml"
    saving.save(nasty_project(), path, None)
    return path


def test_round_trips_through_storage_unchanged(record):
    project = nasty_project()
    loaded = recordfile.load(record)
    assert loaded.project == project
    for key, text in NASTY.items():
        assert getattr(loaded.project, key) == text
    assert loaded.project.indicators[0].reason == REASON
    text = record.read_text(encoding="utf-8")
    assert recordfile.dumps(loaded.project, record) == text
    # The file itself is safe to `cat`: TOML escapes C0 control characters (C1 ones such as
    # U+009B are allowed raw by TOML and tomli-w writes them so; few terminals act on them in UTF-8).
    assert "\x1b" not in text and "\x07" not in text
    assert "<script>alert(1)</script>" in text and "[/x]" in text


def test_scores_the_same_as_without_the_text(record):
    rules = load_rules("default")
    plain = recordfile.load(SAMPLE).project
    nasty = recordfile.load(record).project
    assert assess(nasty, rules).sheet == assess(plain, rules).sheet
    assert not [p for p in assess(nasty, rules).problems if p.level == ERROR]


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", "check", *args], capture_output=True,
                          timeout=60, cwd=ROOT)


def test_check_prints_the_text_without_interpreting_it(record):
    result = _check(str(record))
    assert result.returncode in (0, 1), result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[bold]项目[/bold] [/x] ␛[31m红色␛[0m" in out  # the one policy: tui.core.messages.visible
    assert "Traceback" not in out + result.stderr.decode("utf-8", "replace")
    # One line per item: a line break in the data is shown as \n, not made.
    lines = out.splitlines()
    assert lines[0].endswith("（2023）") and str(record) in lines[0]


def test_check_json_keeps_the_text_exact(record):
    result = _check("--json", str(record))
    assert result.returncode in (0, 1)
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out  # JSON escapes C0 controls as \u001b
    data = json.loads(out)
    assert data["projects"][0]["name"] == NASTY["name"]


def test_check_failure_messages_are_escaped(tmp_path):
    bad = tmp_path / "坏.toml"
    text = recordfile.dumps(recordfile.load(SAMPLE).project, bad)
    bad.write_text(text.replace('weight = "10.00"', 'weight = "10\\u001b[31m\\n.00"', 1), encoding="utf-8")
    result = _check(str(bad))
    assert result.returncode == 1
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out and "funding.weight" in out
    assert "␛[31m␊" in out


def test_round_trips_through_a_bundle_unchanged(tmp_path):
    bundle = pytest.importorskip("tui.exchange.bundle")
    project = nasty_project()
    now = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
    text = bundle.export_bundle([project], {"default": load_rules("default")}, "[bold]我[/bold]", now)
    assert "\x1b" not in text
    taken = bundle.read_bundle(text, "包.toml")
    assert taken.records[0].project == project and taken.made_by == "[bold]我[/bold]"


def test_render_text_carries_no_escape_from_the_data(record):
    if not (ROOT / "tui" / "commands" / "render.py").exists():
        pytest.skip("zipin render has not landed")
    result = subprocess.run([sys.executable, "-m", "tui", "render", str(record), "--width", "120"],
                            capture_output=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "[/x]" in out and "<script>alert(1)</script>" in out


def test_export_and_import_print_no_escape_from_the_data(record, tmp_path):
    if not (ROOT / "tui" / "commands" / "import_.py").exists():
        pytest.skip("zipin import has not landed")
    bundle = tmp_path / "包.toml"
    outputs = []
    for args in (["export", str(record.parent), "-o", str(bundle), "--made-by", "[b]我\x1b[31m"],
                 ["import", str(bundle), str(tmp_path / "收到"), "--dry-run"],
                 ["import", str(bundle), str(tmp_path / "收到")]):
        result = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, timeout=60, cwd=ROOT)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        outputs.append((result.stdout + result.stderr).decode("utf-8"))
    assert recordfile.load(next((tmp_path / "收到").glob("*.toml"))).project == nasty_project()
    for out in outputs:
        assert "\x1b" not in out and "\x9b" not in out, out
