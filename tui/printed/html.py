"""The printed forms as one HTML document that prints on A4 portrait, a form to a page.

Each form is the text form's lines (the same `PrintedForm.layout` as on screen), cut where the
indicator rows begin and end: the part above them is one block, then a table whose header is the
indicator header row and whose body has one row per indicator row, each its lines with its top
border. A row is never split across pages (``break-inside: avoid``) and the header row is repeated
on a new page (a ``thead``).

One font for every character where the machine has one that holds them all: a printer's PDF
(Chromium's) embeds each font of a line apart, and text tools (``pdftotext``) put the glyphs of
two fonts on different lines, so a row of the form came back split over several (a CJK-only
fallback font sat apart from the Latin one). "Noto Sans Mono CJK" holds CJK, Latin and the box
characters, its CJK exactly two Latin columns wide; its box characters are full-width, so each is
drawn centred in a one-column box (``.b``), as a wide character is in a two-column box (``.w``).
Without that font the next in the list is used, as before.

A form is fitted to its page: it is laid out at the narrowest width from `WIDTHS` at which its
lines, at the font size that puts that width across the page, fit the page's height; the widest
is used when none fits, and the form runs on with its rows whole. An explicit width is used as is.
No Textual.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from rich.text import Text

from tui.core.model import Project
from tui.printed.form import INDICATOR_HEAD, TITLE, PrintedForm, clean, console_for
from tui.core.rules import Rules
from tui.core.scoring import ScoreSheet, score

PAGE_W_MM, PAGE_H_MM, MARGIN_MM = 210, 297, 10
ADVANCE = 0.602  # DejaVu Sans Mono's advance width, in em
LINE = 1.15  # line height, in em
SLACK_MM = 6  # kept free at the foot of a page: rounding of line boxes
WIDTHS = tuple(range(100, 181, 4))
PT_PER_MM = 72 / 25.4

# The forms' style: {margin} and {line} filled in (doubled braces are CSS's own).
_STYLE = """\
@page {{ size: A4 portrait; margin: {margin}mm; }}
body {{ color: #000; background: #fff; margin: 1.5em; }}
section.form {{ margin: 0 0 2em 0; }}
section.form pre, section.form table {{
  font-family: "Noto Sans Mono CJK SC", "Noto Sans Mono CJK TC", "Noto Sans Mono CJK JP",
    "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 14px; line-height: {line}; margin: 0;
}}
section.form table {{ border-collapse: collapse; border-spacing: 0; }}
section.form td {{ padding: 0; }}
section.form thead {{ display: table-header-group; }}
section.form tr {{ break-inside: avoid; page-break-inside: avoid; }}
/* A wide (CJK) character takes exactly two columns, whatever the fallback font's widths; it keeps
   to the line's height so a line of Chinese is no taller than a line of digits. */
section.form .w {{ display: inline-block; width: 2ch; height: {line}em; text-align: center;
  vertical-align: top; overflow: hidden; }}
/* A box character takes one column: centred, whatever its width in the font (flex centres an
   item wider than its box; text-align does not). */
section.form .b {{ display: inline-flex; justify-content: center; width: 1ch; height: {line}em;
  vertical-align: top; overflow: hidden; }}
@media print {{
  body {{ margin: 0; }}
  section.form {{ margin: 0; font-size: var(--print-size); }}
  section.form pre, section.form table {{ font-size: var(--print-size); }}
  section.form + section.form {{ break-before: page; page-break-before: always; }}
}}
"""


def html_page(title: str, style: str, body: str) -> str:
    """An HTML document in Chinese for printing: `title` (plain text, escaped here), `style` (CSS)
    and `body` (HTML). The frame of the printed forms and of the year's summary."""
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="UTF-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{style}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")


_WIDE = re.compile(r"[^\x00-\u10ff]")
_BOXES = re.compile(r"[\u2500-\u257f]")


def _line_html(line: Text) -> str:
    """One text line: escaped, bold where the form is bold, each wide character in a 2ch box."""
    out = []
    for segment in line.render(console_for(cell_len(line.plain) + 1)):
        text = html.escape(segment.text, quote=False)
        text = _WIDE.sub(lambda m: f'<span class="w">{m.group()}</span>' if cell_len(m.group()) == 2
                         else f'<span class="b">{m.group()}</span>' if _BOXES.match(m.group())
                         else m.group(), text)
        out.append(f"<b>{text}</b>" if segment.style and segment.style.bold else text)
    return "".join(out)


def _pre(lines: list[Text]) -> str:
    return "<pre>" + "\n".join(_line_html(line) for line in lines) + "</pre>"


def print_size(width: int) -> float:
    """The font size (pt) that puts `width` columns across the printable width of the page."""
    return (PAGE_W_MM - 2 * MARGIN_MM) / (ADVANCE * width) * PT_PER_MM


def fits(lines: int, width: int) -> bool:
    height_mm = lines * LINE * print_size(width) / PT_PER_MM
    return height_mm <= PAGE_H_MM - 2 * MARGIN_MM - SLACK_MM


def form_parts(project: Project, sheet: ScoreSheet, width: int, ascii_ops: bool = False):
    """The form's lines cut into (top, header, rows): the blocks above the indicators, the
    indicator header row, and each indicator row (then 总分 and 评分等级) with its top border."""
    form = PrintedForm(project, sheet, width, ascii_ops)
    console = console_for(width)
    lines = form.lines(console, width)
    _title, canvas = form.layout(console, width)
    offset = len(lines) - canvas.height  # the title's lines come first
    head = min(p[2] for p in canvas.placed
               if p[5].role == INDICATOR_HEAD)
    edges = sorted({p[2] for p in canvas.placed if p[2] >= head} | {canvas.height - 1})
    top = lines[:offset + head]
    chunks = [lines[offset + a:offset + b] for a, b in zip(edges, edges[1:])]
    chunks[-1] = chunks[-1] + lines[offset + edges[-1]:]  # the bottom border
    return top, chunks[0], chunks[1:]


def _fitted(project: Project, sheet: ScoreSheet, ascii_ops: bool) -> int:
    for width in WIDTHS:
        lines = PrintedForm(project, sheet, width, ascii_ops).lines(console_for(width), width)
        if fits(len(lines), width):
            return width
    return WIDTHS[0]  # too long for a page at any size: readable, its rows kept whole


def form_html(project: Project, sheet: ScoreSheet, width: int | None = None,
              ascii_ops: bool = False) -> str:
    width = width or _fitted(project, sheet, ascii_ops)
    top, header, rows = form_parts(project, sheet, width, ascii_ops)
    body = "\n".join(f"<tr><td>{_pre(chunk)}</td></tr>" for chunk in rows)
    return (f'<section class="form" data-width="{width}" '
            f'style="--print-size: {print_size(width):.2f}pt">\n{_pre(top)}\n'
            f"<table><thead><tr><td>{_pre(header)}</td></tr></thead>\n"
            f"<tbody>\n{body}\n</tbody></table>\n</section>")


def render_html(forms: list[tuple[Project, ScoreSheet | Rules]], width: int | None = None,
                ascii_ops: bool = False, title: str = "") -> str:
    """One HTML document holding the printed forms of `forms`, each on its own A4 page (fitted
    to it unless `width` is given)."""
    parts = []
    for project, rules in forms:
        sheet = getattr(rules, "sheet", rules)  # an Assessment carries its sheet
        if isinstance(sheet, Rules):
            sheet = score(project, sheet)
        parts.append(form_html(project, sheet, width, ascii_ops))
    if not title:
        title = forms[0][0].name if len(forms) == 1 else TITLE
    return html_page(clean(title), _STYLE.format(margin=MARGIN_MM, line=LINE), "\n".join(parts))
