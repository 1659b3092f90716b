"""Unsaved drafts of the last session offered back as the folder is loaded (screens/loading.py):
for each, 恢复 (take its edits, unsaved) or 丢弃 (delete the draft)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.core.model import Project
from tui.ui.screens.host import Host


async def offer_recovery(main: Host, recoveries: list[tuple[str, Project, bool]],
                         after: Callable[[], None]) -> None:
    """Ask for each of `recoveries` (key, draft, new: a project never saved) in turn, then `after`."""
    from tui.ui.screens.dialogs import recovery_dialog

    while recoveries:
        key, draft, new = recoveries.pop(0)
        path = Path(key)
        answer = await main.app.push_screen_wait(recovery_dialog(draft.name, path.name, new))
        if answer == "recover":
            doc = main.document(key)
            if not new:
                doc.commit(draft)
            main.changed(key)
            if key == main.current:
                main.show_current()
            else:
                main.list.select_key(key)
            main.say(f"已恢复：{draft.name or path.name}（尚未保存）")
        else:
            main.workspace.remove_draft(path)
            if new:
                main.docs.pop(key, None)
                main.list.entries.pop(key, None)
                main.list.add([])
            main.say(f"已丢弃草稿：{draft.name or path.name}")
    after()
