"""A record's texts beyond the table (项目负责人及电话, 评价结论…) through the one edit path:
editing.apply_edit with ``texts.KEY`` paths (the app's F3 screen commits through it)."""

from __future__ import annotations

import pytest

from tui.core.editing import apply_edit, label, value_text
from tui.core.model import ParseError, Project


def test_texts_edit_path():
    project = Project(name="x", texts=(("conclusion", "好"), ("problems", "无")))
    assert value_text(project, "texts.problems") == "无"
    assert value_text(project, "texts.leader") == ""
    changed = apply_edit(project, "texts.conclusion", "较好")
    assert changed.texts == (("conclusion", "较好"), ("problems", "无"))  # in place, order kept
    added = apply_edit(changed, "texts.leader", "张三 123")
    assert added.texts[-1] == ("leader", "张三 123")
    assert apply_edit(added, "texts.problems", "").text("problems") == ""  # emptied: dropped
    assert "problems" not in dict(apply_edit(added, "texts.problems", "").texts)
    assert apply_edit(project, "texts.problems", "无") is project  # unchanged: the same record
    with pytest.raises(ParseError):
        apply_edit(project, "texts.", "x")
    assert "conclusion" in label("texts.conclusion")
