"""Quote values and names for the few DuckDB statements that take no prepared parameters."""
from __future__ import annotations

import re

# DuckDB accepts parameters in queries, not in LOAD, ATTACH or COMMENT ON: those get a literal.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class UnsafeSqlValue(ValueError):
    """A value cannot be written into SQL text safely (NUL byte or an unexpected identifier)."""


def quote_literal(value: str) -> str:
    """A single-quoted SQL string literal; quotes are doubled, NUL bytes refused."""
    text = str(value)
    if "\x00" in text:
        raise UnsafeSqlValue("NUL byte in a value bound for SQL text")
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """A double-quoted identifier; only plain names (letters, digits, _) are accepted."""
    if not _IDENTIFIER.fullmatch(name or ""):
        raise UnsafeSqlValue(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'
