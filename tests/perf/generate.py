"""Workspaces of many project records for the benchmarks, made from the twelve 2023 samples.

    /work/venv/bin/python tests/perf/generate.py OUT_FOLDER --count 10000 [--seed 1]

Each record is a sample with a new id, a new name, another year and other amounts (each funding row
scaled, executed somewhere between 80% and 100% of the adjusted budget), so files differ in size
and content the way a department's records do. They stay valid: weights and indicators are kept.
`workspace(count)` gives a cached folder (under $ZIPIN_PERF_DIR or the temp folder), made once.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import uuid
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.store import naming, recordfile  # noqa: E402
from tui.core.model import Amounts, Project  # noqa: E402

SAMPLES = sorted((ROOT / "samples" / "2023").glob("*.toml"))
CENT = Decimal("0.01")
VERSION = "1"  # bump when the generator changes, so cached workspaces are made again


def _scaled(row: Amounts, factor: Decimal, rng: random.Random) -> Amounts:
    budget = (row.budget * factor).quantize(CENT, ROUND_DOWN)
    adjusted = (row.adjusted * factor).quantize(CENT, ROUND_DOWN)
    executed = (adjusted * Decimal(rng.randint(8000, 10000)) / 10000).quantize(CENT, ROUND_DOWN)
    return Amounts(budget, adjusted, executed)


def variant(base: Project, i: int, rng: random.Random) -> Project:
    """Record number `i`: a sample with a new id, name, year and amounts."""
    factor = Decimal(rng.randint(20, 500)) / 100
    f = base.funding
    rows = {key: _scaled(getattr(f, key), factor, rng) for key in ("appropriation", "carried_over", "other")}
    funding = replace(f, **rows)
    if f.stated_total is not None:
        funding = replace(funding, stated_total=funding.total)
    return replace(base, id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                   name=f"{base.name}（{rng.choice('甲乙丙丁戊己庚辛')}{i:05d}）",
                   year=rng.choice((2022, 2023, 2024)), funding=funding)


def generate(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` records into `folder` (plain writes: making them is not what is measured)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    samples = [recordfile.load(p).project for p in SAMPLES]
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        base = samples[i % len(samples)]
        project = variant(base, i + 1, rng)
        path = folder / f"{i + 1:05d}-{naming.safe_stem(base.name)}.toml"
        path.write_text(recordfile.dumps(project, path), encoding="utf-8")
        paths.append(path)
    return paths


def _fingerprint() -> str:
    h = hashlib.sha256(VERSION.encode())
    for p in SAMPLES:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def workspace(count: int, seed: int = 1) -> Path:
    """A folder of `count` generated records, made once and reused (a `.complete` marker)."""
    base = Path(os.environ.get("ZIPIN_PERF_DIR") or Path(tempfile.gettempdir()) / "zipin-perf")
    folder = base / f"{count}-{seed}-{_fingerprint()}"
    if not (folder / ".complete").exists():
        print(f"[generating {count:,} records in {folder}]", file=sys.stderr, flush=True)
        for old in folder.glob("*.toml") if folder.exists() else ():
            old.unlink()
        generate(folder, count, seed)
        (folder / ".complete").write_text("ok\n", encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.folder, args.count, args.seed)
    print(f"{len(paths):,} records in {args.folder}")


if __name__ == "__main__":
    main()
