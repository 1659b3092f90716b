"""The CLI speaks as the app does (issue 14): argparse's own words in Chinese, fields named by
the form's labels (1-based), import conflicts with both values (tests/test_bundle.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui import cli
from tui.core.editing import label
from conftest import SAMPLES



def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_argparse_help_and_errors_are_chinese(capsys):
    code, out, err = run(capsys, "check", "--help")
    assert code == 0
    assert out.startswith("用法：zipin check") and "显示本帮助并退出" in out
    assert "\n参数：\n" in out and "\n选项：\n" in out
    assert "usage" not in out and "show this help" not in out and "options" not in out
    code, out, err = run(capsys, "check")
    assert code == 2 and "zipin check：错误：缺少参数：路径" in err and "用法：" in err
    code, out, err = run(capsys, "render", "x", "--format", "pdf")
    assert code == 2 and "参数 --format：无效的选项 'pdf'" in err
    code, out, err = run(capsys, "check", "x", "--bogus")
    assert code == 2 and "无法识别的参数：--bogus" in err
    assert "error" not in err and "usage" not in err


def test_argparse_is_itself_again_after_the_cli(capsys):
    import argparse

    run(capsys, "check", "--help")
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: ")


def test_check_names_fields_as_the_app_does(tmp_path: Path, capsys):
    path = tmp_path / "one.toml"
    shutil.copy(next(SAMPLES.glob("01-*.toml")), path)
    text = path.read_text(encoding="utf-8")
    # the total's 全年执行数 no longer the sum of its rows
    path.write_text(text.replace('executed = "1230.37"', 'executed = "1000.00"', 1),
                    encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert "提醒 第 5 项指标的实际完成值：" in out  # indicators[4].actual, 1-based
    assert "年度资金总额的全年执行数：年度资金总额的全年执行数 1,000.00 与各分项之和" in out, out
    assert "indicators[" not in out and "funding." not in out


def test_one_labelling_for_validation_paths_and_record_paths():
    assert label("indicators[13].actual") == "第 14 项指标的实际完成值"
    assert label("funding.total.executed") == "年度资金总额的全年执行数"
    assert label("goals.achieved") == label("achieved") == "实际完成情况"
    assert label("indicators") == "指标个数"
