"""The canonical form of a record and of a rule profile, and their digests (what a bundle states
and an import compares: equal records, equal digests, however the files were written), and the
fields in which two records differ. Not the digest of a file's bytes (tui.store.atomic.file_digest)."""

from __future__ import annotations

import hashlib
import json

from tui.core.model import Project
from tui.core.rules import Rules, rules_to_dict
from tui.store.codec import record_to_dict


def canonical_text(project: Project) -> str:
    """The canonical form of a record: `record_to_dict` as compact JSON with keys sorted.

    Exactly ``json.dumps(record_to_dict(p, lowest=True), ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))``: every value is a string, an integer, a table or a list, so the text is
    fully determined by the record, whatever TOML library or layout (or record format) wrote the
    file."""
    return canonical_json(record_to_dict(project, lowest=True))


def record_digest(project: Project) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of `canonical_text`: equal digests, equal records."""
    return hashlib.sha256(canonical_text(project).encode("utf-8")).hexdigest()


def rules_digest(rules: Rules) -> str:
    """SHA-256 of a rule profile's canonical form (`rules_to_dict`, as in `canonical_text`)."""
    return hashlib.sha256(canonical_json(rules_to_dict(rules)).encode("utf-8")).hexdigest()


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def changed_fields(mine: Project, theirs: Project) -> list[str]:
    """Field paths whose values differ (``funding.other.executed``, ``indicators[3].actual``,
    ``indicators`` when the count differs): for a review screen or the CLI's summary."""
    return [key for key, _a, _b in differences(mine, theirs)]


def differences(mine: Project, theirs: Project) -> list[tuple[str, object, object]]:
    """(field path, mine, theirs) for each field that differs, in record order; a side that lacks
    the field (an indicator the other doesn't have, an optional score) gives None."""
    a, b = flat_fields(record_to_dict(mine)), flat_fields(record_to_dict(theirs))
    return [(key, a.get(key), b.get(key)) for key in dict.fromkeys([*a, *b]) if a.get(key) != b.get(key)]


def flat_fields(data, prefix: str = "") -> dict[str, object]:
    """A record dict as {field path: value}; a list of tables also gives its length."""
    if isinstance(data, dict):
        out: dict[str, object] = {}
        for key, value in data.items():
            out.update(flat_fields(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list) and all(isinstance(x, dict) for x in data):
        out = {prefix: len(data)}
        for i, value in enumerate(data):
            out.update(flat_fields(value, f"{prefix}[{i}]"))
        return out
    return {prefix: data}
