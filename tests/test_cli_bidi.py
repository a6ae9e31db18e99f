"""Mixed-direction lines as a bidi-aware terminal shows them (GNU FriBidi, tests/bidi.py): an Arabic line
reads right to left whatever it starts with, and its paths, dates, addresses and Latin names keep their
order; a French line keeps an Arabic title whole. The same lines without their marks come out wrong,
which is what the marks are for."""

from __future__ import annotations

from pathlib import Path

from rasd.monitor.speech import Speech
from tests.bidi import MARKS, laid_out, shown
from tests.conftest import run_rasd
from tests.test_cli_language import _filled


def _lines(tmp_path: Path, *args: str) -> list[str]:
    config = _filled(tmp_path, "ar")
    result = run_rasd("--config", str(config), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_an_arabic_status_keeps_its_paths_and_reads_right_to_left(tmp_path: Path) -> None:
    database, config = str(tmp_path / "rasd.db"), str(tmp_path / "rasd.toml")
    first, zone, header, *rows = _lines(tmp_path, "status")
    # the time zone said once, its Latin name kept whole in a right-to-left line
    visual, right_to_left = laid_out(zone)
    assert right_to_left and "Africa/Casablanca" in visual, visual
    visual, right_to_left = laid_out(first)
    assert right_to_left
    # from the right: "قاعدة البيانات: <db> (الإعدادات: <config>)" (a terminal mirrors the brackets' glyphs)
    assert visual == f"){config} :{shown('الإعدادات')}( {database} :{shown('قاعدة البيانات')}", visual
    broken, _ = laid_out(first.translate(MARKS))
    assert database not in broken  # "/tmp/…/rasd.db" came out "tmp/…/rasd.db/"
    assert laid_out(header)[1] and all(laid_out(row)[1] for row in rows)  # the table reads one way
    assert not laid_out(rows[0].translate(MARKS))[1]  # unmarked, a row starting "Fes Presse" went left to right
    source_row = next(row for row in rows if "Fes Presse" in row)
    assert laid_out(source_row)[0].rstrip().endswith("Fes Presse")  # the first column, at the right


def test_an_arabic_search_keeps_addresses_titles_and_dates_whole(tmp_path: Path) -> None:
    lines = _lines(tmp_path, "search", "تعاونية OR fes")
    shown_lines = [laid_out(line) for line in lines]
    assert all(right_to_left for _, right_to_left in shown_lines)
    visual = "\n".join(text for text, _ in shown_lines)
    # an address with an Arabic slug stays one left-to-right piece, its slug shown as Arabic reads
    assert f"https://tiznit.example/{shown('تعاونية-نسائية')}/" in visual, visual
    assert "Fès : l'économie sociale et solidaire en débat :Fes Presse  0,80" in visual
    assert "2025-09-25  5" in visual  # the day, then (to its right) the id
    unmarked = [laid_out(line.translate(MARKS)) for line in lines]
    assert not all(right_to_left for _, right_to_left in unmarked)  # a line starting with its address went LTR
    assert "Fès : l'économie sociale et solidaire en débat :Fes Presse  0,80" not in "\n".join(t for t, _ in unmarked)


def test_a_report_line_starting_with_a_path_still_reads_right_to_left(tmp_path: Path) -> None:
    (line,) = _lines(tmp_path, "report", "--month", "2025-09")
    visual, right_to_left = laid_out(line)
    assert right_to_left and visual.endswith(f":{tmp_path / 'rasd-report-2025-09.html'}"), visual
    assert not laid_out(line.translate(MARKS))[1]


def test_a_french_line_keeps_an_arabic_title_with_latin_words_whole() -> None:
    title = "تيزنيت: 30 امرأة في COVID-19 مشروع"
    line = Speech("fr")("article : %(title)s, 2025", title=title)
    visual, right_to_left = laid_out(line)
    assert not right_to_left and visual == f"article : {shown(title)}, 2025", visual
    assert laid_out(line.translate(MARKS))[0] != visual  # unmarked, its Latin words broke it in three
    assert Speech("fr")("article : %(title)s", title="Forum ESS") == "article : Forum ESS"  # nothing added
    assert Speech("en")("%(n)d articles", n=3) == "3 articles"


def test_an_arabic_sources_check_line_keeps_its_addresses_whole() -> None:
    from rasd.crawler import FeedCheck, SourceDiscovery
    from rasd.monitor.sources_check import SourcesCheck

    feed = FeedCheck("https://souss.example/feed/", "feed", "configured", items=3)
    broken = FeedCheck("https://souss.example/rss.xml", "feed", "advertised", error="HTTP 404")
    found = SourceDiscovery("Souss News", "https://souss.example/", checks=[feed, broken])
    line = SourcesCheck([found], {}, 1.0, "ar").line(found, 10)
    visual, right_to_left = laid_out(line)
    assert right_to_left and visual.endswith("Souss News"), visual  # the name first, at the right
    assert "https://souss.example/feed/" in visual and "https://souss.example/rss.xml" in visual
    assert "HTTP 404" in visual and "3" in visual
    assert shown("الخلاصة") in visual and shown("تنبيه") in visual, visual


def test_an_option_named_in_an_arabic_line_keeps_its_dashes_in_front() -> None:
    said = Speech("ar")
    message = (
        "no database at %(path)s (settings: %(settings)s): run `rasd crawl` first, or name another config with --config"
    )
    line = said(said.gettext(message), path="/tmp/rasd.db", settings="/tmp/rasd.toml")
    visual, right_to_left = laid_out(line)
    assert right_to_left and "--config" in visual and "config--" not in visual, visual
    assert "config--" in laid_out(line.translate(MARKS))[0]  # unmarked, the dashes went behind the name


def test_an_arabic_label_line_keeps_the_readers_name_and_the_option_whole(tmp_path: Path) -> None:
    """`rasd label` in Arabic: the reader's Latin name stays between "by" and its comma, the day of the date
    with its month (unmarked, "Amina B.، 4" went together, the day apart from its month); a misspelt
    --region keeps its dashes in front."""
    config = _filled(tmp_path, "ar")
    recorded = run_rasd("--config", str(config), "label", "1", "sse", "--by", "Amina B.", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    first = recorded.stdout.splitlines()[0]
    visual, right_to_left = laid_out(first)
    assert right_to_left and f"،Amina B. {shown('حكم')}" in visual, visual
    assert f"،Amina B. {shown('حكم')}" not in laid_out(first.translate(MARKS))[0]
    refused = run_rasd("--config", str(config), "label", "1", "sse", "--region", "Sous", "--by", "x", cwd=tmp_path)
    assert refused.returncode != 0
    line = refused.stderr.splitlines()[0]
    assert f"Sous :--region :{shown('خطأ')}" in laid_out(line)[0], laid_out(line)
    assert f"Sous :--region :{shown('خطأ')}" not in laid_out(line.translate(MARKS))[0]


def test_a_misspelt_region_refused_in_arabic_keeps_the_options_dashes_in_front(tmp_path: Path) -> None:
    """`rasd search تعاونية --region Sous` in Arabic: its one line, unlike every other line of the command,
    had no marks, and a terminal showed "region: Sous--"."""
    from tests.conftest import write_config

    config = write_config(tmp_path, "")
    result = run_rasd(
        "--config", str(config), "search", "تعاونية", "--region", "Sous", cwd=tmp_path, env={"RASD_LANG": "ar"}
    )
    assert result.returncode == 2
    visual, right_to_left = laid_out(result.stderr.strip())
    assert right_to_left and "--region" in visual and "region--" not in visual and "Sous--" not in visual, visual
    assert "MA-09 Souss-Massa" in visual, visual
