"""Lay a terminal line out as a bidi-aware terminal does: GNU FriBidi (the library of VTE's GNOME
Terminal and mlterm), each line its own paragraph, its direction from its first strong letter (left to
right when it has none). Through ctypes: the library is the system's (Debian's libfribidi0)."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

_WEAK_LTR, _RTL = 0x20, 0x111  # FRIBIDI_PAR_WLTR (as VTE asks), FRIBIDI_PAR_RTL (what it answers)
MARKS = str.maketrans("", "", "\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069")


@cache
def _fribidi() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("fribidi") or "libfribidi.so.0")


def laid_out(line: str) -> tuple[str, bool]:
    """The line's characters from left to right as shown (the marks left out, brackets not mirrored), and
    whether the line reads right to left."""
    size = len(line)
    text = (ctypes.c_uint32 * size)(*map(ord, line))
    base = ctypes.c_uint32(_WEAK_LTR)
    visual = (ctypes.c_uint32 * size)()
    order = (ctypes.c_int * size)()
    assert _fribidi().fribidi_log2vis(text, size, ctypes.byref(base), visual, None, order, None)
    return "".join(line[order[i]] for i in range(size)).translate(MARKS), base.value == _RTL


def shown(fragment: str) -> str:
    """How a fragment of one direction shows inside a line: Arabic letters reversed, Latin as written."""
    return laid_out(fragment)[0]
