"""Files in seeds/ that are not reference stories — empty, binary (a PDF), not UTF-8, only site furniture, not
`.txt` — are left out with one line each naming the file, in the reader's language; the rest load."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from rasd import classify
from rasd.classify import Reference, Seed, read_seed_folder, similarity
from tests.conftest import REPO, run_rasd, write_config

GOOD = sorted((REPO / "seeds").glob("*.txt"))[0]


def _seeds(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(GOOD, folder / GOOD.name)
    (folder / "empty.txt").write_bytes(b"  \n")
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02 binary")
    (folder / "windows.txt").write_bytes("تعاونية نسائية للأركان بإقليم تيزنيت".encode("cp1256"))
    (folder / "story.docx").write_bytes(b"PK\x03\x04")
    (folder / ".gitkeep").write_bytes(b"")
    return folder


def test_the_files_left_out_are_named_and_the_rest_load(tmp_path: Path) -> None:
    seeds, problems = read_seed_folder(_seeds(tmp_path / "seeds"))
    assert [seed.name for seed in seeds] == [GOOD.stem] and all(isinstance(seed, Seed) for seed in seeds)
    assert {(problem.path.name, problem.kind) for problem in problems} == {
        ("empty.txt", "empty"),
        ("scan.txt", "binary"),
        ("windows.txt", "encoding"),
        ("story.docx", "not_txt"),
    }


def test_a_crawl_says_which_seed_files_it_left_out_in_the_readers_language(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path / "seeds")
    with socket.socket() as probe:  # a site that refuses: the crawl is over at once
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = write_config(tmp_path, f'[[sources]]\nname = "Closed"\nurl = "{closed}/"\n')
    config.write_text(config.read_text().replace(str(REPO / "seeds"), str(seeds)))

    english = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    lines = [line for line in english.stderr.splitlines() if str(seeds) in line]
    assert len(lines) == 4, english.stderr
    assert any("scan.txt: not a text file" in line and "plain text" in line for line in lines), lines
    assert any("empty.txt: empty" in line for line in lines), lines

    french = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})
    lines = [line for line in french.stderr.splitlines() if str(seeds) in line]
    assert len(lines) == 4 and any("scan.txt" in line and "texte" in line for line in lines), french.stderr

    arabic = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "ar"})
    lines = [line for line in arabic.stderr.splitlines() if str(seeds) in line]
    assert len(lines) == 4 and all(line.startswith("\u200f") for line in lines), arabic.stderr
    assert any("scan.txt" in line and "نص" in line for line in lines), lines


def test_a_seeds_folder_without_one_reference_story_is_said_once(tmp_path: Path) -> None:
    """A config naming an empty seeds folder (or one holding only files left out) crawled without a word,
    every score's resemblance part silently nothing."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with socket.socket() as probe:  # a site that refuses: the crawl is over at once
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = write_config(tmp_path, f'[[sources]]\nname = "Closed"\nurl = "{closed}/"\n')
    config.write_text(config.read_text().replace(str(REPO / "seeds"), str(seeds)))
    french = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})
    lines = [line for line in french.stderr.splitlines() if str(seeds) in line]
    assert lines == [
        f"attention : {seeds} ne contient aucun article de référence : la ressemblance à l’un d’eux n’ajoute rien "
        "à aucun score tant qu’on n’y met pas d’articles en fichiers .txt (UTF-8)"
    ], french.stderr
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / ".hidden.txt").write_text("تعاونية نسائية للأركان بإقليم تيزنيت", "utf-8")
    english = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    lines = [line for line in english.stderr.splitlines() if str(seeds) in line]
    told = f"{seeds} holds no reference story: resemblance to one adds nothing to any score until stories are put"
    assert len(lines) == 2 and lines[1].endswith(f"{told} there as .txt files (UTF-8)"), lines
    shutil.copy(GOOD, seeds / GOOD.name)
    one = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert "no reference story" not in one.stderr and "empty.txt: empty" in one.stderr


def test_the_files_left_out_are_kept_with_the_classifier_and_read_again_when_the_folder_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crawl's main process names the files left out from the kept classifier its workers read (or built),
    without reading and stripping every seed again; a file added, changed or removed is read anew."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seeds = _seeds(tmp_path / "seeds")
    expected = read_seed_folder(seeds)[1]
    assert classify.seed_problems(seeds) == expected  # nothing kept yet: read
    classify.load_classifier(seeds_dir=seeds)  # what a worker does: built and kept, with the problems
    labelled = Reference("article 3", "Tapis\nLa coopérative tisse des tapis à Tiznit.", sse=True)
    with monkeypatch.context() as kept:
        kept.setattr(similarity, "read_seed_file", _not_read)
        assert classify.seed_problems(seeds) == expected
    classify.load_classifier(seeds_dir=seeds, references=[labelled])  # the crawl's, with readers' verdicts
    (seeds / "empty.txt").write_text("تعاونية نسائية للأركان بإقليم تيزنيت تطلق مشروعا جديدا لتثمين المنتوج", "utf-8")
    (seeds / "notes.pdf").write_bytes(b"%PDF-1.7")
    changed = classify.seed_problems(seeds)
    assert {(problem.path.name, problem.kind) for problem in changed} == {
        ("scan.txt", "binary"),
        ("windows.txt", "encoding"),
        ("story.docx", "not_txt"),
        ("notes.pdf", "not_txt"),
    }
    classify.load_classifier(seeds_dir=seeds, references=[labelled])
    with monkeypatch.context() as kept:
        kept.setattr(similarity, "read_seed_file", _not_read)
        assert classify.seed_problems(seeds) == changed


def _not_read(path: Path) -> None:
    raise AssertionError(f"{path} was read again, not taken from the kept classifier")


def test_a_story_saved_by_notepad_as_unicode_is_a_reference_story(tmp_path: Path) -> None:
    """Windows Notepad's "Unicode" is UTF-16 with a byte-order mark: its zero bytes were read as a binary
    file ("a PDF, a Word document?") and the reader's story left out."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    (folder / "notepad.txt").write_bytes(text.encode("utf-16"))  # BOM, little-endian here
    (folder / "notepad-be.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    seeds, problems = read_seed_folder(folder)
    assert problems == [] and [seed.name for seed in seeds] == ["notepad-be", "notepad"]
    assert seeds[0].text == seeds[1].text == read_seed_folder(GOOD.parent)[0][0].text


def test_rasd_classify_says_the_seeds_left_out_and_its_bad_lines_in_the_readers_language(tmp_path: Path) -> None:
    """`rasd classify` scores with the reference stories and said nothing of the files it left out (a crawl
    does); its skipped input lines were said in English in a French or Arabic run."""
    seeds = _seeds(tmp_path / "seeds")
    config = write_config(tmp_path, "")
    config.write_text(config.read_text().replace(str(REPO / "seeds"), str(seeds)))
    (tmp_path / "in.jsonl").write_text('{"id": 1, "text": "تعاونية"}\nnot json\n{"id": 3}\n', encoding="utf-8")
    run = ("--config", str(config), "classify", "--input", "in.jsonl", "--output", "out.jsonl")

    french = run_rasd(*run, cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert french.returncode == 0, french.stderr
    lines = french.stderr.splitlines()
    assert len([line for line in lines if str(seeds) in line]) == 4, french.stderr
    assert "attention : ligne 2 de l’entrée : pas du JSON (Expecting value: line 1 column 1 (char 0))" in lines
    assert "attention : ligne 3 de l’entrée : il faut au moins id et text" in lines, french.stderr
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1

    arabic = run_rasd(*run, cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert "سطر الإدخال 3: يلزم على الأقل id وtext" in arabic.stderr, arabic.stderr
    assert "input line" not in arabic.stderr and "scan.txt" in arabic.stderr, arabic.stderr
