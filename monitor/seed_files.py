"""The files of the seeds folder that are not reference stories, each said in one line in the reader's
language: an empty file, a PDF or Word document saved there, a text not in UTF-8, a page of nothing but site
furniture, a name not ending in `.txt`. The classifier leaves them out (`classify.read_seed_folder`); a
crawl, the daemon and `rasd seeds try` say so, so a reader's new reference story is not silently unused. A
crawl's or the daemon's lines come from the kept classifier when the folder has not changed
(`classify.seed_problems`): its workers read the seeds, the main process does not read them again."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rasd.monitor.speech import Speech

if TYPE_CHECKING:
    from rasd.classify import SeedProblem


def problem_line(problem: SeedProblem, said: Speech) -> str:
    """`FILE: why it is not a reference story, and what to do`."""
    why = {
        "empty": said.gettext("%(file)s: empty; left out of the reference stories"),
        "binary": said.gettext(
            "%(file)s: not a text file (a PDF, a Word document?); left out of the reference stories: save the story "
            "as plain text (.txt, UTF-8)"
        ),
        "encoding": said.gettext("%(file)s: not UTF-8 text; left out of the reference stories: save it as UTF-8"),
        "no_text": said.gettext(
            "%(file)s: no story text left once the site furniture is removed; left out of the reference stories"
        ),
        "not_txt": said.gettext("%(file)s: not read: only .txt files are reference stories"),
    }[problem.kind]
    return said(why, file=problem.path)


def seed_warnings(seeds_dir: Path, language: str) -> list[str]:
    """One line per file of `seeds_dir` left out of the reference stories, and one more when no file there
    is one (an empty folder: the score's resemblance part then adds nothing, which nothing else says)."""
    from rasd.classify import seed_problems

    said = Speech(language)
    problems = seed_problems(seeds_dir)
    lines = [problem_line(problem, said) for problem in problems]
    left_out = {problem.path.name for problem in problems}
    stories = [path for path in seeds_dir.iterdir() if path.suffix == ".txt" and not path.name.startswith(".")]
    if not any(path.is_file() and path.name not in left_out for path in stories):
        none = said.gettext(
            "%(folder)s holds no reference story: resemblance to one adds nothing to any score until stories are "
            "put there as .txt files (UTF-8)"
        )
        lines.append(said(none, folder=seeds_dir))
    return lines
