"""The HTML render printed to PDF by headless Chromium on A4 (skipped where Chromium or poppler's
pdfinfo/pdftotext are missing): a page per sample form, and a form too long for a page keeps every
indicator row whole and repeats the indicator header on each page."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from tui.printed.html import render_html
from tui.core.rules import load_rules
from tui.store.recordfile import load

from seed_figures import FIGURES
from conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = pytest.mark.skipif(not (CHROMIUM and shutil.which("pdfinfo") and shutil.which("pdftotext")),
                                reason="needs chromium, pdfinfo and pdftotext")


def to_pdf(html: str, tmp_path: Path) -> Path:
    src, pdf = tmp_path / "forms.html", tmp_path / "forms.pdf"
    src.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", src.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return pdf


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_text(pdf: Path, n: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_a_page_per_sample_form_on_a4(tmp_path):
    forms = []
    for file, *_ in FIGURES:
        project = load(SAMPLES / file).project
        assert len(project.indicators) <= 20
        forms.append((project, load_rules(project.rules)))
    pdf = to_pdf(render_html(forms), tmp_path)
    meta = info(pdf)
    assert meta["Pages"].strip() == "12"
    assert "(A4)" in meta["Page size"]
    for n, (_file, name, _rate, _fscore, total, grade, _scores) in enumerate(FIGURES, start=1):
        text = re.sub(r"[\s│├┤┼┬┴─┌┐└┘]+", "", page_text(pdf, n))
        assert name in text, (n, name)
        assert f"总分100{total}" in text, (n, total)  # the form's foot is on its own page
        assert f"评分等级{grade}" in text


def test_a_long_form_keeps_rows_whole_and_repeats_the_header(tmp_path):
    project = load(SAMPLES / FIGURES[6][0]).project
    items = []
    for n in range(45):
        item = project.indicators[n % len(project.indicators)]
        # a reason over several lines, marked at both ends: a split row puts the marks apart
        items.append(replace(item, weight=Decimal("2.00"),
                             reason=f"A{n:02d}" + "偏差原因说明文字较长需要换行" * 4 + f"Z{n:02d}"))
    project = replace(project, indicators=tuple(items))
    pdf = to_pdf(render_html([(project, load_rules("default"))]), tmp_path)
    pages = int(info(pdf)["Pages"])
    assert pages > 1
    seen = []
    for n in range(1, pages + 1):
        text = re.sub(r"\s+", "", page_text(pdf, n))
        assert "一级指标" in text and "偏差原因分析" in text, f"page {n} lacks the header row"
        marks = re.findall(r"([AZ])(\d\d)", text)
        starts = [m for k, m in marks if k == "A"]
        ends = [m for k, m in marks if k == "Z"]
        assert starts == ends, f"page {n}: a row split across pages ({starts} vs {ends})"
        seen += starts
    assert seen == [f"{n:02d}" for n in range(45)]


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice)")
def test_the_workbook_prints_a_page_per_form_in_libreoffice(tmp_path):
    """The xlsx of samples/2023 as LibreOffice prints it: 汇总 on A4 landscape, then each form on
    one A4 portrait page with its name and grade."""
    book = tmp_path / "2023.xlsx"
    subprocess.run([sys.executable, "-m", "tui", "render", str(SAMPLES), "--format", "xlsx", "-o",
                    str(book)], check=True, capture_output=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "2023.pdf"
    assert info(pdf)["Pages"].strip() == "13"
    for n, (_file, name, _rate, _fs, _total, grade, _scores) in enumerate(FIGURES, start=2):
        size = subprocess.run(["pdfinfo", "-f", str(n), "-l", str(n), str(pdf)], capture_output=True,
                              text=True, check=True).stdout
        assert re.search(r"595\.\d+ x 841\.\d+", size), (n, size)  # A4 portrait
        text = re.sub(r"\s+", "", page_text(pdf, n))
        assert name in text and text.endswith(f"评分等级{grade}"), (n, text[-40:])
