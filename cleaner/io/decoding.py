"""Decoding input bytes: UTF-8 (or UTF-16/UTF-32 when a byte-order mark says so) with a warning for bad bytes, and a
clear error for binary data."""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaner.errors import InputError

__all__ = ["Decoded", "bom_encoding", "decode_text", "looks_binary"]

#: share of control characters above which bytes are judged binary, not text
_BINARY_CONTROL_SHARE = 0.05


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with any warnings about the decoding."""

    text: str
    warnings: list[str] = field(default_factory=list)
    #: the bytes began with UTF-8's byte-order mark (dropped from ``text``; an output puts it back)
    utf8_mark: bool = False


#: byte-order marks and the encodings they announce; UTF-32's come first, as UTF-32-LE's begins with UTF-16-LE's
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
)


def bom_encoding(data: bytes) -> tuple[int, str, str] | None:
    """The length of the byte-order mark ``data`` begins with, the codec it announces and that codec's name."""
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            return len(mark), codec, name
    return None


def decode_text(data: bytes, source: str) -> Decoded:
    """Decode bytes as UTF-8, or as UTF-16/UTF-32 when they begin with that encoding's byte-order mark (the mark is
    dropped); invalid bytes become U+FFFD with a warning; binary data is an error."""
    bom = bom_encoding(data)
    skip, codec, name = bom or (0, "utf-8", "UTF-8")
    if bom is None and looks_binary(data):
        raise InputError(source, "looks like a binary file, not text; skipped")
    warnings: list[str] = []
    if codec != "utf-8":
        warnings.append(f"{source}: {name} (byte-order mark), read as {name} and written as UTF-8")
    data = data[skip:]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        warnings.append(
            f"{source}: not valid {name} (first bad byte at offset {exc.start + skip}); "
            f"{bad} invalid byte sequence(s) replaced with U+FFFD"
        )
    return Decoded(text, warnings, utf8_mark=bom is not None and codec == "utf-8")


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters in its first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > _BINARY_CONTROL_SHARE
