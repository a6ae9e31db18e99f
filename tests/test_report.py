"""Charts of SSE stories per week by region and by source: `rasd report --month` writes an HTML page whose
SVG pictures Chromium draws, and `rasd browse` shows the same charts at /-/charts."""

from __future__ import annotations

import asyncio
import re
from html import unescape
from pathlib import Path

from rasd.monitor.browse import datasette_for
from rasd.storage import Store
from tests.conftest import run_rasd, write_config
from tests.test_alerts_chromium import _chromium, _png_size_and_colours
from tests.test_search import STORIES, _fill

SSE_TITLES = [story[2] for story in STORIES if story[6]]


def _bars(svg_page: str) -> int:
    """Bars drawn with a height (pygal draws one rect per value; a week without stories is 0 high)."""
    drawn = r'<rect x="[^"]+" y="[^"]+" rx="0" ry="0" width="[^"]+" height="(?!0(?:\.0+)?")[^"]+" class="rect'
    return len(re.findall(drawn, svg_page))


def test_monthly_report_draws_weeks_by_region_and_source(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()

    made = run_rasd("--config", str(config), "report", "--month", "2025-09", "--output", "september.html", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "september.html: 4 SSE stories" in made.stdout
    html = unescape((tmp_path / "september.html").read_text(encoding="utf-8"))
    assert html.count("<svg") == 2
    assert "MA-09 Souss-Massa" in html and "MA-03 Fès-Meknès" in html and "Fes Presse" in html
    assert all(title in html for title in SSE_TITLES) and STORIES[3][2] not in html  # not SSE
    # by region: MA-09 two stories in the week of 1 September, MA-03 one in each of two weeks; by source three
    assert _bars(html) == 3 + 3

    dom = _chromium(tmp_path, "--dump-dom", (tmp_path / "september.html").as_uri()).stdout
    assert dom.count("<svg") == 2 and "SSE stories per week, by region" in dom
    shot = tmp_path / "report.png"
    _chromium(tmp_path, "--window-size=1000,1400", f"--screenshot={shot}", (tmp_path / "september.html").as_uri())
    width, height, colours = _png_size_and_colours(shot)
    assert (width, height) == (1000, 1400) and colours > 20  # drawn, in colour, not a blank page

    empty = run_rasd("--config", str(config), "report", "--month", "2024-01", cwd=tmp_path)
    assert empty.returncode == 0 and "0 SSE stories" in empty.stdout
    assert "no SSE story in these weeks" in (tmp_path / "rasd-report-2024-01.html").read_text(encoding="utf-8")


def test_browse_shows_the_charts(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()
    datasette = datasette_for(tmp_path / "rasd.db")
    charts = asyncio.run(datasette.client.get("/-/charts"))
    assert charts.status_code == 200
    assert charts.text.count("<svg") == 2 and "MA-09 Souss-Massa" in charts.text and _bars(charts.text) == 6
    home = asyncio.run(datasette.client.get("/"))
    assert 'href="/-/charts"' in home.text
