"""Text shown to a person: user and file text made visible (never acted on by a terminal), and
OS errors in Chinese. No Textual. Every screen title, notification, CLI message and log line
that carries a name, a value or a file's text goes through `visible`."""

from __future__ import annotations

import errno
import unicodedata

# C0 controls and DEL as their Unicode control pictures (ESC -> ␛, LF -> ␊): they print, not act.
_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x7F: "\u2421"}
# Other characters a terminal acts on or that reorder or break what is shown: C1 controls (CSI
# 0x9B, NEL 0x85), line/paragraph separators, lone surrogates and the bidi controls (U+202E turns
# a line around). Shown as <U+XXXX>. Joiners and zero-width spaces stay: emoji and line-break
# hints need them, and they act on nothing.
_HIDDEN = ("Cc", "Zl", "Zp", "Cs")
_BIDI = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def visible(text: str, lines: bool = False) -> str:
    """`text` made safe and visible on a terminal or in one line of a message: control characters
    as pictures (␛ ␊ ␉), other invisible characters as <U+202E>. With `lines`, line breaks are
    kept (CR LF and CR become LF) and tabs become spaces: for text laid out on several lines."""
    text = str(text)
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    if text.isascii() and text.isprintable():  # the common case, quickly
        return text
    out = []
    for ch in text:
        if lines and ch == "\n":
            out.append(ch)
        elif ord(ch) in _PICTURES:
            out.append(_PICTURES[ord(ch)])
        elif not ch.isascii() and (unicodedata.category(ch) in _HIDDEN or ord(ch) in _BIDI):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


_ERRNO = {
    errno.ENOSPC: "磁盘空间不足", errno.ENAMETOOLONG: "文件名过长", errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作", errno.EROFS: "文件系统只读", errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "文件已存在", errno.EISDIR: "这是一个文件夹", errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EIO: "读写出错（磁盘或设备故障）", errno.EDQUOT: "超出磁盘配额", errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多", errno.EBUSY: "文件正被占用", errno.EXDEV: "不能跨磁盘移动",
    errno.ENOTEMPTY: "文件夹不为空", errno.EINVAL: "参数无效（文件名中可能有不允许的字符）",
    errno.EFBIG: "文件过大", errno.ELOOP: "符号链接层数过多", errno.ETXTBSY: "文件正被占用",
}


def os_error(exc: BaseException) -> str:
    """An OSError as one Chinese phrase, from its errno (磁盘空间不足); the OS's English text only
    as a detail for an errno without a Chinese name."""
    code = getattr(exc, "errno", None)
    if code in _ERRNO:
        return f"{_ERRNO[code]}（{errno.errorcode.get(code, code)}）"
    detail = getattr(exc, "strerror", None) or str(exc)
    name = errno.errorcode.get(code, "") if code is not None else ""
    return visible(f"系统错误（{name + '：' if name else ''}{detail}）")
