"""Answers a hostile or broken server gives that the earlier sweeps had not tried (faults12): a compression
bomb (a few kilobytes that unpack to more than the size cap, in Content-Encoding or as a .xml.gz sitemap)
and a port answering another protocol than HTTP (an SSH or SMTP greeting). Scrapy's English ("Ignored
response <200 …> because its body (5871 B compressed, 5046272 B decompressed so far) exceeded
DOWNLOAD_MAXSIZE (5000000 B) during decompression", "The number of bytes decompressed so far …") and the repr
of Twisted's failures ("[<twisted.python.failure.Failure twisted.web._newclient.ParseError: ('non-integer
status code', b'SSH-2.0-OpenSSH_9.2')>]") were printed inside French and Arabic lines. Each is one line in
the reader's words, the other sources are stored, and the page is fetched again next cycle."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.conftest import run_rasd, write_config
from tests.sites import Site, article, homepage, route, sources, stored, stories


def test_a_compression_bomb_and_a_port_speaking_another_protocol_are_said_and_fetched_again(
    sites: list[str], tmp_path: Path
) -> None:
    bombed, packed, other = sites[:3]
    bomb = gzip.compress(b"\0" * 6_000_000)  # 6 MB of zeros in 6 KB: over the 5 MB cap once unpacked
    links = {base: stories(base, name, 2) for base, name in ((bombed, "bomb"), (other, "ssh"))}
    route(links[bombed][0], 200, bomb, {"Content-Encoding": "gzip"})
    Site.raw[f"{links[other][0].removeprefix('http://')}"] = b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
    for base in (bombed, other):
        route(f"{base}/", 200, homepage(None, links[base]))
    sitemap_links = stories(packed, "packed", 1)
    route(f"{packed}/", 200, homepage(None, []))
    big = gzip.compress(b" " * (51 * 1024 * 1024), compresslevel=9)  # over the sitemap protocol's 50 MB
    route(f"{packed}/sitemap.xml.gz", 200, big, {"Content-Type": "application/x-gzip"})
    entries = sources(
        ("Bomb", bombed, ""), ("Ssh", other, ""), ("Packed", packed, f'sitemaps = ["{packed}/sitemap.xml.gz"]')
    )
    config = write_config(tmp_path, entries)
    db = tmp_path / "rasd.db"

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(db) == {links[bombed][1], links[other][1]}, crawl.stderr
    unpacked = (
        f"Bomb : 1 récupération en échec : trop volumineux une fois décompressé : ses {len(bomb)} octets compressés "
        f"donnent plus de [crawler] max_response_bytes (5000000) ; non lu (article {links[bombed][0]})"
    )
    assert unpacked in crawl.stderr, crawl.stderr
    not_http = (
        "Ssh : 1 récupération en échec : pas une réponse HTTP (un autre service sur ce port ?) : "
        f"'SSH-2.0-OpenSSH_9.2p1 Debian-2' (article {links[other][0]})"
    )
    assert not_http in crawl.stderr, crawl.stderr
    sitemap = (
        "Packed : 1 récupération en échec : un plan de site compressé en gzip qui ne se décompresse pas : "
        "plus de 52428800 octets une fois décompressé, plus qu’un flux ou un plan de site ne peut l’être "
        f"(plan de site {packed}"
    )
    assert sitemap in crawl.stderr, crawl.stderr
    for technical in ("Ignored response", "DOWNLOAD_MAXSIZE", "decompressed so far", "twisted", "ParseError", "b'"):
        assert technical not in crawl.stderr, crawl.stderr

    route(links[bombed][0], 200, article("bomb قصة رقم 0"))  # the server mended
    del Site.raw[links[other][0].removeprefix("http://")]
    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert again.returncode == 0, again.stderr
    assert stored(db) == set(links[bombed]) | set(links[other]), again.stderr
    assert "بايت بعد فك الضغط، أكبر مما يكون عليه موجز" in again.stderr, again.stderr
    assert "decompressed" not in again.stderr, again.stderr
    assert sitemap_links  # served, but never announced: the sitemap did not unpack
