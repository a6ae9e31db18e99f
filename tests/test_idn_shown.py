"""A site at an Arabic or accented name (`تعاونية.ma`, `échos-région.ma`) is named as a person typed it in
what a reader is shown — the crawl's failure lines, `rasd status`, search and digests — not in the ASCII form
the network uses (`xn--mgbeb4d6clp.ma`), and a name nobody serves is said in the reader's words, not the
resolver's English ("[Errno -2] Name or service not known", Twisted's "no results for hostname lookup")
(faults14 sweep). Requests and links keep the ASCII form."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.alerts.render import safe_href, shown_url
from rasd.config.hosts import shown_hosts
from rasd.storage import readable_url
from tests.conftest import run_rasd, write_config

SOURCES = """
[[sources]]
name = "Coop"
url = "http://تعاونية.invalid/"
lang = "ar"

[[sources]]
name = "Echo"
url = "http://échos-région.invalid/"
lang = "fr"
"""


@pytest.mark.parametrize("private", ["true", "false"])  # Twisted's own lookup, or the network guard's
def test_a_name_nobody_serves_is_said_as_typed_in_the_readers_words(tmp_path: Path, private: str) -> None:
    config = write_config(tmp_path, SOURCES)
    text = config.read_text(encoding="utf-8").replace("private_networks = true", f"private_networks = {private}")
    config.write_text('language = "fr"\n' + text, encoding="utf-8")
    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    status = run_rasd("--config", str(config), "status", cwd=tmp_path)
    for said in (crawl.stderr, status.stdout):
        assert "xn--" not in said and "Errno" not in said and "hostname lookup" not in said, said
        assert "échec de la résolution DNS : aucun serveur de noms" in said, said
        assert "تعاونية.invalid" in said and "échos-région.invalid" in said, said


def test_shown_names_are_the_typed_ones_and_links_keep_the_ascii_form() -> None:
    stored = "http://xn--mgbeb4d6clp.ma/%D8%AA%D8%B9/a"
    assert readable_url(stored) == "http://تعاونية.ma/تع/a"
    assert shown_url("https://www.xn--chos-rgion-96ag.ma:8080/x") == "https://www.échos-région.ma:8080/x"
    assert safe_href("http://تعاونية.ma/a") == "http://xn--mgbeb4d6clp.ma/a"
    # a name mixing scripts (a Cyrillic а among Latin letters) keeps its ASCII form, as a browser shows it
    assert shown_hosts("http://xn--pple-43d.com/") == "http://xn--pple-43d.com/"
    assert shown_hosts("not-xn--a-host and xn--zz") == "not-xn--a-host and xn--zz"
