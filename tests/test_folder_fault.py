"""What is wrong with a folder or file Rasd writes (the outbox, an export, `rasd init`'s and the demo's folder), said
once for every stage in the reader's words: `config.folder_fault` (config/folders.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# A command's refusal to write its --output, in a process of its own: which modules it needed for the words.
REFUSED_OUTPUT = """
import errno, sys
from pathlib import Path
from rasd.monitor.speech import Speech
from rasd.monitor.written import output_refused
refused = output_refused(OSError(errno.EROFS, "Read-only file system"), Path("/mnt/usb/x.csv"), Speech("fr"))
print(refused.args[0])
delivery = ("smtplib", "ssl", "rasd.alerts.delivery", "rasd.alerts.channels")
print(sorted(name for name in sys.modules if name in delivery))
"""


def test_a_command_that_cannot_write_its_file_words_it_without_the_delivery_stage() -> None:
    """monitor took the words from `alerts.delivery`, another stage's private module, and loaded SMTP and TLS with
    them (smtplib, ssl) to say that an export's disk is read-only."""
    result = subprocess.run(
        [sys.executable, "-c", REFUSED_OUTPUT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    line, loaded = result.stdout.splitlines()
    assert line == (
        "impossible d’écrire /mnt/usb/x.csv : son disque ou son montage est en lecture seule ; rien n’a été écrit "
        "(un fichier déjà là est resté tel quel)"
    ), line
    assert loaded == "[]", loaded
