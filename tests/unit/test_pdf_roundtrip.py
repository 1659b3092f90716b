"""The printed forms come back from PDF: the HTML render printed to PDF by headless Chromium, its
text taken with ``pdftotext`` both ways (``-layout``, and without: each table line broken into
pieces, tui.exchange.textrejoin), then `import-text`: every record of samples/2023 and samples/other comes
back equal to the one printed (the fragment 10 has no name and is left to its own test). Skipped
where Chromium or pdftotext is missing; the texts of two pages kept in tests/golden (pdftotext
22.12 of that PDF) are read everywhere."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess

import pytest

from tui.core.rules import load_rules
from tui.printed.html import render_html
from tui.store.recordfile import load

from conftest import ROOT
from test_import_forms import SPACED_LABELS, _unspaced, checked, project_of
from test_print_a4 import CHROMIUM, to_pdf

FOLDERS = {"2023": ROOT / "samples" / "2023", "other": ROOT / "samples" / "other"}

GOLDEN = ROOT / "tests" / "golden"
needs_pdf_tools = pytest.mark.skipif(not (CHROMIUM and shutil.which("pdftotext")),
                                     reason="needs chromium and pdftotext")


@pytest.mark.parametrize("how", ["layout", "plain"])
def test_kept_pdftotext_pages_come_back(how):
    text = (GOLDEN / f"pdftotext-{how}-2023-01-07.txt").read_text("utf-8")
    folder = FOLDERS["2023"]
    paths = [next(folder.glob("01-*.toml")), next(folder.glob("07-*.toml"))]
    result = checked(text, "default")
    assert [f.name for f in result.forms] == ["残疾人基本保障和帮扶经费", "残疾人事业综合保障经费"]
    assert ("画线表格（断成小段" in result.forms[0].notes[0]) == (how == "plain")
    for path, form in zip(paths, result.forms):
        project = load(path).project
        assert form.ok and not form.disagreements, (form.problems, form.disagreements)
        form.record["id"] = project.id
        form.record.pop("layout")
        assert _goals_unspaced(project_of(form)) == _goals_unspaced(project)


@pytest.fixture(scope="module", params=[pytest.param(k, marks=needs_pdf_tools) for k in sorted(FOLDERS)])
def printed(request, tmp_path_factory):
    folder = FOLDERS[request.param]
    name = request.param
    paths = sorted(p for p in folder.glob("*.toml") if name == "2023" or not p.name.startswith("10-"))
    projects = [load(p).project for p in paths]
    forms = [(project, load_rules(project.rules, folder)) for project in projects]
    pdf = to_pdf(render_html(forms), tmp_path_factory.mktemp(request.param))
    return request.param, paths, forms, pdf


@pytest.mark.parametrize("how", [["-layout"], []], ids=["layout", "plain"])
def test_pdf_text_comes_back_as_the_same_records(printed, how):
    name, paths, forms, pdf = printed
    text = subprocess.run(["pdftotext", *how, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    result = checked(text, "default")  # shape and layout detected, as a user would run it
    assert [f.name for f in result.forms] == [p.name for p, _r in forms]
    for path, (project, rules), form in zip(paths, forms, result.forms):
        form.disagreements.clear()
        again = checked(text, rules).forms[result.forms.index(form)]  # checked with its own rules
        assert again.ok, (path.name, again.problems)
        assert not again.disagreements, (path.name, again.disagreements)
        again.record["id"] = project.id
        if not project.layout:
            again.record.pop("layout")
        back = project_of(again)
        if name == "other" and path.name[:2] in SPACED_LABELS:
            project, back = _unspaced(project), _unspaced(back)
        # pdftotext prints two spaces in a line as one, so a wrapped line beside them looks
        # short and its wrap is kept as a line break (2023/07: "；  2、…全年完" / "成4项…"): the
        # goal texts are compared without their white space, every other field exactly.
        project, back = _goals_unspaced(project), _goals_unspaced(back)
        assert back == project, path.name


def _goals_unspaced(project):
    return dataclasses.replace(project, expected=re.sub(r"\s+", "", project.expected),
                               achieved=re.sub(r"\s+", "", project.achieved))
