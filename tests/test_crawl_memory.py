"""The crawl's process gives large freed blocks back to the system (crawler.runner.give_back_large_blocks):
glibc's malloc raised its threshold for mapping a block on its own to the size of each large block freed,
so after the first feeds of a few MB every later one came from the heap, and the holes they left kept the
process 26 MB larger at 8,000 pages than at 2,000 (bench/bench_crawl.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# A fresh process: the reactor and malloc's settings are per process. mallinfo2's `hblkhd`: bytes in blocks
# mapped on their own. A 4 MB block freed, then a 1 MB one: mapped on its own only under the fixed threshold.
DRIVER = """
import ctypes, sys
from rasd.crawler import install_asyncio_reactor

class MallInfo(ctypes.Structure):
    names = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
    _fields_ = [(name, ctypes.c_size_t) for name in names.split()]
mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = MallInfo
if sys.argv[1] == "crawl":
    install_asyncio_reactor()
feed = bytearray(4 << 20)
del feed
before = mallinfo2().hblkhd
page = bytearray(1 << 20)
print("mapped on its own" if mallinfo2().hblkhd - before >= 1 << 20 else "from the heap")
"""


def _second_block(how: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, how],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_after_a_large_block_is_freed_the_next_one_is_still_mapped_on_its_own_and_given_back() -> None:
    assert _second_block("plain") == "from the heap"  # glibc's own policy, which held the holes
    assert _second_block("crawl") == "mapped on its own"
