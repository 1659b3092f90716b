"""Reading published forms' text (`zipin import-text`): parse and check every form of a long text,
against baselines measured in the same run (CPU).

    /work/venv/bin/python tests/perf/bench_textimport.py [--copies 10]

The text: the 20 sample forms (samples/2023, samples/other) as a clerk copies them out of a
spreadsheet (tab-separated), `--copies` times over, and the same split by spaces.
- import-text vs reading the same records from TOML and scoring them: the price of the text.
- import-text vs the same without mending OCR-misread headings (tui.exchange.nearwords): its share.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "unit")]
from benchlib import best_of, report  # noqa: E402
from test_form_variants import RECORDS, copied_from_excel, spaced_out_of  # noqa: E402

import tui.exchange.formcheck as formcheck  # noqa: E402
from tui.core.rules import load_rules  # noqa: E402
from tui.core.scoring import score  # noqa: E402
from tui.exchange.textimport import check_form, import_text  # noqa: E402
from tui.store.codec import record_from_dict  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    rules = {p: load_rules(tomllib.loads(p.read_text("utf-8"))["rules"], p.parent) for p in RECORDS}
    sheets = [copied_from_excel(p) for p in RECORDS]
    texts = {"tabs": "\n".join(sheets * args.copies),
             "spaced": "\n".join(spaced_out_of(s) for s in sheets * args.copies)}
    one_rules = load_rules("default", RECORDS[0].parent)
    raw = [p.read_text("utf-8") for p in RECORDS] * args.copies

    def records() -> None:
        for text, path in zip(raw, RECORDS * args.copies):
            score(record_from_dict(tomllib.loads(text), path.name), rules[path])

    for shape, text in texts.items():
        def read(text: str = text) -> None:
            for form in import_text(text).forms:
                check_form(form, one_rules)

        def unmended(text: str = text) -> None:
            real, formcheck.mend = formcheck.mend, lambda t: (t, [])
            try:
                read(text)
            finally:
                formcheck.mend = real

        n = len(RECORDS) * args.copies
        report(f"import-text {n} forms ({shape}) vs TOML + score", *best_of(read, records, 3), target=20)
        report(f"import-text {n} forms ({shape}) vs without mending", *best_of(read, unmended, 3))


if __name__ == "__main__":
    main()
