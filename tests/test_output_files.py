"""A file `rasd export`, `rasd report` or `rasd classify` writes with --output is whole or not at all, and a
failure to write it is one line in the reader's language (faults13 sweep).

Before: on a full disk, "stopped by an unexpected error (OSError: [Errno 28] No space left on device), a fault
of Rasd's", and click's temporary `.__atomic-write…` left on the disk; stopped by SIGTERM mid-export, the
half-written file put in place of the previous export (click renames its temporary file whatever ended the
`with`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, write_config
from tests.smalldisk import fill, on_small_disk
from tests.test_browse import _store

OLD = "the export of last week\n"


def test_outputs_on_a_full_disk_are_one_line_and_leave_the_previous_file_and_no_leftovers(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    (tmp_path / "in.jsonl").write_text('{"id": 1, "title": "تعاونية", "text": "تعاونية نسائية"}\n', encoding="utf-8")
    rasd = f"rasd --config {config}"
    script = (
        f'printf "{OLD}" > "$DISK/x.csv"; printf "{OLD}" > "$DISK/x.xlsx"\n'
        + fill()
        + "\n"
        + f'{rasd} export --text --output "$DISK/x.csv"; echo "exit $?"\n'
        + f'{rasd} export --format xlsx --output "$DISK/x.xlsx"; echo "exit $?"\n'
        + f'{rasd} report --month 2025-09 --output "$DISK/r.html"; echo "exit $?"\n'
        + f'{rasd} classify --input {tmp_path / "in.jsonl"} --output "$DISK/c.jsonl"; echo "exit $?"\n'
        + f'{rasd} export > "$DISK/piped.csv"; echo "exit $?"\n'
        + 'rm "$DISK/piped.csv"; ls -A "$DISK"; cat "$DISK/x.csv" "$DISK/x.xlsx"\n'
    )

    result = on_small_disk(tmp_path / "disk", 32, script, env={"RASD_LANG": "fr"})

    assert result.stdout.count("exit 1\n") == 5, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 5 and "inattendue" not in result.stderr and "Traceback" not in result.stderr, lines
    for line, name in zip(lines, ("x.csv", "x.xlsx", "r.html", "c.jsonl"), strict=False):
        assert line == (
            f"rasd : impossible d’écrire {tmp_path / 'disk' / name} : son disque est plein ; rien n’a été écrit "
            "(un fichier déjà là est resté tel quel)"
        ), line
    assert lines[4] == (
        "rasd : impossible d’écrire sur la sortie standard : son disque est plein ; ce qu’elle a reçu est incomplet"
    )
    # the previous files as they were, and nothing else: no .part, no .__atomic-write…
    assert result.stdout.split("exit 1\n")[-1] == f"filler\nx.csv\nx.xlsx\n{OLD}{OLD}", result.stdout


STOPPED_MID_EXPORT = """
import os, signal, sys
import rasd.storage as storage
from rasd.monitor.cli import main

everything = storage.export_records

def first_then_stopped(*args, **kwargs):
    for number, record in enumerate(everything(*args, **kwargs)):
        if number == 1:  # one record written: the export is under way when the operator's SIGTERM comes
            os.kill(os.getpid(), signal.SIGTERM)
        yield record

storage.export_records = first_then_stopped
sys.argv = ["rasd", *sys.argv[1:]]
main()
"""


def test_an_export_stopped_by_sigterm_leaves_the_previous_export_whole(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    for name in ("x.csv", "x.jsonl"):
        (tmp_path / name).write_text(OLD, encoding="utf-8")
    for name, shape in (("x.csv", "csv"), ("x.jsonl", "jsonl")):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                STOPPED_MID_EXPORT,
                "--config",
                str(config),
                "export",
                "--format",
                shape,
                "--output",
                str(tmp_path / name),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert result.returncode == 143, result.stderr
        assert "stopped by SIGTERM" in result.stderr, result.stderr
        assert (tmp_path / name).read_text(encoding="utf-8") == OLD  # not the half-written export
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("x.")) == ["x.csv", "x.jsonl"]


# An export that stops after its first record until told to go on: it says "paused" on stdout, then reads a line
# from stdin — the test decides what happens meanwhile (another export, a SIGKILL).
PAUSED_MID_EXPORT = """
import sys
import rasd.storage as storage
from rasd.monitor.cli import main

everything = storage.export_records

def paused_after_the_first(*args, **kwargs):
    for number, record in enumerate(everything(*args, **kwargs)):
        if number == 1:
            print("paused", flush=True)
            sys.stdin.readline()
        yield record

storage.export_records = paused_after_the_first
sys.argv = ["rasd", *sys.argv[1:]]
main()
"""


def _export(config: Path, shape: str, target: Path) -> list[str]:
    return ["--config", str(config), "export", "--format", shape, "--output", str(target)]


def _paused_export(config: Path, shape: str, target: Path) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", PAUSED_MID_EXPORT, *_export(config, shape, target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "paused\n", writer.communicate(timeout=60)
    return writer


def _whole_export(config: Path, shape: str, target: Path) -> str:
    """What an export alone writes, for comparing."""
    result = subprocess.run(
        [sys.executable, "-m", "rasd.monitor", *_export(config, shape, target)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return target.read_text(encoding="utf-8")


def test_two_exports_to_one_path_at_once_write_apart_and_the_last_to_finish_is_the_file(tmp_path: Path) -> None:
    """Both wrote `x.out.part`: the second truncated and renamed the first's half-written file, whose writer
    then wrote on into the reader's file (or failed on its rename)."""
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    jsonl, csv = (
        _whole_export(config, "jsonl", tmp_path / "alone.jsonl"),
        _whole_export(config, "csv", tmp_path / "a.csv"),
    )
    target = tmp_path / "out" / "x.out"
    target.parent.mkdir()
    first = _paused_export(config, "jsonl", target)  # mid-export, its stand-in half written
    assert _whole_export(config, "csv", target) == csv  # the second, from start to end meanwhile
    assert [p.name for p in target.parent.iterdir() if p.name != "x.out"] != [], "the first's stand-in was kept"
    _, errors = first.communicate("go on\n", timeout=120)
    assert first.returncode == 0, errors
    assert target.read_text(encoding="utf-8") == jsonl  # the first, whole: the last to finish
    assert [p.name for p in target.parent.iterdir()] == ["x.out"]


def test_a_killed_exports_stand_in_is_removed_by_the_next_export_to_that_path(tmp_path: Path) -> None:
    """An export ended by SIGKILL (the OOM killer, `kill -9`, a container stopped) left `x.csv.part` for ever."""
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    csv = _whole_export(config, "csv", tmp_path / "alone.csv")
    target = tmp_path / "out" / "x.csv"
    target.parent.mkdir()
    killed = _paused_export(config, "csv", target)
    killed.kill()
    killed.communicate(timeout=60)
    (left,) = [p.name for p in target.parent.iterdir()]
    assert left.startswith("x.csv.") and left.endswith(".part"), left
    assert _whole_export(config, "csv", target) == csv
    assert [p.name for p in target.parent.iterdir()] == ["x.csv"]


WORKBOOK_ON_A_FULL_DISK = """
import os, sys
from pathlib import Path
from rasd.monitor.records import write_workbook

rows = ({"id": n, "title": "تعاونية نسائية " * 30, "text": os.urandom(300).hex()} for n in range(5000))
try:
    write_workbook(rows, Path(os.environ["DISK"]) / "x.xlsx", ["id", "title", "text"])
except OSError as error:
    print("refused:", error.strerror, file=sys.stderr)

class Unrelated:
    def __del__(self):
        raise RuntimeError("a later fault elsewhere")

Unrelated()  # collected at once: its error is unraisable, and must be said
print("end", file=sys.stderr)
"""


def test_a_workbook_on_a_full_disk_leaves_no_unraisable_error_and_hides_no_later_one(tmp_path: Path) -> None:
    """openpyxl's zip archive, left open by the failed save, failed again when collected ("Exception ignored in:
    <function ZipFile.__del__ …>" and its traceback under the command's line): `sys.unraisablehook` was replaced
    for the whole process to hide it, and with it any later unraisable error of anything else."""
    script = fill() + '\n"$PYTHON" -c "$WORKBOOK"\nls -A "$DISK"\n'
    result = on_small_disk(tmp_path / "disk", 64, script, env={"WORKBOOK": WORKBOOK_ON_A_FULL_DISK})
    errors = result.stderr.splitlines()
    assert errors[0] == "refused: No space left on device", result.stderr
    assert "ZipFile" not in result.stderr and result.stderr.count("Exception ignored in") == 1, result.stderr
    assert "Unrelated.__del__" in errors[1] and errors[-2:] == ["RuntimeError: a later fault elsewhere", "end"], errors
    assert result.stdout == "filler\n", result.stdout  # no stand-in left
