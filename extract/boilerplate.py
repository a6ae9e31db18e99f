"""Site boilerplate that trafilatura keeps on Moroccan WordPress sites, removed line by line.

The rules are data: `config/boilerplate.toml` (read once, validated, shipped with the package) holds, per
language, *end markers* (a line that starts the comment form, the related-posts block or the footer:
everything from there on is not the article), *noise lines* (share buttons, breadcrumbs, "Lire aussi"
links, date-only lines: dropped wherever they stand) and *menu words* (a line made only of category
names is a menu or a breadcrumb). Its header says how patterns are written.

A source adds its own lines in config (`boilerplate = ["Atigmedia", "المصداقية والدقة في الخبر"]` in its
`[[sources]]` entry): each is compared with whole lines, folded like the text, and dropped wherever it
stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from lxml import etree
from lxml import html as lxml_html

from rasd.config import PACKAGE_DIR, ConfigError, read_toml
from rasd.extract.dates import WEEKDAY, WRITTEN_DATE, WRITTEN_TIME
from rasd.extract.normalize import fold_latin_accents, normalize_arabic, normalize_for_matching

RULES_FILE = PACKAGE_DIR / "boilerplate.toml"
LANGUAGES = ("any", "ar", "fr", "en")
_RULE_KEYS = ("end", "noise", "menu_words")
_SETTINGS = {"min_body_chars": int, "max_end_line_chars": int, "drop_repeated_lines": bool}
_PLACEHOLDERS = {"{date}": WRITTEN_DATE, "{time}": WRITTEN_TIME, "{weekday}": WEEKDAY}


@dataclass(frozen=True)
class Rules:
    """The rules of one or more sections, merged; each kind compiled into one pattern."""

    end: re.Pattern[str] | None
    noise: re.Pattern[str] | None
    min_body_chars: int
    max_end_line_chars: int
    drop_repeated_lines: bool

    def ends_article(self, folded: str) -> bool:
        return self.end is not None and len(folded) <= self.max_end_line_chars and bool(self.end.match(folded))

    def is_noise(self, folded: str) -> bool:
        return self.noise is not None and bool(self.noise.fullmatch(folded))


@dataclass(frozen=True)
class RuleFile:
    """`config/boilerplate.toml` as loaded: folded pattern sources per section and key, and the settings."""

    sections: dict[str, dict[str, tuple[str, ...]]]
    settings: dict[str, Any]

    def rules(self, languages: Iterable[str]) -> Rules:
        end: list[str] = []
        noise: list[str] = []
        menu: list[str] = []
        for language in languages:
            section = self.sections.get(language, {})
            end += section.get("end", ())
            noise += section.get("noise", ())
            menu += section.get("menu_words", ())
        if menu:
            words = "|".join(sorted(set(menu), key=len, reverse=True))
            noise.append(rf"(?:(?:{words})\s*[»>›|/-]?\s*)+")
        return Rules(
            end=re.compile("|".join(f"(?:{p})(?!\\w)" for p in end), re.IGNORECASE) if end else None,
            noise=re.compile("|".join(f"(?:{p})" for p in noise), re.IGNORECASE) if noise else None,
            **self.settings,
        )


def fold_pattern(pattern: str) -> str:
    """A pattern written with ordinary spelling, folded the way lines are (case is ignored on match)."""
    folded = fold_latin_accents(normalize_arabic(pattern))
    for placeholder, source in _PLACEHOLDERS.items():
        folded = folded.replace(placeholder, source)
    return folded


def load_rule_file(path: Path = RULES_FILE) -> RuleFile:
    """Read and validate a boilerplate rule file; any problem is a one-line ConfigError naming it."""
    data = read_toml(path)
    settings: dict[str, Any] = {}
    sections: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, value in data.items():
        if key in _SETTINGS:
            kind = _SETTINGS[key]
            if type(value) is not kind or (isinstance(value, int) and not isinstance(value, bool) and value < 0):
                raise ConfigError(f"{path}: {key}: expected a {'non-negative integer' if kind is int else 'boolean'}")
            settings[key] = value
        elif key in LANGUAGES:
            sections[key] = _section(path, key, value)
        else:
            known = ", ".join([*_SETTINGS, *(f"[{name}]" for name in LANGUAGES)])
            raise ConfigError(f"{path}: {key}: unknown key (known: {known})")
    missing = [key for key in _SETTINGS if key not in settings]
    if missing:
        raise ConfigError(f"{path}: {missing[0]}: missing")
    return RuleFile(sections, settings)


def _section(path: Path, name: str, value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{name}]: expected a table")
    section: dict[str, tuple[str, ...]] = {}
    for key, patterns in value.items():
        where = f"{path}: [{name}] {key}"
        if key not in _RULE_KEYS:
            raise ConfigError(f"{where}: unknown key (known: {', '.join(_RULE_KEYS)})")
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ConfigError(f"{where}: expected a list of non-empty strings")
        folded = []
        for pattern in patterns:
            source = fold_pattern(pattern) if key != "menu_words" else re.escape(normalize_for_matching(pattern))
            if "(?P<" in pattern:
                raise ConfigError(f"{where}: {pattern!r}: named groups are not allowed")
            try:
                re.compile(source, re.IGNORECASE)
            except re.error as error:
                raise ConfigError(f"{where}: {pattern!r}: not a regular expression ({error})") from None
            folded.append(source)
        section[key] = tuple(folded)
    return section


@cache
def _shipped() -> RuleFile:
    return load_rule_file()


@cache
def rules_for(lang: str) -> Rules:
    """The shipped rules for a page in `lang`: its section and [any]; all sections when it is unknown."""
    languages = ("any", lang) if lang in LANGUAGES and lang != "any" else LANGUAGES
    return _shipped().rules(languages)


def strip_boilerplate(text: str, lang: str, extra_lines: Iterable[str] = (), rules: Rules | None = None) -> str:
    """The article body without the site's furniture; paragraphs are kept as lines.

    `extra_lines` are the source's own lines (config `boilerplate`); `rules` replaces the shipped ones."""
    return "\n".join(line for line, _ in boilerplate_lines(text, lang, extra_lines, rules))


def boilerplate_lines(
    text: str, lang: str, extra_lines: Iterable[str] = (), rules: Rules | None = None
) -> list[tuple[str, str]]:
    """`strip_boilerplate`'s lines, each with its `normalize_for_matching` form, which the rules were matched
    against: joined by spaces (the empty ones left out), the folded lines are the normalised text, which
    extraction then needs without folding the text a second time (normalising is per character, and a line
    break is whitespace to it)."""
    rules = rules or rules_for(lang)
    own = {normalize_for_matching(line) for line in extra_lines}
    kept: list[tuple[str, str]] = []
    seen: set[str] = set()
    body_chars = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        folded = normalize_for_matching(line)
        if body_chars >= rules.min_body_chars and rules.ends_article(folded):
            break
        if folded in own or rules.is_noise(folded) or (rules.drop_repeated_lines and folded in seen):
            continue
        seen.add(folded)
        kept.append((line, folded))
        body_chars += len(line)
    return kept


_BOX_TAGS = frozenset({"div", "aside", "section"})


def drop_inline_boxes(tree: lxml_html.HtmlElement) -> None:
    """Drop, in place, the boxes set between two of the story's paragraphs whose first line is an end
    marker ("Les plus lus", "Most read", "الأكثر قراءة": other stories' headlines). Read as lines, the
    marker ended the story at the box and lost every paragraph after it, which bare trafilatura kept.
    Only a `<div>`, `<aside>` or `<section>` between two `<p>` children of one element: a block after the
    story's last paragraph is still ended on by the line rules."""
    rules = rules_for("und")  # the page's language is not known yet: every section's markers
    doomed = []
    for parent in {paragraph.getparent() for paragraph in tree.iter("p")}:
        if parent is None:
            continue
        children = list(parent)
        paragraphs = [i for i, child in enumerate(children) if child.tag == "p"]
        for child in children[paragraphs[0] + 1 : paragraphs[-1]]:
            if child.tag not in _BOX_TAGS:
                continue
            first = next((text for text in child.itertext() if text.strip()), None)
            if first is not None and rules.ends_article(normalize_for_matching(first)):
                doomed.append(child)
    for box in doomed:
        box.drop_tree()  # its tail, text of the paragraph's container, stays


# A theme's "next story" loaded under the first as the reader scrolls, printed in the page by themes that
# prepare it (JNews' `jeg_next_article`, Newspaper's, Jannah's autoload): a block holding an `<h1>` and
# naming another address in `data-url` (the address the theme writes in the bar as it scrolls there).
_APPENDED = etree.XPath("//*[@data-url][.//h1]")


def drop_appended_stories(tree: lxml_html.HtmlElement, url: str) -> None:
    """Drop, in place, the next stories a theme printed under the page's own (`_APPENDED`): their
    paragraphs were read as the story's, under its headline (tests/pages/unseen12/nextstory_ar_31). The
    block holding the page's first `<h1>`, or naming the page's own address, stays."""
    first = next(tree.iter("h1"), None)
    page = urldefrag(url)[0].rstrip("/")
    for block in _APPENDED(tree):
        target = urldefrag(urljoin(url, block.get("data-url", "").strip()))[0].rstrip("/")
        if not target or target == page or (first is not None and _holds(block, first)):
            continue
        if block.getparent() is not None:
            block.drop_tree()


def _holds(block: lxml_html.HtmlElement, element: lxml_html.HtmlElement) -> bool:
    return any(ancestor is block for ancestor in element.iterancestors())
