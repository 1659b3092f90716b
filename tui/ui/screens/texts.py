"""The record's texts beyond the table, as its layout names them (F3): 项目负责人及电话,
其他需要说明事项, 评价结论, 存在问题, 改进措施, the signature and date lines (tui.printed.layout,
`Layout.text_keys`; a text the record holds that its layout does not print is shown too, so
nothing is hidden).

One editor per text, labelled as the form prints it: a block (评价结论…) gets several lines, a
header field or signature one. Ctrl+S or F3 returns what changed ({field path: text}); the main
screen commits it through the Document as one undoable edit (`edit_texts`, below). Esc returns
nothing. Every text is checked with `editing.apply_edit` (the one judge of typed text) before the
screen closes, so the main screen never gets text it can't take.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.core.editing import TEXTS, apply_edit, value_text
from tui.core.messages import visible
from tui.core.model import ParseError, Project
from tui.printed.layout import Layout, layout_or_default
from tui.ui.screens.host import Host
from tui.ui.widgets.fields import FieldInput
from tui.ui.widgets.goals import GoalArea
from tui.ui.widgets.keybar import KeyBar


def text_fields(project: Project, layout: Layout) -> list[tuple[str, str, bool]]:
    """(field path, label, several lines?) of every text to edit: the layout's, in its order
    (header fields, blocks, signatures), then any other the record holds."""
    blocks = set(layout.blocks)
    keys = list(layout.text_keys) + [k for k, _v in project.texts if k not in layout.text_keys]
    return [(TEXTS + key, layout.label(key).rstrip("：:") or key, key in blocks or key not in layout.text_keys)
            for key in keys]


class TextsScreen(Screen[dict[str, str] | None]):
    """The texts of one record; returns {path: text} of those changed, or None."""

    BINDINGS = [
        Binding("ctrl+s,f3", "done", "完成（记入当前项目，可撤销）", id="texts.done", priority=True),
        Binding("escape", "cancel", "返回（不改）", id="texts.cancel"),
    ]
    DEFAULT_CSS = """
    TextsScreen #texts { padding: 0 1; }
    TextsScreen .label { color: $text-muted; margin: 1 0 0 0; }
    TextsScreen GoalArea { height: 6; }
    TextsScreen FieldInput { width: 1fr; background: $boost; }
    """

    def __init__(self, project: Project, layout: Layout) -> None:
        super().__init__()
        self.project, self.form = project, layout
        self.fields = text_fields(project, layout)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="texts"):
            for n, (path, title, several) in enumerate(self.fields):
                if several:  # titled on its frame
                    yield GoalArea(path, title, text=value_text(self.project, path), id=f"text-{n}")
                else:
                    yield Static(Text(title), classes="label")  # the layout's words: never markup
                    yield FieldInput(path, "text", id=f"text-{n}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = visible(f"表上文字：{self.project.name or '（未命名）'}")
        self.sub_title = f"版式 {self.form.name}；Ctrl+S 完成，Esc 返回"
        for field in self.query(FieldInput):
            field.show(self.project, force=True)
        editors = list(self.query("#texts > GoalArea, #texts > FieldInput"))
        if editors:
            editors[0].focus()

    def typed(self) -> dict[str, str]:
        """Each editor's text, by path."""
        out = {}
        for editor in self.query("#texts > GoalArea, #texts > FieldInput"):
            if isinstance(editor, FieldInput):
                out[editor.path] = editor.value
            elif isinstance(editor, GoalArea):
                out[editor.path] = editor.text
        return out

    def action_done(self) -> None:
        changed = {}
        for path, text in self.typed().items():
            if text == value_text(self.project, path):
                continue
            try:
                apply_edit(self.project, path, text)
            except ParseError as exc:
                self.app.bell()
                self.notify(f"{dict((p, t) for p, t, _s in self.fields)[path]}：{exc}",
                            severity="error", markup=False)
                return
            changed[path] = text
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)


def edit_texts(main: Host) -> None:
    """F3: the texts of the project in the editor its layout prints beyond the table, edited on
    their own screen and committed into its Document as one undoable edit."""
    doc, key = main.doc, main.current
    if doc is None or key is None or not main.editor.flush():
        return
    form = layout_or_default(doc.project.layout, main.folder)
    if not text_fields(doc.project, form):
        main.say(f"此项目的表样（版式 {form.name}）除表格外没有其他文字可填", timeout=4)
        return

    def done(changed: dict[str, str] | None) -> None:
        target = main.docs.get(key)
        if not changed or target is None:
            return
        project = target.project
        for path, text in changed.items():  # checked by the screen with the same apply_edit
            project = apply_edit(project, path, text)
        if target.commit(project):
            main.changed(key)
            main.say(f"已记入 {len(changed)} 处表上文字（Ctrl+Z 撤销）", timeout=3)

    main.app.push_screen(TextsScreen(doc.project, form), done)
