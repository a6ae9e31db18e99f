"""Bidi read from the rendered page, not from the markup: real Chromium lays out an Arabic reader's and a
French reader's digest of the same mixed stories, a script added after the digest writes every fragment's
box into the document (--dump-dom), and the test checks the order a reader's eye meets them: in a French
(left-to-right) line "Drâa-Tafilalet — الرشيدية ×4, أرفود ×2" each count sits right after its own Arabic
place (to its right) and the places come left to right in the order written; in an Arabic line each count
sits to the left of its place and the places run right to left. Screenshots of both digests are kept in
the test's tmp dir for a person to look at."""

from __future__ import annotations

import email
import json
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from rasd.alerts import run_digests
from rasd.storage import Store
from tests.test_alerts import SOURCES, StorySpec, parts, save, settings_for
from tests.test_alerts_chromium import HEIGHT, WIDTH, _chromium, _png_size_and_colours

ERRACHIDIA = StorySpec(
    "Tiznit Info",
    "errachidia",
    "تعاونيات الرشيدية تعرض منتوجاتها المجالية",
    "نظمت تعاونيات نسائية بالرشيدية معرضا للمنتوجات المجالية. وشاركت تعاونيات أرفود في المعرض. "
    "وقال مسؤول بالرشيدية إن التعاونيات النسائية بأرفود والرشيدية تستفيد من دعم المبادرة الوطنية للتنمية البشرية.",
    "ar",
    ["MA-08"],
    datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
)
SALE = StorySpec(
    "Le Rabatois",
    "sale",
    "Les coopératives féminines de Salé exposent à Rabat",
    "Les coopératives féminines de Salé ont exposé leurs produits du terroir à Rabat. À Salé, la coopérative "
    "Al Amal emploie vingt femmes. L'économie sociale et solidaire de Salé se développe.",
    "fr",
    ["MA-04"],
    datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
)

# After layout: for each "where" line, the boxes of its places and of their counts, in document order.
PROBE = """<script>
for (const line of document.querySelectorAll("li.where, li.about")) {
  const items = [];
  for (const node of line.querySelectorAll("bdi.place, bdi.word, span.count")) {
    const box = node.getBoundingClientRect();
    items.push({kind: node.className, text: node.textContent, left: box.left, right: box.right, top: box.top});
  }
  line.dataset.boxes = JSON.stringify({direction: getComputedStyle(line).direction, items: items});
}
</script>"""


def _digest_html(tmp_path: Path, language: str) -> str:
    folder = tmp_path / language
    folder.mkdir()
    store = Store(f"sqlite:///{folder / 'rasd.db'}")
    store.sync_sources(SOURCES)
    for spec in (ERRACHIDIA, SALE):
        save(store, spec)
    subscription = {"name": "Veille", "email": "v@example.ma", "frequency": "immediate", "language": language}
    run_digests(store, settings_for(folder, [subscription]))
    store.close()
    (eml,) = (folder / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return parts(message)[0]


Box = dict[str, Any]


def _pairs(items: list[Box]) -> list[tuple[Box, Box | None]]:
    """Each place or word with the count written right after it (None when it has none)."""
    pairs: list[tuple[Box, Box | None]] = []
    for item in items:
        if item["kind"] == "count":
            pairs[-1] = (pairs[-1][0], item)
        else:
            pairs.append((item, None))
    return pairs


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_mixed_lines_read_in_order_in_chromium(tmp_path: Path, language: str) -> None:
    html = _digest_html(tmp_path, language)
    page_file = tmp_path / f"digest-{language}.html"
    page_file.write_text(html, encoding="utf-8")
    probed = tmp_path / f"probed-{language}.html"
    probed.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, f"--window-size={WIDTH},{HEIGHT}", "--dump-dom", probed.as_uri()).stdout
    page = lxml_html.document_fromstring(dom)

    lines = {}
    for line in page.xpath("//li[@data-boxes]"):
        story = line.xpath("ancestor::article/h3")[0].text_content()
        lines[(story, line.get("class"))] = json.loads(line.get("data-boxes"))
    where = lines[(ERRACHIDIA.title, "where")]
    assert where["direction"] == ("rtl" if language == "ar" else "ltr")
    places = _pairs(where["items"])
    assert [(p["text"], c["text"] if c else None) for p, c in places] == [("الرشيدية", "×4"), ("أرفود", "×2")]
    checked = 0
    for (story, _kind), layout in lines.items():
        pairs = _pairs(layout["items"])
        rtl = layout["direction"] == "rtl"
        for fragment, count in pairs:
            if count is None or abs(count["top"] - fragment["top"]) > 2:
                continue  # no count, or the line wrapped between them
            if rtl:  # the count follows its fragment leftwards, touching it (a no-break space apart)
                assert 0 <= fragment["left"] - count["right"] < 12, (story, fragment, count)
            else:
                assert 0 <= count["left"] - fragment["right"] < 12, (story, fragment, count)
            checked += 1
        same_row = [f for f, _ in pairs if abs(f["top"] - pairs[0][0]["top"]) <= 2]
        lefts = [f["left"] for f in same_row]
        assert lefts == sorted(lefts, reverse=rtl), (story, "fragments in reading order", same_row)
    assert checked >= 4, lines

    screenshot = tmp_path / f"digest-{language}.png"
    _chromium(tmp_path, f"--window-size={WIDTH},1400", f"--screenshot={screenshot}", page_file.as_uri())
    width, height, colours = _png_size_and_colours(screenshot)
    assert (width, height) == (WIDTH, 1400) and colours > 50
    print(f"digest screenshot ({language}): {screenshot}")


ODCO = StorySpec(
    "Le Rabatois",
    "odco",
    "Khémisset : l'Office du développement de la coopération forme trente coopératives féminines",
    "L'Office du développement de la coopération a réuni à Khémisset trente coopératives féminines pour une "
    "formation à la gestion. Les membres de la coopérative Nour, soutenue par l'Initiative nationale pour le "
    "développement humain, y ont présenté leurs produits du terroir. L'économie sociale et solidaire de la "
    "province compte désormais soixante coopératives agricoles.",
    "fr",
    ["MA-04"],
    datetime(2026, 11, 20, 11, 0, tzinfo=UTC),
)
SPLIT = """<script>
const split = [];
for (const node of document.querySelectorAll("bdi.whole, bdi.place")) {
  if (node.getClientRects().length > 1) split.push(node.textContent);
}
document.body.dataset.split = JSON.stringify(split);
document.body.dataset.words = String(document.querySelectorAll("bdi.whole").length);
</script>"""


def test_a_french_term_stays_whole_in_an_arabic_line_on_a_phone(tmp_path: Path) -> None:
    """At 390 px, an Arabic reader's why of a French story wrapped "Office du développement de la coopération"
    across two lines, which the right-to-left line then set apart with other words between its halves
    ("Office du développement ×2، coopérative" … "ODCO، de la coopération"): every word and place of a
    why is laid out whole on one line (a term over 40 letters may still wrap)."""
    folder = tmp_path / "ar"
    folder.mkdir()
    store = Store(f"sqlite:///{folder / 'rasd.db'}")
    store.sync_sources(SOURCES)
    save(store, ODCO)
    subscription = {"name": "Veille", "email": "v@example.ma", "frequency": "immediate", "language": "ar"}
    run_digests(store, settings_for(folder, [subscription]))
    store.close()
    (eml,) = (folder / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    html = parts(message)[0]
    assert "Office du développement de la coopération" in html
    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("</body>", SPLIT + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, "--window-size=390,2000", "--dump-dom", probed.as_uri()).stdout
    body = lxml_html.document_fromstring(dom).xpath("//body")[0]
    assert int(body.get("data-words")) >= 4, dom[-2000:]
    assert json.loads(body.get("data-split")) == []
