"""Random keys through the whole app: it never crashes, and what it shows stays true.

A seeded stream of keys — printable ASCII, CJK, full-width digits and brackets, markup-like text,
numbers, control and editing keys, the grid's and the screen's keys, dialogs opened and answered
— is pressed through Pilot on a copy of the samples. Every few hundred keys, and at the end, the
app is settled (dialogs closed, typing cancelled) and checked:

- it is alive: no exception (run_test re-raises one), a key still answers;
- every open project survives `record_to_dict`/`record_from_dict` and the TOML text unchanged;
- the problems shown are those `validation.assess` gives, and each list entry's total and grade
  are its project's; every file on disk loads, and a saved project is what its file holds;
- no file is held by two projects, nor listed twice (a saved new project stays ``new:…``).

The stream tours the panes (list, header, funding, goals, grid), TOUR keys each, reaching them
with F6 as a person would and mostly coming back when a key leads elsewhere, so each pane gets its
share whatever the dice say; each visit to the grid opens a dialog (delete, tier) for the stream
to answer.

ZIPIN_KEYS_SEED replays a run (the seed is printed, and named in every failure; the keys are the
same, the app's timers and threads aside); ZIPIN_KEYS sets how many keys (default 500, about
20-40 s on two shared cores; each key is ~35 ms of CPU, mostly Textual drawing the frame:
`ZIPIN_KEYS=5000` for a longer hunt); ZIPIN_KEYS_SIZE the terminal's size (default 160x48; 80x24
folds the list and the goal texts away).
"""

from __future__ import annotations

import os
import random
import string
from collections import Counter
from pathlib import Path

import pytest
import textual._wait
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, TextArea

from tui.store import codec, recordfile
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import ChoiceDialog
from tui.core.validation import ERROR, assess
from tui.ui.widgets.fields import FieldInput
from tui.ui.widgets.goals import GoalArea

from conftest import copy_samples
from pilot import ready

SIZE = tuple(int(n) for n in os.environ.get("ZIPIN_KEYS_SIZE", "160x48").split("x"))
KEYS = int(os.environ.get("ZIPIN_KEYS", "500"))
SEED = int(os.environ.get("ZIPIN_KEYS_SEED", random.randrange(1 << 30)))
CHECK_EVERY = int(os.environ.get("ZIPIN_KEYS_CHECK", "250"))
TOUR = 50
PANES = ("list", "header", "funding", "goals", "grid")

CJK = "项目资金指标达成部分未满意度效益产出经费残疾人一二三"
FULL_WIDTH = "１２３４５６７８９０．，－＋％（）【】［］｛｝＜＞＝"
SNIPPETS = ["[/x]", "[bold]", "[/]", "[red]x[/red]", "≥90(%)", "≤5(天)", "=0(次)", ">100", "达成指标",
            "部分达成", "未达成", "1,248.00", "１２３", "-3", "1e5", "0.005", "99999999999999999999",
            "NaN", "\\", "新名称", "（ ）", "【１】"]
CONTROL = ["enter", "tab", "shift+tab", "escape", "backspace", "delete", "up", "down", "left",
           "right", "home", "end", "pageup", "pagedown", "ctrl+home", "ctrl+end", "ctrl+u"]
COMMANDS = ["f2", "ctrl+z", "ctrl+y", "a", "A", "d", "t", "e", "ctrl+up", "ctrl+down", "f6", "f6",
            "f6", "shift+f6", "f8", "ctrl+f", "ctrl+t", "ctrl+r"]
PEEKS = [["f5", "escape"], ["f1", "escape"], ["ctrl+p", "escape"], ["f5", "f5"], ["f1", "q"]]
RARE = ["ctrl+s", "ctrl+n"]
# The grid's own keys, more likely while the grid has focus (its dialogs: delete, tier, levels).
GRID = ["a", "d", "t", "e", "f2", "enter", "ctrl+up", "ctrl+down", "backspace", "left", "right"]


def next_move(rng: random.Random, main, pane: str = "") -> tuple[bool, list[str]]:
    """One move: (typed, keys). Typed text (a character, a word) arrives at once, as a terminal
    delivers an IME's commit or a fast typist's burst; other keys are pressed one at a time."""
    roll = rng.random()
    if pane == "grid" and rng.random() < 0.3:
        return False, [rng.choice(GRID)]
    if roll < 0.22:
        return True, [rng.choice(string.printable[:95])]  # letters, digits, punctuation, space
    if roll < 0.30:
        return True, [rng.choice(CJK)]
    if roll < 0.36:
        return True, [rng.choice(FULL_WIDTH)]
    if roll < 0.42:
        return True, list(rng.choice(SNIPPETS))
    if roll < 0.70:
        return False, [rng.choice(CONTROL)]
    if roll < 0.95:
        return False, [rng.choice(COMMANDS)]
    if roll < 0.965:  # each of these draws a whole screen: a few per hundred moves is plenty
        return False, list(rng.choice(PEEKS))
    if roll < 0.985:
        return False, [rng.choice(RARE)]
    # The quit guard, answered "keep editing": only asked when something is unsaved (else
    # Ctrl+Q quits at once, which would end the run).
    if main is not None and main.unsaved():
        return False, ["ctrl+q", rng.choice(["escape", "k"])]
    return False, ["escape"]


async def queued(pilot, keys: list[str]) -> None:
    """Keys queued all at once, as the driver queues a chunk it read, then wait."""
    app = pilot.app
    for key in keys:
        event = events.Key(_character_to_key(key), key) if len(key) == 1 else events.Key(key, None)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


def pane_of(app) -> str:
    """Where the keys go now, for the coverage count."""
    main = app.main
    if type(app.screen).__name__ == "PickScreen":
        return "grid"  # the grid's own lists (tier, level, delete an indicator): working in it
    if app.screen is not main:
        return "dialog"
    focused = main.focused
    if focused is None:
        return "none"
    if focused is main.list or focused.id == "filter":
        return "list"
    if isinstance(focused, FieldInput):
        return "header"
    if focused is main.funding:
        return "funding"
    if isinstance(focused, GoalArea):
        return "goals"
    if focused is main.grid:
        return "grid"
    return focused.id or type(focused).__name__


async def go_to(pilot, pane: str) -> None:
    """F6 until the focus is in `pane` (closing a dialog first, as Esc would; the list folded
    away on a narrow terminal is opened with Ctrl+B, which F6 passes by)."""
    for _ in range(10):
        app = pilot.app
        where = pane_of(app)
        if where == pane:
            return
        if app.screen is not app.main:
            await pilot.press("escape")
        else:
            await pilot.press("ctrl+b" if pane == "list" and not app.main.left.display else "f6")


async def settle(pilot) -> None:
    """Close dialogs and take back whatever is being typed (Esc, as a person would)."""
    app = pilot.app
    for _ in range(12):
        main = app.main
        if app.screen is main and not main.edit.active and not main.grid.editing \
                and not main.funding.editing:
            break
        if isinstance(app.screen, ChoiceDialog) and "退出" in app.screen.title_text:
            await pilot.press("k")
        else:
            await pilot.press("escape")
    await pilot.pause()
    main = app.main
    assert app.screen is main, f"a dialog would not close: {app.screen!r} (seed {SEED})"
    assert not main.edit.active and not main.grid.editing and not main.funding.editing


def check(app, folder: Path, where: str) -> None:
    main = app.main
    note = f"({where}, ZIPIN_KEYS_SEED={SEED})"
    for key, doc in main.docs.items():
        p = doc.project
        assert codec.record_from_dict(codec.record_to_dict(p), key) == p, note
        assert recordfile.loads(recordfile.dumps(p), key) == p, note
        assessment = assess(p, doc.rules)
        assert doc.assessment == assessment, note
        entry = main.list.entries.get(key)
        if entry is not None:
            assert (entry.total, entry.grade) == (assessment.sheet.total, assessment.sheet.grade), note
            assert entry.dirty == main.is_dirty(key), note
    if main.doc is not None:
        shown = main.query_one("#problems").problems
        expected = sorted(assess(main.doc.project, main.doc.rules).problems,
                          key=lambda p: p.level != ERROR)
        assert shown == expected, note
        assert f"总分 {main.doc.assessment.sheet.total:.2f}" in main.query_one("#scorebar").plain, note
    # One file, one project: no saved file held twice, nor listed again under its own path.
    held = [str(doc.path) for doc in main.docs.values() if doc.path and not doc.never_saved]
    assert len(held) == len(set(held)), note
    assert not [k for k in main.list.entries if k in held and k not in main.docs], note
    for path in recordfile.record_files(folder):
        recordfile.load(path)  # every file on disk is a record that loads
    for doc in main.docs.values():
        if doc.path is not None and doc.digest is not None:
            assert recordfile.load(doc.path).project == doc.saved, note


@pytest.fixture(autouse=True)
def quick_pilot(monkeypatch):
    """A steady cursor, and Pilot's idle check at a finer grain: after each key it sleeps in steps
    of 20 ms until the process is idle, twice, so 2,000 keys slept 80 s. In steps of 4 ms it still
    waits until every message is handled (`_wait_for_screen`) and the CPU is idle."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.004)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.0002)


@pytest.mark.slow
async def test_random_keys_never_break_the_app(tmp_path: Path, capsys):
    folder = copy_samples(tmp_path / "2023")
    with capsys.disabled():
        print(f"\nZIPIN_KEYS_SEED={SEED} ZIPIN_KEYS={KEYS}")
    rng = random.Random(SEED)
    app = ZipinApp(folder)
    moves: list[list[str]] = []
    panes: Counter = Counter()
    dialogs: Counter = Counter()  # moves that left a dialog open (the next keys answer it)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            for _ in range(500):
                main = app.main
                if main is not None and not main.reading and main.current is not None:
                    break
                await pilot.pause(0.01)
            n = checked = toured = 0
            tour = PANES[0]
            while n < KEYS:
                if n - toured >= TOUR:
                    toured, tour = n, PANES[n // TOUR % len(PANES)]
                    await go_to(pilot, tour)
                    if tour == "grid":  # a dialog for the stream to answer: delete, or pick a tier
                        await pilot.press(rng.choice("dt"))
                elif pane_of(app) not in (tour, "dialog") and rng.random() < 0.7:
                    await go_to(pilot, tour)  # wandered off (F6, Tab, a jump): mostly come back
                pane = pane_of(app)
                typed, move = next_move(rng, app.main, pane)
                panes[pane] += len(move)
                moves.append(move)
                if typed:
                    await queued(pilot, move)
                else:
                    await pilot.press(*move)
                n += len(move)
                if app.screen is not app.main:
                    dialogs[type(app.screen).__name__] += 1
                assert app.is_running and app.return_code is None, \
                    f"the app stopped after {move} (ZIPIN_KEYS_SEED={SEED})"
                if n - checked >= CHECK_EVERY or n >= KEYS:
                    checked = n
                    await settle(pilot)
                    check(app, folder, f"after key {n}")
            # Alive: a key still answers.
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.main
    except BaseException:
        print(f"ZIPIN_KEYS_SEED={SEED}; the last moves: {moves[-30:]}")
        raise
    with capsys.disabled():
        print(f"keys by pane: {dict(panes)}; dialogs left open by a move: {dict(dialogs)}")
    # The stream reached every part of the screen, not just the list, and opened dialogs.
    for pane in PANES:
        assert panes[pane] >= KEYS // 20, (pane, dict(panes), SEED)
    assert dialogs, SEED


# -- keys that arrive together (a fast typist, a laggy SSH link, a busy machine) --------------

@pytest.mark.parametrize("field", ["head-name", "goal-expected"])
async def test_keys_queued_together_are_taken_in_order(tmp_path: Path, field: str):
    folder = copy_samples(tmp_path / "2023")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        widget = main.query_one(f"#{field}")
        widget.focus()
        await pilot.pause()
        await queued(pilot, ["x", "y", "backspace", "z"])
        text = widget.value if isinstance(widget, Input) else widget.text
        assert text.startswith("xz"), text[:10]


async def test_typing_right_after_f6_goes_to_the_name(tmp_path: Path):
    folder = copy_samples(tmp_path / "2023")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await queued(pilot, ["f6", "x"])
        assert main.query_one("#filter", Input).value == ""
        assert main.query_one("#head-name", Input).value == "x"


async def test_leaving_a_project_with_refused_grid_text_shows_its_committed_total(tmp_path: Path):
    """Found by the random keys (ZIPIN_KEYS_SEED=2): a grid cell typed valid (the list entry
    previews the new total), then invalid, then another project opened (there by Ctrl+N): the
    text was dropped, but the project's list entry kept the previewed total and grade and its
    unsaved mark (85.98 良 ＊ instead of 99.98 优)."""
    folder = copy_samples(tmp_path / "2023")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        key = main.current
        main.grid.goto("indicators[1].weight")
        await pilot.pause()
        await pilot.press("1")  # a weight of 1 for 10: the entry previews a lower total
        assert main.list.entries[key].total < main.doc.assessment.sheet.total
        await pilot.press("成")  # "1成": refused, not previewed
        assert main.grid.editing and main.grid.edit_text == "1成"
        main.list.action_cursor(1)  # another project, as a click in the list would
        await pilot.pause()
        assert main.current != key and not main.grid.editing
        doc = main.docs[key]
        entry = main.list.entries[key]
        assert (entry.total, entry.grade, entry.dirty) == (doc.assessment.sheet.total,
                                                           doc.assessment.sheet.grade, False)


async def test_f6_cycles_every_pane_even_from_the_goal_texts(tmp_path: Path):
    """Found by the random keys: TextArea binds F6 to "select line", so in 预期目标 F6 selected
    the line and never left; the pane cycle stopped at the goals (fixed by F6's priority)."""
    folder = copy_samples(tmp_path / "2023")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        seen = []
        for _ in range(7):
            await pilot.press("f6")
            seen.append(main.focused.id)
        assert seen == ["head-name", "funding", "goal-expected", "grid", "problems", "projects",
                        "head-name"]
        for _ in range(6):
            await pilot.press("shift+f6")
        assert main.focused.id == "head-name"


async def grid_dialog(pilot, key: str) -> None:
    main = pilot.app.main
    main.grid.goto("indicators[0].actual")
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


async def quit_dialog(pilot, key: str) -> None:
    await pilot.press("f6", "x", "ctrl+q")  # something unsaved, so Ctrl+Q asks
    await pilot.pause()


@pytest.mark.parametrize("opener, key, answer, deleted", [
    (grid_dialog, "t", ["1", "2"], 0),  # a tier picked by digit, a second digit behind it
    (grid_dialog, "d", ["enter", "enter"], 1),  # a delete confirmed by a double Enter
    (grid_dialog, "d", ["1", "1"], 1),
    (quit_dialog, "", ["k", "k"], 0),  # 继续编辑 pressed twice
])
async def test_a_dialog_answered_twice_answers_once(tmp_path: Path, opener, key, answer, deleted):
    """Found by the random keys (ZIPIN_KEYS_SEED=88748654: t then １２３ arriving together): the
    second key reached the dialog after it had answered; Textual's dismiss ran the answer again
    and popped the main screen: ScreenStackError, the app died."""
    folder = copy_samples(tmp_path / "2023")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        count = len(main.doc.project.indicators)
        await opener(pilot, key)
        assert app.screen is not main
        await queued(pilot, answer)
        assert app.screen is main and app.is_running
        assert len(main.doc.project.indicators) == count - deleted
