"""One digest's HTML laid out by a real browser (Debian's headless Chromium): the Arabic story's computed
direction is rtl and its title sits on the right, the French one's is ltr and on the left; a PNG of the
page is written for a person to look at (its path is printed)."""

from __future__ import annotations

import email
import json
import shutil
import struct
import subprocess
import zlib
from email import policy
from email.message import EmailMessage
from pathlib import Path

from lxml import html as lxml_html

from rasd.alerts import run_digests
from rasd.storage import Store
from tests.test_alerts import EVERYTHING, HOSTILE_TITLE, SOURCES, fill, parts, settings_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # `make test` installs Debian's package
WIDTH, HEIGHT = 900, 2200

# Appended to a copy of the digest: after layout, each story records what the browser computed.
PROBE = """<script>
for (const story of document.querySelectorAll("article")) {
  const box = story.getBoundingClientRect();
  const style = getComputedStyle(story);
  const range = document.createRange();
  range.selectNodeContents(story.querySelector("h3"));
  const text = range.getBoundingClientRect();
  story.dataset.layout = JSON.stringify({
    direction: style.direction,
    gapLeft: text.left - box.left - parseFloat(style.borderLeftWidth) - parseFloat(style.paddingLeft),
    gapRight: box.right - text.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
    scripts: document.querySelectorAll("script").length,
  });
}
</script>"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decoded pixel rows."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return width, height, len(set(zlib.decompress(chunks)))


def test_chromium_lays_out_arabic_right_to_left_and_french_left_to_right(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    run_digests(store, settings_for(tmp_path, [EVERYTHING]))
    store.close()
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    html = parts(message)[0]
    digest = tmp_path / "digest.html"
    digest.write_text(html, encoding="utf-8")
    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")

    dom = _chromium(tmp_path, f"--window-size={WIDTH},{HEIGHT}", "--dump-dom", probed.as_uri()).stdout
    page = lxml_html.document_fromstring(dom)
    layouts = {
        story.xpath("./h3")[0].text_content(): (story.get("lang"), json.loads(story.get("data-layout")))
        for story in page.xpath("//article")
    }
    assert len(layouts) == 5
    for title, (lang, layout) in layouts.items():
        assert layout["scripts"] == 1, "only the probe runs: nothing from the web became a script"
        if lang == "ar":
            assert layout["direction"] == "rtl", title
            assert layout["gapRight"] < 2 < 100 < layout["gapLeft"], (title, layout)  # title starts on the right
        else:
            assert layout["direction"] == "ltr", title
            assert layout["gapLeft"] < 2 < 100 < layout["gapRight"], (title, layout)
    assert {lang for lang, _ in layouts.values()} == {"ar", "fr"}
    assert HOSTILE_TITLE in layouts

    screenshot = tmp_path / "digest.png"
    _chromium(tmp_path, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={screenshot}", digest.as_uri())
    width, height, colours = _png_size_and_colours(screenshot)
    assert (width, height) == (WIDTH, HEIGHT) and colours > 50, (width, height, colours)
    print(f"digest screenshot: {screenshot}")
