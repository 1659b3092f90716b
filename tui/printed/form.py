"""The printed form: one project laid out as its paper form, as a Rich renderable.

Rich only, never Textual (a test checks it), so the CLI can print and export without the app, and the
app can embed the same renderable in a scrolling preview.

What the form looks like is the record's layout (tui.printed.layout: the title, header fields, the funding
block's and the indicators' columns, the closing rows and blocks); tui.printed.blocks builds each block
of cells from it, and tui.printed.canvas draws them on a character canvas with merged cells (Rich's
`Table` has no spans), the borders worked out from which edges the cells have.

Everything a user typed goes in as `rich.text.Text`, never as markup: ``[bold]``, ``[/x]`` and
``<script>`` print as written, and control characters (an ANSI escape) print as their visible Unicode
control pictures (``␛``), never reaching the terminal.

Public API:

- `printed_form(project, sheet_or_rules, width=None, ascii_ops=False, layout=None)`: the renderable.
- `render_text(project, rules, width, ascii_ops=False, layout=None)`: plain text, no ANSI codes.
- `render_svg(...)` through Rich's exporter; tui.printed.html's `render_html` for A4 printing.
"""

from __future__ import annotations

import html
import io
import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from rich.text import Text

from tui.printed.layout import DEFAULT, Layout, layout_or_default, load_layout
from tui.core.model import Project
from tui.printed.blocks import (INDICATOR_HEAD, closing_block, figures, funding_block, goals_block,
                          header_block, indicator_block)
from tui.printed.canvas import (BREAK, Block, MIN_WIDTH, TITLE_STYLE, Canvas, allocate, clean, edges, snap,
                        wrap)
from tui.core.rules import Rules
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment, assess, validate

__all__ = ["BREAK", "INDICATOR_HEAD", "PrintedForm", "clean", "printed_form", "render_text",
           "render_svg"]

# The default layout's words (the seed's form), for callers and tests that speak of it.
_SEED = load_layout(DEFAULT)
TITLE = _SEED.heading(0)
FUNDING_HEADER = tuple(_SEED.funding_heading(k) for k in _SEED.funding_columns)
INDICATOR_HEADER = tuple(_SEED.indicator_heading(k) for k in _SEED.indicator_columns)
GOALS_LABEL, EXPECTED_LABEL, ACHIEVED_LABEL = _SEED.goals_label, _SEED.expected_label, _SEED.achieved_label
TOTAL_LABEL, GRADE_LABEL = _SEED.closing_total, _SEED.closing_grade
DASH = _SEED.dash  # what the paper prints for a sub-row's weight and score


def _assessment(project: Project, given) -> Assessment:
    """An Assessment from what a caller has: one, a ScoreSheet (it carries its rules) or Rules."""
    if isinstance(given, Assessment):
        return given
    if isinstance(given, Rules):
        return assess(project, given)
    return Assessment(given, validate(project, given.rules, given) if given.rules else [])


class PrintedForm:
    """The renderable: the form at the width it is given (or `width`, if narrower)."""

    def __init__(self, project: Project, scored: Assessment | ScoreSheet | Rules,
                 width: int | None = None, ascii_ops: bool = False, layout: Layout | None = None):
        # An Assessment, or a sheet (its problems are found with the rules it carries): the
        # form marks a total and grade 未定 while the record has errors.
        self.assessment = _assessment(project, scored)
        self.project, self.width, self.ascii_ops = project, width, ascii_ops
        self.sheet = self.assessment.sheet
        # A layout the caller loaded (a folder's own), else the built-in the record names.
        self.form_layout = layout or layout_or_default(project.layout)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = min(self.width or options.max_width, options.max_width)
        return Measurement(min(MIN_WIDTH, width), width)

    def layout(self, console: Console, width: int) -> tuple[str, Canvas]:
        """The title and the canvas with every cell placed: the one description of where each
        cell of the form goes, drawn as text by `lines` and as a sheet by tui.printed.xlsx."""
        project, ascii_ops, form, sheet = self.project, self.ascii_ops, self.form_layout, self.sheet
        pad = 1 if width >= 80 else 0  # narrower: every cell counts
        fig = figures(project, self.assessment, form)
        canvas = Canvas(console, width, pad, ascii_ops)
        indicators = indicator_block(fig, form, sheet, ascii_ops)
        ind_widths = allocate(canvas.content_width(len(indicators.columns)), indicators.columns)
        lw = ind_widths[0]
        blocks = [header_block(project, form, lw, ascii_ops),
                  funding_block(project, fig, form, sheet, lw, ascii_ops),
                  goals_block(project, form, lw, ascii_ops)]
        # Each block's borders snap to those of the block below it, from the indicators up.
        layout: list[tuple[Block, list[int]]] = []
        below = edges(ind_widths, pad)
        for block in reversed(blocks):
            widths = allocate(canvas.content_width(len(block.columns)), block.columns)
            widths = snap(widths, block.columns, below, pad, reach=max(3, width // 40))
            layout.insert(0, (block, widths))
            below = edges(widths, pad)
        layout.append((indicators, ind_widths))
        closing = closing_block(project, form, lw, ascii_ops)
        if closing is not None:  # its borders snap to the indicators' above it
            widths = allocate(canvas.content_width(len(closing.columns)), closing.columns)
            layout.append((closing, snap(widths, closing.columns, edges(ind_widths, pad), pad,
                                         reach=max(3, width // 40))))
        for block, widths in layout:
            canvas.place(block, widths)
        return form.heading(project.year), canvas

    def lines(self, console: Console, width: int) -> list[Text]:
        """The form as lines of Text, none wider than `width` cells."""
        title, canvas = self.layout(console, width)
        heading = Text(title, style=TITLE_STYLE, no_wrap=True, end="")
        out = []
        for line in wrap(console, heading, width, "center"):
            line.rstrip()
            out.append(line)
        out.extend(canvas.lines())
        for line in out:
            if cell_len(line.plain) > width:
                line.truncate(width, overflow="crop")
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width or options.max_width, options.max_width)
        for line in self.lines(console, width):
            yield from line.render(console, end="")
            yield Segment.line()


def printed_form(project: Project, sheet_or_rules: ScoreSheet | Rules, width: int | None = None,
                 ascii_ops: bool = False, layout: Layout | None = None) -> PrintedForm:
    """The printed form of `project` as a Rich renderable.

    `sheet_or_rules` is the project's `ScoreSheet` (or an `Assessment`), or the `Rules` to score it
    with. `width` caps the width (default: whatever the console or container offers). With
    `ascii_ops`, ≥ ≤ print as >= <=, borders as + - | and other ambiguous-width punctuation as
    ASCII, for terminals that draw East-Asian-ambiguous characters two columns wide."""
    return PrintedForm(project, sheet_or_rules, width, ascii_ops, layout)


def console_for(width: int, record: bool = False) -> Console:
    """A console that writes to a string at `width` cells: no markup, no highlighting, no colour
    unless it records (for the SVG exporter)."""
    return Console(file=io.StringIO(), width=width, record=record, color_system="truecolor"
                   if record else None, force_terminal=record, legacy_windows=False,
                   emoji=False, highlight=False, markup=False, soft_wrap=False)


def render_text(project: Project, rules: ScoreSheet | Rules, width: int = 100,
                ascii_ops: bool = False, layout: Layout | None = None) -> str:
    """The printed form as plain text (no ANSI codes), no line wider than `width` cells."""
    console = console_for(width)
    form = printed_form(project, rules, width, ascii_ops, layout)
    return "\n".join(line.plain.rstrip() for line in form.lines(console, width)) + "\n"


# ---------------------------------------------------------------------------------------------
# SVG, through Rich's exporter

_SVG_FORMAT = """\
<svg class="zipin-form" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <style>
    .{unique_id}-matrix {{
        font-family: "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace;
        font-size: 21px;  /* a little over Rich's 20: box glyphs then span its 1.22 line */
        line-height: {line_height}px;
    }}
    {styles}
    </style>
    <defs>
    <clipPath id="{unique_id}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
    </clipPath>
    {lines}
    </defs>
    <rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>
    <g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
    {backgrounds}
    <g class="{unique_id}-matrix">
    {matrix}
    </g>
    </g>
</svg>
"""

_TEXT_TAG = re.compile(r'<text ([^>]*?)x="([0-9.e+-]+)"([^>]*?)textLength="[0-9.e+-]+"([^>]*)>'
                       r'([^<]*)</text>')
_RUNS = re.compile(r"(&[^;]+;|.)")


def _fix_text_runs(svg: str, char_width: float) -> str:
    """Rich spreads each SVG text run over its number of characters, not cells, so a run mixing
    CJK and ASCII drifts off the grid. Split runs where the width of the characters changes and
    size each piece by its cells, so every character sits in its own columns."""
    def fix(m: re.Match) -> str:
        head, x0, middle, tail, content = m.groups()
        pieces: list[list] = []  # [wide?, escaped text, cells]
        for token in _RUNS.findall(content):
            cells = cell_len(html.unescape(token).replace("\xa0", " "))
            wide = cells == 2
            if pieces and pieces[-1][0] == wide:
                pieces[-1][1] += token
                pieces[-1][2] += cells
            else:
                pieces.append([wide, token, cells])
        out, x = [], float(x0)
        for _wide, text, cells in pieces:
            out.append(f'<text {head}x="{format(x, "g")}"{middle}'
                       f'textLength="{format(char_width * cells, "g")}"{tail}>{text}</text>')
            x += char_width * cells
        return "".join(out)
    return _TEXT_TAG.sub(fix, svg)


def render_svg(project: Project, rules: ScoreSheet | Rules, width: int = 100,
               ascii_ops: bool = False, layout: Layout | None = None) -> str:
    """The printed form as one SVG image (black on white, no window chrome)."""
    console = console_for(width, record=True)
    console.print(printed_form(project, rules, width, ascii_ops, layout))
    aspect = 0.61
    svg = console.export_svg(title="", theme=DEFAULT_TERMINAL_THEME, code_format=_SVG_FORMAT,
                             font_aspect_ratio=aspect)
    return _fix_text_runs(svg, 20 * aspect)
