"""`rasd extract` over many saved pages in one process: files and folders in, JSON lines out, a bad page
reported and skipped; `--url` gives a saved page its address; a saved page's time is its file's."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import run_rasd

PAGES = Path(__file__).parent / "pages"
BODY = "".join(
    f"<p>La coopérative féminine de la commune numéro {n} a présenté ses produits de terroir aux visiteurs du salon"
    " régional de l'économie sociale et solidaire, avec le soutien de l'INDH.</p>"
    for n in range(3)
)


def _saved(path: Path, head: str = "", body: str = BODY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<html><head><meta charset='utf-8'><title>Salon régional à Oujda</title>{head}</head><body>"
        f"<article><h1>Salon régional à Oujda</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_folder_and_files_give_one_json_line_each_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(PAGES / "ar_jnews_jsonld.html", folder / "b.html")
    shutil.copy(PAGES / "fr_astra_visible_1er.html", folder / "a.htm")
    (folder / "region").mkdir()
    shutil.copy(PAGES / "ar_table_layout_cp1256.html", folder / "region" / "c.html")
    _saved(folder / "d.html", body="<p>Trop court.</p>")  # no article
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n")  # not a page: left out
    _saved(folder / "a_files" / "frame.html")  # a browser's "save complete" folder: left out
    _saved(folder / ".hidden.html")
    extra = _saved(tmp_path / "extra.html")

    result = run_rasd("extract", str(folder), str(tmp_path / "missing.html"), str(extra), cwd=tmp_path)
    assert result.returncode == 1  # some pages failed; all were tried
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["file"]).name for r in records] == [
        "a.htm",
        "b.html",
        "d.html",
        "c.html",
        "missing.html",
        "extra.html",
    ]
    a, b, d, c, missing, last = records
    assert a["lang"] == "fr" and b["lang"] == "ar" and c["lang"] == "ar" and last["lang"] == "fr"
    assert b["date"].startswith("2025-07-19") and c["title"].startswith("جرادة: تعاونية لتربية النحل")
    assert all("error" not in r and r["text"] for r in (a, b, c, last))
    assert d == {
        "file": str(folder / "d.html"),
        "url": (folder / "d.html").resolve().as_uri(),
        "error": "no article text found",
    }
    assert missing["error"] == "no such file"
    errors = result.stderr.splitlines()
    assert errors[:2] == [
        f"error: {folder / 'd.html'}: no article text found",
        f"error: {tmp_path / 'missing.html'}: no such file",
    ]
    assert errors[2].startswith("extracted 4 of 6 pages in ") and "pages/s" in errors[2]
    assert "Traceback" not in result.stderr

    # in the reader's language on stderr; the JSON lines, for scripts, as before
    french = run_rasd("extract", str(folder), str(tmp_path / "missing.html"), cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.stderr.splitlines() == [
        f"erreur : {folder / 'd.html'} : aucun texte d’article trouvé",
        f"erreur : {tmp_path / 'missing.html'} : fichier introuvable",
        french.stderr.splitlines()[2],
    ]
    assert french.stderr.splitlines()[2].startswith("3 pages extraites sur 5 en ")
    assert [json.loads(line).get("error") for line in french.stdout.splitlines()][-1] == "no such file"


def test_url_gives_a_saved_page_its_address(tmp_path: Path) -> None:
    page = _saved(tmp_path / "page.html")
    url = "https://oujda-news.example/2024/03/14/salon-regional-oujda/"
    result = run_rasd("extract", str(page), "--url", url, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["url"] == url
    assert (data["date"], data["date_source"]) == ("2024-03-14T00:00:00+00:00", "url")  # the permalink's date
    without = json.loads(run_rasd("extract", str(page), "--json", cwd=tmp_path).stdout)
    assert without["url"] == page.resolve().as_uri() and without["date"] is None

    refused = run_rasd("extract", str(page), str(page), "--url", url, cwd=tmp_path)
    assert refused.returncode == 2 and "--url" in refused.stderr and "exactly one file" in refused.stderr
    refused = run_rasd("extract", str(page), "--url", "oujda-news.example/a", cwd=tmp_path)
    assert refused.returncode == 2 and "not a URL" in refused.stderr


def test_a_saved_pages_relative_date_is_read_against_when_it_was_saved(tmp_path: Path) -> None:
    page = _saved(tmp_path / "saved.html", body="<p class='date'>Publié hier à 16h45</p>" + BODY)
    saved_at = datetime(2024, 3, 15, 10, 0, tzinfo=UTC).timestamp()
    os.utime(page, (saved_at, saved_at))
    for args in ([str(page), "--json"], [str(page), str(page)]):  # one page and many
        result = run_rasd("extract", *args, cwd=tmp_path)
        first = json.loads(result.stdout.splitlines()[0])
        assert first["date"] == "2024-03-14T16:45:00+00:00"  # Ramadan 2024: Morocco on UTC+0


def test_a_folder_of_one_sites_pages_loses_the_lines_they_all_share(tmp_path: Path) -> None:
    """The site's slogan, signature and comment notice recur on each of its pages: learned from the batch
    and removed (extract.furniture, as the crawl does from stored articles); --no-learn keeps them."""
    from tests.furniture_site import SIGNATURE, SLOGAN, page, story

    folder = tmp_path / "draa"
    folder.mkdir()
    for index in range(5):
        (folder / f"{index}.html").write_bytes(page(index))
    _saved(folder / "other-site.html")  # another site's page in the same folder: its own group
    learned = run_rasd("extract", str(folder), cwd=tmp_path)
    assert learned.returncode == 0, learned.stderr
    records = [json.loads(line) for line in learned.stdout.splitlines()]
    assert [r["text"] for r in records[:5]] == ["\n".join(story(index)[1]) for index in range(5)]
    assert records[5]["text"].startswith("La coopérative féminine de la commune numéro 0")
    kept = run_rasd("extract", str(folder), "--no-learn", cwd=tmp_path)
    texts = [json.loads(line)["text"] for line in kept.stdout.splitlines()]
    assert all(SLOGAN in text and SIGNATURE in text for text in texts[:5])
