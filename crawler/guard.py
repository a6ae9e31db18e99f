"""Refuse requests to private networks: a hostile feed must not make the monitor fetch internal addresses.

Checked on every request the downloader is about to send — from config, feeds, sitemaps, links and
redirects alike — after DNS resolution, so a public name pointing at 127.0.0.1 or 169.254.169.254 is
refused too. `[crawler] allow_private_networks = true` turns the check off (demo, tests, benchmarks).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request


def is_public_ip(address: str) -> bool:
    """Only globally routable unicast addresses are public (no loopback, RFC 1918, link-local, multicast)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str) -> list[str]:
    """All addresses `host` resolves to (a literal address resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class PrivateNetworkGuard:
    """Downloader middleware; the refusal is recorded by the spider as a `blocked` fetch."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkGuard:
        return cls(crawler.settings.getbool("RASD_ALLOW_PRIVATE_NETWORKS"))

    async def process_request(self, request: Request, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(f"blocked: scheme {parts.scheme!r} is not http or https")
        if self.allow_private:
            return
        host = parts.hostname or ""
        try:
            addresses = await resolve(host)
        except OSError as error:
            raise IgnoreRequest(f"DNS lookup failed for {host}: {error}") from None
        private = [address for address in addresses if not is_public_ip(address)]
        if private:
            raise IgnoreRequest(f"blocked: {host} resolves to non-public address {private[0]}")
