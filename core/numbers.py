"""Parsing numbers typed into addresses and filters."""

from __future__ import annotations


def plain_int(text: str) -> int | None:
    """An integer written with the digits 0 to 9 only, else None. `str.isdigit()` admits "²" and
    other digits `int()` refuses, and `int()` admits signs, spaces and underscores."""
    return int(text) if text.isascii() and text.isdecimal() else None
