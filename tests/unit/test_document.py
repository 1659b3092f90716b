"""Document: retyped amounts change nothing, a new project is named at its first save, drafts of
text still being typed. No Textual: the screen's side of each is in tests/test_app*.py."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from tui.store import drafts, recordfile, saving
from tui.core.document import Document
from tui.core.editing import apply_edit, new_project
from tui.core.rules import load_rules
from tui.store.workspace import Workspace
from conftest import ROOT

FIRST = ROOT / "samples" / "2023" / "01-残疾人基本保障和帮扶经费.toml"
RULES = load_rules()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / FIRST.name
    shutil.copy(FIRST, path)
    return path


def loaded_doc(path: Path) -> Document:
    return Document.from_loaded(recordfile.load(path), RULES)


def files(folder: Path) -> set[str]:
    """Records and drafts (not the app's own .zipin/: the schema copy, the trash)."""
    return {p.name for p in folder.iterdir() if p.name != ".zipin"}


# -- (a) an amount retyped as it was keeps the stated 年度资金总额 ------------------------------

@pytest.mark.parametrize("typed", ["1230.37", "1,230.37", "１２３０．３７", " 1230.370 ", "+1230.37"])
def test_retyping_an_amount_unchanged_is_a_no_op(sample, typed):
    doc = loaded_doc(sample)
    before = doc.project
    assert before.funding.stated_total is not None
    assert apply_edit(before, "funding.appropriation.executed", typed) is before
    assert doc.edit("funding.appropriation.executed", typed) is False
    assert not doc.dirty and not doc.undo()  # nothing to undo: nothing happened
    assert doc.project.funding.stated_total == before.funding.stated_total
    assert doc.preview("funding.appropriation.executed", typed)[0] is before
    # saved as it was, byte for byte
    doc.save(Workspace(sample.parent)) if doc.dirty else None
    assert sample.read_bytes() == FIRST.read_bytes()


def test_a_changed_amount_still_makes_the_total_derived(sample):
    doc = loaded_doc(sample)
    assert doc.edit("funding.appropriation.executed", "1230.36")
    assert doc.project.funding.stated_total is None
    assert doc.project.funding.total.executed == D("1230.36")
    # and typing it back is a change again (to the rows as they were), not a return of the claim
    assert doc.edit("funding.appropriation.executed", "1230.37")
    assert doc.project.funding.stated_total is None
    assert doc.undo() and doc.undo() and not doc.dirty


def test_zero_rows_and_the_weight_retyped(sample):
    doc = loaded_doc(sample)
    row = doc.project.funding.carried_over
    assert apply_edit(doc.project, "funding.carried_over.budget", "0") is doc.project, row
    assert apply_edit(doc.project, "funding.carried_over.budget", "0.00") is doc.project
    assert apply_edit(doc.project, "funding.weight", "10") is doc.project
    assert apply_edit(doc.project, "funding.weight", "20").funding.weight == D("20")
    # a weight is no claim about the rows: changing it keeps the stated total
    assert apply_edit(doc.project, "funding.weight", "20").funding.stated_total is not None


# -- (b) a never-saved project is named at its first save ----------------------------------

def test_a_new_project_is_named_after_its_name_at_the_first_save(tmp_path):
    doc = Document(new_project(2023, "某部门"), RULES)
    assert doc.never_saved and doc.path is None and not doc.changed_on_disk()
    first = doc.write_draft(Workspace(tmp_path))  # written before a name was typed
    assert first == tmp_path / "项目.toml" and drafts.read_draft(first) == doc.project
    assert drafts.orphan_drafts(tmp_path) == [first]
    doc.edit("name", "新项目甲")
    doc.write_draft(Workspace(tmp_path))
    assert drafts.read_draft(first).name == "新项目甲"  # the draft stays put until the save
    path = doc.save(Workspace(tmp_path))
    assert path == tmp_path / "新项目甲.toml"
    assert files(tmp_path) == {"新项目甲.toml"}  # the old draft went with it
    assert drafts.orphan_drafts(tmp_path) == []
    assert recordfile.load(path).project == doc.project and not doc.dirty and not doc.never_saved
    # From now on the file keeps its name, whatever the project is called.
    doc.edit("name", "改名之后")
    assert doc.save(Workspace(tmp_path)) == path and files(tmp_path) == {"新项目甲.toml"}


def test_a_new_project_never_takes_a_records_file_or_another_new_projects_draft(tmp_path):
    taken = recordfile.load(FIRST).project
    record = tmp_path / f"{taken.name}.toml"
    saving.save(taken, record, None)
    record_bytes = record.read_bytes()
    # Two new projects, neither named yet: two drafts, not one shared.
    one, two = (Document(new_project(2023), RULES) for _ in range(2))
    one.write_draft(Workspace(tmp_path))
    two.write_draft(Workspace(tmp_path))
    assert one.path != two.path and len(drafts.orphan_drafts(tmp_path)) == 2
    # The second is named like the first's draft: it must not adopt that draft's name.
    two.edit("name", "项目")
    assert two.save(Workspace(tmp_path)) == tmp_path / "项目-2.toml"
    assert drafts.read_draft(one.path) == one.project  # the first one's draft is untouched
    # A new project named like an existing record gets a name of its own.
    three = Document(replace(new_project(2023), name=taken.name), RULES)
    assert three.save(Workspace(tmp_path)) == tmp_path / f"{taken.name}-2.toml"
    assert record.read_bytes() == record_bytes


def test_a_recovered_new_project_is_saved_under_its_current_name(tmp_path):
    project = replace(new_project(2023), name="草稿里的名称")
    provisional = tmp_path / "项目.toml"
    drafts.write_draft(project, provisional)
    (orphan,) = drafts.orphan_drafts(tmp_path)
    doc = Document(drafts.read_draft(orphan), RULES, path=orphan)  # as the app recovers it
    assert doc.never_saved and doc.dirty
    assert doc.save(Workspace(tmp_path)) == tmp_path / "草稿里的名称.toml"
    assert files(tmp_path) == {"草稿里的名称.toml"}


def test_a_new_projects_file_that_appears_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    doc = Document(replace(new_project(2023), name="同名"), RULES)
    target = tmp_path / "同名.toml"
    real_save = saving.save

    def someone_else_first(project, path, expected):  # the file appears between name and rename
        target.write_text("别人的文件", encoding="utf-8")
        return real_save(project, path, expected)

    monkeypatch.setattr(saving, "save", someone_else_first)
    with pytest.raises(saving.ChangedOnDisk):
        doc.save(Workspace(tmp_path))
    assert target.read_text(encoding="utf-8") == "别人的文件"
    monkeypatch.setattr(saving, "save", real_save)
    assert doc.never_saved and doc.save(Workspace(tmp_path)) == tmp_path / "同名-2.toml"


# -- (c) drafts of what is being typed ---------------------------------------------------------

def test_write_draft_keeps_the_text_being_typed(sample):
    doc = loaded_doc(sample)
    typing, _assessment = doc.preview("funding.appropriation.executed", "70")
    assert doc.write_draft(Workspace(sample.parent), typing) == sample
    assert drafts.read_draft(sample) == typing and not doc.dirty  # the draft, not the document
    assert doc.write_draft(Workspace(sample.parent)) is None  # the committed project is the saved one
    assert drafts.read_draft(sample) is None
    doc.edit("name", "已确认的名称")
    doc.write_draft(Workspace(sample.parent))
    assert drafts.read_draft(sample) == doc.project
    doc.write_draft(Workspace(sample.parent), doc.saved)  # typed back to what is saved: no draft
    assert drafts.read_draft(sample) is None
    assert sample.read_bytes() == FIRST.read_bytes()


def test_a_deleted_project_whose_name_was_taken_comes_back_under_a_free_name(sample, tmp_path):
    """untrash: a saved record, and a never-saved project's draft, back under their own name, or a
    free one when that was taken meanwhile (nothing overwritten, nothing left in the trash)."""
    ws = Workspace(tmp_path)
    doc = loaded_doc(sample)
    doc.edit("name", "改了名")
    before = sample.read_bytes()
    trashed = doc.trash(ws)
    assert trashed is not None and not sample.exists()
    sample.write_text("其他", encoding="utf-8")  # taken meanwhile
    assert doc.untrash(ws, trashed) == doc.path == sample.with_name(f"{sample.stem}-2.toml")
    assert doc.path.read_bytes() == before and sample.read_text(encoding="utf-8") == "其他"
    doc.save(ws)  # its file, unchanged since it was read, takes the edit
    assert recordfile.load(doc.path).project.name == "改了名"
    new = Document(new_project(2023, "某部门"), RULES)
    new.edit("name", "新项目乙")
    home = new.write_draft(ws)
    trashed = new.trash(ws)
    assert trashed is not None and not drafts.draft_path(home).exists()
    drafts.write_draft(new_project(2023, "别的"), home)  # another new project's draft took the name
    back = new.untrash(ws, trashed)
    assert back != home and drafts.read_draft(back) == new.project and new.never_saved
    assert list((tmp_path / ".zipin" / "trash").iterdir()) == []
