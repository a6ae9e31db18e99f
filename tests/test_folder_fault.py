"""What is wrong with a folder or file Rasd writes (the outbox, an export, `rasd init`'s and the demo's folder), said
once for every stage in the reader's words: `config.folder_fault` (config/folders.py)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.config import folder_fault
from rasd.monitor.speech import Speech
from tests.conftest import REPO, run_rasd, write_config

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


# Every errno writing a file or making a folder can meet on Linux (open, mkdir, rename, write, close).
MET = [
    "ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "ENOTDIR", "EEXIST", "ENOENT", "EISDIR", "ELOOP",
    "ENAMETOOLONG", "EMFILE", "ENFILE", "EIO", "EINVAL", "ESTALE", "ENOTCONN", "EBUSY",
]  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("name", MET)
def test_every_fault_of_a_written_folder_is_said_in_the_readers_language(name: str, language: str) -> None:
    """ENOENT, EISDIR, ELOOP, ENAMETOOLONG, EMFILE and the rest fell back to the OS's English ("OSError: File
    name too long") inside an Arabic or French line."""
    number = getattr(errno, name)
    english = folder_fault(OSError(number, os.strerror(number)))
    said = Speech(language).told(english)
    assert said != english and os.strerror(number) not in said and "Error" not in said, said


def test_a_fault_without_words_of_its_own_is_still_the_readers_line_naming_the_errno() -> None:
    told = folder_fault(OSError(errno.ENOLINK, os.strerror(errno.ENOLINK)))
    assert Speech("fr").told(told) == "le système l’a refusé (ENOLINK)"
    assert Speech("ar").told(told) == "\u200fرفضه النظام (\u200eENOLINK\u200e\u200f)"  # the name closed in marks
    assert str(told) == "the system refused it (ENOLINK)"  # the daemon's log, in English


def test_a_store_whose_folder_is_under_a_symlink_loop_is_one_line_in_the_readers_language(tmp_path: Path) -> None:
    """ "stopped by an unexpected error (OSError: [Errno 40] Too many levels of symbolic links …), a fault of
    Rasd's", with a report to send, for a [storage] url under a link that leads back to itself."""
    (tmp_path / "loop").symlink_to("loop")
    config = write_config(tmp_path, "")
    text = config.read_text(encoding="utf-8").replace(
        str(tmp_path / "rasd.db"), str(tmp_path / "loop" / "data" / "rasd.db")
    )
    config.write_text(text, encoding="utf-8")
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"rasd : impossible d’écrire {tmp_path / 'loop' / 'data'} : son chemin tourne en rond dans des liens "
        "symboliques (un lien qui ramène à lui-même). Corrigez cela, puis relancez ; ce qui était déjà écrit est "
        "intact\n"
    )
