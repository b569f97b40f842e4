"""Text shown on a terminal: control characters escaped, so patient text can't drive the terminal.

A roster cell holding ESC[2J would clear the screen, ESC[8m hide the summary line, a carriage return
overwrite the line before it, and a right-to-left override reorder what is shown. Every message the
tool prints goes through `safe`, which shows such characters as visible escapes (`\\x1b`, `\\u202e`);
line breaks and tabs are kept.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """`text` with every control character a terminal would act on written out as an escape."""
    return _CONTROL.sub(_escape, text)
