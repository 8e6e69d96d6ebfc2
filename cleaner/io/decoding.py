"""Decoding input bytes: UTF-8 with a warning for bad bytes, and a clear error for binary data."""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaner.errors import InputError

__all__ = ["Decoded", "decode_text", "looks_binary"]

#: share of control characters above which bytes are judged binary, not text
_BINARY_CONTROL_SHARE = 0.05


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with any warnings about the decoding."""

    text: str
    warnings: list[str] = field(default_factory=list)


def decode_text(data: bytes, source: str) -> Decoded:
    """Decode bytes as UTF-8 (BOM dropped); invalid bytes become U+FFFD with a warning; binary is an error."""
    if looks_binary(data):
        raise InputError(source, "looks like a binary file, not text; skipped")
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(
            f"{source}: not valid UTF-8 (first bad byte at offset {exc.start}); "
            f"{bad} invalid byte sequence(s) replaced with U+FFFD"
        )
    return Decoded(text, warnings)


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters in its first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > _BINARY_CONTROL_SHARE
