"""Bundles carry the form layouts their records name (tui.exchange.bundle, tui.exchange.bundlelayouts, docs/bundle.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from tui.exchange import bundle as B
from tui.exchange import bundleplan
from tui.printed.layout import layout_data, load_layout
from tui.store.recordfile import load_folder

from test_bundle import copy_samples, edit, refused, sample_text, snapshot, zipin
from conftest import ROOT

BUILTIN = ROOT / "tui" / "printed" / "layouts" / "shanghai.toml"
WHICH = "信息化运维项目"
TITLE = "某某区财政项目支出绩效自评表（{year}年度）"  # the folder's own layout: another title


def with_own_layout(tmp_path: Path, name: str = "mine", title: str = TITLE) -> Path:
    """A copy of the samples whose folder holds layouts/dept.toml, named by one record."""
    folder = copy_samples(tmp_path, name)
    (folder / "layouts").mkdir()
    text = BUILTIN.read_text(encoding="utf-8").replace('name = "shanghai"', 'name = "dept"')
    data = tomllib.loads(text)
    data["title"] = title
    (folder / "layouts" / "dept.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    edit(folder, WHICH, layout="dept")
    return folder


def test_a_folder_layout_travels_and_prints_the_same(tmp_path, capsys):
    mine = with_own_layout(tmp_path)
    out = tmp_path / "b.toml"
    assert zipin(capsys, "export", mine, "-o", out)[0] == 0
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == 2 and [x["name"] for x in data["layouts"]] == ["dept"]
    theirs = tmp_path / "theirs"
    code, stdout, err = zipin(capsys, "import", out, theirs)
    assert code == 0, err
    assert "版式 dept" in stdout and (theirs / "layouts" / "dept.toml").is_file()
    assert load_layout("dept", theirs) == load_layout("dept", mine)
    assert load_layout("dept", theirs).title == TITLE
    # the same record prints the same on both machines (the folder's title, not the default's)
    rendered = []
    for folder in (mine, theirs):
        file = next(p for p in folder.glob("*.toml") if WHICH in p.name)
        code, text, err = zipin(capsys, "render", file)
        assert code == 0, err
        rendered.append(text)
    assert rendered[0] == rendered[1] and "某某区财政项目支出绩效自评表（2023年度）" in rendered[0]
    # importing again: the layout is the same, nothing to write
    code, stdout, _ = zipin(capsys, "import", out, theirs)
    assert code == 0 and "版式 dept" not in stdout


def test_a_tampered_layout_is_refused_whole(tmp_path, capsys):
    mine = with_own_layout(tmp_path)
    out = tmp_path / "b.toml"
    assert zipin(capsys, "export", mine, "-o", out)[0] == 0
    text = out.read_text(encoding="utf-8").replace("某某区", "某某县", 1)
    refused(tmp_path, capsys, text, "layouts[0].sha256", "版式“dept”", "校验值不符")


def test_a_record_naming_a_layout_the_bundle_lacks_is_refused(tmp_path, capsys):
    mine = with_own_layout(tmp_path)
    out = tmp_path / "b.toml"
    assert zipin(capsys, "export", mine, "-o", out)[0] == 0
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    data["layouts"][0]["name"] = "other"
    text = "#:schema bundle.schema.json\n" + tomli_w.dumps(data, multiline_strings=True)
    refused(tmp_path, capsys, text, WHICH, ".record.layout", "版式“dept”不在包内")


def test_a_different_layout_of_the_same_name_blocks_the_import(tmp_path, capsys):
    mine = with_own_layout(tmp_path)
    out = tmp_path / "b.toml"
    assert zipin(capsys, "export", mine, "-o", out)[0] == 0
    other = with_own_layout(tmp_path, "other", title="另一个标题（{year}年度）")
    before = snapshot(other)
    code, _, err = zipin(capsys, "import", out, other)
    assert code == 1 and "版式“dept”与本机" in err and "未写入任何文件" in err
    assert snapshot(other) == before


def test_export_refuses_a_record_whose_layout_is_nowhere(tmp_path, capsys):
    mine = with_own_layout(tmp_path)
    (mine / "layouts" / "dept.toml").unlink()
    out = tmp_path / "b.toml"
    code, _, err = zipin(capsys, "export", mine, "-o", out)
    assert code == 1 and "dept" in err and WHICH in err and not out.exists()


def test_an_old_bundle_without_layouts_still_imports(tmp_path, capsys):
    # made before layouts travelled: format 1, no [[layouts]], a record naming a built-in layout
    folder = copy_samples(tmp_path)
    edit(folder, WHICH, layout="sichuan")
    data = tomllib.loads(sample_text(folder, layouts_by_name={"sichuan": layout_data("sichuan")}))
    assert data["format"] == 2
    del data["layouts"]
    data["format"] = 1
    old = tmp_path / "old.toml"
    old.write_text("#:schema bundle.schema.json\n" + tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    bundle = B.load_bundle(old)
    assert bundle.layouts == {} and any(r.project.layout == "sichuan" for r in bundle.records)
    code, _, err = zipin(capsys, "import", old, tmp_path / "theirs")
    assert code == 0, err
    assert not (tmp_path / "theirs" / "layouts").exists()  # built-in: nothing to write


def test_built_in_layouts_travel_and_match(tmp_path):
    folder = copy_samples(tmp_path)
    edit(folder, WHICH, layout="central")
    out = tmp_path / "b.toml"
    B.export_to_file(folder, load_folder(folder).records, out)
    bundle = B.load_bundle(out)
    assert set(bundle.layouts) == {"central"} and bundle.layouts["central"] == load_layout("central")
    plan = bundleplan.plan_import(bundle, load_folder(tmp_path / "new"), tmp_path / "new")
    assert [x.status for x in plan.layouts] == ["same"] and not plan.problems
    assert plan.layouts_to_write({r.id: bundleplan.TAKE_BUNDLE for r in bundle.records}) == []
