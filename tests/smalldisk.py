"""A real full disk for tests: a small tmpfs mounted in a private mount namespace.

`unshare --user --map-root-user --mount` gives the test its own mount table without root (unprivileged
user namespaces) and with it (root maps to itself), so a tmpfs of a few kilobytes can be mounted on a
folder of the test's tmp_path: writes past its size fail with ENOSPC exactly as on a full disk, and the
mount disappears with the process — nothing is left mounted on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def on_small_disk(
    disk: Path, size_kb: int, script: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run the shell `script` with a fresh tmpfs of `size_kb` KiB mounted on `disk` (created if missing).
    In the script, `$DISK` is that folder, `$PYTHON` this interpreter and `rasd` the command line."""
    disk.mkdir(parents=True, exist_ok=True)
    prelude = (
        f'mount -t tmpfs -o size={size_kb}k rasd-test-disk "$DISK" || exit 97\n'
        'rasd() { "$PYTHON" -m rasd.monitor "$@"; }\n'
    )
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", prelude + script],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO), "DISK": str(disk), "PYTHON": sys.executable, **(env or {})},
        check=False,
    )


def fill(path: str = "$DISK/filler") -> str:
    """A shell line that fills the disk to its last byte (dd stops with ENOSPC, which is the point)."""
    return f'dd if=/dev/zero of="{path}" bs=4096 2>/dev/null; true'
