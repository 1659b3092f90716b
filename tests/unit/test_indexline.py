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
