"""Progress bars of long CLI work (issue 16): drawn on a terminal only; piped output and --json
stay exactly what they were."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from tui.cli import main
from conftest import SAMPLES, SEED



class Terminal(io.StringIO):
    """A stream that says it is a terminal, and keeps what was written to it."""

    def isatty(self) -> bool:
        return True


def run(monkeypatch, argv: list[str], terminal: bool) -> tuple[int, str, str]:
    out, err = (Terminal(), Terminal()) if terminal else (io.StringIO(), io.StringIO())
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(argv)
    monkeypatch.undo()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def records(tmp_path: Path) -> Path:
    dest = tmp_path / "2023"
    shutil.copytree(SAMPLES, dest, ignore=shutil.ignore_patterns(".*"))
    return dest


def test_check_draws_a_bar_on_a_terminal_and_nothing_else_changes(records, monkeypatch):
    code, out, err = run(monkeypatch, ["check", str(records)], terminal=True)
    assert code == 0
    assert "校验记录" in err and "12/12" in err
    code_piped, out_piped, err_piped = run(monkeypatch, ["check", str(records)], terminal=False)
    assert (code_piped, out_piped, err_piped) == (code, out, "")


def test_check_json_on_a_terminal_has_no_bar(records, monkeypatch):
    code, out, err = run(monkeypatch, ["check", "--json", str(records)], terminal=True)
    assert code == 0 and err == "" and out.lstrip().startswith("{")


def test_export_and_import_draw_their_phases(records, tmp_path, monkeypatch):
    out = tmp_path / "包.toml"
    code, _out, err = run(monkeypatch, ["export", str(records), "-o", str(out)], terminal=True)
    assert code == 0 and "读取记录" in err and "核对记录" in err and "写出包文件" in err
    code, _out, err = run(monkeypatch, ["import", str(out), str(tmp_path / "new")], terminal=True)
    assert code == 0 and "核对记录包" in err and "12/12" in err
    out.unlink()
    code, _out, err = run(monkeypatch, ["export", str(records), "-o", str(out)], terminal=False)
    assert code == 0 and err == ""


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not in /work/shared")
def test_import_text_draws_its_phases(tmp_path, monkeypatch):
    code, _out, err = run(monkeypatch, ["import-text", str(SEED), str(tmp_path / "t"), "--dry-run"],
                          terminal=True)
    assert code == 0 and "读取表格" in err and "核对表格" in err
    assert run(monkeypatch, ["import-text", str(SEED), str(tmp_path / "t"), "--dry-run"],
               terminal=False)[2] == ""
