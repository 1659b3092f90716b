"""Carrying out an import plan (tui.exchange.bundleplan) with the person's choices: the records,
all or none, with the profiles and layouts they need; the side of each conflict not taken kept in
`.zipin/replaced/`; the versions seen remembered in the ledger."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from collections.abc import Mapping

import tomli_w

from tui.core.messages import visible
from tui.core.rules import rules_to_dict
from tui.exchange import bundlelayouts as BL
from tui.exchange.bundle import BundleError
from tui.exchange.bundleplan import CONFLICT, KEEP_MINE, SAME, TAKE_BUNDLE, UPDATE, FieldChoice, ImportPlan
from tui.exchange.ledger import ledger_with, write_ledger
from tui.store.atomic import atomic_write, current_digest
from tui.store.codec import RecordError, record_to_dict
from tui.store.recordfile import schema_line
from tui.store.saving import ChangedOnDisk, save_all


REPLACED = Path(".zipin") / "replaced"  # a conflict's side not taken, kept (see keep_replaced)


def check_choices(plan: ImportPlan, choices: Mapping[str, str | FieldChoice]) -> None:
    """Raise BundleError if a choice names an id the bundle lacks, is not TAKE_BUNDLE/KEEP_MINE or
    a FieldChoice of that record's fields, or mixes fields into something that is not a record."""
    items = {item.id: item for item in plan.items}
    for rid, choice in choices.items():
        if rid not in items:
            raise BundleError(plan.bundle.source, "包中没有此编号的记录", field=f"选择 {rid}")
        if isinstance(choice, FieldChoice):
            item = items[rid]
            known = {path for path, _a, _b in item.units()}
            unknown = sorted(set(choice.taken) - known)
            if unknown or item.local is None:
                raise BundleError(plan.bundle.source, "本机与包内此字段相同，或本机没有此记录，无从逐项选择",
                                  item.record.label, unknown[0] if unknown else "")
            try:
                item.result(choice)
            except RecordError as exc:
                raise BundleError(plan.bundle.source, f"逐项选择的结果不是有效的记录：{exc}",
                                  item.record.label) from None
            continue
        if choice not in (TAKE_BUNDLE, KEEP_MINE):
            raise BundleError(plan.bundle.source, f"选择应为 {TAKE_BUNDLE} 或 {KEEP_MINE}，实为 {choice!r}",
                              field=f"选择 {rid}")


def apply_import(plan: ImportPlan, choices: Mapping[str, str | FieldChoice] | None = None, *,
                 remember: bool = True) -> list[Path]:
    """Write what the plan and `choices` ({record id: TAKE_BUNDLE | KEEP_MINE}) say, all or none,
    and return the paths written (records, then new layouts and profiles). Unchosen conflicts are skipped
    (see `ImportPlan.unresolved`). Raises BundleError if the plan has problems or a choice is
    unknown, and saving.ChangedOnDisk if a file changed since planning (then nothing is written).

    Records go through `saving.save_all` (each local file must still have the digest it had when
    loaded; a new file must still not exist); profiles the written records need and the folder
    lacks go to ``profiles/NAME.toml`` (layouts to ``layouts/NAME.toml``) and are removed again if
    the records fail. Then, if
    `remember`, the folder's ledger learns the versions seen (best effort)."""
    choices = dict(choices or {})
    check_choices(plan, choices)
    if plan.problems:
        raise BundleError(plan.bundle.source, "无法导入：" + "；".join(plan.problems))
    writes = plan.to_write(choices)
    new_profiles = plan.profiles_to_write(choices)
    new_layouts = plan.layouts_to_write(choices)
    written: list[Path] = []
    if writes:
        plan.folder.mkdir(parents=True, exist_ok=True)
        made_dirs = [d for d, new in ((plan.folder / "profiles", new_profiles),
                                      (plan.folder / "layouts", new_layouts)) if new and not d.exists()]
        done: list[Path] = []
        try:
            for item in new_layouts:
                if BL.exists(item.path):
                    raise ChangedOnDisk(item.path)
                BL.write_layout(item)
                done.append(item.path)
            for profile in new_profiles:
                if current_digest(profile.path) is not None:
                    raise ChangedOnDisk(profile.path)
                profile.path.parent.mkdir(exist_ok=True)
                atomic_write(profile.path, schema_line(profile.path, "rules.schema.json")
                             + tomli_w.dumps(rules_to_dict(profile.rules)))
                done.append(profile.path)
            saved = save_all([(p, item.path, item.local.digest if item.local else None)
                              for item in writes if (p := item.result(choices.get(item.id))) is not None])
        except BaseException:
            for path in done:
                path.unlink(missing_ok=True)
            for made in made_dirs:
                try:
                    made.rmdir()
                except OSError:
                    pass
            raise
        written = [s.path for s in saved] + done
    keep_replaced(plan, choices)
    if remember:
        _remember(plan, choices)
    return written


def keep_replaced(plan: ImportPlan, choices: Mapping[str, str | FieldChoice],
                  now: datetime | None = None) -> list[Path]:
    """For each conflict decided, the side not taken, kept in the folder's .zipin/replaced/ as
    ``<date>-<file stem>-本机.toml`` (the folder's version, replaced by the bundle's) or
    ``-包内.toml`` (the bundle's, set aside): a choice loses nothing. Best effort, as the ledger
    is: the records are written already; a copy that can't be written is left out."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept: list[Path] = []
    for item in plan.items:
        choice = choices.get(item.id)
        if item.status != CONFLICT or item.local is None or not item.takes_bundle(choice) \
                and choice != KEEP_MINE:
            continue
        sides = []  # a field choice replaced the folder's version and set part of the bundle's aside
        if item.takes_bundle(choice):
            sides.append((item.local.project, "本机", "本机的版本，已由" + (
                "逐项合并的版本替换" if isinstance(choice, FieldChoice) else "包内版本替换")))
        if choice != TAKE_BUNDLE:
            sides.append((item.record.project, "包内", "包内的版本，" + (
                "只采用了其中几项" if isinstance(choice, FieldChoice) else "按选择未导入")))
        for project, side, what in sides:
            path = plan.folder / REPLACED / f"{stamp}-{item.path.stem}-{side}.toml"
            text = (f"# {what}（{stamp}，{visible(str(plan.bundle.source))}）\n"
                    + tomli_w.dumps(record_to_dict(project), multiline_strings=True))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, text)
            except OSError:
                continue
            kept.append(path)
    return kept


def _remember(plan: ImportPlan, choices: Mapping[str, str | FieldChoice]) -> None:
    ledger = dict(plan.ledger)
    for item in plan.items:
        record, choice = item.record, choices.get(item.id)
        if item.takes_bundle(choice):  # ours is replaced: the bundle's history is now ours too
            ledger = ledger_with(ledger, item.id, *record.history, item.local_digest, record.digest)
        elif item.status == SAME:
            ledger = ledger_with(ledger, item.id, *record.history, record.digest)
        elif item.status in (UPDATE, CONFLICT) and choice == KEEP_MINE:  # set aside by a choice
            ledger = ledger_with(ledger, item.id, record.digest)
    if ledger != dict(plan.ledger):
        try:
            write_ledger(plan.folder, ledger)
        except OSError:
            pass
