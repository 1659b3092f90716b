"""A record's row in the folder index packed as one text (tui.store.indexline): every text a user
may type comes back as it was, the separator included."""

from __future__ import annotations

from tui.store.indexline import SEP, Line, pack, stamp_in, unpack


def test_a_packed_row_gives_back_its_stamp_digest_and_line_whatever_the_texts_hold():
    for texts in [("id-1", "项目", "部门", "万元", "优"),
                  (f"a{SEP}b", f"名{SEP}称{SEP}", SEP, "", f"良{SEP}"),
                  ("", "", "", "元", "不评级"),
                  ("12", "3", "4", "5", "6")]:  # digits where lengths are read
        for figures in [("1.50", "2", "99.87", "99.98"), (None, None, None, None)]:
            line = Line(texts[0], texts[1], 2023, texts[2], texts[3], *figures, texts[4], 2, 1, 3)
            packed = pack((10, 11, 12, 13), "ab" * 32, line)
            assert unpack(packed) == line
            assert stamp_in(packed) == ((10, 11, 12, 13), "ab" * 32)


def test_the_lists_lines_read_from_packed_rows_are_the_lines_of_their_line():
    """`entries_of` reads a row's text itself (no Line made): it gives what the Line holds,
    blanks as blanks (a blank total is 0, a blank rate none), amounts in 元 as 万元."""
    from decimal import Decimal

    from tui.ui.screens.documents import entries_of

    lines = {"/f/a.toml": Line("id-1", f"名{SEP}称", 2023, "部门", "元", "12345.6", "10000", "81.00",
                               "88.5", "良", 2, 2, 0),
             "/f/b.toml": Line("", "", 2024, "", "万元", None, None, None, None, "", 1, 3, 2),
             "/f/c.toml": Line("x", "名", 2022, "d", "万元", "1.5", None, "0", "0", "差", 0, 0, 1)}
    rows = {key: (0, pack((1, 2, 3, 4), "ab", line)) for key, line in lines.items()}
    a, b, c = entries_of(rows)
    assert (a.key, a.name, a.year, a.file, a.department, a.total, a.grade, a.rate, a.adjusted,
            a.executed, a.errors, a.places, a.record_id) == (
        "/f/a.toml", f"名{SEP}称", 2023, "a.toml", "部门", Decimal("88.5"), "良", Decimal("81.00"),
        Decimal("1.23456"), Decimal("1"), 0, (2, 2), "id-1")
    assert (b.total, b.rate, b.adjusted, b.executed, b.errors, b.places, b.name) == (
        0, None, 0, 0, 2, (1, 3), "")
    assert (c.total, c.rate, c.adjusted, c.executed) == (0, 0, Decimal("1.5"), 0)
    assert c.rate is not None


def _indexed():
    from tui.ui.screens.documents import entries_of

    line = Line("id-1", "名称", 2023, "部门", "万元", "1.50", "1.20", "80.00", "91.5", "优", 2, 2, 0)
    return entries_of({"/f/a.toml": (0, pack((1, 2, 3, 4), "ab", line))})[0]


def test_a_line_from_the_index_reads_its_row_when_first_asked_and_equals_the_line_made_outright():
    from dataclasses import replace

    from tui.ui.widgets.entry import Entry

    entry = _indexed()
    assert "_text" in entry.__dict__ and "total" not in entry.__dict__  # nothing read yet
    assert str(entry.total) == "91.5" and "_text" not in entry.__dict__
    made = Entry("/f/a.toml", "名称", 2023, "a.toml", "部门", entry.total, "优", entry.rate,
                 entry.adjusted, entry.executed, False, 0, (2, 2), "id-1")
    assert _indexed() == made and made == _indexed() and not (made != _indexed())
    assert _indexed() != replace(made, grade="良") and replace(made, grade="良") != _indexed()
    dirty = _indexed()
    dirty.dirty = True  # set before its row is read: kept
    dirty.name = "改名"
    assert dirty.dirty and dirty.name == "改名" and dirty.total == made.total


def test_a_line_read_by_two_threads_at_once_has_every_field_for_both(monkeypatch):
    """The loading thread reads a line's row as the UI thread draws it: the one that comes
    second (here: in the middle of the first's reading) finds every field."""
    import tui.ui.screens.indexed as indexed

    entry = _indexed()
    real = indexed.read_row
    seen = []

    def read_row(key, text):
        if not seen:
            seen.append(1)
            seen.append((entry.name, entry.total, entry.grade))  # the other thread, meanwhile
        return real(key, text)

    monkeypatch.setattr(indexed, "read_row", read_row)
    assert entry.year == 2023 and seen[1] == ("名称", entry.total, "优")
