"""Faults of the machine itself, for real: a full disk (a tmpfs of a few kilobytes, tests/smalldisk.py)
under the outbox and under the database. What a person reads is one line naming the file and what to do;
nothing already written is lost, and nothing half-written is left behind."""

from __future__ import annotations

from pathlib import Path

from tests.smalldisk import on_small_disk

DELIVER_BIG_DIGEST = """
from pathlib import Path
from rasd.alerts.delivery import DeliveryError, deliver
from rasd.config import SmtpSettings
from email.message import EmailMessage
digest = EmailMessage()
digest["Subject"], digest["To"] = "Rasd digest", "watcher@example.org"
digest.set_content("تعاونية فلاحية نسائية بإقليم تيزنيت " * 5000)  # ~350 kB: more than the disk holds
message = digest.as_string()
try:
    print("delivered to", deliver(message, 7, SmtpSettings(), Path("{outbox}")))
except DeliveryError as error:
    print("not delivered:", error)
"""


def test_a_full_outbox_keeps_no_half_written_message(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    script = tmp_path / "deliver.py"
    script.write_text(DELIVER_BIG_DIGEST.format(outbox=disk / "outbox"), encoding="utf-8")
    result = on_small_disk(disk, 64, f'"$PYTHON" {script}\necho "left: $(ls -A "$DISK/outbox")"')
    assert result.returncode == 0, result.stderr
    assert "not delivered: outbox " in result.stdout and "No space left on device" in result.stdout, result.stdout
    assert "left: \n" in result.stdout, result.stdout  # no .eml, no .eml.part
