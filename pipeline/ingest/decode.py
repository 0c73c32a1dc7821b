"""Bytes -> text: binary and empty detection, encoding detection (UTF-8, BOM, cp1252/latin-1), newlines."""
from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from pipeline.errors import RecordRejected

_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
BINARY_CONTROL_RATIO = 0.05
# Magic numbers of common binary formats that may sit in a raw folder by mistake.
_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"\x7fELF", b"BZh")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw bytes to text and name the encoding; raise RecordRejected for empty/binary input."""
    if not data:
        raise RecordRejected("empty", "the file is empty (0 bytes)")
    if data.startswith(_MAGIC) or b"\x00" in data[:8192] and not _is_utf16(data):
        raise RecordRejected("binary", "binary content (NUL bytes or a known binary signature); expected text")
    sample = data[:65536]
    if len(_CONTROL.findall(sample)) > BINARY_CONTROL_RATIO * len(sample):
        raise RecordRejected("binary", "too many control characters for a text file")
    text, encoding = _decode(data)
    text = normalize_text(text)
    if not text.strip():
        raise RecordRejected("empty", "the file holds only whitespace")
    return text, encoding


def _is_utf16(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff"))


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if _is_utf16(data):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # A file cut in the middle of a multi-byte character: keep what is whole.
            return data[: exc.start].decode("utf-8"), "utf-8-truncated"
    try:
        text = data.decode("cp1252")
        return text, "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


def normalize_text(text: str) -> str:
    """NFC, newlines to \\n, no zero-width characters, no trailing spaces on lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text).replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))
